import type { ClassifiedError } from '../errors.js';
import type { ChatBody, EncodedBody } from '../request.js';

/**
 * How a chat-completions request reaches the server. The engine (engine.ts) owns everything else —
 * body building, timing, reading the answer, retries — so transports differ only in the HTTP client.
 * One file per implementation, named by its `params.transport` id: socket.ts (default), native.ts, sdk.ts.
 */
export interface ChatTransport {
  /**
   * Sends one attempt. Never throws: every failure (status, socket, timeout, abort, broken body) comes back
   * as a classified error built with errors.ts, so both transports give the same codes.
   */
  send(body: ChatBody, opts: SendOptions): Promise<TransportResult>;
  /**
   * Sends `SendOptions.encoded` (the body already serialised, built once before the timed span) instead of
   * serialising `body` itself. Transports that hand an object to a client library leave this false.
   */
  readonly sendsBytes?: boolean;
  /** Frees pooled connections; resolves once they are closed. */
  close(): Promise<void>;
}

export interface SendOptions {
  /** Read the answer as SSE and hand each event to `onChunk`; otherwise parse one JSON body. */
  stream: boolean;
  /** Caller's cancel: the request is destroyed and the attempt ends as 'aborted'. */
  signal?: AbortSignal | undefined;
  /** This attempt's limit, streaming included: the request is destroyed and the attempt ends as 'timeout'. */
  timeoutMs: number;
  /**
   * Streaming: called with each parsed SSE `data` event as soon as it arrives (this is where TTFT and ITL
   * are taken). Returning an error stops reading and ends the attempt with it.
   */
  onChunk?: (chunk: unknown) => ClassifiedError | undefined;
  /**
   * `body` as UTF-8 JSON bytes in pieces (the image's own Buffer among them, see request.ts), for
   * transports with `sendsBytes`; the same for every attempt.
   */
  encoded?: EncodedBody;
}

/** Non-streamed: the parsed body. Streamed: nothing more, the events went to `onChunk`. */
export type TransportResult = { error: ClassifiedError } | { error?: undefined; json?: unknown };

export interface TransportOptions {
  /** e.g. http://127.0.0.1:8000/v1; requests go to `${baseURL}/chat/completions`. */
  baseURL: string;
  /** Sent as `authorization: Bearer <key>` only; never logged, never part of a result or message. */
  apiKey: string;
  /** Connections kept open to the server. @default 256 */
  maxSockets?: number;
}

export type TransportId = 'socket' | 'native' | 'sdk';

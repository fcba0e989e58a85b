import type { IncomingHttpHeaders } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import type { Dispatcher } from 'undici';
import {
  abortedError,
  type ClassifiedError,
  invalidJsonError,
  parseRetryAfter,
  socketError,
  statusError,
  statusMessage,
  streamError,
} from '../errors.js';
import { SseParser } from '../sse.js';
import type { Cancellable, Deadline } from './deadline.js';
import type { SendOptions, TransportResult } from './types.js';

/**
 * One request/response, as undici's handler: the answer arrives as calls on this object, with no
 * response stream, promise or listener in between. A class rather than a nest of closures: this runs
 * once per request at thousands of requests a second, and every closure is an allocation.
 */
/** What an exchange needs of the connection under it: a way to drop it (undici's controller, or a socket's). */
export interface Abortable {
  abort(reason: Error): void;
}

export class Exchange implements Cancellable, Dispatcher.DispatchHandler {
  deadline: Deadline | undefined;
  /** The handle on the request once it is on a connection; aborting it drops the connection. */
  private controller: Abortable | undefined;
  private settled = false;
  private status = 0;
  private headers: IncomingHttpHeaders | undefined;
  /** Non-streamed (or non-2xx) bodies: the first read, and the rest if there is more than one. */
  private first: Buffer | undefined;
  private more: Buffer[] | undefined;
  /** Streamed 2xx bodies: decoded and parsed as they arrive. */
  private sse: { utf8: StringDecoder; parser: SseParser } | undefined;
  /** Streaming: [DONE] seen or the attempt already failed; later events are read and ignored. */
  private done = false;

  constructor(
    private readonly o: SendOptions,
    private readonly resolve: (r: TransportResult) => void,
  ) {}

  finish(r: TransportResult): void {
    if (this.settled) return;
    this.settled = true;
    this.deadline?.dispose();
    this.resolve(r);
  }

  cancel(why: 'timeout' | 'caller'): void {
    this.fail(abortedError(why));
  }

  /** Ends the attempt with `error` and drops the connection (it may hold unread bytes). */
  fail(error: ClassifiedError): void {
    this.finish({ error });
    this.controller?.abort(new Error(error.message));
  }

  /** The attempt has ended (answered, failed, timed out or cancelled); later calls are ignored. */
  get ended(): boolean {
    return this.settled;
  }

  onRequestStart(controller: Abortable): void {
    this.controller = controller;
    // Cancelled while waiting for a free connection: do not send it at all.
    if (this.settled) controller.abort(new Error('attempt already ended'));
  }

  onResponseStart(_c: Abortable | undefined, statusCode: number, headers: IncomingHttpHeaders): void {
    // 103 Early Hints and the like: the real answer follows.
    if (statusCode < 200) return;
    this.status = statusCode;
    if (statusCode >= 300) this.headers = headers;
    else if (this.o.stream) {
      this.sse = {
        utf8: new StringDecoder('utf8'),
        parser: new SseParser((data, event) => this.event(data, event)),
      };
    }
  }

  onResponseData(_c: Abortable | undefined, chunk: Buffer): void {
    if (this.settled) return;
    if (this.sse) this.sse.parser.push(this.sse.utf8.write(chunk));
    else if (!this.first) this.first = chunk;
    else if (this.more) this.more.push(chunk);
    else this.more = [this.first, chunk];
  }

  onResponseEnd(): void {
    if (this.settled) return;
    if (this.sse) {
      this.sse.parser.push(this.sse.utf8.end());
      this.sse.parser.end();
      this.finish({});
    } else this.finish(this.readBody());
  }

  /** A non-streamed or non-2xx body, decoded once so characters split across reads come out whole. */
  private readBody(): TransportResult {
    const text = this.more ? Buffer.concat(this.more).toString('utf8') : (this.first?.toString('utf8') ?? '');
    const status = this.status;
    if (status >= 300) {
      return { error: statusError(status, statusMessage(status, text), parseRetryAfter(this.headers)) };
    }
    try {
      return { json: JSON.parse(text) as unknown };
    } catch (e) {
      return { error: invalidJsonError((e as Error).message) };
    }
  }

  /** Connection refused, cut before or during the answer, or our own abort after we settled. */
  onResponseError(_c: Abortable | undefined, err: Error): void {
    this.finish({ error: socketError(err) });
  }

  private event(data: string, event: string): void {
    // After [DONE] the rest is read (so the connection can be reused) and ignored, as the SDK does.
    if (this.done) return;
    if (data.startsWith('[DONE]')) {
      this.done = true;
      return;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch (e) {
      this.done = true;
      this.fail(invalidJsonError((e as Error).message));
      return;
    }
    if (event === 'error') {
      this.done = true;
      const m = (chunk as { error?: { message?: unknown }; message?: unknown } | null) ?? {};
      const text =
        typeof m.error?.message === 'string'
          ? m.error.message
          : typeof m.message === 'string'
            ? m.message
            : data;
      this.fail(streamError(text));
      return;
    }
    const err = this.o.onChunk?.(chunk);
    if (err) {
      this.done = true;
      this.fail(err);
    }
  }
}

import { type Dispatcher, Pool } from 'undici';
import { VlmhbError } from '../../../errors.js';
import { abortedError } from '../errors.js';
import type { ChatBody } from '../request.js';
import { Deadline } from './deadline.js';
import { Exchange } from './exchange.js';
import type { ChatTransport, SendOptions, TransportOptions, TransportResult } from './types.js';

/**
 * undici's dispatcher API over one keep-alive connection pool for the server's origin: the transport for
 * https:// servers (hosted APIs; the socket transport hands them here) and `params.transport: native`.
 * JSON in, JSON or SSE out, no fetch and no streams of any kind: the answer arrives as calls on one
 * Exchange per request (exchange.ts, shared with the socket transport). Why not the openai SDK: its
 * per-request work (header merging, request formatting, Headers/Response objects, ReadableStream
 * conversion) caps the client far below what a fast server answers, so a throughput run would measure the
 * client (bench/overhead.ts: about a tenth of autocannon's rate). Why not undici's `request()` or node:http:
 * their response streams and per-request listeners cost a third of the rate. The body goes as three pieces
 * (request.ts) so the image's Buffer is never copied per request (joining them cost 22 % of the client's
 * CPU with the generator's JPEG page); undici writes such an iterable piece by piece, which is what the
 * socket transport avoids for plain http.
 * This file is the HTTP exchange and nothing more; the body, the reading of the answer and the error codes
 * are shared with the other transports (request.ts, completion.ts, exchange.ts, errors.ts).
 */
export function createNativeTransport(opts: TransportOptions): ChatTransport {
  let url: URL;
  try {
    url = new URL(`${opts.baseURL.replace(/\/+$/, '')}/chat/completions`);
  } catch (e) {
    throw new VlmhbError('VLMHB_CONFIG_INVALID', `base URL is not a URL: ${opts.baseURL}`, { cause: e });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new VlmhbError('VLMHB_CONFIG_INVALID', `base URL must be http:// or https://, got ${url.protocol}`);
  }
  const pool = new Pool(url.origin, { connections: opts.maxSockets ?? 256 });
  const target: Target = {
    pool,
    path: `${url.pathname}${url.search}`,
    // Built once: undici reads it afresh for every request and never changes it.
    headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.apiKey}` },
  };
  return {
    sendsBytes: true,
    send: (body, o) => sendOnce(target, body, o),
    close: () => pool.close(),
  };
}

interface Target {
  pool: Pool;
  path: string;
  headers: Record<string, string>;
}

function sendOnce(t: Target, body: ChatBody, o: SendOptions): Promise<TransportResult> {
  if (o.signal?.aborted) return Promise.resolve({ error: abortedError('caller') });
  return new Promise<TransportResult>((resolve) => {
    const x = new Exchange(o, resolve);
    x.deadline = new Deadline(o.timeoutMs, o.signal, x);
    const { body: payload, headers } = wireBody(t, body, o);
    t.pool.dispatch(
      {
        path: t.path,
        method: 'POST',
        headers,
        // Dispatcher.md documents Iterable bodies ("string | Buffer | Uint8Array | stream.Readable |
        // Iterable | AsyncIterable | null"); undici 7's .d.ts leaves them out.
        body: payload as Dispatcher.DispatchOptions['body'],
        // The deadline bounds the whole attempt, streaming included; undici's own idle timers would only
        // duplicate it (and at their 300 s default, cut a longer configured timeout short).
        headersTimeout: 0,
        bodyTimeout: 0,
      },
      x,
    );
  });
}

/**
 * What undici sends: the prebuilt pieces (engine.ts serialises once per question, outside the timed span)
 * or, without them, a string. Several pieces go as an iterable undici writes one after another, so the
 * image's Buffer reaches the socket without being copied into a per-request body; an iterable has no
 * length undici can see, so the content-length is stated (undici then checks the bytes against it).
 */
function wireBody(
  t: Target,
  body: ChatBody,
  o: SendOptions,
): { body: string | Buffer | Iterable<Buffer>; headers: Record<string, string> } {
  const e = o.encoded;
  if (!e) return { body: JSON.stringify(body), headers: t.headers };
  if (e.parts.length === 1) return { body: e.parts[0]!, headers: t.headers };
  return { body: e.parts, headers: { ...t.headers, 'content-length': String(e.length) } };
}

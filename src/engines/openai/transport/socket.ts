import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import { VlmhbError } from '../../../errors.js';
import { abortedError } from '../errors.js';
import type { ChatBody } from '../request.js';
import { Deadline } from './deadline.js';
import { type Abortable, Exchange } from './exchange.js';
import { createNativeTransport } from './native.js';
import type { ChatTransport, SendOptions, TransportOptions, TransportResult } from './types.js';

/**
 * HTTP/1.1 over keep-alive TCP sockets of our own, for plain-http servers (every self-hosted framework:
 * vLLM, SGLang, LMDeploy, llama.cpp, Ollama, `transformers serve`, `vlmhb serve`). Why not undici, the
 * native transport, here: a request body is three pieces (request.ts: the JSON before the image, the
 * image's own Buffer, the JSON after it) and undici writes an iterable body piece by piece, each in its own
 * write with a wait for the socket to drain after the image; a body joined into one Buffer instead costs a
 * copy of the page per question. Here the head and the three pieces leave in one corked write (one
 * `writev`), nothing copied. bench/overhead.ts measures both against autocannon in the same run.
 * Responses are parsed by http-parser-js (autocannon's parser) and read by the same Exchange as the native
 * transport, so answers, timings and error codes are the native transport's. https:// (hosted APIs) goes
 * through the native transport: TLS is undici's job.
 *
 * Keep-alive: an idle connection is closed after 4 s or one second before the server's own
 * `Keep-Alive: timeout=N`, whichever is sooner (undici's rule), and a request whose reused connection turns
 * out to be closed before any byte of an answer came back is sent once more on a fresh connection: the
 * server closing an idle connection as we reuse it is a race of the wire, not a failure of the model.
 */
export function createSocketTransport(opts: TransportOptions): ChatTransport {
  let url: URL;
  try {
    url = new URL(`${opts.baseURL.replace(/\/+$/, '')}/chat/completions`);
  } catch (e) {
    throw new VlmhbError('VLMHB_CONFIG_INVALID', `base URL is not a URL: ${opts.baseURL}`, { cause: e });
  }
  if (url.protocol === 'https:') return createNativeTransport(opts);
  if (url.protocol !== 'http:') {
    throw new VlmhbError('VLMHB_CONFIG_INVALID', `base URL must be http:// or https://, got ${url.protocol}`);
  }
  // A header value with CR or LF would end the header early: refuse it rather than send it.
  if (/[\r\n\0]/.test(opts.apiKey)) {
    throw new VlmhbError('VLMHB_CONFIG_INVALID', 'the API key contains a line break or NUL');
  }
  const pool = new SocketPool(
    url.hostname.replace(/^\[|\]$/g, ''),
    Number(url.port || 80),
    opts.maxSockets ?? 256,
  );
  const head =
    `POST ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\n` +
    `content-type: application/json\r\nauthorization: Bearer ${opts.apiKey}\r\ncontent-length: `;
  return {
    sendsBytes: true,
    send: (body, o) => send(pool, head, body, o),
    close: () => pool.close(),
  };
}

function send(pool: SocketPool, head: string, body: ChatBody, o: SendOptions): Promise<TransportResult> {
  if (o.signal?.aborted) return Promise.resolve({ error: abortedError('caller') });
  return new Promise<TransportResult>((resolve) => {
    const x = new Exchange(o, resolve);
    x.deadline = new Deadline(o.timeoutMs, o.signal, x);
    const parts = o.encoded?.parts ?? [Buffer.from(JSON.stringify(body))];
    const length = o.encoded?.length ?? parts[0]!.length;
    pool.dispatch({ exchange: x, head: `${head}${length}\r\n\r\n`, parts, retried: false });
  });
}

interface Job {
  exchange: Exchange;
  head: string;
  parts: readonly Buffer[];
  /** Already sent once on a reused connection that closed unanswered. */
  retried: boolean;
}

// http-parser-js ships CommonJS without types; this is the part of its API used here.
interface ResponseInfo {
  statusCode: number;
  headers: string[];
  shouldKeepAlive: boolean;
}
interface Parser {
  execute(chunk: Buffer): number | Error;
  finish(): undefined | Error;
  [k: number]: unknown;
}
const { HTTPParser } = createRequire(import.meta.url)('http-parser-js') as {
  HTTPParser: {
    new (type: string): Parser;
    RESPONSE: string;
    kOnHeadersComplete: number;
    kOnBody: number;
    kOnMessageComplete: number;
  };
};

const IDLE_MS = 4000;

/** Connections to one server: idle ones reused newest first, at most `max` open, the rest queued. */
class SocketPool {
  private readonly idle: Connection[] = [];
  private readonly queue: Job[] = [];
  private readonly all = new Set<Connection>();
  private closed = false;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly max: number,
  ) {}

  dispatch(job: Job): void {
    if (this.closed) {
      job.exchange.onResponseError(undefined, new Error('transport closed'));
      return;
    }
    const c = this.idle.pop() ?? (this.all.size < this.max ? new Connection(this) : undefined);
    if (c) c.start(job);
    else this.queue.push(job);
  }

  opened(c: Connection): void {
    this.all.add(c);
  }

  /** A connection finished its answer and may take the next job. */
  release(c: Connection): void {
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      // Timed out or cancelled while queued: its Deadline already answered it.
      if (!job.exchange.ended) {
        c.start(job);
        return;
      }
    }
    if (this.closed) c.destroy();
    else this.idle.push(c);
  }

  /** A connection is gone; a queued job may now open a new one. */
  gone(c: Connection): void {
    this.all.delete(c);
    const i = this.idle.indexOf(c);
    if (i !== -1) this.idle.splice(i, 1);
    const job = this.queue.shift();
    if (job) this.dispatch(job);
  }

  close(): Promise<void> {
    this.closed = true;
    for (const c of [...this.idle]) c.destroy();
    return Promise.all([...this.all].map((c) => c.closed)).then(() => undefined);
  }
}

/** One keep-alive TCP connection and the exchange it is answering, if any. */
class Connection implements Abortable {
  private readonly socket: Socket;
  private readonly parser: Parser;
  private job: Job | undefined;
  /** Requests this connection has carried, the current one included. */
  private uses = 0;
  /** A byte of the current answer has arrived. */
  private answered = false;
  private keepAlive = false;
  private idleMs = IDLE_MS;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private dead = false;
  readonly closed: Promise<void>;

  constructor(private readonly pool: SocketPool) {
    pool.opened(this);
    this.socket = connect({ host: pool.host, port: pool.port, noDelay: true });
    this.parser = new HTTPParser(HTTPParser.RESPONSE);
    this.parser[HTTPParser.kOnHeadersComplete] = (info: ResponseInfo) => this.onHeaders(info);
    this.parser[HTTPParser.kOnBody] = (b: Buffer, start: number, len: number) =>
      this.job?.exchange.onResponseData(
        this,
        start === 0 && len === b.length ? b : b.subarray(start, start + len),
      );
    this.parser[HTTPParser.kOnMessageComplete] = () => this.onComplete();
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('end', () => this.onEnd());
    this.socket.on('error', (e) => this.lost(e));
    this.closed = new Promise((r) => this.socket.once('close', () => r()));
    this.socket.once('close', () => this.lost(connectionClosed()));
  }

  start(job: Job): void {
    clearTimeout(this.idleTimer);
    this.job = job;
    this.uses++;
    this.answered = false;
    job.exchange.onRequestStart(this);
    if (job.exchange.ended) return;
    const s = this.socket;
    s.cork();
    s.write(job.head, 'latin1');
    for (const p of job.parts) s.write(p);
    s.uncork();
  }

  /** The exchange gave up (timeout, cancel, bad answer): the connection may hold unread bytes. */
  abort(): void {
    this.destroy();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (!this.job) {
      // Bytes nobody asked for on an idle connection: it cannot be trusted with the next request.
      this.destroy();
      return;
    }
    this.answered = true;
    const r = this.parser.execute(chunk);
    if (r instanceof Error) this.fail(r);
  }

  private onHeaders(info: ResponseInfo): void {
    const x = this.job?.exchange;
    if (!x) return;
    this.keepAlive = info.shouldKeepAlive;
    let headers: Record<string, string> | undefined;
    if (info.statusCode >= 300 || this.keepAlive) {
      headers = {};
      const h = info.headers;
      for (let i = 0; i + 1 < h.length; i += 2) headers[h[i]!.toLowerCase()] = h[i + 1]!;
      const hint = /timeout=(\d+)/i.exec(headers['keep-alive'] ?? '');
      this.idleMs = hint ? Math.min(IDLE_MS, Math.max(0, Number(hint[1]) * 1000 - 1000)) : IDLE_MS;
    }
    x.onResponseStart(this, info.statusCode, headers ?? {});
  }

  private onComplete(): void {
    const job = this.job;
    if (!job) return;
    this.job = undefined;
    // The parser readies itself for the next answer once this returns (http-parser-js nextRequest).
    job.exchange.onResponseEnd();
    // An answer that came before the whole body went out (an early 413, say) leaves the rest of that body
    // queued ahead of the next request's bytes: such a connection is not reused.
    if (!this.keepAlive || this.idleMs === 0 || this.socket.destroyed || this.socket.writableLength > 0) {
      this.destroy();
      return;
    }
    this.idleTimer = setTimeout(destroyIdle, this.idleMs, this);
    this.idleTimer.unref();
    this.pool.release(this);
  }

  private onEnd(): void {
    // An answer read to the end of the connection (no length, not chunked) ends here.
    if (this.job && this.answered) {
      // finish() fails when the answer was cut short: a reset, like a close with nothing read.
      if (this.parser.finish() instanceof Error) this.fail(connectionClosed());
    }
    this.destroy();
  }

  private fail(e: Error): void {
    const job = this.job;
    this.job = undefined;
    this.destroy();
    job?.exchange.onResponseError(this, e);
  }

  /** The socket failed or closed; the current exchange (if any) fails, or goes again once on a fresh one. */
  private lost(e: Error): void {
    if (this.dead) return;
    this.dead = true;
    clearTimeout(this.idleTimer);
    const job = this.job;
    this.job = undefined;
    this.pool.gone(this);
    if (!job || job.exchange.ended) return;
    if (!this.answered && this.uses > 1 && !job.retried) {
      this.pool.dispatch({ ...job, retried: true });
      return;
    }
    job.exchange.onResponseError(this, e);
  }
}

function destroyIdle(c: Connection): void {
  c.destroy();
}

/** The server closed the connection before the answer was complete: a reset, as undici reports it. */
function connectionClosed(): Error {
  return Object.assign(new Error('other side closed'), { code: 'ECONNRESET' });
}

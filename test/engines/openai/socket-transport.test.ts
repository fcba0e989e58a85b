import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSocketTransport } from '../../../src/engines/openai/transport/socket.js';
import type { ChatTransport } from '../../../src/engines/openai/transport/types.js';

/**
 * What the socket transport owns beyond the shared fault and wire suites (faults.test.ts, wire.test.ts run
 * it like the others): its keep-alive pool. A real node:http server counts the connections it is given.
 */
const ANSWER = JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'OK' } }] });
const BODY = { model: 'm', messages: [], temperature: 0, stream: false };

let server: Server | undefined;
let transport: ChatTransport | undefined;
afterEach(async () => {
  await transport?.close();
  transport = undefined;
  if (server) {
    const s = server;
    server = undefined;
    await new Promise<void>((r) => {
      s.close(() => r());
      s.closeAllConnections();
    });
  }
});

interface Seen {
  connections: Set<Socket>;
  requests: Array<{ socket: Socket; body: string; nth: number }>;
  open: number;
  maxOpen: number;
}

/** `answer` decides per request (its number on its connection, from 1) what the server does. */
async function start(
  answer: (res: ServerResponse, req: IncomingMessage, nth: number) => void = (res) => ok(res),
): Promise<{ url: string; seen: Seen }> {
  const seen: Seen = { connections: new Set(), requests: [], open: 0, maxOpen: 0 };
  const perSocket = new Map<Socket, number>();
  const s = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const socket = req.socket;
      const nth = (perSocket.get(socket) ?? 0) + 1;
      perSocket.set(socket, nth);
      seen.requests.push({ socket, body: Buffer.concat(chunks).toString('utf8'), nth });
      answer(res, req, nth);
    });
  });
  s.on('connection', (socket: Socket) => {
    seen.connections.add(socket);
    seen.open++;
    seen.maxOpen = Math.max(seen.maxOpen, seen.open);
    socket.on('close', () => seen.open--);
  });
  server = s;
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/v1`, seen };
}

function ok(res: ServerResponse, headers: Record<string, string> = {}, delayMs = 0): void {
  const send = () => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(ANSWER)),
      ...headers,
    });
    res.end(ANSWER);
  };
  if (delayMs > 0) setTimeout(send, delayMs);
  else send();
}

const ask = (t: ChatTransport, parts?: Buffer[]) =>
  t.send(BODY, {
    stream: false,
    timeoutMs: 10_000,
    ...(parts ? { encoded: { parts, length: parts.reduce((n, p) => n + p.length, 0) } } : {}),
  });

describe('socket transport: keep-alive pool', () => {
  it('carries consecutive requests over one connection and sends the pieces as one body', async () => {
    const { url, seen } = await start();
    transport = createSocketTransport({ baseURL: url, apiKey: 'k' });
    const parts = [Buffer.from('{"a":"'), Buffer.from('x'.repeat(300_000)), Buffer.from('"}')];
    for (let i = 0; i < 5; i++) expect(await ask(transport, parts)).toEqual({ json: JSON.parse(ANSWER) });
    expect(seen.requests).toHaveLength(5);
    expect(seen.connections.size).toBe(1);
    expect(seen.requests.every((r) => r.body === Buffer.concat(parts).toString('utf8'))).toBe(true);
  });

  it('opens a new connection after a Connection: close answer', async () => {
    const { url, seen } = await start((res) => ok(res, { connection: 'close' }));
    transport = createSocketTransport({ baseURL: url, apiKey: 'k' });
    for (let i = 0; i < 3; i++) expect((await ask(transport)).error).toBeUndefined();
    expect(seen.connections.size).toBe(3);
  });

  it("does not reuse a connection the server's Keep-Alive timeout is about to close", async () => {
    const { url, seen } = await start((res) => ok(res, { 'keep-alive': 'timeout=1' }));
    transport = createSocketTransport({ baseURL: url, apiKey: 'k' });
    for (let i = 0; i < 3; i++) expect((await ask(transport)).error).toBeUndefined();
    // timeout=1 leaves less than the one-second margin: every connection is closed after its answer.
    expect(seen.connections.size).toBe(3);
  });

  it('sends a request again, once, when its reused connection closes before any answer', async () => {
    // The second request on every connection finds it closed, as when a server drops an idle connection
    // just as the client reuses it.
    const { url, seen } = await start((res, req, nth) => (nth === 2 ? req.socket.destroy() : ok(res)));
    transport = createSocketTransport({ baseURL: url, apiKey: 'k' });
    expect((await ask(transport)).error).toBeUndefined();
    expect((await ask(transport)).error).toBeUndefined();
    expect(seen.requests.map((r) => r.nth)).toEqual([1, 2, 1]);
    expect(seen.connections.size).toBe(2);
  });

  it('a fresh connection closed before any answer is an error, not sent again', async () => {
    const { url, seen } = await start((_res, req) => req.socket.destroy());
    transport = createSocketTransport({ baseURL: url, apiKey: 'k' });
    const r = await ask(transport);
    expect(r.error).toMatchObject({ code: 'connection_reset', retryable: true });
    expect(seen.requests).toHaveLength(1);
  });

  it('keeps at most maxSockets connections and queues the rest', async () => {
    const { url, seen } = await start((res) => ok(res, {}, 20));
    transport = createSocketTransport({ baseURL: url, apiKey: 'k', maxSockets: 2 });
    const t = transport;
    const all = await Promise.all(Array.from({ length: 7 }, () => ask(t)));
    expect(all.every((r) => r.error === undefined)).toBe(true);
    expect(seen.requests).toHaveLength(7);
    expect(seen.maxOpen).toBeLessThanOrEqual(2);
  });

  it('a queued request that times out while waiting is never sent', async () => {
    const { url, seen } = await start((res) => ok(res, {}, 300));
    transport = createSocketTransport({ baseURL: url, apiKey: 'k', maxSockets: 1 });
    const first = ask(transport);
    const queued = await transport.send(BODY, { stream: false, timeoutMs: 50 });
    expect(queued.error?.code).toBe('timeout');
    expect((await first).error).toBeUndefined();
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.requests).toHaveLength(1);
  });

  it('refuses an API key that would break the header', () => {
    expect(() =>
      createSocketTransport({ baseURL: 'http://127.0.0.1:1/v1', apiKey: 'a\r\nx-evil: 1' }),
    ).toThrow(/line break/);
  });

  it('sends the key as a bearer token and the host it was given', async () => {
    let auth: string | undefined;
    let host: string | undefined;
    const { url } = await start((res, req) => {
      auth = req.headers.authorization;
      host = req.headers.host;
      ok(res);
    });
    transport = createSocketTransport({ baseURL: url, apiKey: 'sk-test' });
    await ask(transport);
    expect(auth).toBe('Bearer sk-test');
    expect(host).toBe(new URL(url).host);
  });
});

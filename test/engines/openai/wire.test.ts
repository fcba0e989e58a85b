import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAICompatibleEngine } from '../../../src/engines/openai/engine.js';
import type { TransportId } from '../../../src/engines/openai/transport/types.js';
import type { EngineRequest } from '../../../src/engines/types.js';

/**
 * Streams the fault server does not send: bodies cut into odd pieces (mid-line, mid-CRLF, mid-character),
 * comments, multi-line events, `error` events, 4xx bodies. A tiny server writes exactly the given pieces
 * with a pause between them so each arrives as its own socket read. Both transports must read them alike.
 */
type Script = {
  status?: number;
  headers?: Record<string, string>;
  pieces: Array<string | Buffer>;
  gapMs?: number;
  /** Destroy the socket after the last piece instead of ending the response. */
  cut?: boolean;
};

let script: Script = { pieces: [] };
let server: Server;
let baseUrl: string;
let png: Buffer;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => play(res, script));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
    .png()
    .toBuffer();
});
afterAll(async () => {
  await new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
});

function play(res: ServerResponse, s: Script) {
  res.writeHead(s.status ?? 200, { 'content-type': 'text/event-stream', ...s.headers });
  let i = 0;
  const next = () => {
    const p = s.pieces[i++];
    if (p === undefined) return void (s.cut ? res.socket?.destroy() : res.end());
    res.write(p);
    setTimeout(next, s.gapMs ?? 5);
  };
  next();
}

const chunk = (content: string) => JSON.stringify({ choices: [{ index: 0, delta: { content } }] });
const usage = JSON.stringify({
  choices: [],
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
});

function open(transport: TransportId, timeoutMs = 2000) {
  process.env['VLMHB_WIRE_KEY'] = 'sk-wire-secret';
  return createOpenAICompatibleEngine('vllm', {
    model: 'm',
    baseUrl,
    apiKeyEnv: 'VLMHB_WIRE_KEY',
    maxRetries: 0,
    timeoutMs,
    params: { transport },
  });
}

function question(stream: boolean): EngineRequest {
  return {
    image: { data: png, mime: 'image/png' },
    prompt: 'q',
    settings: { temperature: 0, maxTokens: 8, stream },
  };
}

async function ask(transport: TransportId, stream = true) {
  const engine = await open(transport);
  try {
    return await engine.ask(question(stream));
  } finally {
    await engine.close();
  }
}

/** Connections the server holds open right now. */
function connections(): Promise<number> {
  return new Promise((r) => server.getConnections((_e, n) => r(n)));
}

describe.each(['socket', 'native', 'sdk'] as const)('%s transport on the wire', (transport) => {
  it('reassembles events cut mid-line, mid-CRLF and mid-character, skipping comments', async () => {
    const text = `: ping\r\n\r\ndata: ${chunk('Номер ')}\r\n\r\ndata: ${chunk('СНИЛС')}\r\n\r\ndata: ${usage}\r\n\r\ndata: [DONE]\r\n\r\n`;
    const bytes = Buffer.from(text);
    // Cut every 7 bytes: lands inside words, inside two-byte Cyrillic letters and between \r and \n.
    const pieces: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 7) pieces.push(bytes.subarray(i, i + 7));
    script = { pieces, gapMs: 1 };
    const r = await ask(transport);
    expect(r.error).toBeUndefined();
    expect(r.output).toBe('Номер СНИЛС');
    expect(r.usage).toEqual({ promptTokens: 3, completionTokens: 2, totalTokens: 5 });
  });

  it('times the first token and each gap when the chunks arrive, not when the stream ends', async () => {
    script = {
      pieces: [
        `data: ${chunk('a')}\n\n`,
        `data: ${chunk('b')}\n\n`,
        `data: ${chunk('c')}\n\ndata: [DONE]\n\n`,
      ],
      gapMs: 200,
    };
    const r = await ask(transport);
    expect(r.output).toBe('abc');
    // Timed at the end, every gap would read ~0 and the first token ~400 ms. The margins are half a gap,
    // so a loaded machine that delays one read by tens of milliseconds cannot turn this red.
    const itl = r.extra?.['itlMs'] as number[];
    expect(itl).toHaveLength(2);
    for (const gap of itl) expect(gap).toBeGreaterThanOrEqual(100);
    expect(r.latencyMs).toBeGreaterThanOrEqual(390);
    expect(r.ttftMs).toBeLessThan(r.latencyMs - 200);
  });

  it('joins a multi-line data event with newlines before parsing it', async () => {
    script = { pieces: ['data: {"choices":\ndata: [{"delta":{"content":"x"}}]}\n\ndata: [DONE]\n\n'] };
    const r = await ask(transport);
    expect(r.output).toBe('x');
  });

  it('an error object in the stream is stream_error (retryable)', async () => {
    script = {
      pieces: [`data: ${chunk('a')}\n\n`, 'event: error\ndata: {"error":{"message":"engine died"}}\n\n'],
    };
    const r = await ask(transport);
    expect(r.error).toMatchObject({ code: 'stream_error', retryable: true });
    expect(r.error?.message).toContain('engine died');
  });

  it('an error object in a plain data event (no event name, as vLLM sends it) is stream_error', async () => {
    script = {
      pieces: [`data: ${chunk('a')}\n\n`, 'data: {"error":{"object":"error","message":"out of memory"}}\n\n'],
    };
    const r = await ask(transport);
    expect(r.error).toMatchObject({ code: 'stream_error', retryable: true });
    expect(r.error?.message).toContain('out of memory');
  });

  it('reads past [DONE] and ignores what follows it, even text that is not JSON', async () => {
    script = { pieces: [`data: ${chunk('a')}\n\ndata: [DONE]\n\n`, 'data: not json\n\n'] };
    const r = await ask(transport);
    expect(r.error).toBeUndefined();
    expect(r.output).toBe('a');
  });

  it('a stream of comments only is an empty stream (bad_response)', async () => {
    script = { pieces: [': keep-alive\n\n', ': keep-alive\n\n'] };
    const r = await ask(transport);
    expect(r.error?.code).toBe('bad_response');
  });

  it('a 401 is http_4xx with the server message and never echoes the key', async () => {
    script = {
      status: 401,
      headers: { 'content-type': 'application/json' },
      pieces: ['{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}'],
    };
    const r = await ask(transport, false);
    expect(r.error).toMatchObject({ code: 'http_4xx', status: 401, retryable: false });
    expect(r.error?.message).toContain('Incorrect API key provided');
    expect(JSON.stringify(r)).not.toContain('sk-wire-secret');
  });

  it('a 503 with retry-after-ms carries the wait', async () => {
    script = {
      status: 503,
      headers: { 'content-type': 'application/json', 'retry-after-ms': '40' },
      pieces: ['{"error":{"message":"busy"}}'],
    };
    const r = await ask(transport, false);
    expect(r.error).toMatchObject({ code: 'http_5xx', status: 503 });
    expect(r.extra?.['retryAfterMs']).toBe(40);
  });

  it('a non-streamed body cut short of its content-length is connection_reset', async () => {
    script = {
      headers: { 'content-type': 'application/json', 'content-length': '500' },
      pieces: ['{"choices":[{"index":0,"message":'],
      cut: true,
    };
    const r = await ask(transport, false);
    expect(r.error).toMatchObject({ code: 'connection_reset', retryable: true });
  });

  it('a non-streamed body split across reads is parsed whole', async () => {
    const body = JSON.stringify({
      choices: [{ index: 0, message: { role: 'assistant', content: 'Номер' }, finish_reason: 'length' }],
    });
    const bytes = Buffer.from(body);
    const cut = bytes.indexOf(Buffer.from('Н')) + 1; // inside the two bytes of a Cyrillic letter
    script = {
      headers: { 'content-type': 'application/json' },
      pieces: [bytes.subarray(0, cut), bytes.subarray(cut, cut + 1), bytes.subarray(cut + 1)],
    };
    const r = await ask(transport, false);
    expect(r.output).toBe('Номер');
    expect(r.extra?.['finishReason']).toBe('length');
  });

  it('a stream that stalls after its first chunk ends in timeout at the attempt limit', async () => {
    script = { pieces: [`data: ${chunk('a')}\n\n`, `data: ${chunk('b')}\n\n`], gapMs: 1500 };
    const engine = await open(transport, 300);
    try {
      const r = await engine.ask(question(true));
      expect(r.error).toMatchObject({ code: 'timeout', retryable: true });
      expect(r.latencyMs).toBeGreaterThanOrEqual(290);
      expect(r.latencyMs).toBeLessThan(1000);
    } finally {
      await engine.close();
    }
  });

  it('keeps its connection open between requests and closes it on close()', async () => {
    script = { pieces: [`data: ${chunk('a')}\n\ndata: [DONE]\n\n`] };
    const engine = await open(transport);
    expect((await engine.ask(question(true))).output).toBe('a');
    expect((await engine.ask(question(true))).output).toBe('a');
    expect(await connections()).toBeGreaterThan(0);
    await engine.close();
    // Every earlier test closed its engine too, so nothing of ours may be left open.
    await expect.poll(connections, { timeout: 1000 }).toBe(0);
  });
});

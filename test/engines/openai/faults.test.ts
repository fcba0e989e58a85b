import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAICompatibleEngine } from '../../../src/engines/openai/engine.js';
import type { TransportId } from '../../../src/engines/openai/transport/types.js';
import type { Engine, EngineRequest } from '../../../src/engines/types.js';
import { type FaultServer, startFaultServer } from '../../fixtures/fault-server.js';

let fault: FaultServer;
let png: Buffer;

beforeAll(async () => {
  fault = await startFaultServer();
  png = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#fff' } })
    .png()
    .toBuffer();
});
afterAll(async () => {
  await fault.close();
});

// Every fault runs through both HTTP clients: they must give the same answers, timings and error codes.
const TRANSPORTS: TransportId[] = ['socket', 'native', 'sdk'];

function engine(
  transport: TransportId,
  opts: { timeoutMs?: number; maxRetries?: number } = {},
): Promise<Engine> {
  return createOpenAICompatibleEngine('vllm', {
    model: 'fake-model',
    baseUrl: fault.baseUrl,
    timeoutMs: opts.timeoutMs ?? 2000,
    maxRetries: opts.maxRetries ?? 2,
    params: { retry: { baseDelayMs: 20, maxDelayMs: 100 }, transport },
  });
}

function request(stream: boolean, extra: Partial<EngineRequest['settings']> = {}): EngineRequest {
  return {
    image: { data: png, mime: 'image/png' },
    prompt: 'Номер СНИЛС?',
    systemPrompt: 'Answer briefly.',
    settings: { temperature: 0, maxTokens: 32, stream, ...extra },
  };
}

const CASES = TRANSPORTS.flatMap((transport) => [true, false].map((stream) => ({ transport, stream })));

describe.each(CASES)(
  'engine ($transport transport) against the fault server (stream=$stream)',
  ({ transport, stream }) => {
    it('ok: answers with text, latency and usage', async () => {
      fault.set({ mode: 'ok', answer: '123-456-789 00' });
      const r = await (await engine(transport)).ask(request(stream));
      expect(r.error).toBeUndefined();
      expect(r.output).toBe('123-456-789 00');
      expect(r.usage?.completionTokens).toBe(2);
      expect(r.sentImage).toEqual({ width: 40, height: 20, bytes: png.length });
      if (stream) {
        expect(r.ttftMs).toBeGreaterThanOrEqual(0);
        expect(r.tpotMs).toBeGreaterThanOrEqual(0);
      }
    });

    it('slow: still answers, latency reflects the delay', async () => {
      fault.set({ mode: 'slow', answer: 'a b c', delayMs: 150 });
      const r = await (await engine(transport)).ask(request(stream));
      expect(r.output).toBe('a b c');
      expect(r.latencyMs).toBeGreaterThanOrEqual(140);
      if (stream) expect(r.ttftMs).toBeGreaterThanOrEqual(140);
    });

    it('hang: our timeout fires and each retry is bounded', async () => {
      fault.set({ mode: 'hang' });
      const t0 = Date.now();
      const r = await (await engine(transport, { timeoutMs: 300, maxRetries: 1 })).ask(request(stream));
      expect(r.error?.code).toBe('timeout');
      expect(r.extra?.['attempts']).toBe(2);
      expect(Date.now() - t0).toBeLessThan(3000);
    });

    it('500: retried, then recorded as http_5xx with the status', async () => {
      fault.set({ mode: 'http500' });
      const r = await (await engine(transport, { maxRetries: 2 })).ask(request(stream));
      expect(r.error).toMatchObject({ code: 'http_5xx', status: 500 });
      expect(fault.requests).toHaveLength(3);
    });

    it('flaky: fails twice with 503, then succeeds on the third attempt', async () => {
      fault.set({ mode: 'flaky', failFirst: 2, answer: 'fine' });
      const r = await (await engine(transport, { maxRetries: 3 })).ask(request(stream));
      expect(r.output).toBe('fine');
      expect(r.extra?.['attempts']).toBe(3);
      expect(r.extra?.['retries']).toHaveLength(2);
    });

    it('reset: connection cut mid-answer is connection_reset', async () => {
      fault.set({ mode: 'reset', chunksBeforeReset: 2 });
      const r = await (await engine(transport, { maxRetries: 1 })).ask(request(stream));
      expect(r.output).toBeUndefined();
      expect(r.error?.code).toBe('connection_reset');
      expect(fault.requests).toHaveLength(2);
    });

    it('malformed JSON: bad_response, not retried', async () => {
      fault.set({ mode: 'malformed' });
      const r = await (await engine(transport)).ask(request(stream));
      expect(r.error?.code).toBe('bad_response');
      expect(fault.requests).toHaveLength(1);
    });

    it('wrong shape (valid JSON, not a completion): bad_response', async () => {
      fault.set({ mode: 'wrong-shape' });
      const r = await (await engine(transport)).ask(request(stream));
      expect(r.error?.code).toBe('bad_response');
    });

    it('wrong schema: JSON answer missing required keys is schema_mismatch with the raw text kept', async () => {
      fault.set({ mode: 'wrong-schema', answer: 'x' });
      const schema = { type: 'object', properties: { snils: { type: 'string' } }, required: ['snils'] };
      const r = await (await engine(transport)).ask(request(stream, { jsonSchema: schema }));
      expect(r.error?.code).toBe('schema_mismatch');
      expect(r.extra?.['rawOutput']).toBe('{"unexpected":"x"}');
    });
  },
);

describe.each(TRANSPORTS)('retry timing (%s transport)', (transport) => {
  it('429 honours Retry-After before retrying', async () => {
    fault.set({ mode: 'http429', retryAfterS: 1, failFirst: 1, answer: 'after wait' });
    const r = await (await engine(transport, { maxRetries: 2 })).ask(request(true));
    expect(r.output).toBe('after wait');
    const [first, second] = fault.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
    expect(r.extra?.['retries']).toEqual([{ code: 'http_429', status: 429, delayMs: 1000 }]);
  });

  it('429 that never clears ends as http_429 with the server-requested wait recorded', async () => {
    fault.set({ mode: 'http429', retryAfterS: 0 });
    const r = await (await engine(transport, { maxRetries: 1 })).ask(request(false));
    expect(r.error).toMatchObject({ code: 'http_429', status: 429 });
    expect(r.extra?.['retryAfterMs']).toBe(0);
  });

  it('caller abort stops a hanging request promptly', async () => {
    fault.set({ mode: 'hang' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const t0 = Date.now();
    const r = await (await engine(transport, { timeoutMs: 10_000 })).ask({
      ...request(true),
      signal: ac.signal,
    });
    expect(r.error?.code).toBe('aborted');
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('a refused connection is recorded, not thrown', async () => {
    // A port that was free a moment ago: nothing listens there now.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const e = await createOpenAICompatibleEngine('vllm', {
      model: 'm',
      baseUrl: `http://127.0.0.1:${port}/v1`,
      maxRetries: 0,
      params: { transport },
    });
    const r = await e.ask(request(false));
    expect(r.error?.code).toBe('connection_refused');
  });
});

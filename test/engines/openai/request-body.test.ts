import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAICompatibleEngine } from '../../../src/engines/openai/engine.js';
import { buildExtractionSchema } from '../../../src/prompts/extraction.js';
import { type FaultServer, startFaultServer } from '../../fixtures/fault-server.js';
import { DOCUMENTED_BODIES, IMAGE, SCHEMA } from './fixtures/request-bodies.js';

// The fault server in 'ok' mode doubles as a capture server: it records every parsed request body.
let capture: FaultServer;
let png: Buffer;
const schema = buildExtractionSchema([{ questionType: 'snils' }]);

beforeAll(async () => {
  capture = await startFaultServer({ mode: 'ok', answer: '{"snils": "123-456-789 00"}' });
  png = await sharp({ create: { width: 64, height: 32, channels: 3, background: '#fff' } })
    .png()
    .toBuffer();
});
afterAll(async () => {
  await capture.close();
});

/** Replaces the bulky parts with the fixture's placeholders so bodies compare whole. */
function normalise(body: Record<string, unknown>, dataUrl: string): unknown {
  return JSON.parse(
    JSON.stringify(body)
      .replaceAll(JSON.stringify(dataUrl), JSON.stringify(IMAGE))
      .replaceAll(JSON.stringify(schema), JSON.stringify(SCHEMA)),
  );
}

// Both HTTP clients must put the same bytes on the wire.
const CASES = Object.keys(DOCUMENTED_BODIES).flatMap((framework) =>
  (['socket', 'native', 'sdk'] as const).map((transport) => ({ framework, transport })),
);

describe.each(CASES)('request body for $framework ($transport transport)', ({ framework, transport }) => {
  it('matches the documented shape, including the JSON-schema field', async () => {
    process.env['VLMHB_TEST_KEY'] = 'sk-test-not-a-secret';
    const engine = await createOpenAICompatibleEngine(framework, {
      model: 'M',
      baseUrl: capture.baseUrl,
      apiKeyEnv: 'VLMHB_TEST_KEY',
      params: { transport },
    });
    capture.set({ mode: 'ok', answer: '{"snils": "123-456-789 00"}' });
    const r = await engine.ask({
      image: { data: png, mime: 'image/png' },
      prompt: 'Номер СНИЛС?',
      systemPrompt: 'You read Russian documents.',
      settings: { temperature: 0, maxTokens: 64, seed: 7, stream: true, jsonSchema: schema },
    });
    expect(r.error).toBeUndefined();
    expect(capture.requests).toHaveLength(1);
    const req = capture.requests[0]!;
    expect(req.path).toBe('/v1/chat/completions');
    // The key travels in the Authorization header only.
    expect(req.headers.authorization).toBe('Bearer sk-test-not-a-secret');
    expect(JSON.stringify(r)).not.toContain('sk-test-not-a-secret');
    const dataUrl = `data:image/png;base64,${png.toString('base64')}`;
    expect(normalise(req.body!, dataUrl)).toEqual(DOCUMENTED_BODIES[framework]);
    await engine.close();
  });
});

describe('request details', () => {
  it.each(['socket', 'native', 'sdk'] as const)(
    'resizes to the long side and records the sent size (%s transport)',
    async (transport) => {
      const big = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: '#fff' } })
        .png()
        .toBuffer();
      const engine = await createOpenAICompatibleEngine('vllm', {
        model: 'M',
        baseUrl: capture.baseUrl,
        params: { transport },
      });
      capture.set({ mode: 'ok', answer: 'x' });
      const r = await engine.ask({
        image: { data: big, mime: 'image/png' },
        prompt: 'q',
        settings: { temperature: 0, maxTokens: 8, longSide: 500, stream: false },
      });
      expect(r.sentImage?.width).toBe(500);
      expect(r.sentImage?.height).toBe(250);
      const url = (
        capture.requests[0]!.body!['messages'] as Array<{ content: Array<{ image_url?: { url: string } }> }>
      )[0]!.content[0]!.image_url!.url;
      const sent = await sharp(Buffer.from(url.split(',')[1]!, 'base64')).metadata();
      expect([sent.width, sent.height]).toEqual([500, 250]);
      expect(r.sentImage?.bytes).toBe(Buffer.from(url.split(',')[1]!, 'base64').length);
      // Non-streamed requests carry no stream_options, and no system message when none was given.
      expect(capture.requests[0]!.body!['stream']).toBe(false);
      expect(capture.requests[0]!.body!['stream_options']).toBeUndefined();
      expect((capture.requests[0]!.body!['messages'] as unknown[]).length).toBe(1);
    },
  );

  it.each(['socket', 'native', 'sdk'] as const)(
    'states the length of a large body, sends no chunked upload, and keeps framing across requests (%s transport)',
    async (transport) => {
      // Noise does not compress: a page-sized PNG, so the image goes out over several socket writes.
      const page = await sharp({
        create: {
          width: 500,
          height: 500,
          channels: 3,
          background: '#000',
          noise: { type: 'gaussian', mean: 128, sigma: 60 },
        },
      })
        .png()
        .toBuffer();
      expect(page.length).toBeGreaterThan(300_000);
      const engine = await createOpenAICompatibleEngine('vllm', {
        model: 'M',
        baseUrl: capture.baseUrl,
        params: { transport },
      });
      capture.set({ mode: 'ok', answer: 'x' });
      for (const prompt of ['Номер?', 'Фамилия «с кавычками»?']) {
        const r = await engine.ask({
          image: { data: page, mime: 'image/png' },
          prompt,
          systemPrompt: 'Кратко.',
          settings: { temperature: 0, maxTokens: 8, stream: true },
        });
        expect(r.error).toBeUndefined();
        expect(r.output).toBe('x');
      }
      expect(capture.requests).toHaveLength(2);
      const dataUrl = `data:image/png;base64,${page.toString('base64')}`;
      for (const [i, prompt] of ['Номер?', 'Фамилия «с кавычками»?'].entries()) {
        const req = capture.requests[i]!;
        expect(req.headers['transfer-encoding']).toBeUndefined();
        expect(Number(req.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify(req.body)));
        const content = (req.body!['messages'] as Array<{ content: unknown }>)[1]!.content;
        expect(content).toEqual([
          { type: 'image_url', image_url: { url: dataUrl } },
          { type: 'text', text: prompt },
        ]);
      }
      await engine.close();
    },
  );

  it('an unknown transport is a config error naming the choices', async () => {
    await expect(
      createOpenAICompatibleEngine('vllm', {
        model: 'M',
        baseUrl: capture.baseUrl,
        params: { transport: 'curl' },
      }),
    ).rejects.toThrow(/params.transport must be one of socket, native, sdk, got "curl"/);
  });

  it('a missing API key for the hosted API is a clear error at create time, naming the variable only', async () => {
    delete process.env['VLMHB_ABSENT_KEY'];
    await expect(
      createOpenAICompatibleEngine('openai', { model: 'gpt-4o-mini', apiKeyEnv: 'VLMHB_ABSENT_KEY' }),
    ).rejects.toThrow(/VLMHB_ABSENT_KEY is not set/);
  });

  it('jsonSchemaField override puts the schema where an older vLLM reads it (guided_json)', async () => {
    const engine = await createOpenAICompatibleEngine('vllm', {
      model: 'M',
      baseUrl: capture.baseUrl,
      params: { jsonSchemaField: 'guided_json' },
    });
    capture.set({ mode: 'ok', answer: '{"snils": "1"}' });
    await engine.ask({
      image: { data: png, mime: 'image/png' },
      prompt: 'q',
      settings: { temperature: 0, maxTokens: 8, jsonSchema: schema },
    });
    const body = capture.requests[0]!.body!;
    expect(body['guided_json']).toEqual(schema);
    expect(body['structured_outputs']).toBeUndefined();
  });
});

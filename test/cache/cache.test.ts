import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { CachedEngine, launchIdentity } from '../../src/cache/engine.js';
import { type CacheKeyParts, cacheKey } from '../../src/cache/key.js';
import { AnswerCache, defaultCacheFile } from '../../src/cache/store.js';
import { loadEngineFactory } from '../../src/engines/registry.js';
import { tesseractEngineFactory } from '../../src/engines/tesseract/engine.js';
import type { Engine, EngineRequest } from '../../src/engines/types.js';
import { ROOT } from '../helpers/cli.js';
import { renderMiniDoc, SNILS_DOCS } from '../helpers/mini-dataset.js';

const root = mkdtempSync(path.join(tmpdir(), 'vlmhb-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('cacheKey', () => {
  const base: CacheKeyParts = {
    framework: 'vllm',
    model: 'Qwen/Qwen2-VL-2B-Instruct',
    serverVersion: '0.9.1',
    settings: { temperature: 0, maxTokens: 256, seed: 0 },
    imageSha256: 'a'.repeat(64),
    sentSize: { longSide: 1024, maxPixels: null },
    systemPrompt: 'Отвечай кратко.',
    prompt: 'Напиши фамилию',
  };
  it('changes with every part that decides the answer, and only with those', () => {
    const variants: CacheKeyParts[] = [
      { ...base, framework: 'sglang' },
      { ...base, model: 'other' },
      { ...base, serverVersion: '0.9.2' },
      { ...base, settings: { ...base.settings, maxTokens: 64 } },
      { ...base, settings: { ...base.settings, temperature: 0.7 } },
      { ...base, imageSha256: 'b'.repeat(64) },
      { ...base, sentSize: { longSide: 768, maxPixels: null } },
      { ...base, systemPrompt: null },
      { ...base, prompt: 'Какая фамилия?' },
      // A server this tool started: another image, or other launch settings, of the same model and version.
      { ...base, serverLaunch: { image: 'registry/model:v1', launch: null } },
      { ...base, serverLaunch: { image: 'registry/model:v2', launch: null } },
      { ...base, serverLaunch: { image: 'registry/model:v2', launch: { dtype: 'float16' } } },
    ];
    const keys = new Set([cacheKey(base), ...variants.map(cacheKey)]);
    expect(keys.size).toBe(variants.length + 1);
    // Key order inside settings does not matter.
    expect(cacheKey({ ...base, settings: { seed: 0, maxTokens: 256, temperature: 0 } })).toBe(cacheKey(base));
  });

  it('lives under VLMHB_CACHE_DIR or the XDG cache folder', () => {
    expect(defaultCacheFile({ VLMHB_CACHE_DIR: '/x' })).toBe('/x/answers.jsonl');
    expect(defaultCacheFile({ XDG_CACHE_HOME: '/c' })).toBe('/c/vlmhb/answers.jsonl');
  });
});

/** The real Tesseract engine, with a count of the questions that actually reached it. */
async function countingTesseract(): Promise<{ engine: Engine; calls: () => number }> {
  const inner = await tesseractEngineFactory.create({ model: 'tesseract-5' });
  let n = 0;
  const engine: Engine = {
    framework: inner.framework,
    model: inner.model,
    defaultConcurrency: inner.defaultConcurrency,
    ask: (req) => {
      n++;
      return inner.ask(req);
    },
    close: () => inner.close(),
  };
  return { engine, calls: () => n };
}

const image = renderMiniDoc(SNILS_DOCS[0] as (typeof SNILS_DOCS)[number]);
const req = (prompt: string, data: Buffer = image): EngineRequest => ({
  image: { data, mime: 'image/png' },
  prompt,
  settings: { temperature: 0, maxTokens: 64, seed: 0 },
});

describe('CachedEngine over the real Tesseract engine', () => {
  it('answers a repeated question from the cache, across processes’ reopen, and never caches failures', async () => {
    const file = path.join(root, 'engine.jsonl');
    const { engine, calls } = await countingTesseract();
    const cached = new CachedEngine(engine, AnswerCache.open(file));
    const first = await cached.ask(req('Напиши фамилию'));
    expect(first.error).toBeUndefined();
    expect(first.output).toBe('Иванов');
    expect(first.extra?.['cache']).toBe('miss');
    const second = await cached.ask(req('Напиши фамилию'));
    expect(second).toMatchObject({ output: 'Иванов', latencyMs: first.latencyMs, extra: { cache: 'hit' } });
    expect(calls()).toBe(1);
    // Another prompt or another image is another question.
    await cached.ask(req('Напиши имя'));
    expect(calls()).toBe(2);
    // Identical questions in flight at once share one model call.
    const [a, b] = await Promise.all([
      cached.ask(req('Напиши номер СНИЛС')),
      cached.ask(req('Напиши номер СНИЛС')),
    ]);
    expect(a.output).toBe(b.output);
    expect(calls()).toBe(3);
    // A failed request (not an image at all) is an error each time, asked each time.
    const bad = Buffer.from('not an image');
    expect((await cached.ask(req('Напиши фамилию', bad))).error).toBeDefined();
    expect((await cached.ask(req('Напиши фамилию', bad))).error).toBeDefined();
    expect(calls()).toBe(5);
    // A fresh open of the same file (another command, another process) sees the answers.
    const reopened = new CachedEngine(engine, AnswerCache.open(file));
    expect((await reopened.ask(req('Напиши имя'))).extra?.['cache']).toBe('hit');
    expect(calls()).toBe(5);
    expect(AnswerCache.open(file).size).toBe(3);
    await cached.close();
  }, 60_000);
});

/**
 * A FAKE vLLM server (not a model): real HTTP on 127.0.0.1 with vLLM's /health, /v1/models and /version,
 * answering every chat completion with a fixed text and counting them.
 */
async function fakeVllm(version: { value: string }) {
  let completions = 0;
  const server = createServer((req, res) => {
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.url === '/version') return send({ version: version.value });
    if (req.url === '/v1/models') return send({ object: 'list', data: [{ id: 'fake-vlm' }] });
    if (req.method === 'GET') return send({});
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      completions++;
      const content = 'Иванов';
      if ((JSON.parse(body) as { stream?: boolean }).stream !== true)
        return send({
          id: 'x',
          object: 'chat.completion',
          model: 'fake-vlm',
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        });
      const frame = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
      res
        .writeHead(200, { 'content-type': 'text/event-stream' })
        .end(
          frame({ choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: null }] }) +
            frame({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }) +
            'data: [DONE]\n\n',
        );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    completions: () => completions,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('the cache key of a served model', () => {
  it('carries the version the server reports: a new server version asks again', async () => {
    const version = { value: '0.9.1' };
    const server = await fakeVllm(version);
    try {
      const factory = await loadEngineFactory('vllm');
      const cache = AnswerCache.open(path.join(root, 'served.jsonl'));
      const session = async (image?: string) => {
        const e = new CachedEngine(
          await factory.create({ model: 'fake-vlm', baseUrl: server.baseUrl }),
          cache,
          image ? launchIdentity(image, { dtype: 'bfloat16' }) : {},
        );
        expect((await e.probe?.())?.version).toBe(version.value);
        const r = await e.ask(req('Напиши фамилию'));
        await e.close();
        return r;
      };
      const first = await session();
      expect(first.error).toBeUndefined();
      expect(first.extra?.['cache']).toBe('miss');
      expect((await session()).extra?.['cache']).toBe('hit');
      expect(server.completions()).toBe(1);
      version.value = '0.9.2';
      const upgraded = await session();
      expect(upgraded).toMatchObject({ output: 'Иванов', extra: { cache: 'miss' } });
      expect(server.completions()).toBe(2);
      // Started by us from a model image: the image is part of the key, so a new image asks again.
      expect((await session('registry/model:v1')).extra?.['cache']).toBe('miss');
      expect((await session('registry/model:v1')).extra?.['cache']).toBe('hit');
      expect((await session('registry/model:v2')).extra?.['cache']).toBe('miss');
      expect(server.completions()).toBe(4);
      cache.close();
    } finally {
      await server.close();
    }
  });
});

describe('the cache key of an in-process engine', () => {
  it('changes with the engine’s settings and carries a digest of its code, so old answers are not replayed', async () => {
    const mk = (params: Record<string, unknown>) =>
      tesseractEngineFactory.create({ model: 'tesseract-5', params });
    const [a, same, otherPsm, normalized] = await Promise.all([
      mk({}),
      mk({}),
      mk({ psm: 6 }),
      mk({ normalize: true }),
    ]);
    const cache = AnswerCache.open(path.join(root, 'versions.jsonl'));
    const key = (e: Engine) => new CachedEngine(e, cache).keyOf(req('Напиши фамилию'));
    expect(a.version).toMatch(/^vlmhb \S+ tesseract engine [0-9a-f]{16}; -l rus\+eng --psm 11; tesseract$/);
    expect(key(same)).toBe(key(a));
    expect(new Set([key(a), key(otherPsm), key(normalized)]).size).toBe(3);
    // An engine without a version (a wrapper, a test double) keys as before: by framework and model only.
    const bare: Engine = {
      framework: 'tesseract',
      model: 'tesseract-5',
      defaultConcurrency: 1,
      ask: a.ask.bind(a),
      close: async () => {},
    };
    expect(key(bare)).not.toBe(key(a));
    for (const e of [a, same, otherPsm, normalized]) await e.close();
  });
});

describe('AnswerCache file', () => {
  it('survives kill -9 of a real child process writing to it', async () => {
    const file = path.join(root, 'killed.jsonl');
    const child = execa(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'test/fixtures/cache-writer.ts'), file],
      {
        cwd: ROOT,
        reject: false,
        buffer: false,
      },
    );
    let last = -1;
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      child.stdout?.on('data', (d: Buffer) => {
        buf += d.toString();
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const l of lines) last = Number(l);
        if (last >= 2000) resolve();
      });
      child.on('exit', () => reject(new Error('writer exited before it was killed')));
    });
    child.kill('SIGKILL');
    const killed = await child;
    expect(killed.signal).toBe('SIGKILL');
    const cache = AnswerCache.open(file);
    // Every put the child reported is there, intact; at most one line (the one being written) is lost.
    expect(cache.size).toBeGreaterThanOrEqual(last + 1);
    expect(cache.skipped).toBeLessThanOrEqual(1);
    for (let i = 0; i <= last; i++) {
      expect(cache.get(`k${i}`)?.output).toBe(`answer ${i} ${'x'.repeat(i % 5000)}`);
    }
    // A later writer appends after whatever the kill left, and a reader sees both.
    cache.put({ key: 'after-kill', output: 'ok', latencyMs: 1, at: new Date(0).toISOString() });
    cache.close();
    const again = AnswerCache.open(file);
    expect(again.get('after-kill')?.output).toBe('ok');
    expect(again.size).toBe(cache.size);
  }, 120_000);

  it('tolerates a torn last line and never glues the next record onto it', () => {
    const file = path.join(root, 'torn.jsonl');
    const c = AnswerCache.open(file);
    c.put({ key: 'a', output: 'A', latencyMs: 1, at: '2026-01-01T00:00:00.000Z' });
    c.close();
    appendFileSync(file, '{"key":"b","output":"B","lat');
    const torn = AnswerCache.open(file);
    expect(torn.size).toBe(1);
    expect(torn.skipped).toBe(1);
    torn.put({ key: 'c', output: 'C', latencyMs: 1, at: '2026-01-01T00:00:00.000Z' });
    torn.close();
    const after = AnswerCache.open(file);
    expect([after.get('a')?.output, after.get('b'), after.get('c')?.output]).toEqual(['A', undefined, 'C']);
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
    writeFileSync(file, 'garbage\n');
    expect(AnswerCache.open(file).size).toBe(0);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlannedTask } from '../../src/config/types.js';
import { serveFramework } from '../../src/serve/index.js';
import { runTask } from '../../src/task/run.js';
import { type FaultServer, startFaultServer } from '../fixtures/fault-server.js';
import { SNILS_DOCS, writeMiniDataset } from '../helpers/mini-dataset.js';
import { plannedTask } from '../helpers/task.js';

// The lead's runner, talking HTTP through the vLLM adapter: to our Tesseract server, and to the fault server.
let datasetDir: string;
let tesseract: Awaited<ReturnType<typeof serveFramework>>;
let fault: FaultServer;

beforeAll(async () => {
  datasetDir = writeMiniDataset(mkdtempSync(join(tmpdir(), 'vlmhb-ds-')));
  tesseract = await serveFramework({ framework: 'tesseract', port: 0 });
  fault = await startFaultServer({ mode: 'ok' });
});
afterAll(async () => {
  await tesseract.close();
  await fault.close();
});

function task(baseUrl: string): PlannedTask {
  return plannedTask(datasetDir, { framework: 'vllm', baseUrl, concurrency: 3 });
}

const items = SNILS_DOCS.reduce((n, d) => n + d.fields.length, 0);

describe('runTask over HTTP', () => {
  it('against vlmhb serve (tesseract): every item answered, streamed timings on non-empty answers', async () => {
    const r = await runTask(task(`${tesseract.url}/v1`));
    expect(r.records).toHaveLength(items);
    for (const rec of r.records) {
      expect(rec.error).toBeNull();
      if (rec.answer) expect(rec.ttftMs).toBeGreaterThan(0);
      expect(rec.sentImage?.bytes).toBeGreaterThan(0);
    }
    // Tesseract reads the synthetic cards well; a broken transport would score 0.
    const truth = new Map(
      SNILS_DOCS.flatMap((d) => d.fields.map((f) => [`${d.docId}|${f.question}`, f.value])),
    );
    const right = r.records.filter((rec) => rec.answer === truth.get(`${rec.docId}|${rec.prompt}`)).length;
    expect(right / items).toBeGreaterThan(0.5);
  });

  it.each([
    ['http500', { mode: 'http500' as const }],
    ['reset', { mode: 'reset' as const }],
    ['malformed', { mode: 'malformed' as const }],
    ['hang', { mode: 'hang' as const }],
  ])(
    'against the fault server (%s): every item ends with a recorded error, nothing hangs',
    async (_name, cfg) => {
      fault.set(cfg);
      const t = task(fault.baseUrl);
      const t0 = Date.now();
      // Short timeouts and quick retries come through the runner's own engine options where it has them;
      // here the engine is built the same way with test-sized limits.
      const { createOpenAICompatibleEngine } = await import('../../src/engines/openai/engine.js');
      const engine = await createOpenAICompatibleEngine('vllm', {
        model: 'm',
        baseUrl: fault.baseUrl,
        timeoutMs: 500,
        maxRetries: 1,
        params: { retry: { baseDelayMs: 10, maxDelayMs: 20 } },
      });
      const r = await runTask(t, { engine });
      expect(r.records).toHaveLength(items);
      expect(r.records.every((rec) => rec.answer === null && rec.error !== null)).toBe(true);
      expect(Date.now() - t0).toBeLessThan(20_000);
    },
  );
});

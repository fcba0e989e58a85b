import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlannedTask } from '../../src/config/types.js';
import { isVlmhbError } from '../../src/errors.js';
import { type RunningServer, serveFramework } from '../../src/serve/index.js';
import { runTask } from '../../src/task/run.js';
import { writeMiniDataset } from '../helpers/mini-dataset.js';
import { plannedTask } from '../helpers/task.js';

let server: RunningServer & { close(): Promise<void> };
let datasetDir: string;
beforeAll(async () => {
  server = await serveFramework({ framework: 'tesseract', port: 0 });
  datasetDir = writeMiniDataset(mkdtempSync(join(tmpdir(), 'vlmhb-ds-')));
});
afterAll(async () => {
  await server.close();
});

function task(baseUrl: string, model: string): PlannedTask {
  return plannedTask(datasetDir, {
    source: { file: 'config.csv', row: 2 },
    framework: 'vllm',
    model,
    baseUrl,
    metrics: ['cer'],
    aggregators: ['overall'],
  });
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function caught(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isVlmhbError(e)) return e;
    throw e;
  }
  throw new Error('expected a VlmhbError');
}

describe('server check before the first question', () => {
  it('stops with one error naming the base_url cell when nothing listens there', async () => {
    const t = task(`http://127.0.0.1:${await closedPort()}/v1`, 'tesseract-5');
    const e = await caught(runTask(t));
    expect(e.code).toBe('VLMHB_SERVER_FAILED');
    expect(e.message).toContain('config.csv, row 2, column "base_url"');
    expect(e.message).toMatch(/ECONNREFUSED/);
    expect(() => readFileSync(join(t.runDir as string, 'answers.jsonl'), 'utf8').trim()).not.toThrow();
    expect(readFileSync(join(t.runDir as string, 'answers.jsonl'), 'utf8')).toBe('');
  });

  it('stops when the server does not serve the configured model, listing what it serves', async () => {
    const e = await caught(runTask(task(`${server.url}/v1`, 'Qwen/Qwen2-VL-2B-Instruct')));
    expect(e.code).toBe('VLMHB_CONFIG_INVALID');
    expect(e.message).toContain('column "model"');
    expect(e.message).toContain('it serves: tesseract-5');
  });

  it('records what the server reported next to the results', async () => {
    const r = await runTask(task(`${server.url}/v1`, 'tesseract-5'));
    expect(r.server).toMatchObject({ healthy: true, models: ['tesseract-5'] });
    const json = JSON.parse(readFileSync(join(r.runDir, 'metrics.json'), 'utf8'));
    expect(json.server.models).toEqual(['tesseract-5']);
  });

  it('does not let a hanging version endpoint hold up the run', async () => {
    const { createServer: createHttpServer } = await import('node:http');
    const slow = createHttpServer((req, res) => {
      if (req.url === '/health') return res.end('{}');
      if (req.url === '/v1/models') return res.end('{"data":[{"id":"m"}]}');
      // /version never answers
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', () => r()));
    try {
      const { port } = slow.address() as { port: number };
      const { probeServer } = await import('../../src/engines/openai/probe.js');
      const { getFrameworkAdapter } = await import('../../src/engines/frameworks/registry.js');
      const t0 = Date.now();
      const info = await probeServer(getFrameworkAdapter('vllm')!, `http://127.0.0.1:${port}/v1`, 'EMPTY');
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(info).toMatchObject({ healthy: true, models: ['m'] });
      expect(info.version).toBeUndefined();
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });
});

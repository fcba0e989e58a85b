import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from '../fixtures/fault-server.js';
import { BIN, ROOT, vlmhb } from '../helpers/cli.js';
import { numberedDocs, writeMiniDataset } from '../helpers/mini-dataset.js';
import { plannedTask } from '../helpers/task.js';

let fault: FaultServer;
let dataset: string;
beforeAll(async () => {
  fault = await startFaultServer({ mode: 'http500' });
  dataset = writeMiniDataset(mkdtempSync(join(tmpdir(), 'vlmhb-ds-')));
});
afterAll(async () => {
  await fault.close();
});

function findFile(dir: string, name: string): string | undefined {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const f = findFile(p, name);
      if (f) return f;
    } else if (e.name === name) return p;
  }
  return undefined;
}

describe('vlmhb run: failed requests fail the run', () => {
  const args = (out: string) => [
    'run',
    '--dataset',
    dataset,
    '--framework',
    'vllm',
    '--model',
    'm',
    '--base-url',
    fault.baseUrl,
    '--max-retries',
    '0',
    '--out',
    out,
  ];

  it('exits 1 when items are still failed after retries, shows the errors by code and saves the results', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vlmhb-fail-'));
    const r = await vlmhb(args(out));
    expect(r.exitCode, String(r.stderr)).toBe(1);
    expect(String(r.stdout)).toContain('| 9 (http_5xx: 9) |');
    expect(String(r.stderr)).toContain('9 of 9 items still failed after retries (http_5xx: 9)');
    const j = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(j.status).toMatchObject({ answered: 0, failed: 9, errors_by_code: { http_5xx: 9 } });
  });

  it('--max-error-rate tolerates a share of failed items', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vlmhb-fail-'));
    const r = await vlmhb([...args(out), '--max-error-rate', '1']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const half = await vlmhb([...args(out), '--max-error-rate', '0.5']);
    expect(half.exitCode).toBe(1);
    const bad = await vlmhb([...args(out), '--max-error-rate', '1.5']);
    expect(bad.exitCode).not.toBe(0);
    expect(String(bad.stderr)).toContain('--max-error-rate must be a number from 0 to 1');
  });
});

describe('vlmhb run CONFIG with flags', () => {
  it('applies --long-side, --concurrency, --out, --timeout, --max-tokens to every task; --fail-on-limits exits 1 on a failed limit', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-cfg-'));
    writeMiniDataset(join(root, 'Datasets', 'mini'));
    const config = join(root, 'config.yaml');
    writeFileSync(
      config,
      [
        'defaults:',
        '  dataset: mini',
        '  framework: tesseract',
        '  metrics: [cer]',
        '  gpu_price_per_hour: 52.5',
        '  currency: RUB',
        '  limits: { cer: 0.9, hard_seconds_per_document: 0.000001 }',
        'tasks:',
        '  - { long_side: 2000 }',
        '  - { mode: document }',
        '',
      ].join('\n'),
    );
    const out = join(root, 'elsewhere');
    const flags = [
      '--long-side',
      '700',
      '--concurrency',
      '1',
      '--out',
      out,
      '--timeout',
      '30',
      '--max-tokens',
      '64',
    ];
    const r = await vlmhb(['run', config, ...flags, '--json']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const res = JSON.parse(String(r.stdout));
    expect(res.tasks).toHaveLength(2);
    for (const t of res.tasks) {
      expect(t.run_dir.startsWith(join(out, 'runs'))).toBe(true);
      const planned = JSON.parse(readFileSync(join(t.run_dir, 'task.json'), 'utf8'));
      expect(planned).toMatchObject({ longSide: 700, concurrency: 1, timeoutMs: 30_000, maxTokens: 64 });
      expect(t.limits.map((l: { name: string; pass: boolean }) => [l.name, l.pass])).toEqual([
        ['cer', true],
        ['hard_seconds_per_document', false],
      ]);
      expect(t.cost).toMatchObject({ gpu_price_per_hour: 52.5, currency: 'RUB' });
      expect(t.status.complete).toBe(true);
    }
    expect(readdirSync(join(out, 'Reports')).some((f) => f.endsWith('.md'))).toBe(true);
    expect(existsSync(join(root, 'runs'))).toBe(false);
    expect(String(r.stderr)).toContain('limit failed: hard_seconds_per_document');

    const strict = await vlmhb(['run', config, ...flags, '--fail-on-limits']);
    expect(strict.exitCode, String(strict.stderr)).toBe(1);
    expect(String(strict.stdout)).toContain('FAIL: hard_seconds_per_document');
    expect(String(strict.stdout)).toContain('Cost / 1000 docs');
  }, 120_000);

  it('refuses a config together with --dataset, and an unknown --metrics name, with exit 2', async () => {
    const r = await vlmhb(['run', 'x.yaml', '--dataset', dataset]);
    expect(r.exitCode).toBe(2);
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-cfg-'));
    writeMiniDataset(join(root, 'Datasets', 'mini'));
    writeFileSync(join(root, 'c.yaml'), 'tasks:\n  - { dataset: mini, framework: tesseract }\n');
    const m = await vlmhb(['run', join(root, 'c.yaml'), '--metrics', 'cer,nope']);
    expect(m.exitCode).toBe(2);
    expect(String(m.stderr)).toContain('--metrics: unknown name(s) nope');
  });
});

const docs = numberedDocs(10, 'Иванов');

describe('SIGTERM during vlmhb run', () => {
  it('exits 130 with a partial result, no original-format files, and a rerun finishes the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vlmhb-term-'));
    const ds = writeMiniDataset(join(dir, 'ds'), docs);
    const out = join(dir, 'run');
    const args = [
      BIN,
      'run',
      '--dataset',
      ds,
      '--framework',
      'tesseract',
      '--out',
      out,
      '--concurrency',
      '1',
    ];
    const child = execa(process.execPath, [...args, '--json'], { cwd: ROOT, reject: false });
    const log = join(out, 'answers.jsonl');
    const count = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0);
    const deadline = Date.now() + 60_000;
    while (count() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGTERM');
    const r = await child;
    expect(r.exitCode, String(r.stderr)).toBe(130);
    const j = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(j.status.partial).toBe(true);
    expect(j.status.answered + j.status.failed).toBe(count());
    expect(j.status.total).toBe(20);
    expect(JSON.parse(String(r.stdout)).tasks[0].status.partial).toBe(true);
    expect(findFile(out, 'metrics.json')).toBe(join(out, 'metrics.json'));
    expect(existsSync(join(out, 'ModelsMetrics'))).toBe(false);
    expect(existsSync(join(out, 'ModelsAnswers'))).toBe(false);

    const rerun = await execa(process.execPath, [...args, '--json'], { cwd: ROOT, reject: false });
    expect(rerun.exitCode, String(rerun.stderr)).toBe(0);
    const done = JSON.parse(String(rerun.stdout)).tasks[0];
    expect(done.status).toMatchObject({ complete: true, total: 20 });
    expect(done.resumed + done.asked).toBe(20);
    expect(readdirSync(join(out, 'ModelsAnswers'))).toHaveLength(1);
  }, 120_000);
});

describe('vlmhb task run', () => {
  it('runs one planned task from its JSON file, and names the bad field of an invalid one', async () => {
    const t = plannedTask(dataset, { metrics: ['cer'], aggregators: ['overall'] });
    const file = join(t.dataRoot, 'task.json');
    writeFileSync(file, JSON.stringify(t));
    const r = await vlmhb(['task', 'run', file, '--json']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const res = JSON.parse(String(r.stdout)).tasks[0];
    expect(res.status).toMatchObject({ complete: true, total: 9 });
    expect(res.run_dir).toBe(t.runDir);
    // The run folder's own task.json runs again as is: every item is answered, nothing is asked.
    const again = await vlmhb(['task', 'run', join(t.runDir as string, 'task.json'), '--json']);
    expect(again.exitCode, String(again.stderr)).toBe(0);
    expect(JSON.parse(String(again.stdout)).tasks[0]).toMatchObject({ asked: 0, skipped: true });

    const bad = join(t.dataRoot, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...t, metrics: 'cer' }));
    const e = await vlmhb(['task', 'run', bad]);
    expect(e.exitCode).toBe(2);
    expect(String(e.stderr)).toMatch(/invalid task file: metrics/);
  }, 60_000);
});

import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerApi, resolveSocket } from '../../src/executors/docker/api.js';
import { LABEL } from '../../src/executors/docker/body.js';
import { serveFramework } from '../../src/serve/index.js';
import { processesWith } from '../executors/suite.js';
import { BIN, ROOT, vlmhb } from '../helpers/cli.js';
import { numberedDocs, writeMiniDataset } from '../helpers/mini-dataset.js';
import { podmanForTests } from '../helpers/podman.js';

// Issue 8's end-to-end check: `vlmhb run CONFIG --executor local|docker` over 2 servers × 2 prompt
// collections, against real child processes and real Podman containers serving the embedded engine.
const env = await podmanForTests();
const api = new DockerApi(resolveSocket());
afterAll(async () => {
  await api.close();
});

interface TaskOut {
  model: string;
  run_dir: string;
  overall: Record<string, number>;
  status: { complete: boolean };
  timing: { model_load_s: number | null };
  resources: { rss_peak_mb: number | null };
  cost: { per_1000_docs: number } | null;
  limits: { name: string; pass: boolean | null }[];
  run: { executor: string; server_reused?: boolean };
}

function answers(runDir: string): [number, string | null][] {
  return readFileSync(join(runDir, 'answers.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: number; answer: string | null })
    .map((r): [number, string | null] => [r.id, r.answer])
    .sort((a, b) => a[0] - b[0]);
}

function project(marker: string, extra: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'vlmhb-e2e-'));
  writeMiniDataset(join(root, 'Datasets', 'mini'));
  for (const [name, word] of [
    ['a.csv', 'Напиши'],
    ['b.csv', 'Запиши'],
  ] as const) {
    writeFileSync(
      join(root, name),
      `doc_type_question_type,optimal_prompt\nСНИЛС Фамилия,${word} фамилию\nСНИЛС Имя,${word} имя\nСНИЛС Номер СНИЛС,${word} номер СНИЛС\n`,
    );
  }
  const file = join(root, 'config.yaml');
  writeFileSync(
    file,
    [
      'defaults: { dataset: mini, metrics: [cer, exact_match], concurrency: 2, gpu_price_per_hour: 52.5, limits: { cer: 0.5, gpu_memory_gb: 48 } }',
      'tasks:',
      ...['a', 'b'].flatMap((m) =>
        ['a.csv', 'b.csv'].map(
          (c) => `  - { model: ${marker}-${m}, prompt_collection: ${c}${extra.join('')} }`,
        ),
      ),
      '',
    ].join('\n'),
  );
  return file;
}

describe('vlmhb run with servers started by an executor', () => {
  let baseline: Map<string, [number, string | null][]>;
  let baselineMetrics: Record<string, number>[];
  const servers: Awaited<ReturnType<typeof serveFramework>>[] = [];
  beforeAll(async () => {
    // The same tasks against servers started by hand (executor external, asked over HTTP).
    const marker = `pre-${Date.now()}`;
    for (const m of ['a', 'b'])
      servers.push(await serveFramework({ framework: 'tesseract', model: `${marker}-${m}`, port: 0 }));
    const cfg = project(marker, []);
    const text = readFileSync(cfg, 'utf8').replace(
      /model: (pre-\d+-(a|b)),/g,
      (_all, model: string, m: string) =>
        `framework: vllm, model: ${model}, base_url: "${servers[m === 'a' ? 0 : 1]?.url}/v1",`,
    );
    writeFileSync(cfg, text);
    const r = await vlmhb(['run', cfg, '--json']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const tasks = JSON.parse(String(r.stdout)).tasks as TaskOut[];
    baseline = new Map(tasks.map((t, i) => [String(i), answers(t.run_dir)]));
    baselineMetrics = tasks.map((t) => t.overall);
  }, 120_000);
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it.each(['local', 'docker'])(
    '--executor %s: 4 tasks, each server started once and stopped, answers equal to a pre-started server',
    async (executor) => {
      const marker = `e2e-${executor}-${Date.now()}`;
      const cfg = project(marker, [
        ', framework: tesseract',
        executor === 'docker' ? `, docker_image: "${env.image}"` : '',
      ]);
      const r = await vlmhb(['run', cfg, '--executor', executor, '--json']);
      expect(r.exitCode, String(r.stderr)).toBe(0);
      const tasks = JSON.parse(String(r.stdout)).tasks as TaskOut[];
      expect(tasks).toHaveLength(4);
      const starts = String(r.stderr).match(/starting tesseract · \S+ with executor \w+/g) ?? [];
      expect(starts).toEqual([
        `starting tesseract · ${marker}-a with executor ${executor}`,
        `starting tesseract · ${marker}-b with executor ${executor}`,
      ]);
      expect(tasks.map((t) => t.run.server_reused === true)).toEqual([false, true, false, true]);
      expect(tasks[0]?.timing.model_load_s).toBeGreaterThan(0);
      expect(tasks[1]?.timing.model_load_s).toBe(0);
      for (const [i, t] of tasks.entries()) {
        expect(t.status.complete).toBe(true);
        expect(t.run.executor).toBe(executor);
        expect(answers(t.run_dir)).toEqual(baseline.get(String(i)));
        expect(t.overall).toEqual(baselineMetrics[i]);
      }
      expect(existsSync(join(tasks[0]?.run_dir as string, 'server.log'))).toBe(true);
      // What the summary promises for every task: load time, memory, cost per 1,000 documents, limits.
      for (const t of tasks) {
        expect(t.resources.rss_peak_mb).toBeGreaterThan(0);
        expect(t.cost?.per_1000_docs).toBeGreaterThan(0);
        expect(t.limits.map((l) => [l.name, l.pass])).toEqual([
          ['cer', true],
          ['gpu_memory_gb', null], // no GPU: not measured, so neither passed nor failed
        ]);
      }
      const reports = join(dirname(cfg), 'Reports');
      const md = readFileSync(
        join(reports, readdirSync(reports).find((f) => f.endsWith('.md')) as string),
        'utf8',
      );
      expect(md).toContain('| Load s | Peak GPU MiB | Peak RSS MiB | Cost / 1000 docs | Limits |');
      expect(md).toContain('| pass; unknown: gpu_memory_gb |');
      // Nothing outlives the run: no process, no container.
      expect(processesWith(marker)).toEqual([]);
      expect(await api.list([`${LABEL.model}=${marker}-a`])).toEqual([]);
    },
    240_000,
  );
});

const docs = numberedDocs(10, 'Петров');

describe('SIGTERM to vlmhb run --executor docker', () => {
  it('leaves no container and no child process, loses no answer, and a rerun finishes the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vlmhb-e2e-term-'));
    const ds = writeMiniDataset(join(dir, 'ds'), docs);
    const out = join(dir, 'run');
    const marker = `term-${Date.now()}`;
    const args = [
      BIN,
      'run',
      '--dataset',
      ds,
      '--framework',
      'tesseract',
      '--model',
      marker,
      '--executor',
      'docker',
      '--docker-image',
      env.image,
      '--out',
      out,
      '--concurrency',
      '1',
      '--json',
    ];
    const log = join(out, 'answers.jsonl');
    const lines = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
    const child = execa(process.execPath, args, { cwd: ROOT, reject: false });
    const deadline = Date.now() + 120_000;
    while (lines().length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await api.list([`${LABEL.model}=${marker}`])).toHaveLength(1);
    child.kill('SIGTERM');
    const r = await child;
    expect(r.exitCode, String(r.stderr)).toBe(130);
    const before = lines();
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(await api.list([`${LABEL.model}=${marker}`])).toEqual([]);
    expect(processesWith(marker)).toEqual([]);
    expect(JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).status.partial).toBe(true);

    const rerun = await execa(process.execPath, args, { cwd: ROOT, reject: false });
    expect(rerun.exitCode, String(rerun.stderr)).toBe(0);
    const after = lines();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(new Set(after.map((l) => JSON.parse(l).id)).size).toBe(20);
    const t = JSON.parse(String(rerun.stdout)).tasks[0];
    expect(t.resumed).toBe(before.length);
    expect(t.status.complete).toBe(true);
    expect(await api.list([`${LABEL.model}=${marker}`])).toEqual([]);
  }, 240_000);
});

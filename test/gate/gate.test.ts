import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTask } from '../../src/runs/run-task.js';
import { validateJUnit } from '../fixtures/junit-schemas.js';
import { vlmhb } from '../helpers/cli.js';
import { type MiniDoc, SNILS_DOCS, writeMiniDataset } from '../helpers/mini-dataset.js';
import { plannedTask } from '../helpers/task.js';

const root = await mkdtemp(path.join(tmpdir(), 'vlmhb-gate-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const EXTRA: MiniDoc[] = [
  ['Кузнецова', 'Мария', '156-201-337 12'],
  ['Смирнов', 'Олег', '201-334-455 80'],
].map(([surname, name, number], i) => ({
  docId: `snils_${String(i + 4).padStart(3, '0')}`,
  docClass: 'СНИЛС',
  fields: [
    { questionType: 'Фамилия', label: 'Фамилия', value: surname as string, question: 'Напиши фамилию' },
    { questionType: 'Имя', label: 'Имя', value: name as string, question: 'Напиши имя' },
    { questionType: 'Номер СНИЛС', label: 'Номер', value: number as string, question: 'Напиши номер СНИЛС' },
  ],
}));
const DOCS = [...SNILS_DOCS, ...EXTRA];

const dataset = path.join(root, 'data');
const baseline = path.join(root, 'baseline');
const rerun = path.join(root, 'rerun');

interface Line {
  id: number;
  questionType: string;
  answer: string | null;
  latencyMs: number;
  [k: string]: unknown;
}
const readLines = async (run: string): Promise<Line[]> =>
  (await readFile(path.join(run, 'answers.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
const writeLines = (run: string, lines: Line[]) =>
  writeFile(path.join(run, 'answers.jsonl'), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));

/** A copy of the baseline run folder with its answers edited: the candidate a test needs. */
async function candidate(name: string, edit: (lines: Line[]) => Line[]): Promise<string> {
  const dir = path.join(root, name);
  await cp(baseline, dir, { recursive: true });
  await writeLines(dir, edit(await readLines(dir)));
  return dir;
}

beforeAll(async () => {
  writeMiniDataset(dataset, DOCS);
  // Really run the embedded Tesseract engine: the baseline, and a second real run of the same model.
  await runTask(plannedTask(dataset, { runDir: baseline }));
  // cache: false keeps it a real rerun (the shared answer cache would serve every answer again).
  await runTask(plannedTask(dataset, { runDir: rerun }), { cache: false });
}, 180_000);

const gate = (cand: string, extra: string[] = []) =>
  vlmhb(['gate', '--baseline', baseline, '--candidate', cand, '--resamples', '1000', ...extra]);

describe('vlmhb gate', () => {
  it('passes identical runs (a copy, and a real rerun of the same engine)', async () => {
    const copy = await candidate('copy', (l) => l);
    const r = await gate(copy, ['--junit', path.join(root, 'pass.xml')]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout)).toContain('## ✅ vlmhb gate: pass');
    // A real rerun answers the same. Its latency follows the machine's load (other test files, a loaded CI
    // host), so the latency limit is opened wide here: this test is about answers; latency regressions are
    // checked with edited latencies below.
    const again = await gate(rerun, ['--json', '--max-latency-increase', '1000%']);
    expect(again.exitCode, String(again.stdout)).toBe(0);
    const json = JSON.parse(String(again.stdout));
    expect(json.verdict).toBe('pass');
    expect(json.items).toBe(15);
    expect(json.documents).toBe(5);
    const overall = json.checks.find((c: { name: string }) => c.name === 'cer overall');
    expect(overall).toMatchObject({ change: 0, p: 1, status: 'pass' });
  });

  it('fails a candidate with injected errors, naming the regressed fields', async () => {
    const bad = await candidate('bad', (lines) =>
      lines.map((l) => (l.questionType === 'Номер СНИЛС' ? { ...l, answer: '000-000-000 00' } : l)),
    );
    const r = await gate(bad, ['--json', '--junit', path.join(root, 'fail.xml')]);
    expect(r.exitCode).toBe(1);
    const json = JSON.parse(String(r.stdout));
    expect(json.verdict).toBe('fail');
    const failed = json.checks
      .filter((c: { status: string }) => c.status === 'fail')
      .map((c: { name: string }) => c.name);
    expect(failed).toEqual(['cer overall', 'cer СНИЛС Номер СНИЛС']);
    const md = await gate(bad, ['--json-out', path.join(root, 'fail.json')]);
    // Markdown on stdout and the same JSON as --json in a file, at once (what a CI job keeps).
    expect(JSON.parse(await readFile(path.join(root, 'fail.json'), 'utf8'))).toEqual(json);
    expect(String(md.stdout)).toMatch(/## ❌ vlmhb gate: fail[\s\S]*\| cer СНИЛС Номер СНИЛС \|.*❌ fail/);
    // The same regression within a wider tolerance passes; so does one the chosen confidence cannot
    // establish (1000 resamples cannot give p below 1/1001, far above 1 − 0.999999).
    const tolerant = await gate(bad, ['--json', '--max-cer-increase', '0.9']);
    expect(tolerant.exitCode).toBe(0);
    const unsure = await gate(bad, ['--json', '--confidence', '0.999999']);
    expect(unsure.exitCode).toBe(0);
    const overall = JSON.parse(String(unsure.stdout)).checks.find(
      (c: { name: string }) => c.name === 'cer overall',
    );
    expect(overall.change).toBeGreaterThan(0.005);
    expect(overall.message).toMatch(/within noise/);
  });

  it('fails slower and bigger candidates, and a candidate that fails requests', async () => {
    const slow = await candidate('slow', (lines) =>
      lines.map((l) => ({ ...l, latencyMs: l.latencyMs * 1.5 + 50 })),
    );
    const r = await gate(slow, ['--json', '--max-latency-increase', '10%']);
    expect(r.exitCode).toBe(1);
    const checks = JSON.parse(String(r.stdout)).checks as { name: string; status: string; change: number }[];
    expect(checks.find((c) => c.name === 'latency overall')?.status).toBe('fail');
    expect(checks.find((c) => c.name === 'cer overall')?.status).toBe('pass');
    const lenient = await gate(slow, ['--max-latency-increase', '500%']);
    expect(lenient.exitCode).toBe(0);
    // Answers served from the answer cache carry the latency of the run that computed them: the gate
    // leaves them out rather than judge this model image by another's time.
    const replayed = await candidate('replayed', (lines) =>
      lines.map((l) => ({ ...l, latencyMs: l.latencyMs * 3 + 50, extra: { cache: 'hit' } })),
    );
    const c = await gate(replayed, ['--json']);
    expect(c.exitCode).toBe(0);
    expect(
      JSON.parse(String(c.stdout)).checks.find((x: { name: string }) => x.name === 'latency overall'),
    ).toMatchObject({
      status: 'not_measured',
      message: expect.stringMatching(/15 answer\(s\) came from the answer cache/),
    });

    const memory = (mb: number) => async (run: string) => {
      const file = path.join(run, 'metrics.json');
      const m = JSON.parse(await readFile(file, 'utf8'));
      await writeFile(file, JSON.stringify({ ...m, resources: { gpu_memory_peak_mb: mb } }));
    };
    const big = await candidate('big', (l) => l);
    await memory(11_000)(big);
    const memBase = path.join(root, 'mem-base');
    await cp(baseline, memBase, { recursive: true });
    await memory(10_000)(memBase);
    const m = await vlmhb(['gate', '--baseline', memBase, '--candidate', big, '--json']);
    expect(m.exitCode).toBe(1);
    const mem = JSON.parse(String(m.stdout)).checks.find(
      (c: { name: string }) => c.name === 'gpu memory peak',
    );
    expect(mem).toMatchObject({ baseline: 10_000, candidate: 11_000, status: 'fail' });
    expect(mem.change).toBeCloseTo(0.1, 12);

    const failing = await candidate('failing', (lines) =>
      lines.map((l, i) =>
        i === 0 ? { ...l, answer: null, error: { code: 'timeout', message: 'fake' } } : l,
      ),
    );
    const f = await gate(failing, ['--json']);
    expect(f.exitCode).toBe(1);
    expect(
      JSON.parse(String(f.stdout)).checks.find((c: { name: string }) => c.name === 'failed requests').status,
    ).toBe('fail');
  });

  it('exits 2 with the reason for runs it cannot compare', async () => {
    const partial = await candidate('partial', (lines) => lines.slice(0, -2));
    const p = await gate(partial, ['--junit', path.join(root, 'error.xml')]);
    expect(p.exitCode).toBe(2);
    expect(String(p.stderr)).toMatch(/candidate run is partial: 2 of 15 item\(s\) have no answer/);

    const otherData = path.join(root, 'other-data');
    writeMiniDataset(otherData, SNILS_DOCS);
    const moved = await candidate('other-dataset', (l) => l);
    const task = JSON.parse(await readFile(path.join(moved, 'task.json'), 'utf8'));
    await writeFile(path.join(moved, 'task.json'), JSON.stringify({ ...task, datasetDir: otherData }));
    const d = await gate(moved);
    expect(d.exitCode).toBe(2);
    expect(String(d.stderr)).toMatch(/different datasets/);

    const filtered = await candidate('filtered', (l) => l);
    await writeFile(
      path.join(filtered, 'task.json'),
      JSON.stringify({ ...task, filterQuestionType: ['Фамилия'] }),
    );
    const i = await gate(filtered);
    expect(i.exitCode).toBe(2);
    expect(String(i.stderr)).toMatch(/different items/);

    const notRun = await gate(path.join(root, 'nope'));
    expect(notRun.exitCode).toBe(2);
    expect(String(notRun.stderr)).toMatch(/task\.json is missing/);
  });

  it('writes JUnit XML that validates against the Jenkins and the Ant JUnit schemas', async () => {
    for (const name of ['pass.xml', 'fail.xml', 'error.xml']) {
      const xml = await readFile(path.join(root, name), 'utf8');
      for (const schema of ['jenkins', 'ant'] as const) {
        const v = await validateJUnit(xml, schema);
        expect({ name, schema, ...v }).toEqual({ name, schema, valid: true, errors: [] });
      }
    }
    const fail = await readFile(path.join(root, 'fail.xml'), 'utf8');
    expect(fail).toMatch(
      /<testcase name="cer СНИЛС Номер СНИЛС" classname="vlmhb.gate.cer" time="0">\s*<failure /,
    );
    expect(await readFile(path.join(root, 'error.xml'), 'utf8')).toMatch(
      /<error message="the candidate run is partial/,
    );
    // The validator really validates: a testcase without its required name is rejected.
    const broken = fail.replace('<testcase name="cer overall"', '<testcase');
    expect((await validateJUnit(broken, 'jenkins')).valid).toBe(false);
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { vlmhb } from '../helpers/cli.js';
import { SNILS_DOCS, writeMiniDataset } from '../helpers/mini-dataset.js';
import { clusterLock, slurmUp, squeueState } from '../helpers/slurm.js';

// `vlmhb run CONFIG --executor slurm` on the real single-node cluster of scripts/slurm-up.sh: every task a
// real batch job running `vlmhb task run` on the node, compared with the same config run locally.
const UP = fileURLToPath(new URL('../../scripts/apptainer-up.sh', import.meta.url));
const WRAPPER = fileURLToPath(new URL('../../scripts/apptainer-wrapper.sh', import.meta.url));

type TaskJson = { overall: Record<string, number>; run_dir: string; status: { complete: boolean } };

/** A data root with a small SNILS dataset and a config of three tasks (one per field). */
function dataRoot(
  slurm: Record<string, unknown>,
  extraTask: Record<string, unknown> = {},
  docs = SNILS_DOCS,
  fields = ['Фамилия', 'Имя', 'Номер СНИЛС'],
) {
  const root = mkdtempSync(join(tmpdir(), 'vlmhb-slurm-run-'));
  writeMiniDataset(join(root, 'Datasets', 'SNILS'), docs);
  const config = {
    data_root: '.',
    defaults: {
      dataset: 'SNILS',
      framework: 'tesseract',
      metrics: ['cer', 'exact_match'],
      slurm,
      ...extraTask,
    },
    tasks: fields.map((f) => ({ filter: { question_type: f } })),
  };
  writeFileSync(join(root, 'c.yaml'), JSON.stringify(config));
  return root;
}

/** Answers of each task in config order (run folders differ by data root), by id. */
function answers(stdout: string): [number, string | null][][] {
  return (JSON.parse(stdout) as { tasks: TaskJson[] }).tasks.map((t) =>
    readFileSync(join(t.run_dir, 'answers.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: number; answer: string | null })
      .map((r) => [r.id, r.answer] as [number, string | null])
      .sort((a, b) => a[0] - b[0]),
  );
}

function overall(stdout: string): Record<string, number>[] {
  return (JSON.parse(stdout) as { tasks: TaskJson[] }).tasks.map((t) => t.overall);
}

let localRoot = '';
let local: Record<string, number>[] = [];
let localAnswers: [number, string | null][][] = [];
let sif = '';

beforeAll(async () => {
  slurmUp();
  // Async: a cold SIF build takes minutes, and a blocked worker loses its connection to vitest.
  sif = (await execa('bash', [UP], { stderr: 'inherit' })).stdout.trim();
  localRoot = dataRoot({});
  const r = await vlmhb(['run', join(localRoot, 'c.yaml'), '--executor', 'local', '--json']);
  expect(r.exitCode, String(r.stderr)).toBe(0);
  local = overall(String(r.stdout));
  localAnswers = answers(String(r.stdout));
  expect(local).toHaveLength(3);
}, 1_500_000);

describe('vlmhb run --executor slurm on a real cluster', () => {
  // test/slurm/disruptions.test.ts takes the node down: not while these jobs run.
  let unlock: () => Promise<void> = async () => {};
  beforeEach(async () => {
    unlock = await clusterLock('shared');
  }, 1_300_000);
  afterEach(() => unlock());

  it('three tasks run as real jobs (one job array); answers and metrics equal the local executor', async () => {
    // share_server: false, so each task is a job of its own (they would otherwise share one server).
    const root = dataRoot({ executor: 'local', share_server: false });
    const r = await vlmhb(['run', join(root, 'c.yaml'), '--executor', 'slurm', '--json']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stderr)).toMatch(/slurm: submitted array job \d+ \(3 tasks\)/);
    expect(overall(String(r.stdout))).toEqual(local);
    expect(answers(String(r.stdout))).toEqual(localAnswers);
    // The jobs really ran on the node: Slurm's output files carry the tool's log.
    const [sub] = readdirSync(join(root, 'runs', 'slurm'));
    const outs = readdirSync(join(root, 'runs', 'slurm', sub ?? '')).filter((f) => f.startsWith('slurm-'));
    expect(outs).toHaveLength(3);
  });

  it('tasks sharing a server run as one job that starts it once; answers and metrics equal the local executor', async () => {
    const root = dataRoot({ executor: 'local' });
    const r = await vlmhb(['run', join(root, 'c.yaml'), '--executor', 'slurm', '--json']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stderr)).toMatch(/slurm: submitted job \d+ \(3 tasks\), one server for them/);
    expect(overall(String(r.stdout))).toEqual(local);
    expect(answers(String(r.stdout))).toEqual(localAnswers);
    const [sub] = readdirSync(join(root, 'runs', 'slurm'));
    const dir = join(root, 'runs', 'slurm', sub ?? '');
    const outs = readdirSync(dir).filter((f) => f.startsWith('slurm-'));
    expect(outs).toHaveLength(1);
    // One server for the three tasks: started once, its log in the first task's run folder.
    const runDirs = (JSON.parse(String(r.stdout)) as { tasks: TaskJson[] }).tasks.map((t) => t.run_dir);
    const starts = runDirs
      .map((d) => (existsSync(join(d, 'server.log')) ? readFileSync(join(d, 'server.log'), 'utf8') : ''))
      .map((l) => l.split('vlmhb: serving tesseract').length - 1);
    expect(starts).toEqual([1, 0, 0]);
    expect(readFileSync(join(dir, outs[0] ?? ''), 'utf8')).toMatch(
      /answers: .*\n[\s\S]*answers: .*\n[\s\S]*answers: /,
    );
  });

  it('the embedded engine from the SIF inside Slurm jobs (slurm.executor apptainer) equals the local executor', async () => {
    const root = dataRoot(
      { executor: 'apptainer', share_server: false },
      { docker_image: sif, executor_options: { apptainer_bin: WRAPPER } },
    );
    const r = await vlmhb(['run', join(root, 'c.yaml'), '--executor', 'slurm', '--json']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(overall(String(r.stdout))).toEqual(local);
    expect(answers(String(r.stdout))).toEqual(localAnswers);
    const logs = readdirSync(join(root, 'runs'))
      .filter((d) => d !== 'slurm')
      .map((d) => readFileSync(join(root, 'runs', d, 'server.log'), 'utf8'));
    expect(logs.every((l) => l.includes('vlmhb: serving tesseract'))).toBe(true);
  });

  it('a job cancelled mid-run with scancel is noticed and requeued once; nothing lost or asked twice', async () => {
    // Twelve documents at concurrency 1: long enough to cancel in the middle.
    const docs = Array.from({ length: 4 }, (_, k) =>
      SNILS_DOCS.map((d) => ({ ...d, docId: `${d.docId}_${k}` })),
    ).flat();
    const root = dataRoot({ executor: 'local' }, { concurrency: 1 }, docs, ['Фамилия']);
    const twin = dataRoot({}, { concurrency: 1 }, docs, ['Фамилия']);
    const localRun = await vlmhb(['run', join(twin, 'c.yaml'), '--executor', 'local', '--json']);
    expect(localRun.exitCode, String(localRun.stderr)).toBe(0);
    const child = vlmhb(['run', join(root, 'c.yaml'), '--executor', 'slurm', '--json']);
    const subDir = async () => {
      for (let i = 0; i < 600; i++) {
        try {
          const [s] = readdirSync(join(root, 'runs', 'slurm'));
          if (s) return join(root, 'runs', 'slurm', s);
        } catch {}
        await sleep(100);
      }
      throw new Error('no submission folder');
    };
    const dir = await subDir();
    // Wait for the first task's job to answer a few items, then cancel it behind vlmhb's back.
    let jobId = '';
    let runDir = '';
    for (let i = 0; i < 1200 && !jobId; i++) {
      try {
        const sub = JSON.parse(readFileSync(join(dir, 'submission.json'), 'utf8'));
        const t = sub.tasks[0];
        runDir = t.runDir;
        const n = readFileSync(join(runDir, 'answers.jsonl'), 'utf8').split('\n').filter(Boolean).length;
        if (n >= 2) jobId = t.attempts[0].jobId;
      } catch {}
      if (!jobId) await sleep(100);
    }
    expect(jobId).not.toBe('');
    execFileSync('scancel', [jobId]);
    const r = await child;
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stderr)).toContain(`job ${jobId}`);
    expect(String(r.stderr)).toMatch(/CANCELLED; resubmitting/);
    // Progress read from the answers log while the task was open (state as last polled), then the final count.
    expect(String(r.stderr)).toMatch(/slurm: (PENDING|RUNNING) [1-9]\d*\/12/);
    expect(String(r.stderr)).toMatch(/slurm: completed 12\/12/);
    const sub = JSON.parse(readFileSync(join(dir, 'submission.json'), 'utf8'));
    expect(sub.tasks[0].attempts.map((a: { state: string }) => a.state)).toEqual(['CANCELLED', 'COMPLETED']);
    const ids = readFileSync(join(runDir, 'answers.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { id: number }).id);
    // Each of the 12 surnames answered exactly once across both jobs, as the local run answered them.
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    expect(answers(String(r.stdout))).toEqual(answers(String(localRun.stdout)));
    expect(overall(String(r.stdout))).toEqual(overall(String(localRun.stdout)));
    expect((JSON.parse(String(r.stdout)) as { tasks: TaskJson[] }).tasks[0]?.status.complete).toBe(true);
  });

  it('SIGTERM to vlmhb run --executor slurm scancels its jobs, exits 130, keeps the answers; a rerun finishes', async () => {
    const docs = Array.from({ length: 4 }, (_, k) =>
      SNILS_DOCS.map((d) => ({ ...d, docId: `${d.docId}_${k}` })),
    ).flat();
    const root = dataRoot({ executor: 'local' }, { concurrency: 1 }, docs, ['Фамилия']);
    const child = vlmhb(['run', join(root, 'c.yaml'), '--executor', 'slurm', '--json']);
    let jobId = '';
    let runDir = '';
    for (let i = 0; i < 1200 && !jobId; i++) {
      try {
        const [s] = readdirSync(join(root, 'runs', 'slurm'));
        const sub = JSON.parse(readFileSync(join(root, 'runs', 'slurm', s ?? '', 'submission.json'), 'utf8'));
        runDir = sub.tasks[0].runDir;
        const n = readFileSync(join(runDir, 'answers.jsonl'), 'utf8').split('\n').filter(Boolean).length;
        if (n >= 1) jobId = sub.tasks[0].attempts[0].jobId;
      } catch {}
      if (!jobId) await sleep(100);
    }
    expect(jobId).not.toBe('');
    child.kill('SIGTERM');
    const r = await child;
    expect(r.exitCode, String(r.stderr)).toBe(130);
    expect(String(r.stderr)).toContain(`slurm: cancelling ${jobId}`);
    expect(String(r.stderr)).not.toMatch(/resubmitting/);
    for (let i = 0; i < 100 && squeueState(jobId) !== 'CANCELLED'; i++) await sleep(200);
    expect(squeueState(jobId)).toBe('CANCELLED');
    const kept = readFileSync(join(runDir, 'answers.jsonl'), 'utf8').split('\n').filter(Boolean).length;
    expect(kept).toBeGreaterThanOrEqual(1);
    const again = await vlmhb(['run', join(root, 'c.yaml'), '--executor', 'slurm', '--json']);
    expect(again.exitCode, String(again.stderr)).toBe(0);
    const ids = readFileSync(join(runDir, 'answers.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { id: number }).id);
    expect(ids.length).toBe(12);
    expect(new Set(ids).size).toBe(12);
  });

  it('slurm submit returns job ids at once; slurm status follows them; a later run only collects', async () => {
    const root = dataRoot({ executor: 'local', share_server: false });
    const s = await vlmhb(['slurm', 'submit', join(root, 'c.yaml'), '--json']);
    expect(s.exitCode, String(s.stderr)).toBe(0);
    const submitted = JSON.parse(String(s.stdout)) as {
      submission: string;
      tasks: { job_id: string; run_dir: string }[];
    };
    expect(submitted.tasks.map((t) => t.job_id)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\d+_0$/),
        expect.stringMatching(/^\d+_1$/),
        expect.stringMatching(/^\d+_2$/),
      ]),
    );
    let states: string[] = [];
    for (let i = 0; i < 240; i++) {
      const st = await vlmhb(['slurm', 'status', join(root, 'runs'), '--json']);
      expect(st.exitCode, String(st.stderr)).toBe(0);
      const j = JSON.parse(String(st.stdout)) as {
        submissions: { tasks: { state: string; answered: number; total: number }[] }[];
      };
      states = j.submissions.flatMap((x) => x.tasks.map((t) => t.state));
      if (states.every((x) => x === 'COMPLETED')) {
        expect(j.submissions[0]?.tasks.map((t) => t.answered === t.total)).toEqual([true, true, true]);
        break;
      }
      await sleep(1000);
    }
    expect(states).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    const table = await vlmhb(['slurm', 'status', submitted.tasks[0]?.run_dir ?? '']);
    expect(String(table.stdout)).toMatch(
      /\| 1 \| SNILS · tesseract · \S+ \| \d+_0 \| COMPLETED \| 1 \| 3\/3 \| 0 \|/,
    );
    const r = await vlmhb(['run', join(root, 'c.yaml'), '--executor', 'slurm', '--json']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stderr)).not.toContain('submitted');
    expect(overall(String(r.stdout))).toEqual(local);
    // The usual report reads the run folders the jobs wrote, as it reads a local run's.
    const rep = await vlmhb(['report', join(root, 'runs'), '--format', 'json', '--images', 'none']);
    expect(rep.exitCode, String(rep.stderr)).toBe(0);
    const model = JSON.parse(String(rep.stdout)) as { tasks: unknown[] };
    expect(model.tasks).toHaveLength(3);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VlmhbError } from '../../src/errors.js';
import { type SlurmTaskInput, submitTasks, watchSubmission } from '../../src/slurm/coordinator.js';
import { loadSubmission } from '../../src/slurm/manifest.js';
import { answeredCount } from '../../src/slurm/progress.js';
import { clusterLock, slurmUp, squeueState } from '../helpers/slurm.js';
import { plannedTask } from '../helpers/task.js';

// The coordinator against the real single-node Slurm of scripts/slurm-up.sh. The job runs a tiny fixture in
// place of `vlmhb task run` (test/fixtures/slurm/count-task.mjs), so states, arrays, scancel, resubmission and
// resume are checked in seconds; test/slurm/run.test.ts runs the real tool in real jobs.
const COUNT_TASK = fileURLToPath(new URL('../fixtures/slurm/count-task.mjs', import.meta.url));

function inputs(n: number, params: Record<string, unknown>, options = {}): SlurmTaskInput[] {
  const root = mkdtempSync(join(tmpdir(), 'vlmhb-slurm-'));
  return Array.from({ length: n }, (_, i) => {
    const runDir = join(root, `run-${i}`);
    return {
      task: plannedTask('/nonexistent', { index: i, dataRoot: root, runDir, params }),
      runDir,
      total: Number(params['total'] ?? 3),
      options,
    };
  });
}

function lines(runDir: string): { id: number; job: string }[] {
  return readFileSync(join(runDir, 'answers.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: number; job: string });
}

const base = () => ({
  dir: mkdtempSync(join(tmpdir(), 'vlmhb-sub-')),
  command: [process.execPath, COUNT_TASK],
  pollMs: 300,
  optionsFor: () => ({}),
});

describe('Slurm coordinator on a real cluster', () => {
  beforeAll(() => {
    slurmUp();
  }, 300_000);
  // test/slurm/disruptions.test.ts takes the node down: not while these jobs run.
  let unlock: () => Promise<void> = async () => {};
  beforeEach(async () => {
    unlock = await clusterLock('shared');
  }, 1_300_000);
  afterEach(() => unlock());

  it("every slurm: setting reaches the real sbatch; a GPU request this GPU-less node cannot give is refused with sbatch's reason", async () => {
    const slurm = {
      partition: 'main',
      account: 'lab42',
      qos: 'normal',
      time: '00:10:00',
      cpus_per_task: 1,
      mem: '100M',
      job_name: 'vlmhb-opts',
      extra: ['--comment=from the config'],
    };
    const opts = base();
    const sub = await submitTasks(inputs(1, { total: 1 }, slurm), opts);
    const id = sub.tasks[0]?.attempts[0]?.jobId ?? '';
    const shown = execFileSync('scontrol', ['show', 'job', id], { encoding: 'utf8' });
    const field = (k: string) => new RegExp(`(?:^|\\s)${k}=(.*?)(?=\\s+[\\w:]+=|$)`, 'm').exec(shown)?.[1];
    expect({
      partition: field('Partition'),
      account: field('Account'),
      time: field('TimeLimit'),
      cpus: field('NumCPUs'),
      mem: field('MinMemoryNode'),
      name: field('JobName'),
      comment: field('Comment'),
      requeue: field('Requeue'),
    }).toEqual({
      partition: 'main',
      account: 'lab42',
      time: '00:10:00',
      cpus: '1',
      mem: '100M',
      name: 'vlmhb-opts',
      comment: 'from the config',
      // Slurm never restarts our jobs itself: every end state reaches the coordinator (see disruptions).
      requeue: '0',
    });
    // (The QOS is passed too, but a cluster without an accounting database, like this one, keeps none.)
    expect((await watchSubmission(sub, opts)).tasks[0]?.final).toBe('completed');
    for (const gpu of [{ gres: 'gpu:1' }, { gpus: 1 }]) {
      const e = await submitTasks(inputs(1, {}, gpu), base()).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(VlmhbError);
      expect((e as Error).message).toMatch(
        /sbatch refused the job .*Invalid generic resource \(gres\) specification/,
      );
    }
  });

  it('three tasks with the same settings run as one job array and complete', async () => {
    const opts = base();
    const sub = await submitTasks(inputs(3, { total: 4 }), opts);
    const ids = sub.tasks.map((t) => t.attempts[0]?.jobId ?? '');
    const arrayId = ids[0]?.split('_')[0];
    expect(ids).toEqual([`${arrayId}_0`, `${arrayId}_1`, `${arrayId}_2`]);
    const done = await watchSubmission(sub, opts);
    expect(done.tasks.map((t) => t.final)).toEqual(['completed', 'completed', 'completed']);
    for (const t of done.tasks) expect(answeredCount(join(t.runDir, 'answers.jsonl')).answered).toBe(4);
    // The manifest on disk says the same, and each run folder points back to it.
    expect(loadSubmission(opts.dir).tasks.map((t) => t.attempts[0]?.state)).toEqual(
      Array(3).fill('COMPLETED'),
    );
    expect(JSON.parse(readFileSync(join(done.tasks[1]?.runDir ?? '', 'slurm.json'), 'utf8')).submission).toBe(
      opts.dir,
    );
  });

  it('a job cancelled by someone else mid-run is resubmitted once and resumes: no item lost or asked twice', async () => {
    const opts = base();
    const [input] = inputs(1, { total: 8, sleep_ms: 700 });
    if (!input) throw new Error('no input');
    const sub = await submitTasks([input], opts);
    const first = sub.tasks[0]?.attempts[0]?.jobId ?? '';
    const watching = watchSubmission(sub, opts);
    // Wait until the job has answered some items, then cancel it behind the coordinator's back.
    for (let i = 0; i < 200 && answeredCount(join(input.runDir, 'answers.jsonl')).answered < 2; i++)
      await sleep(100);
    execFileSync('scancel', [first]);
    const done = await watching;
    const t = done.tasks[0];
    expect(t?.final).toBe('completed');
    expect(t?.attempts.map((a) => a.state)).toEqual(['CANCELLED', 'COMPLETED']);
    const second = t?.attempts[1]?.jobId ?? '';
    expect(second).not.toBe(first);
    const recs = lines(input.runDir);
    expect(recs.map((r) => r.id).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(recs.map((r) => r.job))).toEqual(new Set([first, second]));
  });

  it('a job over its time limit is killed by Slurm as TIMEOUT, resubmitted once, and the new job resumes', async () => {
    // Slurm keeps time limits in whole minutes (00:05 becomes 1 minute) and checks them every 30 s: the first
    // job is cut after 60–90 s of its 100 s of work; the second, with the same limit, finishes the rest.
    const slurm = { time: '00:05' };
    const opts = { ...base(), optionsFor: () => slurm };
    const [input] = inputs(1, { total: 200, sleep_ms: 500 }, slurm);
    if (!input) throw new Error('no input');
    const sub = await submitTasks([input], opts);
    const done = await watchSubmission(sub, opts);
    const t = done.tasks[0];
    expect(t?.final).toBe('completed');
    expect(t?.attempts.map((a) => a.state)).toEqual(['TIMEOUT', 'COMPLETED']);
    const recs = lines(input.runDir);
    const first = recs.filter((r) => r.job === t?.attempts[0]?.jobId).map((r) => r.id);
    // Every answer the first job gave before the kill is kept, in order; the second asked only the rest.
    expect(first.length).toBeGreaterThan(60);
    expect(first.length).toBeLessThan(200);
    expect(first).toEqual(Array.from({ length: first.length }, (_, i) => i));
    expect(recs.map((r) => r.id)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  }, 300_000);

  it('a failing task is resubmitted once then reported failed; exit code 2 (bad input) is not resubmitted', async () => {
    const opts = base();
    const sub = await submitTasks([...inputs(1, { exit: 1 }), ...inputs(1, { exit: 2 })], opts);
    const done = await watchSubmission(sub, opts);
    expect(done.tasks.map((t) => t.final)).toEqual(['failed', 'failed']);
    expect(done.tasks[0]?.attempts.map((a) => `${a.state} ${a.exitCode}`)).toEqual([
      'FAILED 1:0',
      'FAILED 1:0',
    ]);
    expect(done.tasks[1]?.attempts.map((a) => `${a.state} ${a.exitCode}`)).toEqual(['FAILED 2:0']);
  });

  it('abort (Ctrl-C / SIGTERM) scancels our running jobs and does not resubmit them', async () => {
    const ac = new AbortController();
    const opts = { ...base(), signal: ac.signal };
    const [input] = inputs(1, { total: 50, sleep_ms: 500 });
    if (!input) throw new Error('no input');
    const sub = await submitTasks([input], opts);
    const id = sub.tasks[0]?.attempts[0]?.jobId ?? '';
    const watching = watchSubmission(sub, opts);
    for (let i = 0; i < 200 && answeredCount(join(input.runDir, 'answers.jsonl')).answered < 1; i++)
      await sleep(100);
    ac.abort();
    const done = await watching;
    expect(done.tasks[0]?.final).toBe('cancelled');
    expect(done.tasks[0]?.attempts).toHaveLength(1);
    for (let i = 0; i < 50 && squeueState(id) !== 'CANCELLED'; i++) await sleep(200);
    expect(squeueState(id)).toBe('CANCELLED');
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlurmTaskInput, submitTasks, watchSubmission } from '../../src/slurm/coordinator.js';
import type { Submission } from '../../src/slurm/manifest.js';
import { answeredCount } from '../../src/slurm/progress.js';
import { clusterLock, slurmUp, squeueState } from '../helpers/slurm.js';
import { plannedTask } from '../helpers/task.js';

// What a real cluster does to a job from outside, made to happen on the real single-node cluster of
// scripts/slurm-up.sh: the node fails under a running job (NODE_FAIL: the node is set DOWN, which kills its
// jobs, then resumed), and a job is preempted by a higher-priority one (PREEMPTED: slurm-up.sh's partition
// `urgent` preempts partition `preemptible` in CANCEL mode). Each time the coordinator notices the end
// state, resubmits the task once, and the new job resumes from the answers log. The job runs the small
// stand-in for `vlmhb task run` (test/fixtures/slurm/count-task.mjs) that coordinator.test.ts uses.
// Taking the node down fails every job on it, so these tests hold the cluster lock exclusively; its reason
// (vlmhb-test-…) tells scripts/slurm-up.sh, called meanwhile by another test file, to wait instead of resuming it.
const COUNT_TASK = fileURLToPath(new URL('../fixtures/slurm/count-task.mjs', import.meta.url));

function input(params: Record<string, unknown>, options = {}): SlurmTaskInput {
  const root = mkdtempSync(join(tmpdir(), 'vlmhb-slurm-disrupt-'));
  const runDir = join(root, 'run');
  return {
    task: plannedTask('/nonexistent', { index: 0, dataRoot: root, runDir, params }),
    runDir,
    total: Number(params['total']),
    options,
  };
}

/** Answer lines of a run folder: item id and the Slurm job that wrote it. */
function lines(runDir: string): { id: number; job: string }[] {
  return readFileSync(join(runDir, 'answers.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: number; job: string });
}

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (ok()) return;
  throw new Error(`timed out waiting for ${what}`);
}

const answered = (runDir: string) => answeredCount(join(runDir, 'answers.jsonl')).answered;

/** Every item answered exactly once, by exactly the two jobs the task had. */
function expectResumed(sub: Submission, runDir: string, total: number, firstState: string) {
  const t = sub.tasks[0];
  expect(t?.final).toBe('completed');
  expect(t?.attempts.map((a) => a.state)).toEqual([firstState, 'COMPLETED']);
  const [first, second] = t?.attempts.map((a) => a.jobId) ?? [];
  expect(second).not.toBe(first);
  const recs = lines(runDir);
  expect(recs.map((r) => r.id).sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
  expect(new Set(recs.map((r) => r.job))).toEqual(new Set([first, second]));
}

describe('a real cluster disrupting a job: noticed, resubmitted once, resumed', () => {
  let node = '';
  let unlock: () => Promise<void> = async () => {};
  beforeAll(async () => {
    node = slurmUp();
    unlock = await clusterLock('exclusive');
  }, 1_500_000);
  afterAll(async () => {
    // Whatever happened, the node is left up for the next test file (RESUME of an idle node is refused).
    try {
      execFileSync('scontrol', ['update', `NodeName=${node}`, 'State=RESUME'], { stdio: 'ignore' });
    } catch {}
    await unlock();
  });

  it('NODE_FAIL: the node goes down under a running job; the task is resubmitted and resumes when it is back', async () => {
    const opts = {
      dir: mkdtempSync(join(tmpdir(), 'vlmhb-sub-')),
      command: [process.execPath, COUNT_TASK],
      pollMs: 300,
      optionsFor: () => ({}),
    };
    const task = input({ total: 10, sleep_ms: 500 });
    const sub = await submitTasks([task], opts);
    const first = sub.tasks[0]?.attempts[0]?.jobId ?? '';
    const watching = watchSubmission(sub, opts);
    await until('two answers', () => answered(task.runDir) >= 2);
    execFileSync('scontrol', ['update', `NodeName=${node}`, 'State=DOWN', 'Reason=vlmhb-test-node-fail']);
    try {
      // The coordinator sees NODE_FAIL and queues a second job, which waits for the node.
      await until('the resubmission', () => (sub.tasks[0]?.attempts.length ?? 0) === 2);
      expect(squeueState(first)).toBe('NODE_FAIL');
      const second = sub.tasks[0]?.attempts[1]?.jobId ?? '';
      expect(squeueState(second)).toBe('PENDING');
      // Nothing answers while the node is down: the first job's process is gone.
      const before = answered(task.runDir);
      await sleep(1500);
      expect(answered(task.runDir)).toBe(before);
      expect(before).toBeLessThan(10);
    } finally {
      execFileSync('scontrol', ['update', `NodeName=${node}`, 'State=RESUME']);
    }
    expectResumed(await watching, task.runDir, 10, 'NODE_FAIL');
  });

  it('PREEMPTED: a higher-priority job preempts ours; the task is resubmitted and resumes after it', async () => {
    // The whole node, so that the urgent job cannot start beside it and preempts it instead.
    const slurm = { partition: 'preemptible', cpus_per_task: availableParallelism() };
    const opts = {
      dir: mkdtempSync(join(tmpdir(), 'vlmhb-sub-')),
      command: [process.execPath, COUNT_TASK],
      pollMs: 300,
      optionsFor: () => slurm,
    };
    // Long enough for Slurm to decide on the preemption (seen to take up to ~10 s here).
    const task = input({ total: 40, sleep_ms: 500 }, slurm);
    const sub = await submitTasks([task], opts);
    const watching = watchSubmission(sub, opts);
    await until('two answers', () => answered(task.runDir) >= 2);
    const urgent = execFileSync(
      'sbatch',
      ['--parsable', '--partition=urgent', '--ntasks=1', `--output=${join(opts.dir, 'urgent.out')}`],
      { input: '#!/bin/sh\nsleep 3\n', encoding: 'utf8' },
    ).trim();
    const done = await watching;
    expectResumed(done, task.runDir, 40, 'PREEMPTED');
    expect(squeueState(urgent)).toBe('COMPLETED');
    // Slurm's own word for it, in the first job's output.
    const out = readFileSync(join(opts.dir, `slurm-${done.tasks[0]?.attempts[0]?.jobId}.out`), 'utf8');
    expect(out).toMatch(/DUE TO PREEMPTION/);
  }, 180_000);
});

import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTask, type TaskResult } from '../../src/task/run.js';
import { writeMiniDataset } from '../helpers/mini-dataset.js';
import { plannedTask } from '../helpers/task.js';
import { processesWith } from './suite.js';

// A whole task through the Apptainer executor — the embedded engine served from the tool's SIF alone — gives
// the same answers and metrics as the same task through the local executor (a `vlmhb serve` child process).
const UP = fileURLToPath(new URL('../../scripts/apptainer-up.sh', import.meta.url));
const WRAPPER = fileURLToPath(new URL('../../scripts/apptainer-wrapper.sh', import.meta.url));
let sif = '';

beforeAll(async () => {
  sif = (await execa('bash', [UP], { stderr: 'inherit' })).stdout.trim();
}, 1_200_000);

function answers(r: TaskResult) {
  return r.records.map((x) => [x.id, x.answer, x.error]);
}

describe('a task benchmarked through the apptainer executor', () => {
  it('equals the local executor: answers, metrics; the server ran in the SIF and is gone', async () => {
    const ds = writeMiniDataset(mkdtempSync(join(tmpdir(), 'vlmhb-ds-')));
    const model = `apptainer-task-${process.pid}`;
    const local = await runTask(plannedTask(ds, { model, executor: 'local' }));
    const logs: string[] = [];
    const inSif = await runTask(
      plannedTask(ds, {
        model,
        executor: 'apptainer',
        dockerImage: sif,
        executorOptions: { apptainer_bin: WRAPPER },
      }),
      { log: (m) => logs.push(m) },
    );
    expect(inSif.records).toHaveLength(9);
    expect(answers(inSif)).toEqual(answers(local));
    expect(inSif.metrics.groups).toEqual(local.metrics.groups);
    expect(inSif.records.every((r) => r.error === null)).toBe(true);
    expect(inSif.metrics.groups.overall?.['exact_match']).toBeGreaterThan(0.5);
    // The apptainer runtime really served it: its log names the SIF's own CLI path.
    expect(logs.join('\n')).toMatch(/apptainer/);
    expect(processesWith(model)).toEqual([]);
  });

  it('through the `singularity` binary when that is what PATH has (no apptainer, no option)', async () => {
    // A folder whose only entry is `singularity`: the wrapper under that name runs the real `singularity`
    // of Apptainer's package (inside the trixie root), as a cluster with only Singularity's name would.
    const bin = mkdtempSync(join(tmpdir(), 'vlmhb-singularity-'));
    symlinkSync(WRAPPER, join(bin, 'singularity'));
    const ds = writeMiniDataset(mkdtempSync(join(tmpdir(), 'vlmhb-ds-')));
    const model = `singularity-task-${process.pid}`;
    const saved = { PATH: process.env['PATH'], VLMHB_APPTAINER: process.env['VLMHB_APPTAINER'] };
    process.env['PATH'] = `${bin}${delimiter}${saved.PATH ?? ''}`;
    delete process.env['VLMHB_APPTAINER'];
    const logs: string[] = [];
    let r: TaskResult;
    try {
      r = await runTask(plannedTask(ds, { model, executor: 'apptainer', dockerImage: sif }), {
        log: (m) => logs.push(m),
      });
    } finally {
      process.env['PATH'] = saved.PATH;
      if (saved.VLMHB_APPTAINER !== undefined) process.env['VLMHB_APPTAINER'] = saved.VLMHB_APPTAINER;
    }
    expect(logs.join('\n')).toMatch(/started singularity /);
    expect(r.records.every((x) => x.error === null)).toBe(true);
    const local = await runTask(plannedTask(ds, { model, executor: 'local' }));
    expect(answers(r)).toEqual(answers(local));
    expect(processesWith(model)).toEqual([]);
  });
});

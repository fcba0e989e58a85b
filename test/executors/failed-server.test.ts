import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlannedTask } from '../../src/config/types.js';
import { DockerApi, resolveSocket } from '../../src/executors/docker/api.js';
import { LABEL } from '../../src/executors/docker/body.js';
import { runSchedule } from '../../src/scheduler/drive.js';
import { planSchedule } from '../../src/scheduler/plan.js';
import { writeMiniDataset } from '../helpers/mini-dataset.js';
import { podmanForTests } from '../helpers/podman.js';
import { serverGrid } from '../helpers/task.js';

// Through the scheduler with the real docker executor (Podman, the tool's own image): a server that cannot
// start fails its own group's tasks with the reason, and the other group runs. (The full `vlmhb run
// --executor local|docker` end-to-end and SIGTERM checks are in test/task/executors-e2e.test.ts.)
const env = await podmanForTests();
const api = new DockerApi(resolveSocket());
afterAll(async () => {
  await api.close();
});

let datasetDir: string;
let collections: string[];
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'vlmhb-e2e-'));
  datasetDir = writeMiniDataset(join(dir, 'ds'));
  collections = ['a', 'b'].map((name) => {
    const f = join(dir, `${name}.csv`);
    const word = name === 'a' ? 'Напиши' : 'Запиши';
    writeFileSync(
      f,
      `doc_type_question_type,optimal_prompt\nСНИЛС Фамилия,${word} фамилию\nСНИЛС Имя,${word} имя\nСНИЛС Номер СНИЛС,${word} номер СНИЛС\n`,
    );
    return f;
  });
});

function tasks(root: string, models: string[], extra: Partial<PlannedTask>): PlannedTask[] {
  return serverGrid(datasetDir, root, models, collections, { framework: 'tesseract', ...extra });
}

describe('a server that cannot start fails its own tasks only', () => {
  it('docker: the group whose image cannot be pulled fails with the reason; the other group runs', async () => {
    const stamp = `fail-${Date.now()}`;
    const models = [`tess-broken-${stamp}`, `tess-ok-${stamp}`];
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-e2e-fail-'));
    const planned = tasks(root, models, { executor: 'docker' }).map((t) => ({
      ...t,
      dockerImage: t.model === models[0] ? 'localhost/vlmhb-missing-image:0' : env.image,
    }));
    const out = await runSchedule(planSchedule(planned, []), { readyTimeoutMs: 120_000 });
    const failures = out.map((o) => (o.error as { code?: string } | undefined)?.code ?? 'ok');
    expect(failures).toEqual(['VLMHB_EXECUTOR_FAILED', 'VLMHB_EXECUTOR_FAILED', 'ok', 'ok']);
    expect(String((out[0]?.error as Error | undefined)?.message)).toContain(
      'localhost/vlmhb-missing-image:0 is not on this machine',
    );
    expect(out[2]?.result?.outcome.status).toMatchObject({ complete: true, answered: 9 });
    for (const m of models) expect(await api.list([`${LABEL.model}=${m}`])).toEqual([]);
  }, 300_000);
});

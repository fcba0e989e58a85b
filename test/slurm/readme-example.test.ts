import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, vlmhb } from '../helpers/cli.js';
import { writeMiniDataset } from '../helpers/mini-dataset.js';

// The Slurm examples of README.md ("On a Slurm cluster") and docs/slurm.md ("A complete example") are
// read from the files themselves and planned as written: a valid config whose tasks become the batch jobs
// the text says. (Running them needs the GPU cluster they describe; test/slurm/run.test.ts runs the same
// kind of config on the real single-node cluster.)
function yamlAfter(file: string, heading: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const from = text.indexOf(heading);
  expect(from, `${file} has ${heading}`).toBeGreaterThanOrEqual(0);
  const block = /```yaml\n([\s\S]*?)```/.exec(text.slice(from));
  if (!block?.[1]) throw new Error(`no yaml block after ${heading} in ${file}`);
  return block[1];
}

/** The data root the examples assume: Datasets/SNILS and the two prompt collections they name. */
function dataRoot(yaml: string): string {
  const root = mkdtempSync(join(tmpdir(), 'vlmhb-slurm-readme-'));
  writeMiniDataset(join(root, 'Datasets', 'SNILS'));
  const collection = 'prompt;doc_class_question_type;cer\nFamily name?;snils_Фамилия;0\n';
  mkdirSync(join(root, 'PromptCollections'));
  for (const name of ['precise.csv', 'vague.csv'])
    writeFileSync(join(root, 'PromptCollections', name), collection);
  writeFileSync(join(root, 'bench.yaml'), yaml);
  return root;
}

type Plan = {
  slurm: {
    sbatch: string[];
    tasks: { framework: string; executor: string; image: string | null; element: number }[];
  }[];
};

describe('the Slurm examples in README.md and docs/slurm.md', () => {
  for (const [file, heading] of [
    ['README.md', '### On a Slurm cluster'],
    ['docs/slurm.md', '## A complete example'],
  ] as const) {
    it(`${file}: the config plans as the text says — two vllm tasks in Apptainer as one GPU job on one server, the baseline a CPU job`, async () => {
      const root = dataRoot(yamlAfter(file, heading));
      const r = await vlmhb(['plan', join(root, 'bench.yaml'), '--json']);
      expect(r.exitCode, String(r.stderr)).toBe(0);
      const plan = JSON.parse(String(r.stdout)) as Plan;
      expect(plan.slurm.map((j) => j.tasks.map((t) => `${t.framework}/${t.executor}`))).toEqual([
        ['vllm/apptainer', 'vllm/apptainer'],
        ['tesseract/external'],
      ]);
      const [gpu, cpu] = plan.slurm;
      for (const arg of [
        '--no-requeue',
        '--partition=gpu',
        '--account=lab42',
        '--qos=normal',
        '--time=02:00:00',
        '--cpus-per-task=8',
        '--mem=64G',
      ]) {
        expect(gpu?.sbatch).toContain(arg);
        expect(cpu?.sbatch).toContain(arg);
      }
      expect(gpu?.sbatch).toContain('--gres=gpu:1');
      // One job, not an array: the two prompt collections share one server that loads the model once.
      expect(gpu?.sbatch.some((a) => a.startsWith('--array'))).toBe(false);
      expect(gpu?.tasks.map((t) => t.element)).toEqual([0, 0]);
      expect(cpu?.sbatch.some((a) => a.startsWith('--gres') || a.startsWith('--array'))).toBe(false);
      expect(gpu?.tasks.every((t) => t.image?.endsWith('.sif'))).toBe(true);
    });
  }
});

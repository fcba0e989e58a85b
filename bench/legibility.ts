/**
 * Legibility of the synthetic documents for the embedded OCR baseline (issue: "on 100 clean documents of
 * each type at long side 1600 px the Tesseract engine reaches corpus CER ≤ 0.10 per type; CER rises with
 * augmentation severity"). Generates the data, runs the real engine, prints Markdown tables for the README.
 * `npx tsx bench/legibility.ts [--count 100] [--severity-count 8] [--out DIR]` (about 20 min on 2 cores).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { planSingleTask } from '../src/config/load.js';
import type { GroupMetrics } from '../src/metrics/aggregate.js';
import { markdownGroups } from '../src/report/markdown.js';
import { stderrProgress } from '../src/runner/progress.js';
import { generateDataset } from '../src/synth/generate.js';
import { parseAugmentSpec } from '../src/synth/spec.js';
import type { DocKind } from '../src/synth/types.js';
import { runTask } from '../src/task/run.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100' },
    'severity-count': { type: 'string', default: '8' },
    out: { type: 'string', default: 'runs/legibility' },
  },
});
const out = values.out;
const docs: DocKind[] = ['snils', 'inn', 'passport', 'invoice'];
const log = (m: string) => process.stderr.write(`legibility: ${m}\n`);

async function benchmark(dir: string, runDir: string) {
  const task = planSingleTask({
    dataset: dir,
    framework: 'tesseract',
    out: runDir,
    metrics: ['cer', 'wer', 'exact_match', 'doc_all_correct'],
  });
  return runTask(task, { progress: stderrProgress(), log });
}

function table(title: string, groups: Record<string, GroupMetrics> | undefined): string {
  return groups ? markdownGroups(title, groups) : '';
}

mkdirSync(out, { recursive: true });
log(`generating ${values.count} clean documents per type at long side 1600`);
const clean = await generateDataset({
  docs,
  count: Number(values.count),
  seed: 2026,
  augment: parseAugmentSpec('clean'),
  longSides: [1600],
  out: join(out, 'clean'),
  onProgress: (d, t) => d % 40 === 0 && log(`rendered ${d}/${t}`),
});
const cleanRun = await benchmark(clean.datasets[0]!.dir, join(out, 'clean-run'));

const subsets = [
  'clean',
  ...['blur', 'noise', 'jpeg', 'lowres', 'rotated', 'perspective'].flatMap((a) =>
    [1, 2, 3].map((s) => `${a}:${s}`),
  ),
];
log(`generating ${values['severity-count']} documents per type × ${subsets.length} subsets`);
const severity = await generateDataset({
  docs,
  count: Number(values['severity-count']),
  seed: 7,
  augment: parseAugmentSpec(subsets.join(',')),
  longSides: [1600],
  out: join(out, 'severity'),
  onProgress: (d, t) => d % 10 === 0 && log(`rendered ${d}/${t}`),
});
const severityRun = await benchmark(severity.datasets[0]!.dir, join(out, 'severity-run'));

const md = [
  `### Clean documents, long side 1600 px (${values.count} per type)\n`,
  table('Document type', cleanRun.metrics.groups.by_doc_type),
  `\nOverall corpus CER ${cleanRun.metrics.groups.overall?.cer?.toFixed(4)}.\n`,
  '\n### By field\n',
  table('Field', cleanRun.metrics.groups.by_doc_question),
  `\n### By scan artefact and severity (${values['severity-count']} per type and subset)\n`,
  table('Split', severityRun.metrics.groups.by_split),
].join('\n');
writeFileSync(join(out, 'legibility.md'), md);
process.stdout.write(md);

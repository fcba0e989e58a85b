import { validateDataset } from '../../dataset/validate.js';
import type { DocKind } from '../../synth/types.js';
import { EXIT } from '../errors.js';

const log = (m: string) => process.stderr.write(`vlmhb: ${m}\n`);

export async function generateCommand(f: {
  doc: string[];
  count: number;
  seed: number;
  augment: string;
  longSide?: number[];
  workers?: number;
  questions: 'ru' | 'en' | 'mixed';
  out: string;
  json?: boolean;
}) {
  const { generateDataset } = await import('../../synth/generate.js');
  const { parseAugmentSpec } = await import('../../synth/spec.js');
  const { stderrProgress } = await import('../../runner/progress.js');
  const progress = stderrProgress();
  let started = false;
  const result = await generateDataset({
    docs: f.doc as DocKind[],
    count: f.count,
    seed: f.seed,
    augment: parseAugmentSpec(f.augment),
    ...(f.longSide ? { longSides: f.longSide } : {}),
    ...(f.workers ? { workers: f.workers } : {}),
    questions: f.questions,
    out: f.out,
    onProgress: (done, total) => {
      if (!started) {
        progress.start(total, 'generating');
        started = true;
      }
      progress.tick({ failed: false });
      if (done === total) progress.stop();
    },
  });
  progress.stop();
  if (f.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else
    for (const d of result.datasets)
      process.stdout.write(`${d.dir}\t${d.documents} documents\t${d.rows} rows\n`);
  return EXIT.ok;
}

export async function previewCommand(dir: string, f: { out: string }) {
  const { contactSheet } = await import('../../synth/preview.js');
  await contactSheet(dir, f.out);
  log(`contact sheet written to ${f.out}`);
  return EXIT.ok;
}

export async function validateCommand(dir: string, f: { json?: boolean; maxImagePixels?: number }) {
  const report = await validateDataset(
    dir,
    f.maxImagePixels !== undefined ? { maxImagePixels: f.maxImagePixels } : {},
  );
  if (f.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (report.ok) process.stdout.write(`${dir}: ok\n`);
  else {
    for (const p of report.problems) {
      const loc = [p.row !== undefined ? `row ${p.row}` : '', p.column ? `column "${p.column}"` : '']
        .filter(Boolean)
        .join(', ');
      process.stdout.write(`${dir}/annotation.csv${loc ? `, ${loc}` : ''}: ${p.message}\n`);
    }
  }
  return report.ok ? EXIT.ok : EXIT.failed;
}

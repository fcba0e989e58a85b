import { validateDataset } from '../../dataset/validate.js';
import { VlmhbError } from '../../errors.js';
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
  format?: 'jpeg' | 'png';
  style?: string;
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
    format: f.format ?? 'jpeg',
    style: f.style ?? 'all',
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
  else for (const d of result.datasets) process.stdout.write(`${d.dir}\t${generatedSummary(d)}\n`);
  return EXIT.ok;
}

/** «12 documents × 2 subsets = 24 images, 216 rows»: what was written, counted as the run counts it. */
export function generatedSummary(d: { documents: number; subsets: number; images: number; rows: number }) {
  const subsets = `${d.subsets} subset${d.subsets === 1 ? '' : 's'}`;
  return `${d.documents} documents × ${subsets} = ${d.images} images, ${d.rows} rows`;
}

export async function previewCommand(
  dir: string,
  f: { out: string; limit?: number; page?: number; all?: boolean; split?: string[] },
) {
  const { contactSheet, sheetFileName } = await import('../../synth/preview.js');
  const limit = f.limit ?? 24;
  if (limit < 1) throw usageError('--limit', 'must be at least 1');
  const page = f.page ?? 1;
  if (page < 1) throw usageError('--page', 'must be at least 1');
  const opts = { max: limit, ...(f.split ? { splits: f.split } : {}) };
  const first = await contactSheet(dir, f.all ? sheetFileName(f.out, 1) : f.out, {
    ...opts,
    page: f.all ? 1 : page,
  });
  const pages = first.pages;
  for (let p = 2; f.all && p <= pages; p++)
    await contactSheet(dir, sheetFileName(f.out, p), { ...opts, page: p });
  if (f.all)
    log(
      `${pages} contact sheets of ${first.total} images written: ${sheetFileName(f.out, 1)} … ${sheetFileName(f.out, pages)}`,
    );
  else {
    const more = first.page < pages ? `; --page ${first.page + 1} for the next, --all for every sheet` : '';
    log(
      `contact sheet written to ${f.out}: images ${first.from}–${first.to} of ${first.total} (sheet ${first.page} of ${pages})${more}`,
    );
  }
  return EXIT.ok;
}

export async function stylesCommand(f: { json?: boolean }) {
  const { templates, DOC_KINDS } = await import('../../synth/templates/index.js');
  const rows = DOC_KINDS.flatMap((kind) =>
    templates[kind].styles.map((s) => ({ kind, docClass: templates[kind].docClass, ...s })),
  );
  if (f.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else
    for (const r of rows)
      process.stdout.write(`${r.kind}\t${r.id}${r.heldOut ? '\t(held out)' : '\t'}\t${r.description}\n`);
  return EXIT.ok;
}

function usageError(key: string, msg: string) {
  return new VlmhbError('VLMHB_USAGE', `${key} ${msg}`, { where: { key } });
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

import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { VlmhbError } from '../../errors.js';
import { ANNOTATION_COLUMNS } from '../types.js';
import type { Bbox, ImportedDoc, ImportedRow, ImportPlan } from './types.js';

export interface WriteResult {
  dir: string;
  images: number;
  rows: number;
  /** Rows written with an empty answer (a skeleton to fill in). */
  unanswered: number;
  /** Rows with more than one acceptable answer (written to the `answers` column). */
  multiAnswer: number;
}

/**
 * Writes an import plan as the tool's own dataset: `images/…` and `annotation.csv` (`;`, UTF-8 BOM as
 * the original team's files). Several acceptable answers go to an extra `answers` column as a JSON
 * list, `answer` keeping the first, so readers that know only `answer` still score the preferred one.
 * The CSV is written last: a failed import leaves no annotation that looks complete.
 */
export async function writeImport(
  plan: ImportPlan,
  out: string,
  onDoc: () => void = () => {},
): Promise<WriteResult> {
  const dir = resolve(out);
  const existing = await readdir(dir).catch(() => [] as string[]);
  if (existing.length > 0) {
    throw new VlmhbError('VLMHB_USAGE', 'output folder is not empty; choose a new --out', {
      where: { file: dir },
    });
  }
  const imagesDir = join(dir, 'images');
  const rows: (ImportedRow & { imagePath: string })[] = [];
  const seen = new Set<string>();
  let images = 0;
  for await (const doc of plan.docs) {
    const rel = safeName(doc.imageName);
    if (seen.has(rel)) {
      throw new VlmhbError('VLMHB_DATASET_INVALID', `two pages map to the same image name "${rel}"`);
    }
    seen.add(rel);
    await writeImage(join(imagesDir, rel), doc);
    images++;
    for (const r of doc.rows) rows.push({ ...r, imagePath: `images/${rel.split(sep).join('/')}` });
    onDoc();
  }
  if (rows.length === 0) throw new VlmhbError('VLMHB_DATASET_INVALID', 'the source holds no questions');
  const multi = rows.some((r) => r.answers.length > 1);
  const columns = [...ANNOTATION_COLUMNS, ...(multi ? ['answers'] : [])];
  const records = rows.map((r) => [
    r.docId,
    r.split,
    r.imagePath,
    r.question,
    r.answers[0] ?? '',
    r.docClass,
    r.questionType,
    bboxCell(r.bboxes),
    ...(multi ? [r.answers.length > 1 ? JSON.stringify(r.answers) : ''] : []),
  ]);
  await writeFile(
    join(dir, 'annotation.csv'),
    `\ufeff${stringify(records, { delimiter: ';', header: true, columns })}`,
  );
  return {
    dir,
    images,
    rows: rows.length,
    unanswered: rows.filter((r) => r.answers.length === 0 || r.answers[0] === '').length,
    multiAnswer: rows.filter((r) => r.answers.length > 1).length,
  };
}

/** One box as `[x0,y0,x1,y1]` (what every reader expects); several as a JSON list of boxes. */
export function bboxCell(boxes: Bbox[]): string {
  if (boxes.length === 0) return '';
  return JSON.stringify(boxes.length === 1 ? boxes[0] : boxes);
}

async function writeImage(file: string, doc: ImportedDoc): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  if ('bytes' in doc.image) await writeFile(file, doc.image.bytes);
  else await copyFile(doc.image.file, file);
}

/** Image names come from the source (ids, subset names): keep them inside `images/`. */
function safeName(name: string): string {
  const n = normalize(name.replaceAll('\\', '/')).replace(/^(\.\.(\/|$))+/, '');
  if (n === '' || n === '.' || n.startsWith('/') || n.split(/[\\/]/).includes('..')) {
    throw new VlmhbError('VLMHB_DATASET_INVALID', `image name "${name}" would leave the images folder`);
  }
  return n;
}

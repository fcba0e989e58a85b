import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
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
    if (seen.has(rel)) await checkSameImage(join(imagesDir, rel), doc, rel);
    else {
      seen.add(rel);
      await writeImage(join(imagesDir, rel), doc);
      images++;
    }
    for (const r of doc.rows) rows.push({ ...r, imagePath: `images/${rel.split(sep).join('/')}` });
    onDoc();
  }
  if (rows.length === 0) throw new VlmhbError('VLMHB_DATASET_INVALID', 'the source holds no questions');
  const multi = rows.some((r) => r.answers.length > 1);
  const standard: string[] = [...ANNOTATION_COLUMNS, ...(multi ? ['answers'] : [])];
  // `answers` is reserved even when unused: loadDataset would read a source column of that name as ours.
  const extras = extraColumns(rows, [...ANNOTATION_COLUMNS, 'answers']);
  const columns = [...standard, ...extras.map((e) => e.column)];
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
    ...extras.map((e) => r.extra?.[e.field] ?? ''),
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

/**
 * The source's own fields as columns, in first-seen order; one named like a standard column (a TSV
 * with its own `doc_class`) becomes `source_<name>` rather than overwrite it.
 */
function extraColumns(rows: readonly ImportedRow[], standard: readonly string[]) {
  const fields: string[] = [];
  const known = new Set<string>();
  for (const r of rows) {
    for (const f of Object.keys(r.extra ?? {})) {
      if (!known.has(f)) {
        known.add(f);
        fields.push(f);
      }
    }
  }
  return fields.map((field) => ({ field, column: standard.includes(field) ? `source_${field}` : field }));
}

/** One box as `[x0,y0,x1,y1]` (what every reader expects); several as a JSON list of boxes. */
export function bboxCell(boxes: Bbox[]): string {
  if (boxes.length === 0) return '';
  return JSON.stringify(boxes.length === 1 ? boxes[0] : boxes);
}

async function writeImage(file: string, doc: ImportedDoc): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  if ('bytes' in doc.image) await writeFile(file, doc.image.bytes);
  else {
    const from = doc.image.file;
    await copyFile(from, file).catch((e: unknown) => {
      throw new VlmhbError('VLMHB_FILE_NOT_FOUND', `image ${from} cannot be read`, {
        where: doc.source ?? { file: from },
        cause: e,
      });
    });
  }
}

/** A repeated image name is the same picture again (written once) or a clash the user must hear of. */
async function checkSameImage(file: string, doc: ImportedDoc, rel: string): Promise<void> {
  const again = 'bytes' in doc.image ? doc.image.bytes : await readFile(doc.image.file);
  const first = await readFile(file);
  if (!first.equals(again)) {
    throw new VlmhbError(
      'VLMHB_DATASET_INVALID',
      `two different images map to the same image name "${rel}"`,
      doc.source ? { where: doc.source } : {},
    );
  }
}

/** Image names come from the source (ids, subset names): keep them inside `images/`. */
function safeName(name: string): string {
  const n = normalize(name.replaceAll('\\', '/')).replace(/^(\.\.(\/|$))+/, '');
  if (n === '' || n === '.' || n.startsWith('/') || n.split(/[\\/]/).includes('..')) {
    throw new VlmhbError('VLMHB_DATASET_INVALID', `image name "${name}" would leave the images folder`);
  }
  return n;
}

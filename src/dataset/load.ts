import { existsSync, statSync } from 'node:fs';
import { access, realpath } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep, win32 } from 'node:path';
import type { ErrorCode, VlmhbIssue } from '../errors.js';
import { throwIssues, VlmhbError } from '../errors.js';
import { type CsvRecord, detectDelimiter, headerLine, parseCsv, readTextFile } from '../util/csv.js';
import { insideDataset } from './check-images.js';
import { rememberRows } from './rows.js';
import type { Dataset, Sample } from './types.js';

export interface LoadDatasetOptions {
  /** Keep only these doc_class values; absent or empty = all. Independent of filterQuestionType. */
  filterDocClass?: string[];
  /** Keep only these question_type values; absent or empty = all. */
  filterQuestionType?: string[];
  /**
   * Check that every image is there (and safe to read). Scoring alone (`vlmhb eval`) never reads an image,
   * so it loads the annotation without them. @default true
   */
  images?: boolean;
}

/** Columns a dataset cannot do without; `split` and `answer_bbox` may be absent. */
const REQUIRED = ['data_index', 'image_path', 'question', 'answer', 'doc_class', 'question_type'] as const;

export { checkImages } from './check-images.js';
export { sampleRow } from './rows.js';

/**
 * Loads a dataset folder: annotation.csv (`;`, BOM allowed) or annotation.jsonl, images relative to
 * the folder. Sample ids are 0-based positions in the file before filtering, as the original project
 * numbers its answers, so filtered runs and full runs share ids. Every row problem is collected and
 * thrown once; file-level problems (encoding, separator, header) stop at once.
 */
export async function loadDataset(dir: string, opts: LoadDatasetOptions = {}): Promise<Dataset> {
  const absDir = resolve(dir);
  if (!existsSync(absDir) || !statSync(absDir).isDirectory()) {
    throw new VlmhbError('VLMHB_FILE_NOT_FOUND', 'dataset folder not found', { where: { file: absDir } });
  }
  const csvFile = join(absDir, 'annotation.csv');
  const jsonlFile = join(absDir, 'annotation.jsonl');
  // annotation.csv wins when both exist: it is the original project's format.
  const file = existsSync(csvFile) ? csvFile : existsSync(jsonlFile) ? jsonlFile : undefined;
  if (!file) {
    throw new VlmhbError(
      'VLMHB_FILE_NOT_FOUND',
      'dataset folder has neither annotation.csv nor annotation.jsonl',
      {
        where: { file: absDir },
      },
    );
  }
  const text = await readTextFile(file);
  const rows = file === csvFile ? csvRows(text, file) : jsonlRows(text, file);
  if (rows.records.length === 0 && rows.issues.length === 0) {
    throw new VlmhbError('VLMHB_DATASET_INVALID', 'annotation has a header but no samples', {
      where: { file },
    });
  }
  const realDir = await realpath(absDir);

  const issues: VlmhbIssue[] = [...rows.issues];
  const samples: Sample[] = [];
  const rowOf = new Map<number, number>();
  const firstRowOfKey = new Map<string, number>();
  // Many rows (fields) share one image; stat and resolve each file once.
  const existing = new Map<string, boolean>();
  const existsCached = async (f: string) => {
    let known = existing.get(f);
    if (known === undefined) {
      known = await exists(f);
      existing.set(f, known);
    }
    return known;
  };
  const inside = new Map<string, boolean>();
  const insideCached = async (f: string) => {
    let known = inside.get(f);
    if (known === undefined) {
      known = await insideDataset(realDir, f);
      inside.set(f, known);
    }
    return known;
  };
  for (const [id, rec] of rows.records.entries()) {
    const cell = (column: string) => rec.values[column] ?? '';
    const at = (column: string) => ({ file, row: rec.row, column });
    const docId = cell('data_index');
    const imagePath = cell('image_path');
    if (docId.trim() === '')
      issues.push({ code: 'VLMHB_DATASET_INVALID', message: 'empty data_index', where: at('data_index') });
    const key = `${docId}\u0000${cell('question_type')}`;
    const seen = firstRowOfKey.get(key);
    if (seen !== undefined) {
      issues.push({
        code: 'VLMHB_DATASET_DUPLICATE_ID',
        message: `data_index "${docId}" with question_type "${cell('question_type')}" repeats row ${seen}`,
        where: at('question_type'),
      });
    } else firstRowOfKey.set(key, rec.row);

    const image = imageLocation(absDir, imagePath);
    if ('error' in image) {
      issues.push({ code: image.code, message: image.error, where: at('image_path') });
    } else if (opts.images !== false && !(await existsCached(image.abs))) {
      issues.push({
        code: 'VLMHB_FILE_NOT_FOUND',
        message: `image not found: ${image.abs}`,
        where: at('image_path'),
      });
    } else if (opts.images !== false && !(await insideCached(image.abs))) {
      issues.push({
        code: 'VLMHB_IMAGE_OUTSIDE_DATASET',
        message: `image path "${imagePath}" is a symlink to ${await realpath(image.abs)}, outside the dataset folder ${absDir}`,
        where: at('image_path'),
      });
    }
    // The question is the prompt when no collection is given: an empty one would be sent as is.
    if (cell('question').trim() === '')
      issues.push({ code: 'VLMHB_DATASET_INVALID', message: 'empty question', where: at('question') });
    const refs = parseReferences(cell('answer'), cell('answers'));
    if ('error' in refs)
      issues.push({ code: 'VLMHB_DATASET_INVALID', message: refs.error, where: at('answers') });
    const bbox = parseBbox(cell('answer_bbox'));
    if ('error' in bbox)
      issues.push({ code: 'VLMHB_DATASET_INVALID', message: bbox.error, where: at('answer_bbox') });

    rowOf.set(id, rec.row);
    samples.push({
      id,
      docId,
      split: cell('split'),
      imagePath,
      imageAbsPath: 'abs' in image ? image.abs : '',
      question: cell('question'),
      answer: cell('answer'),
      references: 'value' in refs ? refs.value : [cell('answer')],
      docClass: cell('doc_class'),
      questionType: cell('question_type'),
      answerBbox: 'value' in bbox ? bbox.value : null,
      ...('all' in bbox && bbox.all && bbox.all.length > 1 ? { answerBboxes: bbox.all } : {}),
    });
  }
  if (issues.length > 0) throwIssues(issuesCode(issues), `dataset ${file} has ${count(issues)}:`, issues);

  const docClasses = nonEmpty(opts.filterDocClass);
  const questionTypes = nonEmpty(opts.filterQuestionType);
  const kept = samples.filter(
    (s) =>
      (!docClasses || docClasses.has(s.docClass)) && (!questionTypes || questionTypes.has(s.questionType)),
  );
  const dataset: Dataset = { dir: absDir, name: basename(absDir), annotationFile: file, samples: kept };
  rememberRows(dataset, rowOf);
  return dataset;
}

interface Rows {
  records: CsvRecord[];
  issues: VlmhbIssue[];
}

function csvRows(text: string, file: string): Rows {
  const delimiter = detectDelimiter(text);
  const header = headerLine(text);
  if (delimiter !== ';' && !header.includes(';')) {
    const found = delimiter === '\t' ? 'tab' : `'${delimiter}'`;
    throw new VlmhbError('VLMHB_CSV_SEPARATOR', `expected ';' separator, found ${found}`, {
      where: { file, row: 1 },
    });
  }
  const table = parseCsv(text, file, { delimiter: ';', requiredColumns: REQUIRED });
  return { records: table.records, issues: [] };
}

/** JSON Lines: one object per line with the annotation.csv field names; row = line number. */
function jsonlRows(text: string, file: string): Rows {
  const records: CsvRecord[] = [];
  const issues: VlmhbIssue[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const row = i + 1;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      issues.push({
        code: 'VLMHB_DATASET_INVALID',
        message: `not valid JSON: ${(e as Error).message}`,
        where: { file, row },
      });
      return;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      issues.push({ code: 'VLMHB_DATASET_INVALID', message: 'expected a JSON object', where: { file, row } });
      return;
    }
    const o = obj as Record<string, unknown>;
    const values: Record<string, string> = {};
    for (const column of REQUIRED) {
      if (!(column in o)) {
        issues.push({
          code: 'VLMHB_CSV_MISSING_COLUMN',
          message: `missing field "${column}"`,
          where: { file, row, column },
        });
      }
    }
    for (const [k, val] of Object.entries(o)) {
      if (val === null || val === undefined) values[k] = '';
      else if (typeof val === 'string') values[k] = val;
      // Keep bboxes as JSON text so both formats share one parser; numbers become their text.
      else values[k] = typeof val === 'object' ? JSON.stringify(val) : String(val);
    }
    records.push({ row, values });
  });
  return { records, issues };
}

type ImageLocation = { abs: string } | { error: string; code: ErrorCode };

/** Resolves image_path inside the dataset folder; absolute paths and `..` escapes are refused. */
function imageLocation(dir: string, written: string): ImageLocation {
  if (written.trim() === '') return { error: 'empty image_path', code: 'VLMHB_DATASET_INVALID' };
  if (isAbsolute(written) || win32.isAbsolute(written)) {
    return {
      error: `image path "${written}" is absolute; write it relative to the dataset folder`,
      code: 'VLMHB_IMAGE_OUTSIDE_DATASET',
    };
  }
  const abs = resolve(dir, written.replaceAll('\\', '/'));
  const rel = relative(dir, abs);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    return {
      error: `image path "${written}" leaves the dataset folder ${dir}`,
      code: 'VLMHB_IMAGE_OUTSIDE_DATASET',
    };
  }
  return { abs };
}

/**
 * The optional `answers` column: a JSON list of every acceptable answer, `answer` first (DocVQA-style
 * sets have several). Empty = the single `answer`, so files without the column read as before.
 */
function parseReferences(answer: string, cell: string): { value: string[] } | { error: string } {
  if (cell.trim() === '') return { value: [answer] };
  let v: unknown;
  try {
    v = JSON.parse(cell);
  } catch {
    return { error: `answers ${JSON.stringify(cell)} is not a JSON list such as ["1/8/93", "1/8/1993"]` };
  }
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string')) {
    return { error: `answers ${JSON.stringify(cell)} must be a non-empty JSON list of strings` };
  }
  if (v[0] !== answer) {
    return { error: `answers must start with the answer column's value ${JSON.stringify(answer)}` };
  }
  return { value: v };
}

type Box = [number, number, number, number];

/** One box `[x0, y0, x1, y1]`, or a list of boxes when the answer spans several places (imports keep all). */
function parseBbox(cell: string): { value: Sample['answerBbox']; all?: Box[] } | { error: string } {
  const s = cell.trim();
  if (s === '' || s === '[]' || s === 'null' || s === 'None') return { value: null };
  let v: unknown;
  try {
    v = JSON.parse(s);
  } catch {
    return { error: `answer_bbox ${JSON.stringify(cell)} is not a JSON array such as [10, 20, 110, 40]` };
  }
  if (Array.isArray(v) && v.length > 0 && v.every(Array.isArray)) {
    if (!v.every(isBox)) {
      return {
        error: `answer_bbox ${JSON.stringify(cell)}: every box must be four numbers [x0, y0, x1, y1]`,
      };
    }
    return { value: v[0] as Box, all: v as Box[] };
  }
  if (!isBox(v)) {
    return { error: `answer_bbox ${JSON.stringify(cell)} must be four numbers [x0, y0, x1, y1]` };
  }
  return { value: v };
}

function isBox(v: unknown): v is Box {
  return Array.isArray(v) && v.length === 4 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

function nonEmpty(list: string[] | undefined): Set<string> | undefined {
  return list && list.length > 0 ? new Set(list) : undefined;
}

function issuesCode(issues: VlmhbIssue[]): ErrorCode {
  const first = issues[0]?.code;
  return first && issues.every((i) => i.code === first) ? first : 'VLMHB_DATASET_INVALID';
}

function count(issues: VlmhbIssue[]): string {
  return issues.length === 1 ? '1 problem' : `${issues.length} problems`;
}

/**
 * `vlmhb dataset validate DIR`: every problem in a dataset folder at once, each with the row and column
 * to fix — missing or unreadable images, malformed rows and boxes, and answers that fail the checksum
 * or format of their field type (СНИЛС, ИНН, КПП, dates, ...), which catches typos in hand-made
 * ground truth. It reports rather than throws, so one pass lists everything.
 */
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import sharp from 'sharp';
import type { VlmhbIssue } from '../errors.js';
import { csvErrorMessage, failingRow } from '../util/csv.js';
import { DEFAULT_MAX_IMAGE_PIXELS, imageProblem, insideDataset } from './check-images.js';
import { validatorForQuestionType } from './checksums.js';
import { ANNOTATION_COLUMNS } from './types.js';

export interface ValidationProblem {
  /** 1-based line in annotation.csv as an editor shows it; the header is row 1. */
  row?: number;
  column?: string;
  message: string;
}

export interface ValidationResult {
  ok: boolean;
  problems: ValidationProblem[];
}

export const ANNOTATION_FILE = 'annotation.csv';

/** answer_bbox may be absent from hand-made datasets; the other columns are required. */
const REQUIRED = ANNOTATION_COLUMNS.filter((c) => c !== 'answer_bbox');

/** More than this many problems of one kind are summarised: a wrong separator would flag every row. */
const MAX_PER_KIND = 50;

export interface ValidateOptions {
  /** @default DEFAULT_MAX_IMAGE_PIXELS (Pillow's decompression-bomb limit) */
  maxImagePixels?: number;
}

export async function validateDataset(dir: string, opts: ValidateOptions = {}): Promise<ValidationResult> {
  const maxPixels = opts.maxImagePixels ?? DEFAULT_MAX_IMAGE_PIXELS;
  const problems: ValidationProblem[] = [];
  const root = path.resolve(dir);
  const file = path.join(root, ANNOTATION_FILE);
  const bytes = await readFile(file).catch(() => null);
  if (!bytes) return done([{ message: `no ${ANNOTATION_FILE} in ${root}` }]);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return done([
      { message: `${ANNOTATION_FILE} is not valid UTF-8 (save it as UTF-8, e.g. from Excel "CSV UTF-8")` },
    ]);
  }
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') return done([{ message: `${ANNOTATION_FILE} is empty` }]);
  const headerLine = text.slice(0, text.search(/\r?\n|$/));
  if (!headerLine.includes(';')) {
    const sep = [',', '\t'].find((s) => headerLine.includes(s));
    return done([
      {
        row: 1,
        message: `columns must be separated by ";"${sep ? `, found "${sep === '\t' ? '\\t' : sep}"` : ''}`,
      },
    ]);
  }

  let records: { record: string[]; info: { lines: number; empty_lines: number } }[];
  try {
    records = parse(text, {
      delimiter: ';',
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as typeof records;
  } catch (e) {
    const err = e as { message: string; code?: string };
    const row = failingRow(text, ';', e);
    return done([{ ...(row ? { row } : {}), message: `CSV cannot be parsed: ${csvErrorMessage(err)}` }]);
  }
  const [headerRec, ...rows] = records;
  const header = headerRec!.record.map((h) => h.trim());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  for (const c of missing) problems.push({ row: 1, column: c, message: `missing column "${c}"` });
  if (missing.length > 0) return done(problems);
  const col = (rec: string[], name: string) => {
    const i = header.indexOf(name);
    return i < 0 ? undefined : rec[i];
  };

  const images = new Map<string, Promise<{ width: number; height: number } | string>>();
  const seen = new Map<string, number>();
  const docClassOf = new Map<string, { docClass: string; row: number }>();
  const counts = new Map<string, number>();
  const report = (kind: string, p: ValidationProblem) => {
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    if (n <= MAX_PER_KIND) problems.push(p);
  };

  let prevLines = headerRec!.info.lines;
  let prevEmpty = headerRec!.info.empty_lines;
  for (const { record, info } of rows) {
    // csv-parse reports the line a record ends on; an editor shows the line it starts on.
    const row = prevLines + 1 + (info.empty_lines - prevEmpty);
    prevLines = info.lines;
    prevEmpty = info.empty_lines;
    if (record.length !== header.length) {
      report('columns', {
        row,
        message: `has ${record.length} columns, the header has ${header.length} (a ";" inside a value must be quoted)`,
      });
      continue;
    }
    for (const c of [
      'data_index',
      'image_path',
      'question',
      'answer',
      'doc_class',
      'question_type',
    ] as const) {
      if ((col(record, c) ?? '').trim() === '')
        report(`empty:${c}`, { row, column: c, message: `${c} is empty` });
    }
    const docId = col(record, 'data_index') ?? '';
    const docClass = col(record, 'doc_class') ?? '';
    const questionType = col(record, 'question_type') ?? '';
    const answer = col(record, 'answer') ?? '';
    const imagePath = (col(record, 'image_path') ?? '').trim();

    if (docId && docClass) {
      const first = docClassOf.get(docId);
      if (!first) docClassOf.set(docId, { docClass, row });
      else if (first.docClass !== docClass) {
        report('doc_class', {
          row,
          column: 'doc_class',
          message: `document ${docId} is "${docClass}" here but "${first.docClass}" in row ${first.row}`,
        });
      }
    }

    const key = JSON.stringify([
      docId,
      imagePath,
      col(record, 'split'),
      questionType,
      col(record, 'question'),
    ]);
    const dup = seen.get(key);
    if (dup !== undefined) {
      report('duplicate', { row, message: `repeats row ${dup} (same document, image, split and question)` });
    } else seen.set(key, row);

    const check = questionType ? validatorForQuestionType(questionType) : undefined;
    if (check && answer.trim() !== '' && !check(answer)) {
      report(`check:${questionType}`, {
        row,
        column: 'answer',
        message: `"${answer}" is not a valid ${questionType} (checksum or format)`,
      });
    }

    let size: { width: number; height: number } | undefined;
    if (imagePath) {
      const abs = path.resolve(root, imagePath);
      const rel = path.relative(root, abs);
      if (path.isAbsolute(imagePath) || rel.startsWith('..') || path.isAbsolute(rel)) {
        report('outside', {
          row,
          column: 'image_path',
          message: `${imagePath} is outside the dataset folder`,
        });
      } else {
        let probe = images.get(abs);
        if (!probe) {
          probe = probeImage(root, abs, maxPixels);
          images.set(abs, probe);
        }
        const r = await probe;
        if (typeof r === 'string')
          report(`image:${r}`, { row, column: 'image_path', message: `${imagePath}: ${r}` });
        else size = r;
      }
    }

    const rawBox = (col(record, 'answer_bbox') ?? '').trim();
    if (rawBox !== '') {
      const msg = checkBbox(rawBox, size);
      if (msg) report('bbox', { row, column: 'answer_bbox', message: msg });
    }
  }
  if (rows.length === 0) problems.push({ message: `${ANNOTATION_FILE} has a header but no rows` });
  for (const [kind, n] of counts) {
    if (n > MAX_PER_KIND)
      problems.push({ message: `${n - MAX_PER_KIND} more problems like "${kind}" not listed` });
  }
  return done(problems);
}

function done(problems: ValidationProblem[]): ValidationResult {
  return { ok: problems.length === 0, problems };
}

async function probeImage(
  root: string,
  abs: string,
  maxPixels: number,
): Promise<{ width: number; height: number } | string> {
  const problem = await imageProblem(abs, maxPixels);
  if (problem) return problem === 'file not found' ? 'image file not found' : problem;
  if (!(await insideDataset(await realpath(root), abs)))
    return `is a symlink to ${await realpath(abs)}, outside the dataset folder`;
  const meta = await sharp(abs).metadata();
  return { width: meta.width ?? 0, height: meta.height ?? 0 };
}

/**
 * answer_bbox must be `[x0,y0,x1,y1]` (or a list of such boxes, as imports write when an answer spans
 * several places): integers, non-empty, inside the image when its size is known.
 */
function checkBbox(raw: string, size: { width: number; height: number } | undefined): string | undefined {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return `answer_bbox "${raw}" is not JSON; expected [x0,y0,x1,y1]`;
  }
  if (Array.isArray(v) && v.length > 0 && v.every(Array.isArray)) {
    for (const box of v) {
      const msg = checkBox(JSON.stringify(box), box, size);
      if (msg) return msg;
    }
    return undefined;
  }
  return checkBox(raw, v, size);
}

function checkBox(raw: string, v: unknown, size: { width: number; height: number } | undefined) {
  if (!Array.isArray(v) || v.length !== 4 || !v.every((n) => typeof n === 'number' && Number.isInteger(n))) {
    return `answer_bbox "${raw}" must be four integers [x0,y0,x1,y1]`;
  }
  const [x0, y0, x1, y1] = v as number[];
  if (x0! >= x1! || y0! >= y1!) return `answer_bbox ${raw} is empty or inverted (needs x0 < x1 and y0 < y1)`;
  if (x0! < 0 || y0! < 0) return `answer_bbox ${raw} has negative coordinates`;
  if (size && (x1! > size.width || y1! > size.height)) {
    return `answer_bbox ${raw} goes outside the ${size.width}×${size.height} image`;
  }
  return undefined;
}

/** Problems as issues for `throwIssues('VLMHB_DATASET_INVALID', ...)`, located in annotation.csv. */
export function problemsToIssues(dir: string, problems: ValidationProblem[]): VlmhbIssue[] {
  const file = path.join(path.resolve(dir), ANNOTATION_FILE);
  return problems.map((p) => ({
    code: 'VLMHB_DATASET_INVALID',
    message: p.message,
    where: {
      file,
      ...(p.row !== undefined ? { row: p.row } : {}),
      ...(p.column ? { column: p.column } : {}),
    },
  }));
}

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { originalPrefix, timestamp } from '../config/names.js';
import type { PlannedTask } from '../config/types.js';
import { VlmhbError } from '../errors.js';
import { writeCopyOnce } from './original-copy.js';

const BOM = '\ufeff';

/**
 * The original project's answers file, `ModelsAnswers/{dataset}_{framework}_{model}_{task}_answers_{stamp}.csv`
 * (`;`, UTF-8 with BOM, `id;model_answer`), so its notebooks and scripts keep working on our runs.
 * Failed items are written as empty answers, as the original scored them.
 */
export function writeOriginalAnswers(
  task: PlannedTask,
  records: readonly { id: number; answer: string | null }[],
  when: Date,
): string {
  mkdirSync(task.answersDir, { recursive: true });
  const prefix = `${originalPrefix(task)}_answers_`;
  const file = join(task.answersDir, `${prefix}${timestamp(when)}.csv`);
  const rows = records.map((r) => [r.id, r.answer ?? '']);
  const content = BOM + stringify(rows, { delimiter: ';', header: true, columns: ['id', 'model_answer'] });
  return writeCopyOnce(task.answersDir, prefix, '.csv', file, content);
}

/** Reads `id;model_answer` (BOM optional); errors name the file, row and column. */
export function readOriginalAnswers(file: string): Map<number, string> {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new VlmhbError('VLMHB_FILE_NOT_FOUND', 'cannot read answers file', { where: { file }, cause: e });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch (e) {
    throw new VlmhbError('VLMHB_FILE_NOT_UTF8', 'file is not valid UTF-8', { where: { file }, cause: e });
  }
  if (text.startsWith(BOM)) text = text.slice(1);
  if (text.trim() === '')
    throw new VlmhbError('VLMHB_FILE_EMPTY', 'answers file is empty', { where: { file } });
  const header = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = header.includes(';') ? ';' : ',';
  let rows: string[][];
  try {
    rows = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    throw new VlmhbError('VLMHB_CSV_PARSE', `cannot parse CSV: ${(e as Error).message}`, {
      where: { file },
      cause: e,
    });
  }
  const cols = (rows[0] ?? []).map((c) => c.trim());
  const idCol = cols.indexOf('id');
  const ansCol = cols.indexOf('model_answer');
  for (const [name, idx] of [
    ['id', idCol],
    ['model_answer', ansCol],
  ] as const) {
    if (idx === -1) {
      throw new VlmhbError(
        'VLMHB_CSV_MISSING_COLUMN',
        `missing column "${name}"; found: ${cols.join(', ')}`,
        {
          where: { file, row: 1, column: name },
        },
      );
    }
  }
  const out = new Map<number, string>();
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i] as string[];
    const rawId = (row[idCol] ?? '').trim();
    if (!/^\d+$/.test(rawId)) {
      throw new VlmhbError('VLMHB_ANSWERS_INVALID', `id must be a non-negative integer, got "${rawId}"`, {
        where: { file, row: i + 1, column: 'id' },
      });
    }
    const id = Number(rawId);
    if (out.has(id)) {
      throw new VlmhbError('VLMHB_ANSWERS_INVALID', `duplicate id ${id}`, {
        where: { file, row: i + 1, column: 'id' },
      });
    }
    out.set(id, row[ansCol] ?? '');
  }
  return out;
}

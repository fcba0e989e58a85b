import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { VlmhbError } from '../errors.js';

/**
 * Shared CSV input helpers. Every user-facing failure is a VlmhbError located at file and row, so
 * the user can jump straight to the line in an editor.
 */

export type CsvDelimiter = ';' | ',' | '\t';

export interface CsvRecord {
  /** 1-based line where the record starts, as an editor shows it; the header is row 1. */
  row: number;
  /** Cell text by (trimmed) header name. */
  values: Record<string, string>;
}

export interface CsvTable {
  file: string;
  delimiter: CsvDelimiter;
  /** Header names, trimmed, in file order. */
  columns: string[];
  records: CsvRecord[];
}

const BOM = '\uFEFF';

/**
 * Reads a whole text file as strict UTF-8 and strips a leading BOM. Strict because a cp1251 file
 * decoded leniently turns Cyrillic answers into U+FFFD and every metric silently goes wrong.
 */
export async function readTextFile(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new VlmhbError('VLMHB_FILE_NOT_FOUND', 'file not found', { where: { file }, cause: e });
    if (code === 'EISDIR') {
      throw new VlmhbError('VLMHB_FILE_NOT_FOUND', 'expected a file, found a folder', {
        where: { file },
        cause: e,
      });
    }
    throw new VlmhbError('VLMHB_FILE_NOT_FOUND', `cannot read file: ${(e as Error).message}`, {
      where: { file },
      cause: e,
    });
  }
  const text = decodeUtf8(bytes, file);
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  if (body.trim() === '') throw new VlmhbError('VLMHB_FILE_EMPTY', 'file is empty', { where: { file } });
  return body;
}

function decodeUtf8(bytes: Buffer, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    const row = firstBadLine(bytes);
    throw new VlmhbError(
      'VLMHB_FILE_NOT_UTF8',
      'file is not valid UTF-8 (save it as UTF-8; Excel: "CSV UTF-8")',
      { where: row === undefined ? { file } : { file, row }, cause: e },
    );
  }
}

/** 1-based line holding the first invalid byte sequence, to point the user at it. */
function firstBadLine(bytes: Buffer): number | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    line++;
    start = end + 1;
  }
  return undefined;
}

/** The first line of `text` that is not blank. */
export function headerLine(text: string): string {
  for (const line of text.split(/\r?\n/)) if (line.trim() !== '') return line;
  return '';
}

/**
 * Guesses the separator from the header line: the candidate that occurs most often outside double
 * quotes, `;` winning ties (the original project's separator). Falls back to `;` for a one-column header.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const header = headerLine(text);
  const counts: Record<CsvDelimiter, number> = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ';' || ch === ',' || ch === '\t')) counts[ch]++;
  }
  let best: CsvDelimiter = ';';
  for (const d of [',', '\t'] as const) if (counts[d] > counts[best]) best = d;
  return best;
}

export interface ParseCsvOptions {
  delimiter: CsvDelimiter;
  /** Columns that must be in the header; a missing one is a VLMHB_CSV_MISSING_COLUMN error. */
  requiredColumns?: readonly string[];
}

/** Parses CSV text with a header row into records keyed by column name, each with its editor row. */
export function parseCsv(text: string, file: string, opts: ParseCsvOptions): CsvTable {
  let rows: { record: string[]; info: { lines: number; empty_lines: number } }[];
  try {
    rows = parse(text, {
      delimiter: opts.delimiter,
      info: true,
      skip_empty_lines: true,
      bom: true,
    }) as unknown as typeof rows;
  } catch (e) {
    const err = e as { code?: string; lines?: number; message: string };
    const row = failingRow(text, opts.delimiter, e);
    throw new VlmhbError('VLMHB_CSV_PARSE', `cannot parse CSV: ${csvErrorMessage(err)}`, {
      where: row === undefined ? { file } : { file, row },
      cause: e,
    });
  }
  const first = rows[0];
  if (!first) throw new VlmhbError('VLMHB_FILE_EMPTY', 'file has no header row', { where: { file } });
  const columns = first.record.map((c) => c.trim());
  const missing = (opts.requiredColumns ?? []).filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new VlmhbError(
      'VLMHB_CSV_MISSING_COLUMN',
      `missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}; header has ${columns
        .map((c) => `"${c}"`)
        .join(', ')}`,
      { where: { file, row: startRow(rows, 0), column: missing[0] } },
    );
  }
  const records: CsvRecord[] = [];
  for (let i = 1; i < rows.length; i++) {
    const r = rows[i]!;
    const values: Record<string, string> = {};
    columns.forEach((c, j) => {
      values[c] = r.record[j] ?? '';
    });
    records.push({ row: startRow(rows, i), values });
  }
  return { file, delimiter: opts.delimiter, columns, records };
}

/**
 * csv-parse reports the line a record ends on; a quoted cell may span lines, so the start line is
 * the previous record's end plus the blank lines skipped in between.
 */
function startRow(rows: { info: { lines: number; empty_lines: number } }[], i: number): number {
  const cur = rows[i]!.info;
  const prev = i > 0 ? rows[i - 1]!.info : { lines: 0, empty_lines: 0 };
  return prev.lines + 1 + (cur.empty_lines - prev.empty_lines);
}

/**
 * The editor row a csv-parse error belongs to. For a quote never closed, csv-parse names the last line of
 * the file (it read to the end looking for the closing quote); the mistake is on the line where the
 * record holding that quote starts, i.e. just after the last record it parsed.
 */
export function failingRow(text: string, delimiter: CsvDelimiter, e: unknown): number | undefined {
  const err = e as { code?: string; lines?: number; records?: number };
  if (err.code !== 'CSV_QUOTE_NOT_CLOSED' || err.records === undefined) return err.lines;
  let lastEnd = 0;
  if (err.records > 0) {
    const done = parse(text, {
      delimiter,
      info: true,
      skip_empty_lines: true,
      bom: true,
      to: err.records,
    }) as unknown as { info: { lines: number } }[];
    lastEnd = done.at(-1)?.info.lines ?? 0;
  }
  const lines = text.split('\n');
  let row = lastEnd + 1;
  while (row <= lines.length && (lines[row - 1] ?? '').trim() === '') row++;
  return row;
}

/** csv-parse's message without its own (misleading, for unclosed quotes) line number. */
export function csvErrorMessage(err: { code?: string; message: string }): string {
  if (err.code === 'CSV_QUOTE_NOT_CLOSED')
    return 'a quoted cell opened in this row is never closed (write a quote inside a cell as "")';
  return err.message;
}

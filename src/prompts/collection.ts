import { resolve } from 'node:path';
import type { VlmhbIssue } from '../errors.js';
import { throwIssues, VlmhbError } from '../errors.js';
import { detectDelimiter, parseCsv, readTextFile } from '../util/csv.js';
import { canonicalCollectionKey } from './keys.js';
import type { PromptCollection } from './types.js';

/** The two known layouts: the original project's and the seed design document's. */
const LAYOUTS = [
  { key: 'doc_class_question_type', prompt: 'prompt', cer: 'cer' },
  { key: 'doc_type_question_type', prompt: 'optimal_prompt', cer: 'cer' },
] as const;

/**
 * Reads a prompt collection CSV: `prompt;doc_class_question_type[;cer]` (original) or
 * `doc_type_question_type,optimal_prompt` (seed). The separator comes from the header; quoted
 * multi-line prompts are kept whole. Duplicate keys are errors: which prompt was meant is unknowable.
 */
export async function loadPromptCollection(file: string): Promise<PromptCollection> {
  const abs = resolve(file);
  const text = await readTextFile(abs);
  const table = parseCsv(text, abs, { delimiter: detectDelimiter(text) });
  const layout = LAYOUTS.find((l) => table.columns.includes(l.key) && table.columns.includes(l.prompt));
  if (!layout) {
    throw new VlmhbError(
      'VLMHB_CSV_MISSING_COLUMN',
      `prompt collection needs columns "prompt" and "doc_class_question_type" (or "doc_type_question_type" and ` +
        `"optimal_prompt"); header has ${table.columns.map((c) => `"${c}"`).join(', ')}`,
      { where: { file: abs, row: 1 } },
    );
  }
  const prompts = new Map<string, string>();
  const cer = new Map<string, number>();
  /** By canonical key: `СНИЛС Фамилия` and `snils фамилия` are one key written twice. */
  const firstRow = new Map<string, { row: number; key: string }>();
  const issues: VlmhbIssue[] = [];
  for (const rec of table.records) {
    const key = (rec.values[layout.key] ?? '').trim();
    const prompt = rec.values[layout.prompt] ?? '';
    if (key === '') {
      issues.push({
        code: 'VLMHB_CSV_PARSE',
        message: 'empty key',
        where: { file: abs, row: rec.row, column: layout.key },
      });
      continue;
    }
    const canonical = canonicalCollectionKey(key);
    const seen = firstRow.get(canonical);
    if (seen !== undefined) {
      issues.push({
        code: 'VLMHB_CSV_PARSE',
        message:
          seen.key === key
            ? `key "${key}" repeats row ${seen.row}`
            : `key "${key}" is the same key as "${seen.key}" on row ${seen.row} (keys match ignoring case, ё/е, spaces and aliases)`,
        where: { file: abs, row: rec.row, column: layout.key },
      });
      continue;
    }
    firstRow.set(canonical, { row: rec.row, key });
    if (prompt.trim() === '') {
      issues.push({
        code: 'VLMHB_CSV_PARSE',
        message: `empty prompt for "${key}"`,
        where: { file: abs, row: rec.row, column: layout.prompt },
      });
      continue;
    }
    prompts.set(key, prompt);
    const cerCell = (rec.values[layout.cer] ?? '').trim();
    if (cerCell !== '') {
      const n = Number(cerCell.replace(',', '.'));
      if (Number.isFinite(n)) cer.set(key, n);
      else
        issues.push({
          code: 'VLMHB_CSV_PARSE',
          message: `cer "${cerCell}" is not a number`,
          where: { file: abs, row: rec.row, column: layout.cer },
        });
    }
  }
  if (issues.length > 0)
    throwIssues('VLMHB_CSV_PARSE', `prompt collection ${abs} has ${issues.length} problem(s):`, issues);
  return { file: abs, prompts, cer };
}

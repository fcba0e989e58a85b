import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { VlmhbError } from '../errors.js';
import type { CompareResult } from './compare.js';

export interface SelectedPrompt {
  /** `doc_class question_type`, the collection key. */
  field: string;
  prompt: string;
  cer: number;
  cer_ci: [number, number];
  /** Where it came from: the collection, the dataset it was scored on, and when. */
  source: {
    collection: string;
    file: string;
    run_dir: string;
    index: number;
    dataset: string;
    dataset_sha256: string;
    /** When the comparison that chose it ran. */
    date: string;
  };
  rank: number;
  /** Collections sharing rank 1 on this field: statistically no worse. */
  tied_with: string[];
  /** Best vs runner-up on this field. */
  runner_up: string | null;
  p_vs_runner_up: number | null;
  significant: boolean;
}

export function readCompareResult(file: string): CompareResult {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new VlmhbError('VLMHB_FILE_NOT_FOUND', `cannot read a compare result: ${(e as Error).message}`, {
      where: { file },
      cause: e,
    });
  }
  const r = raw as Partial<CompareResult>;
  if (r?.kind !== 'vlmhb.prompts.compare' || r.version !== 1 || !Array.isArray(r.collections) || !r.ranking)
    throw new VlmhbError(
      'VLMHB_USAGE',
      'not a `vlmhb prompts compare` result (compare.json with kind "vlmhb.prompts.compare", version 1)',
      { where: { file } },
    );
  return r as CompareResult;
}

/**
 * Per field, the collection ranked first (lowest CER among those no test beats) and its prompt. Ties in
 * rank are broken by the CER estimate, then by the order the collections were given.
 */
export function selectBest(r: CompareResult): SelectedPrompt[] {
  return Object.entries(r.ranking.by_field).map(([field, ranking]) => {
    const top = ranking.entries[0];
    const c = top ? r.collections[top.index] : undefined;
    const g = c?.by_field[field];
    if (!top || !c || !g) throw new VlmhbError('VLMHB_USAGE', `compare result has no ranking for "${field}"`);
    const ru = ranking.best.runnerUp === null ? null : (r.collections[ranking.best.runnerUp]?.name ?? null);
    return {
      field,
      prompt: g.prompt,
      cer: g.cer.estimate,
      cer_ci: [g.cer.lo, g.cer.hi],
      source: {
        collection: c.name,
        file: c.file,
        run_dir: c.runDir,
        index: c.index,
        dataset: r.dataset.dir,
        dataset_sha256: r.dataset.annotation_sha256,
        date: r.created_at,
      },
      rank: top.rank,
      tied_with: ranking.entries
        .filter((e) => e.rank === top.rank && e.index !== top.index)
        .map((e) => r.collections[e.index]?.name ?? ''),
      runner_up: ru,
      p_vs_runner_up: ranking.best.p,
      significant: ranking.best.beats,
    };
  });
}

/**
 * Writes the chosen collection in the original project's format (`prompt;doc_class_question_type;cer`,
 * UTF-8 with BOM as pandas' utf-8-sig writes it) and, beside it, `<name>.source.json` saying where each
 * prompt came from (collection, dataset, date, statistics).
 */
export function writeSelection(
  r: CompareResult,
  chosen: SelectedPrompt[],
  out: string,
): { csv: string; sidecar: string } {
  const csv = resolve(out);
  const rows = chosen.map((c) => [c.prompt, c.field, Number(c.cer.toFixed(6))]);
  writeFileSync(
    csv,
    `\ufeff${stringify(rows, { delimiter: ';', header: true, columns: ['prompt', 'doc_class_question_type', 'cer'] })}`,
  );
  const sidecar = `${csv.replace(/\.csv$/i, '')}.source.json`;
  writeFileSync(
    sidecar,
    `${JSON.stringify(
      {
        kind: 'vlmhb.prompts.selection',
        created_from: r.created_at,
        dataset: r.dataset,
        framework: r.framework,
        model: r.model,
        confidence: r.confidence,
        prompts: chosen,
      },
      null,
      2,
    )}\n`,
  );
  return { csv, sidecar };
}

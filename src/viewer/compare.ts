import type { ReportTask } from '../report/html/model.js';
import { taskCer } from '../report/html/model.js';

/** One compared quantity across runs: values, change against the first run (the baseline), the best. */
export interface CompareRow {
  key: string;
  values: (number | null)[];
  /** value − baseline; null where either is missing (and for the baseline itself). */
  deltas: (number | null)[];
  /** Indices of the runs with the best value (ties share it); empty when fewer than two are measured. */
  best: number[];
  lowerIsBetter: boolean;
  /** Decimals to show: counts are whole numbers. */
  digits: number;
}

export function compareRow(
  key: string,
  values: (number | null)[],
  lowerIsBetter: boolean,
  digits = 4,
): CompareRow {
  const base = values[0] ?? null;
  const measured = values.filter((v): v is number => v !== null);
  const target = measured.length < 2 ? null : lowerIsBetter ? Math.min(...measured) : Math.max(...measured);
  return {
    key,
    values,
    deltas: values.map((v, i) => (i === 0 || v === null || base === null ? null : v - base)),
    best: target === null ? [] : values.flatMap((v, i) => (v === target ? [i] : [])),
    lowerIsBetter,
    digits,
  };
}

/** Overall rows: quality first, then speed, memory and cost. */
export function compareOverall(tasks: readonly ReportTask[]): CompareRow[] {
  const m = (k: string) => tasks.map((t) => t.overall[k] ?? null);
  return [
    compareRow('CER', tasks.map(taskCer), true),
    compareRow('ANLS', m('anls'), false),
    compareRow('Exact match', m('exact_match'), false),
    compareRow('Docs all correct', m('doc_all_correct'), false),
    compareRow(
      'Seconds per document',
      tasks.map((t) => t.secondsPerDoc),
      true,
    ),
    compareRow(
      'GPU memory, GB',
      tasks.map((t) => t.gpuMemoryGb),
      true,
    ),
    compareRow(
      'Cost per 1,000 docs',
      tasks.map((t) => t.cost?.per1000 ?? null),
      true,
    ),
    compareRow(
      'Failed answers',
      tasks.map((t) => t.status.failed),
      true,
    ),
  ].filter((r) => r.values.some((v) => v !== null));
}

/** Per-field rows of one metric (CER: lower is better; ANLS, exact match: higher). */
export function compareFields(tasks: readonly ReportTask[], metric = 'cer'): CompareRow[] {
  const keys = [...new Set(tasks.flatMap((t) => Object.keys(t.byField)))].sort((a, b) =>
    a.localeCompare(b, 'ru'),
  );
  return keys.map((k) =>
    compareRow(
      k,
      tasks.map((t) => t.byField[k]?.[metric] ?? null),
      metric === 'cer' || metric === 'wer',
    ),
  );
}

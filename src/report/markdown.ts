import type { GroupMetrics } from '../metrics/aggregate.js';
import type { SpeedStats } from '../metrics/speed.js';

type Numbers = Partial<Record<string, number>>;

/** One row of the end-of-run summary: a task's overall scores and speed. */
export interface SummaryRow {
  dataset: string;
  framework: string;
  model: string;
  promptCollection: string;
  /** 'field' (one request per field) or 'document' (one JSON request per document). */
  mode: string;
  overall: Numbers;
  /** CER and exact match under the `loose` preset, shown beside the raw ones. */
  overallLoose?: Numbers;
  speed?: SpeedStats;
  errors: number;
  n: number;
}

const METRIC_COLUMNS: [key: string, title: string, digits: number][] = [
  ['cer', 'CER', 4],
  ['wer', 'WER', 4],
  ['bleu', 'BLEU', 2],
  ['anls', 'ANLS', 4],
  ['exact_match', 'EM', 4],
  ['doc_all_correct', 'Docs all correct', 4],
];

/** Raw numbers next to these: "right answer, wrong case" shows as a gap between the two. */
const LOOSE_COLUMNS: [key: string, title: string, digits: number][] = [
  ['cer', 'CER loose', 4],
  ['exact_match', 'EM loose', 4],
];

function fmt(v: number | undefined, digits: number): string {
  return v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits);
}

/** Escapes what would break a Markdown table cell: pipes and newlines. */
export function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function markdownSummary(rows: SummaryRow[]): string {
  const present = METRIC_COLUMNS.filter(([k]) => rows.some((r) => r.overall[k] !== undefined));
  const loose = rows.some((r) => r.overallLoose) ? LOOSE_COLUMNS : [];
  const head = ['Dataset', 'Framework', 'Model', 'Prompts', 'Mode', 'n', ...present.map(([, t]) => t)];
  head.push(...loose.map(([, t]) => t), 'Errors', 'p50 ms/doc', 'p95 ms/doc', 'docs/s');
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const cells = [r.dataset, r.framework, r.model, r.promptCollection || '(dataset questions)', r.mode].map(
      mdCell,
    );
    cells.push(String(r.n));
    for (const [k, , d] of present) cells.push(fmt(r.overall[k], d));
    for (const [k, , d] of loose) cells.push(fmt(r.overallLoose?.[k], d));
    cells.push(String(r.errors));
    cells.push(fmt(r.speed?.documentLatencyMs.p50, 0), fmt(r.speed?.documentLatencyMs.p95, 0));
    cells.push(fmt(r.speed?.docsPerSecond, 2));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Per-group table (by document type or by field) for one task; `loose` adds the loose-preset columns. */
export function markdownGroups(
  title: string,
  groups: Record<string, GroupMetrics>,
  loose?: Record<string, Numbers>,
): string {
  const keys = Object.keys(groups).sort((a, b) => a.localeCompare(b, 'ru'));
  if (keys.length === 0) return '';
  const present = METRIC_COLUMNS.filter(([k]) =>
    keys.some((g) => (groups[g] as Numbers | undefined)?.[k] !== undefined),
  );
  const looseCols = loose ? LOOSE_COLUMNS : [];
  const head = [title, 'n', ...present.map(([, t]) => t), ...looseCols.map(([, t]) => t)];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const g of keys) {
    const m: Numbers = { ...groups[g] };
    const cells = [mdCell(g), String(m['n'] ?? ''), ...present.map(([k, , d]) => fmt(m[k], d))];
    for (const [k, , d] of looseCols) cells.push(fmt(loose?.[g]?.[k], d));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

import type { GroupMetrics } from '../metrics/aggregate.js';
import type { SpeedStats } from '../metrics/speed.js';
import type { LimitVerdict, TaskOutcome } from './outcome.js';

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
  /** Status, timing, resources, cost and limits (absent when re-scoring an answers file). */
  outcome?: TaskOutcome;
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
  const withOutcome = rows.some((r) => r.outcome);
  if (withOutcome) head.push('Load s', 'Peak GPU MiB', 'Peak RSS MiB', 'Cost / 1000 docs', 'Limits');
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const cells = [r.dataset, r.framework, r.model, r.promptCollection || '(dataset questions)', r.mode].map(
      mdCell,
    );
    const st = r.outcome?.status;
    cells.push(st?.partial ? `${r.n} of ${st.total} (partial)` : String(r.n));
    for (const [k, , d] of present) cells.push(fmt(r.overall[k], d));
    for (const [k, , d] of loose) cells.push(fmt(r.overallLoose?.[k], d));
    cells.push(errorsCell(r.errors, st?.errors_by_code));
    cells.push(fmt(r.speed?.documentLatencyMs.p50, 0), fmt(r.speed?.documentLatencyMs.p95, 0));
    cells.push(fmt(r.speed?.docsPerSecond, 2));
    if (withOutcome) {
      const o = r.outcome;
      cells.push(
        fmt(o?.timing.model_load_s ?? undefined, 1),
        fmt(o?.resources.gpu_memory_peak_mb ?? undefined, 0),
        fmt(o?.resources.rss_peak_mb ?? undefined, 0),
        o?.cost ? `${o.cost.per_1000_docs.toFixed(2)} ${mdCell(o.cost.currency)}` : '–',
        o ? limitsCell(o.limits) : '–',
      );
    }
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

/** `3 (http_500: 2, timeout: 1)`: failed items are errors, shown by code next to the metrics. */
function errorsCell(errors: number, byCode: Record<string, number> | undefined): string {
  const codes = Object.entries(byCode ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (errors === 0 || codes.length === 0) return String(errors);
  return `${errors} (${codes.map(([c, n]) => `${mdCell(c)}: ${n}`).join(', ')})`;
}

function verdict(v: LimitVerdict): string {
  return v.pass === null ? 'unknown' : v.pass ? 'pass' : 'FAIL';
}

/** Every limit's verdict in one cell: the failed and the unmeasured by name, `pass` when all passed. */
function limitsCell(limits: readonly LimitVerdict[]): string {
  if (limits.length === 0) return '–';
  const names = (pass: boolean | null) => limits.filter((l) => l.pass === pass).map((l) => l.name);
  const failed = names(false);
  const unknown = names(null);
  const parts =
    failed.length > 0 ? [`FAIL: ${failed.join(', ')}`] : unknown.length < limits.length ? ['pass'] : [];
  if (unknown.length > 0) parts.push(`unknown: ${unknown.join(', ')}`);
  return parts.join('; ');
}

/** The per-task section on how the run went: status, errors by code, timing, memory, cost, limits. */
export function markdownOutcome(o: TaskOutcome): string {
  const s = o.status;
  const t = o.timing;
  const r = o.resources;
  const lines = [
    '\n## Run\n',
    `- Status: ${s.complete ? 'complete' : 'partial'} — ${s.answered} answered, ${s.failed} failed, ${s.total - s.answered - s.failed} not asked, of ${s.total}`,
  ];
  if (s.from_cache)
    lines.push(
      `- From the answer cache: ${s.from_cache} of ${s.answered + s.failed} answers (not asked now; left out of the speed figures)`,
    );
  if (s.failed > 0) {
    lines.push(
      `- Errors by code: ${Object.entries(s.errors_by_code)
        .map(([c, n]) => `${mdCell(c)} ${n}`)
        .join(', ')}`,
    );
    const w = o.overall_with_errors;
    if (w) {
      const parts = METRIC_COLUMNS.filter(([k]) => w[k] !== undefined).map(
        ([k, title, d]) => `${title} ${fmt(w[k], d)}`,
      );
      lines.push(`- With errors counted as empty answers (n = ${w.n}): ${parts.join(', ')}`);
    }
  }
  lines.push(
    `- Time: wall ${t.wall_s.toFixed(1)} s, model load ${t.model_load_s === null ? '–' : `${t.model_load_s.toFixed(1)} s`}, model ${t.model_s.toFixed(1)} s, ${fmt(t.docs_per_s ?? undefined, 2)} docs/s, ${fmt(t.requests_per_s ?? undefined, 2)} requests/s`,
    `- Device: ${r.device}; peak GPU memory ${r.gpu_memory_peak_mb === null ? '–' : `${r.gpu_memory_peak_mb.toFixed(0)} MiB`}; server RSS peak ${r.rss_peak_mb === null ? '–' : `${r.rss_peak_mb.toFixed(0)} MiB`}`,
    `- Cost per 1,000 documents: ${o.cost ? `${o.cost.per_1000_docs.toFixed(2)} ${mdCell(o.cost.currency)} (GPU at ${o.cost.gpu_price_per_hour} ${mdCell(o.cost.currency)}/h)` : '– (no gpu_price_per_hour in the config)'}`,
  );
  if (o.limits.length > 0) {
    lines.push('', '| Limit | Max / min | Value | Verdict |', '|---|---|---|---|');
    for (const l of o.limits)
      lines.push(
        `| ${l.name} | ${l.limit} | ${l.value === null ? '–' : Number(l.value.toPrecision(4))} | ${verdict(l)} |`,
      );
  }
  return `${lines.join('\n')}\n`;
}

import { mdCell } from '../markdown.js';
import { fmt } from './escape.js';
import { type ReportModel, type ReportTask, taskCer } from './model.js';
import { limitText } from './verdict.js';

const TITLES: Record<string, string> = {
  cer: 'CER',
  wer: 'WER',
  bleu: 'BLEU',
  anls: 'ANLS',
  exact_match: 'EM',
  doc_all_correct: 'Docs all correct',
};

function table(head: string[], rows: string[][]): string {
  return [
    `| ${head.map(mdCell).join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`),
  ].join('\n');
}

function limitsText(t: ReportTask): string {
  return t.limits
    .map((l) => {
      const { name, op } = limitText(l);
      return `${name} ${op} ${l.limit}: ${l.pass === null ? 'n/a' : l.pass ? 'pass' : 'FAIL'}`;
    })
    .join('; ');
}

/** The Markdown summary for a merge-request comment: verdict, leaderboard, CER per field. */
export function renderMarkdown(m: ReportModel): string {
  const metrics = m.metricKeys;
  const lb = table(
    [
      '#',
      'Task',
      'Verdict',
      ...metrics.map((k) => TITLES[k] ?? k),
      's / doc',
      'p90 s / doc',
      'GPU GB',
      'Cost / 1,000 docs',
      'Errors',
      'Limits',
    ],
    m.leaderboard.map((ti, rank) => {
      const t = m.tasks[ti]!;
      return [
        String(rank + 1),
        t.label,
        `${t.verdict}${m.pareto.includes(ti) ? ' (Pareto)' : ''}`,
        ...metrics.map((k) => fmt(t.overall[k], k === 'bleu' ? 2 : 4)),
        fmt(t.secondsPerDoc, 3),
        fmt(t.docLatencyMs ? t.docLatencyMs.p90 / 1000 : null, 3),
        fmt(t.gpuMemoryGb, 1),
        t.cost ? `${t.cost.per1000.toFixed(2)} ${t.cost.currency}` : 'n/a',
        t.status.partial ? `partial (${t.status.failed} failed)` : String(t.status.failed),
        limitsText(t),
      ];
    }),
  );
  const fields = [...new Set(m.tasks.flatMap((t) => Object.keys(t.byField)))].sort((a, b) =>
    a.localeCompare(b, 'ru'),
  );
  const perField =
    fields.length > 0
      ? `\n\n## CER per field\n\n${table(
          ['Field', ...m.tasks.map((_, i) => `${i + 1}`)],
          fields.map((f) => [f, ...m.tasks.map((t) => fmt(t.byField[f]?.['cer']))]),
        )}\n\n${m.tasks.map((t, i) => `${i + 1}. ${mdCell(t.label)} (${mdCell(t.id)})`).join('\n')}`
      : '';
  // A cached answer cost this run no model time: a reader comparing speeds must know how many there were.
  const cached = m.leaderboard.filter((ti) => m.tasks[ti]!.status.fromCache > 0);
  const cacheNote =
    cached.length > 0
      ? `\n\nFrom the answer cache (not asked now, left out of the speed figures): ${cached
          .map((ti) => `${mdCell(m.tasks[ti]!.label)} ${m.tasks[ti]!.status.fromCache}`)
          .join('; ')}.`
      : '';
  const best = m.tasks[m.leaderboard[0] ?? -1];
  const lead = best
    ? `Best: **${mdCell(best.label)}** (CER ${fmt(taskCer(best))}, ${fmt(best.secondsPerDoc, 3)} s per document); ${m.tasks.filter((t) => t.verdict === 'pass').length} of ${m.tasks.length} task(s) meet every measured limit.`
    : 'No runs.';
  return `# ${m.title}\n\n${lead}\n\n${lb}${cacheNote}${perField}\n\n_Generated ${m.generatedAt} by vlmhb ${m.toolVersion}; ${m.answers.task.length} answers._\n`;
}

/** The model for machines: everything but the per-answer rows and images (answers.jsonl holds those). */
export function renderJson(m: ReportModel): string {
  const { answers: _answers, images: _images, ...rest } = m;
  return `${JSON.stringify(
    {
      ...rest,
      leaderboard: m.leaderboard.map((i) => m.tasks[i]!.id),
      pareto: m.pareto.map((i) => m.tasks[i]!.id),
      answers: m.answers.task.length,
    },
    null,
    2,
  )}\n`;
}

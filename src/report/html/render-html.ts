import { createHash } from 'node:crypto';
import { type PageAssets, pageAssets } from './assets.js';
import { escapeHtml as e, fmt, jsonForScript } from './escape.js';
import { type ReportModel, type ReportTask, taskCer } from './model.js';
import { packAnswers } from './pack.js';
import { limitText } from './verdict.js';

const METRIC_TITLES: Record<string, string> = {
  cer: 'CER',
  wer: 'WER',
  bleu: 'BLEU',
  anls: 'ANLS',
  exact_match: 'EM',
  doc_all_correct: 'Docs all correct',
};

function sha256(s: string): string {
  return `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
}

/**
 * The page's policy: nothing may be fetched (default-src 'none'), only the page's inline scripts
 * (pinned by hash) run, images and fonts come from data: URLs. Inline style stays allowed because
 * ECharts positions its tooltip and canvas with style attributes.
 */
export function contentSecurityPolicy(scripts: readonly string[]): string {
  return [
    "default-src 'none'",
    `script-src ${scripts.map(sha256).join(' ')}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    'font-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function limitChip(l: ReportTask['limits'][number]): string {
  const cls = l.pass === null ? 'na' : l.pass ? 'pass' : 'fail';
  const mark = l.pass === null ? 'n/a' : l.pass ? '✓' : '✗';
  const value = l.value === null ? 'n/a' : l.value < 10 ? l.value.toFixed(3) : l.value.toFixed(1);
  const { name, op } = limitText(l);
  return `<span class="chip ${cls}" title="${e(`${name} ${op} ${l.limit}`)}">${e(name)} ${op} ${e(String(l.limit))}: ${e(value)} ${mark}</span>`;
}

function statusText(t: ReportTask): string {
  const s = t.status;
  const of = s.total === null ? '' : ` of ${s.total}`;
  if (s.partial) return `partial: ${s.answered + s.failed}${of} asked`;
  return s.failed > 0 ? `${s.failed} failed${of ? `${of}` : ''}` : 'complete';
}

/** Answers the model was not asked this time: their speed is not in the task's figures. */
function cacheBadge(t: ReportTask): string {
  const n = t.status.fromCache;
  if (n <= 0) return '';
  return ` <span class="chip cache" title="served from the answer cache (src/cache/): not asked now, left out of the speed figures">${n} answer${n === 1 ? '' : 's'} from cache</span>`;
}

function cost(t: ReportTask): string {
  return t.cost ? `${t.cost.per1000.toFixed(2)} ${e(t.cost.currency)}` : 'n/a';
}

function verdictSection(m: ReportModel): string {
  const metricCols = m.metricKeys.filter((k) => k !== 'wer' && k !== 'bleu');
  const withErrors = m.tasks.some((t) => t.overallWithErrors !== null);
  const head = [
    '#',
    'Task',
    'Verdict',
    'Limits',
    ...metricCols.map((k) => METRIC_TITLES[k] ?? k),
    ...(withErrors ? ['CER incl. errors'] : []),
    's / doc',
    'p90 s / doc',
    'GPU GB',
    'Cost / 1,000 docs',
    'Status',
  ];
  const rows = m.leaderboard.map((ti, rank) => {
    const t = m.tasks[ti]!;
    const cells = [
      String(rank + 1),
      `<span class="task-label">${e(t.label)}</span><br><span class="muted">${e(t.id)}</span>`,
      `<span class="verdict ${t.verdict === 'n/a' ? 'na' : t.verdict}">${t.verdict.toUpperCase()}</span>${m.pareto.includes(ti) ? ' <span class="chip front" title="on the Pareto front">Pareto</span>' : ''}`,
      t.limits.map(limitChip).join(' '),
      ...metricCols.map((k) => fmt(t.overall[k], k === 'bleu' ? 2 : 4)),
      ...(withErrors ? [fmt(t.overallWithErrors?.['cer'])] : []),
      fmt(t.secondsPerDoc, 3),
      fmt(t.docLatencyMs ? t.docLatencyMs.p90 / 1000 : null, 3),
      fmt(t.gpuMemoryGb, 1),
      cost(t),
      e(statusText(t)) + cacheBadge(t),
    ];
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  const best = m.tasks[m.leaderboard[0] ?? -1];
  const passing = m.tasks.filter((t) => t.verdict === 'pass').length;
  const summary = best
    ? `<p class="lead">Best: <b>${e(best.label)}</b> (CER ${fmt(taskCer(best))}, ${fmt(best.secondsPerDoc, 3)} s per document). ${passing} of ${m.tasks.length} task(s) meet every measured limit${m.tasks.some((t) => t.limitsSource === 'defaults') ? ' (default limits where a run sets none: ≤ 1 s per document on average, no document over 5 s, ≤ 48 GB GPU memory)' : ''}.</p>`
    : '<p class="lead">No runs.</p>';
  return `<section id="verdict"><h2>Verdict</h2>${summary}
<div class="scroll"><table class="grid" id="leaderboard"><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`;
}

function latencyTable(m: ReportModel): string {
  const rows = m.tasks.map(
    (t) =>
      `<tr><td>${e(t.label)}</td><td>${fmt(t.docLatencyMs?.p50, 0)}</td><td>${fmt(t.docLatencyMs?.p90, 0)}</td><td>${fmt(t.docLatencyMs?.p99, 0)}</td><td>${fmt(t.docsPerSecond, 2)}</td></tr>`,
  );
  return `<table class="grid compact"><thead><tr><th>Task</th><th>p50 ms / doc</th><th>p90</th><th>p99</th><th>docs / s</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function chartsSection(m: ReportModel): string {
  const box = (id: string, title: string, note = '', extra = '', wide = false) =>
    `<figure class="chart-box${wide ? ' wide' : ''}"><figcaption>${e(title)}${note ? ` <span class="muted">${e(note)}</span>` : ''}</figcaption><div class="chart" id="${id}" data-chart="${id}"></div>${extra}</figure>`;
  const parts = [
    box('chart-heatmap', 'CER per field × task', 'lower is better', '', true),
    box('chart-doctype', 'CER per document type'),
    box('chart-split', 'CER per augmentation (split)'),
    box('chart-latency', 'Seconds per document: distribution', 'p50 / p90 / p99 marked', latencyTable(m)),
    box(
      'chart-pareto',
      'Accuracy (1 − CER) vs seconds per document',
      'bubble size: GPU memory; ◆ Pareto front',
    ),
  ];
  if (m.sweeps.length > 0) parts.push(box('chart-sweep', 'CER vs resolution'));
  m.promptComparisons.forEach((p, i) => {
    parts.push(box(`chart-prompts-${i}`, `Prompt collections side by side: ${p.label}`, 'CER per field'));
  });
  const none = [
    m.sweeps.length === 0 ? 'no resolution sweep (tasks differing only in long_side / max_pixels)' : '',
    m.promptComparisons.length === 0 ? 'no prompt-collection comparison' : '',
  ].filter(Boolean);
  return `<section id="charts"><h2>Charts</h2><div class="charts">${parts.join('')}</div>${none.length ? `<p class="muted">Not in these runs: ${e(none.join('; '))}.</p>` : ''}</section>`;
}

function browserSection(m: ReportModel): string {
  const n = m.answers.task.length;
  return `<section id="errors"><h2>Error browser</h2>
<div class="filters">
<label>Task <select id="f-task"><option value="">all</option></select></label>
<label>Document type <select id="f-doctype"><option value="">all</option></select></label>
<label>Field <select id="f-field"><option value="">all</option></select></label>
<label>Split <select id="f-split"><option value="">all</option></select></label>
<label>Search <input id="f-text" type="search" placeholder="answer, expected, doc id"></label>
<label class="check"><input id="f-wrong" type="checkbox" checked> wrong answers only</label>
<span id="row-count" class="muted">${n} answers</span>
</div>
<div class="eb-head" id="eb-head">
<span class="c-img">Image</span><span class="c-task sortable" data-sort="task">Task / document</span><span class="c-prompt">Prompt</span><span class="c-diff">Expected → answer</span><span class="c-num sortable" data-sort="cer">CER</span><span class="c-num sortable" data-sort="anls">ANLS</span><span class="c-num sortable" data-sort="latency">ms</span>
</div>
<div id="eb-viewport" class="eb-viewport" tabindex="0"><div id="eb-spacer"></div></div>
<div id="lightbox" class="lightbox" hidden><div class="lb-inner"><div class="lb-frame"><img id="lb-img" alt=""><div id="lb-box" class="lb-box"></div></div><p id="lb-caption"></p><button type="button" id="lb-close">Close</button></div></div>
</section>`;
}

function metadataSection(m: ReportModel): string {
  const head = [
    'Task',
    'Framework',
    'Version',
    'Model',
    'Settings',
    'Dataset',
    'Prompts',
    'System prompt',
    'Normalisation',
    'Machine',
    'Executor',
    'Started',
    'Tool',
  ];
  const rows = m.tasks.map((t) => {
    const settings = Object.entries(t.settings)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ');
    const cells = [
      `${t.id}`,
      t.framework,
      t.frameworkVersion ?? 'n/a',
      t.model,
      settings || 'n/a',
      `${t.dataset} (${t.datasetDir})`,
      t.promptCollection ?? '(dataset questions)',
      t.systemPrompt ?? 'none',
      t.normalization,
      t.run.machine ?? 'n/a',
      t.run.executor ?? 'n/a',
      t.run.startedAt ?? 'n/a',
      t.run.toolVersion ?? 'n/a',
    ];
    return `<tr>${cells.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`;
  });
  return `<section id="metadata"><h2>Run metadata</h2><div class="scroll"><table class="grid compact"><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`;
}

/** The page's scripts in page order: the diff, the answer decoder and the app, then ECharts last. */
function pageScripts(a: PageAssets): { first: string[]; last: string } {
  return { first: [a.diff, a.columns, a.app], last: a.echarts };
}

/** The policy the report page carries, for a server to send as a header too. */
export function reportCsp(): string {
  const { first, last } = pageScripts(pageAssets());
  return contentSecurityPolicy([...first, last]);
}

/** The whole report as one HTML document with every script, style, font and image inside it. */
export function renderHtml(m: ReportModel): string {
  const a = pageAssets();
  // The page reads top to bottom: the data and the app first, so the error browser's rows are drawn
  // before the enlarged views (most of the file) and ECharts have even been read; the app draws those
  // images and the charts once the whole document has been parsed.
  const scripts = pageScripts(a);
  const answers = m.answers.task.length;
  const warnings = m.warnings.length
    ? `<div class="warnings"><b>Warnings</b><ul>${m.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul></div>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(contentSecurityPolicy([...scripts.first, scripts.last]))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="vlmhb ${e(m.toolVersion)}">
<title>${e(m.title)}</title>
<style>${a.fonts}
${a.css}</style>
</head>
<body>
<header><h1>${e(m.title)}</h1><p class="muted">${m.tasks.length} task(s) · ${answers} answers · generated ${e(m.generatedAt)} by vlmhb ${e(m.toolVersion)}</p>
<nav><a href="#verdict">Verdict</a><a href="#charts">Charts</a><a href="#errors">Error browser</a><a href="#metadata">Run metadata</a></nav></header>
<main>${warnings}
${verdictSection(m)}
${chartsSection(m)}
${browserSection(m)}
${metadataSection(m)}
</main>
<script type="application/json" id="report-data">${jsonForScript({
    ...m,
    answers: packAnswers(m.answers),
    images: m.images.map(({ abs: _abs, full, ...img }) => (full ? { ...img, hasFull: true } : img)),
  })}</script>
${scripts.first.map((s) => `<script>${s}</script>`).join('\n')}
<script type="application/json" id="report-full-images">${jsonForScript(m.images.map((img) => img.full ?? null))}</script>
<script>${scripts.last}</script>
</body>
</html>
`;
}

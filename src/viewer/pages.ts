import { escapeHtml as e, fmt } from '../report/html/escape.js';
import type { ReportTask } from '../report/html/model.js';
import type { CompareRow } from './compare.js';

/** The viewer's own pages run no script at all: forms and links only. */
export const VIEWER_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'self'";

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1c2430;background:#f6f7f9}
header{background:#fff;border-bottom:1px solid #dde2e8;padding:14px 24px}h1{margin:0;font-size:20px}
main{padding:12px 24px}table{border-collapse:collapse;background:#fff;width:100%}
th,td{border-bottom:1px solid #dde2e8;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f0f2f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
.best{background:#e3f4e8;font-weight:700}.best::after{content:' ★'}.worse{color:#b3261e}.better{color:#1f7a3d}
.muted{color:#66707d}a{color:#2f5fb3}button{font:inherit;padding:4px 12px;margin:10px 0}`;

export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${e(VIEWER_CSP)}"><title>${e(title)}</title><style>${STYLE}</style></head><body><header><h1>${e(title)}</h1><a href="/">all runs</a></header><main>${body}</main></body></html>`;
}

export interface RunListItem {
  /** Path relative to the results folder, '/'-separated: the run's id in URLs. */
  rel: string;
  framework: string;
  model: string;
  dataset: string;
  prompts: string | null;
  cer: number | null;
  secondsPerDoc: number | null;
  answered: number | null;
  date: string | null;
}

export function listPage(root: string, runs: readonly RunListItem[]): string {
  const rows = runs.map(
    (r) => `<tr><td><input type="checkbox" name="run" value="${e(r.rel)}" aria-label="${e(r.rel)}"></td>
<td><a href="/report?run=${encodeURIComponent(r.rel)}">${e(r.rel)}</a></td><td>${e(r.framework)}</td><td>${e(r.model)}</td>
<td>${e(r.dataset)}</td><td>${e(r.prompts ?? '(dataset questions)')}</td><td class="n">${fmt(r.cer)}</td>
<td class="n">${fmt(r.secondsPerDoc, 3)}</td><td class="n">${r.answered ?? 'n/a'}</td><td>${e(r.date ?? 'n/a')}</td>
<td><a href="/files/${r.rel.split('/').map(encodeURIComponent).join('/')}/metrics.json">metrics.json</a></td></tr>`,
  );
  return page(
    'VLMHyperBench runs',
    `<p class="muted">${runs.length} run(s) in ${e(root)}. Tick two or more to compare them.</p>
<form method="get" action="/compare"><table id="runs"><thead><tr><th></th><th>Run</th><th>Framework</th><th>Model</th><th>Dataset</th><th>Prompts</th><th>CER</th><th>s / doc</th><th>Answers</th><th>Date</th><th>Files</th></tr></thead>
<tbody>${rows.join('')}</tbody></table><button type="submit" id="compare">Compare selected</button>
<button type="submit" formaction="/report" id="report-all">One report of the selected</button></form>`,
  );
}

function cell(row: CompareRow, i: number): string {
  const digits = row.digits;
  const v = row.values[i] ?? null;
  const d = row.deltas[i] ?? null;
  const best = row.best.includes(i);
  let delta = '';
  if (d !== null && d !== 0) {
    const better = row.lowerIsBetter ? d < 0 : d > 0;
    delta = ` <span class="${better ? 'better' : 'worse'}">(${d > 0 ? '+' : ''}${d.toFixed(digits)})</span>`;
  }
  return `<td class="n${best ? ' best' : ''}">${fmt(v, digits)}${delta}</td>`;
}

function compareTable(id: string, title: string, tasks: readonly ReportTask[], rows: CompareRow[]) {
  const head = tasks.map(
    (t, i) => `<th>${i === 0 ? 'baseline: ' : ''}${e(t.label)}<br><span class="muted">${e(t.id)}</span></th>`,
  );
  const body = rows.map(
    (r) =>
      `<tr><td>${e(r.key)}${r.lowerIsBetter ? ' <span class="muted">(lower is better)</span>' : ''}</td>${tasks.map((_, i) => cell(r, i)).join('')}</tr>`,
  );
  return `<h2>${e(title)}</h2><table id="${id}"><thead><tr><th></th>${head.join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

export function comparePage(
  tasks: readonly ReportTask[],
  overall: CompareRow[],
  fieldsCer: CompareRow[],
  fieldsAnls: CompareRow[],
  reportHref: string,
): string {
  return page(
    `Comparison of ${tasks.length} runs`,
    `<p class="muted">Deltas against the first run; ★ marks the best value of each row. <a href="${e(reportHref)}">Full report of these runs</a></p>
${compareTable('cmp-overall', 'Overall', tasks, overall)}
${compareTable('cmp-fields', 'CER per field', tasks, fieldsCer)}
${fieldsAnls.length ? compareTable('cmp-fields-anls', 'ANLS per field', tasks, fieldsAnls) : ''}`,
  );
}

export function errorPage(status: number, message: string): string {
  return page(`${status}`, `<p>${e(message)}</p>`);
}

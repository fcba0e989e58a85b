import type { FieldValidity, ValidityReport } from './validity.js';

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);

/** Markdown cells never break a table, whatever a model wrote. */
export function cell(s: string): string {
  return s
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .slice(0, 80);
}

function reasons(g: FieldValidity): string {
  return Object.entries(g.by_reason)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${r} ${n}`)
    .join(', ');
}

/** The rates per field and overall, then the failing examples the report kept (none in a run's summary). */
export function validityMarkdown(r: Pick<ValidityReport, 'overall' | 'by_field'>): string {
  const lines = [
    '| field | kind | checked | valid | failed requests | invalid by reason |',
    '|---|---|---|---|---|---|',
  ];
  for (const [field, g] of Object.entries(r.by_field)) {
    lines.push(
      `| ${cell(field)} | ${g.kind} | ${g.checked} | ${pct(g.rate)} | ${g.failed} | ${reasons(g)} |`,
    );
  }
  const o = r.overall;
  lines.push(`| **overall** | | ${o.checked} | ${pct(o.rate)} | ${o.failed} | ${reasons(o)} |`);
  const ex = Object.entries(r.by_field).flatMap(([field, g]) => g.examples.map((e) => ({ field, ...e })));
  if (ex.length > 0) {
    lines.push('', '| field | id | answer | reason |', '|---|---|---|---|');
    for (const e of ex) lines.push(`| ${cell(e.field)} | ${e.id} | ${cell(e.answer)} | ${e.detail} |`);
  }
  return `${lines.join('\n')}\n`;
}

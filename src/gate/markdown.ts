import type { GateCheck, GateResult } from './evaluate.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');

function fmt(c: GateCheck, v: number | null): string {
  if (v === null) return '—';
  if (c.metric === 'cer') return v.toFixed(4);
  if (c.metric === 'latency') return `${v.toFixed(1)} ms`;
  if (c.metric === 'gpu_memory') return `${v} MB`;
  return String(v);
}

function change(c: GateCheck, v: number | null): string {
  if (v === null) return '—';
  if (c.scale === 'relative') return `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} %`;
  return `${v >= 0 ? '+' : ''}${c.metric === 'cer' ? v.toFixed(4) : v}`;
}

const ICON = { pass: '✅ pass', fail: '❌ fail', not_measured: '➖ not measured' } as const;

/** The verdict as a merge-request comment: headline, what was compared, one row per check. */
export function gateMarkdown(r: GateResult): string {
  const head =
    r.verdict === 'pass'
      ? '## ✅ vlmhb gate: pass'
      : r.verdict === 'fail'
        ? '## ❌ vlmhb gate: fail'
        : '## ⚠️ vlmhb gate: could not compare';
  const who = (x: GateResult['baseline']) => `\`${x.framework} · ${x.model}\` (${x.dir})`;
  const lines = [head, '', `- baseline: ${who(r.baseline)}`, `- candidate: ${who(r.candidate)}`];
  if (r.verdict === 'incomparable') {
    lines.push('', `**Reason:** ${cell(r.incomparable?.reason ?? 'unknown')}`);
    return `${lines.join('\n')}\n`;
  }
  const t = r.thresholds;
  lines.push(
    `- dataset: ${r.baseline.dataset}, ${r.items} items in ${r.documents} documents`,
    `- rule: a check fails when the change exceeds its allowance and a paired bootstrap over documents (${t.resamples} resamples, seed ${t.seed}) finds it significant at ${(t.confidence * 100).toFixed(0)} %`,
    '',
    `| check | baseline | candidate | change | ${(t.confidence * 100).toFixed(0)} % CI | p | allowed | result |`,
    '|---|---|---|---|---|---|---|---|',
  );
  const failing = r.checks.filter((c) => c.status === 'fail');
  const rows = [...failing, ...r.checks.filter((c) => c.status !== 'fail')];
  for (const c of rows) {
    const ci = c.lo === null || c.hi === null ? '—' : `${change(c, c.lo)} … ${change(c, c.hi)}`;
    lines.push(
      `| ${cell(c.name)} | ${fmt(c, c.baseline)} | ${fmt(c, c.candidate)} | ${change(c, c.change)} | ${ci} | ${c.p === null ? '—' : c.p.toFixed(4)} | ${c.scale === 'relative' ? `${(c.allowed * 100).toFixed(1)} %` : `+${c.allowed}`} | ${ICON[c.status]} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

import type { CompareResult } from './compare.js';
import type { GroupSummary, Ranking } from './measure.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
const ci = (x: { estimate: number; lo: number; hi: number }, d = 3) =>
  `${x.estimate.toFixed(d)} [${x.lo.toFixed(d)}, ${x.hi.toFixed(d)}]`;

function table(r: CompareResult, ranking: Ranking, group: (i: number) => GroupSummary & { prompt?: string }) {
  const pct = (r.confidence * 100).toFixed(0);
  const lines = [
    `| rank | collection | CER [${pct} % CI] | WER | ANLS | exact match | prompt |`,
    '|---|---|---|---|---|---|---|',
  ];
  for (const e of ranking.entries) {
    const c = r.collections[e.index];
    const g = group(e.index);
    if (!c) continue;
    lines.push(
      `| ${e.rank} | ${cell(c.name)} | ${ci(g.cer)} | ${ci(g.wer)} | ${ci(g.anls)} | ${ci(g.exact_match)} | ${cell(g.prompt ?? '')} |`,
    );
  }
  const b = ranking.best;
  const best = r.collections[b.index]?.name ?? '?';
  const ru = b.runnerUp === null ? undefined : r.collections[b.runnerUp]?.name;
  lines.push(
    '',
    ru === undefined
      ? `Only one collection.`
      : `${b.beats ? '**' : ''}${cell(best)} ${b.beats ? 'beats' : 'does not significantly beat'} ${cell(ru)}${b.beats ? '**' : ''} (paired permutation test over documents, p = ${b.p?.toFixed(4)}).`,
  );
  return lines.join('\n');
}

export function compareMarkdown(r: CompareResult): string {
  const parts = [
    `# Prompt collections · ${r.framework} · ${r.model}`,
    '',
    `Dataset ${r.dataset.name}: ${r.dataset.items} items in ${r.dataset.documents} documents. Intervals: document bootstrap, ${r.resamples} resamples, seed ${r.seed}. Collections that no paired test separates share a rank.`,
    '',
    '## Overall',
    '',
    table(r, r.ranking.overall, (i) => (r.collections[i] as CompareResult['collections'][number]).overall),
  ];
  for (const [field, ranking] of Object.entries(r.ranking.by_field)) {
    parts.push(
      '',
      `## ${cell(field)}`,
      '',
      table(
        r,
        ranking,
        (i) => (r.collections[i] as CompareResult['collections'][number]).by_field[field] as GroupSummary,
      ),
    );
  }
  return `${parts.join('\n')}\n`;
}

import type { ItemScore } from '../runs/item-scores.js';
import { type BootstrapOptions, bootstrapCI, type Interval } from '../stats/bootstrap.js';
import { meanItems, rateItems } from '../stats/clusters.js';
import { type PairedItem, pairedPermutation } from '../stats/paired.js';
import { rankWithTies } from '../stats/rank.js';

/** A group's metrics with document-bootstrap intervals. */
export interface GroupSummary {
  n: number;
  documents: number;
  failed: number;
  cer: Interval;
  wer: Interval;
  anls: Interval;
  exact_match: Interval;
}

export function summarize(scores: readonly ItemScore[], opts: BootstrapOptions): GroupSummary {
  const cl = (s: ItemScore) => s.docId;
  return {
    n: scores.length,
    documents: new Set(scores.map(cl)).size,
    failed: scores.filter((s) => s.failed).length,
    cer: bootstrapCI(
      rateItems(scores.map((s) => ({ cluster: cl(s), edits: s.edits, refLen: s.refLen }))),
      opts,
    ),
    wer: bootstrapCI(
      rateItems(scores.map((s) => ({ cluster: cl(s), edits: s.wordEdits, refLen: s.wordRefLen }))),
      opts,
    ),
    anls: bootstrapCI(meanItems(scores.map((s) => ({ cluster: cl(s), value: s.anls }))), opts),
    exact_match: bootstrapCI(meanItems(scores.map((s) => ({ cluster: cl(s), value: s.exactMatch }))), opts),
  };
}

export interface RankEntry {
  /** Index of the collection in the comparison. */
  index: number;
  rank: number;
  cer: number;
  /** Indices of the collections significantly better than this one. */
  beatenBy: number[];
}

export interface Ranking {
  entries: RankEntry[];
  /** Best (lowest CER) vs runner-up: paired permutation test over the same items. */
  best: { index: number; runnerUp: number | null; p: number | null; beats: boolean };
  /** Two-sided p-values of every pair, `p[i][j]`. */
  p: number[][];
}

/**
 * Ranks collections on the same items by corpus CER. Collection i beats j when its CER is lower and a
 * paired permutation test (documents swapped as units) gives p < alpha; collections no test separates
 * share a rank (rank = 1 + number of collections that beat it).
 */
export function rankByCer(
  perCollection: readonly (readonly ItemScore[])[],
  opts: { alpha: number; seed: number; resamples?: number },
): Ranking {
  const k = perCollection.length;
  const cerOf = (xs: readonly ItemScore[]) =>
    xs.reduce((t, x) => t + x.edits, 0) /
    Math.max(
      1,
      xs.reduce((t, x) => t + x.refLen, 0),
    );
  const cers = perCollection.map(cerOf);
  const p: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(1));
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const a = perCollection[i] as readonly ItemScore[];
      const byId = new Map((perCollection[j] as readonly ItemScore[]).map((x) => [x.id, x]));
      const pairs: PairedItem[] = [];
      for (const x of a) {
        const y = byId.get(x.id);
        if (y)
          pairs.push({
            cluster: x.docId,
            a: { num: x.edits, den: x.refLen },
            b: { num: y.edits, den: y.refLen },
          });
      }
      const r = pairedPermutation(pairs, {
        seed: opts.seed,
        ...(opts.resamples ? { resamples: opts.resamples } : {}),
      });
      (p[i] as number[])[j] = r.p;
      (p[j] as number[])[i] = r.p;
    }
  }
  const pv = (i: number, j: number) => (p[i] as number[])[j] as number;
  const ranked = rankWithTies(
    cers.map((c, index) => ({ index, c })),
    (a, b) => a.c < b.c && pv(a.index, b.index) < opts.alpha,
    (a, b) => a.c - b.c || a.index - b.index,
  );
  const entries = ranked.map((r) => ({
    index: r.item.index,
    rank: r.rank,
    cer: r.item.c,
    beatenBy: r.beatenBy.map((b) => b),
  }));
  const first = entries[0] as RankEntry;
  const second = entries[1];
  const bp = second ? pv(first.index, second.index) : null;
  return {
    entries,
    best: {
      index: first.index,
      runnerUp: second ? second.index : null,
      p: bp,
      beats: second !== undefined && first.cer < second.cer && (bp as number) < opts.alpha,
    },
    p,
  };
}

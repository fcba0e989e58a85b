import { mulberry32 } from '../util/rng.js';
import { type BootstrapOptions, drawCounts, resolveBootstrap, sd } from './bootstrap.js';
import { ratio } from './clusters.js';
import { quantileSorted } from './quantile.js';

/** One item scored by two systems on the same question: `a` and `b` as ratio contributions. */
export interface PairedItem {
  cluster: string;
  a: { num: number; den: number };
  b: { num: number; den: number };
}

interface PairedClusters {
  n: number;
  aNum: Float64Array;
  aDen: Float64Array;
  bNum: Float64Array;
  bDen: Float64Array;
}

function toPairedClusters(items: readonly PairedItem[]): PairedClusters {
  const index = new Map<string, number>();
  const cols: number[][] = [[], [], [], []];
  for (const it of items) {
    let i = index.get(it.cluster);
    if (i === undefined) {
      i = index.size;
      index.set(it.cluster, i);
      for (const col of cols) col.push(0);
    }
    const add = [it.a.num, it.a.den, it.b.num, it.b.den];
    cols.forEach((col, k) => {
      col[i] = (col[i] as number) + (add[k] as number);
    });
  }
  const [aNum, aDen, bNum, bDen] = cols.map((c) => Float64Array.from(c)) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  return { n: index.size, aNum, aDen, bNum, bDen };
}

function total(xs: Float64Array): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/** `a − b` on the data as observed. */
function observedDiff(c: PairedClusters): number {
  return ratio(total(c.aNum), total(c.aDen)) - ratio(total(c.bNum), total(c.bDen));
}

/** |x| ≥ |t| up to rounding, so a resample equal to the observed statistic counts as extreme. */
function atLeastAsExtreme(x: number, t: number): boolean {
  return Math.abs(x) >= Math.abs(t) - 1e-12 * Math.max(1, Math.abs(t));
}

export interface PairedBootstrapResult {
  /** Statistic of `a` minus statistic of `b` (for CER: positive means `a` is worse). */
  diff: number;
  /** Percentile interval of the difference. */
  lo: number;
  hi: number;
  confidence: number;
  se: number;
  /**
   * Two-sided p-value of "no difference": the share of resampled differences at least as far from the
   * observed one as the observed one is from 0 (the bootstrap distribution shifted to the null).
   */
  p: number;
  resamples: number;
  clusters: number;
}

/**
 * Paired bootstrap over documents: each resample draws documents with replacement and recomputes both
 * systems' statistics on the same draw, so the shared difficulty of an item cancels.
 */
export function pairedBootstrap(
  items: readonly PairedItem[],
  opts: BootstrapOptions = {},
): PairedBootstrapResult {
  const { resamples, confidence, seed } = resolveBootstrap(opts);
  const c = toPairedClusters(items);
  const diff = observedDiff(c);
  if (c.n === 0) return { diff, lo: diff, hi: diff, confidence, se: 0, p: 1, resamples: 0, clusters: 0 };
  const rand = mulberry32(seed);
  const counts = new Uint32Array(c.n);
  const stats = new Float64Array(resamples);
  let extreme = 0;
  for (let r = 0; r < resamples; r++) {
    drawCounts(rand, c.n, counts);
    let an = 0;
    let ad = 0;
    let bn = 0;
    let bd = 0;
    for (let i = 0; i < c.n; i++) {
      const w = counts[i] as number;
      if (w === 0) continue;
      an += w * (c.aNum[i] as number);
      ad += w * (c.aDen[i] as number);
      bn += w * (c.bNum[i] as number);
      bd += w * (c.bDen[i] as number);
    }
    const d = ratio(an, ad) - ratio(bn, bd);
    stats[r] = d;
    if (atLeastAsExtreme(d - diff, diff)) extreme++;
  }
  stats.sort();
  const alpha = 1 - confidence;
  return {
    diff,
    lo: quantileSorted(stats, alpha / 2),
    hi: quantileSorted(stats, 1 - alpha / 2),
    confidence,
    se: sd(stats),
    p: diff === 0 ? 1 : (extreme + 1) / (resamples + 1),
    resamples,
    clusters: c.n,
  };
}

export interface PermutationOptions {
  /** Random relabellings when exhaustive enumeration is too large. @default 10000 */
  resamples?: number;
  /** @default 1 */
  seed?: number;
  /** Enumerate all 2^n relabellings exactly up to this many documents. @default 16 */
  exactUpTo?: number;
}

export interface PermutationResult {
  diff: number;
  /** Two-sided p-value: share of relabellings whose |difference| is at least the observed one. */
  p: number;
  /** True when every relabelling was enumerated (the p-value is exact, not estimated). */
  exact: boolean;
  permutations: number;
  clusters: number;
}

function diffWithSwaps(c: PairedClusters, swapped: (i: number) => boolean): number {
  let an = 0;
  let ad = 0;
  let bn = 0;
  let bd = 0;
  for (let i = 0; i < c.n; i++) {
    if (swapped(i)) {
      an += c.bNum[i] as number;
      ad += c.bDen[i] as number;
      bn += c.aNum[i] as number;
      bd += c.aDen[i] as number;
    } else {
      an += c.aNum[i] as number;
      ad += c.aDen[i] as number;
      bn += c.bNum[i] as number;
      bd += c.bDen[i] as number;
    }
  }
  return ratio(an, ad) - ratio(bn, bd);
}

/**
 * Paired permutation (randomisation) test: under "no difference" the two systems' answers on a document
 * are exchangeable, so each document's pair of labels is swapped or not; all documents of a cluster
 * move together. Exact for up to `exactUpTo` documents, otherwise Monte Carlo with the +1 correction.
 */
export function pairedPermutation(
  items: readonly PairedItem[],
  opts: PermutationOptions = {},
): PermutationResult {
  const c = toPairedClusters(items);
  const diff = observedDiff(c);
  const exactUpTo = opts.exactUpTo ?? 16;
  if (c.n === 0 || diff === 0) {
    return { diff, p: 1, exact: true, permutations: 0, clusters: c.n };
  }
  if (c.n <= exactUpTo) {
    const total = 2 ** c.n;
    let extreme = 0;
    for (let mask = 0; mask < total; mask++) {
      if (
        atLeastAsExtreme(
          diffWithSwaps(c, (i) => ((mask >>> i) & 1) === 1),
          diff,
        )
      )
        extreme++;
    }
    return { diff, p: extreme / total, exact: true, permutations: total, clusters: c.n };
  }
  const resamples = opts.resamples ?? 10_000;
  const rand = mulberry32(opts.seed ?? 1);
  const flips = new Uint8Array(c.n);
  let extreme = 0;
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < c.n; i++) flips[i] = rand() < 0.5 ? 1 : 0;
    if (
      atLeastAsExtreme(
        diffWithSwaps(c, (i) => flips[i] === 1),
        diff,
      )
    )
      extreme++;
  }
  return { diff, p: (extreme + 1) / (resamples + 1), exact: false, permutations: resamples, clusters: c.n };
}

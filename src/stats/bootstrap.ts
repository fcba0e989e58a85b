import { mulberry32 } from '../util/rng.js';
import { type Clusters, ratio, type StatItem, toClusters } from './clusters.js';
import { quantileSorted } from './quantile.js';

export interface BootstrapOptions {
  /** Resamples drawn. @default 2000 */
  resamples?: number;
  /** Two-sided coverage of the interval. @default 0.95 */
  confidence?: number;
  /** Seed of the resampling; the same seed gives the same interval. @default 1 */
  seed?: number;
}

export interface Interval {
  /** The statistic on the data as observed. */
  estimate: number;
  lo: number;
  hi: number;
  confidence: number;
  /** Standard deviation of the bootstrap distribution. */
  se: number;
  resamples: number;
  /** Documents resampled. */
  clusters: number;
}

export const DEFAULT_RESAMPLES = 2000;

export function resolveBootstrap(opts: BootstrapOptions): Required<BootstrapOptions> {
  const resamples = opts.resamples ?? DEFAULT_RESAMPLES;
  const confidence = opts.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`stats: resamples must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`stats: confidence must lie in (0, 1), got ${confidence}`);
  return { resamples, confidence, seed: opts.seed ?? 1 };
}

/** Draws `n` cluster indices with replacement, as counts per cluster (one multinomial resample). */
export function drawCounts(rand: () => number, n: number, counts: Uint32Array): void {
  counts.fill(0);
  for (let k = 0; k < n; k++) {
    const i = Math.min(n - 1, Math.floor(rand() * n));
    counts[i] = (counts[i] as number) + 1;
  }
}

export function weightedRatio(c: Clusters, counts: Uint32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < counts.length; i++) {
    const w = counts[i] as number;
    if (w === 0) continue;
    num += w * (c.num[i] as number);
    den += w * (c.den[i] as number);
  }
  return ratio(num, den);
}

function sum(xs: Float64Array): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

export function sd(xs: Float64Array): number {
  if (xs.length < 2) return 0;
  const m = sum(xs) / xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - m) ** 2;
  return Math.sqrt(ss / (xs.length - 1));
}

/**
 * Percentile bootstrap confidence interval of a ratio-of-sums statistic, resampling whole documents
 * (clusters) with replacement: each resample draws as many documents as there are and recomputes the
 * corpus statistic on them (e.g. total edits / total reference length).
 */
export function bootstrapCI(items: readonly StatItem[], opts: BootstrapOptions = {}): Interval {
  const { resamples, confidence, seed } = resolveBootstrap(opts);
  const c = toClusters(items);
  const n = c.keys.length;
  const estimate = ratio(sum(c.num), sum(c.den));
  if (n === 0) {
    return { estimate, lo: estimate, hi: estimate, confidence, se: 0, resamples: 0, clusters: 0 };
  }
  const rand = mulberry32(seed);
  const counts = new Uint32Array(n);
  const stats = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    drawCounts(rand, n, counts);
    stats[b] = weightedRatio(c, counts);
  }
  stats.sort();
  const alpha = 1 - confidence;
  return {
    estimate,
    lo: quantileSorted(stats, alpha / 2),
    hi: quantileSorted(stats, 1 - alpha / 2),
    confidence,
    se: sd(stats),
    resamples,
    clusters: n,
  };
}

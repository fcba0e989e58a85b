import { servedFromCache } from '../cache/engine.js';
import { type ItemScore, itemScores } from '../runs/item-scores.js';
import { type LoadedRun, metricsNumber, runNormalization } from '../runs/load.js';
import { type PairedItem, pairedBootstrap } from '../stats/paired.js';
import { type Incomparable, incomparable } from './pair.js';

export interface GateThresholds {
  /** Largest allowed CER increase, absolute (0.005 = half a point). @default 0.005 */
  maxCerIncrease: number;
  /** Largest allowed relative increase of the mean request latency (0.1 = 10 %). @default 0.1 */
  maxLatencyIncrease: number;
  /** Largest allowed relative increase of peak GPU memory (0.05 = 5 %). @default 0.05 */
  maxMemoryIncrease: number;
  /** Confidence of the paired bootstrap: a regression counts only at p < 1 − confidence. @default 0.95 */
  confidence: number;
  /** @default 2000 */
  resamples: number;
  /** @default 1 */
  seed: number;
}

export const DEFAULT_THRESHOLDS: GateThresholds = {
  maxCerIncrease: 0.005,
  maxLatencyIncrease: 0.1,
  maxMemoryIncrease: 0.05,
  confidence: 0.95,
  resamples: 2000,
  seed: 1,
};

export type CheckStatus = 'pass' | 'fail' | 'not_measured';

export interface GateCheck {
  /** e.g. `cer overall`, `cer СНИЛС Номер СНИЛС`, `latency overall`, `gpu memory`, `failed requests`. */
  name: string;
  metric: 'cer' | 'latency' | 'gpu_memory' | 'failed_requests';
  field: string | null;
  baseline: number | null;
  candidate: number | null;
  /** candidate − baseline (absolute for CER and counts; relative for latency and memory). */
  change: number | null;
  lo: number | null;
  hi: number | null;
  p: number | null;
  allowed: number;
  /** 'absolute' or 'relative' change. */
  scale: 'absolute' | 'relative';
  status: CheckStatus;
  message: string;
}

export interface GateRunInfo {
  dir: string;
  framework: string;
  model: string;
  dataset: string;
}

export interface GateResult {
  verdict: 'pass' | 'fail' | 'incomparable';
  /** Set when verdict is 'incomparable'. */
  incomparable?: Incomparable;
  baseline: GateRunInfo;
  candidate: GateRunInfo;
  items: number;
  documents: number;
  thresholds: GateThresholds;
  checks: GateCheck[];
}

function info(run: LoadedRun): GateRunInfo {
  return {
    dir: run.dir,
    framework: run.task.framework,
    model: run.task.model,
    dataset: run.task.dataset ?? run.dataset.name,
  };
}

function scoresOf(run: LoadedRun): Map<number, ItemScore> {
  const s = itemScores(run.dataset.samples, (id) => run.answers.get(id), runNormalization(run));
  return new Map(s.map((x) => [x.id, x]));
}

const rate = (xs: ItemScore[], pick: 'edits' | 'refLen') => xs.reduce((t, x) => t + x[pick], 0);

function cerCheck(field: string | null, pairs: [ItemScore, ItemScore][], t: GateThresholds): GateCheck {
  const items: PairedItem[] = pairs.map(([b, c]) => ({
    cluster: b.docId,
    a: { num: c.edits, den: c.refLen },
    b: { num: b.edits, den: b.refLen },
  }));
  const r = pairedBootstrap(items, { resamples: t.resamples, confidence: t.confidence, seed: t.seed });
  const bs = pairs.map((p) => p[0]);
  const cs = pairs.map((p) => p[1]);
  const baseCer = rate(bs, 'edits') / Math.max(1, rate(bs, 'refLen'));
  const candCer = rate(cs, 'edits') / Math.max(1, rate(cs, 'refLen'));
  const significant = r.p < 1 - t.confidence;
  const fail = r.diff > t.maxCerIncrease && significant;
  return {
    name: field === null ? 'cer overall' : `cer ${field}`,
    metric: 'cer',
    field,
    baseline: baseCer,
    candidate: candCer,
    change: r.diff,
    lo: r.lo,
    hi: r.hi,
    p: r.p,
    allowed: t.maxCerIncrease,
    scale: 'absolute',
    status: fail ? 'fail' : 'pass',
    message: fail
      ? `CER rose by ${r.diff.toFixed(4)} (${(t.confidence * 100).toFixed(0)} % CI ${r.lo.toFixed(4)}…${r.hi.toFixed(4)}, p = ${r.p.toFixed(4)}), more than the allowed ${t.maxCerIncrease}`
      : r.diff > t.maxCerIncrease
        ? `CER rose by ${r.diff.toFixed(4)} but within noise (p = ${r.p.toFixed(4)})`
        : `CER change ${r.diff.toFixed(4)} within the allowed ${t.maxCerIncrease}`,
  };
}

/** Ids of answers the model was not asked for in that run (served from the answer cache). */
function cachedIds(run: LoadedRun): Set<number> {
  return new Set([...run.answers.values()].filter((a) => servedFromCache(a['extra'])).map((a) => a.id));
}

function latencyCheck(
  pairs: [ItemScore, ItemScore][],
  t: GateThresholds,
  cached: { base: Set<number>; cand: Set<number> },
): GateCheck {
  // A cached answer carries the latency of the run that computed it, not of this model image.
  const timed = pairs.filter(([b]) => !cached.base.has(b.id) && !cached.cand.has(b.id));
  const both = timed.filter(([b, c]) => b.latencyMs !== null && c.latencyMs !== null);
  const fromCache = pairs.length - timed.length;
  const base = both.reduce((s, [b]) => s + (b.latencyMs as number), 0) / Math.max(1, both.length);
  const cand = both.reduce((s, [, c]) => s + (c.latencyMs as number), 0) / Math.max(1, both.length);
  const allowed = t.maxLatencyIncrease;
  if (both.length === 0 || base <= 0)
    return {
      name: 'latency overall',
      metric: 'latency',
      field: null,
      baseline: null,
      candidate: null,
      change: null,
      lo: null,
      hi: null,
      p: null,
      allowed,
      scale: 'relative',
      status: 'not_measured',
      message:
        fromCache > 0
          ? `no item the model answered in both runs: ${fromCache} answer(s) came from the answer cache (run with --no-cache to time the model)`
          : 'no item answered in both runs with a latency',
    };
  const r = pairedBootstrap(
    both.map(([b, c]) => ({
      cluster: b.docId,
      a: { num: c.latencyMs as number, den: 1 },
      b: { num: b.latencyMs as number, den: 1 },
    })),
    { resamples: t.resamples, confidence: t.confidence, seed: t.seed },
  );
  const rel = r.diff / base;
  const fail = rel > allowed && r.p < 1 - t.confidence;
  return {
    name: 'latency overall',
    metric: 'latency',
    field: null,
    baseline: base,
    candidate: cand,
    change: rel,
    lo: r.lo / base,
    hi: r.hi / base,
    p: r.p,
    allowed,
    scale: 'relative',
    status: fail ? 'fail' : 'pass',
    message: `mean request latency ${base.toFixed(1)} → ${cand.toFixed(1)} ms (${(rel * 100).toFixed(1)} %, allowed ${(allowed * 100).toFixed(1)} %${fail ? '' : r.p >= 1 - t.confidence && rel > allowed ? ', within noise' : ''})${fromCache > 0 ? `; ${fromCache} item(s) answered from the answer cache left out` : ''}`,
  };
}

function memoryCheck(base: LoadedRun, cand: LoadedRun, t: GateThresholds): GateCheck {
  const b = metricsNumber(base, 'resources.gpu_memory_peak_mb');
  const c = metricsNumber(cand, 'resources.gpu_memory_peak_mb');
  const common = {
    name: 'gpu memory peak',
    metric: 'gpu_memory' as const,
    field: null,
    lo: null,
    hi: null,
    p: null,
    allowed: t.maxMemoryIncrease,
    scale: 'relative' as const,
  };
  if (b === undefined || c === undefined || b <= 0)
    return {
      ...common,
      baseline: b ?? null,
      candidate: c ?? null,
      change: null,
      status: 'not_measured',
      message: 'peak GPU memory not measured in both runs (metrics.json resources.gpu_memory_peak_mb)',
    };
  const rel = (c - b) / b;
  const fail = rel > t.maxMemoryIncrease;
  return {
    ...common,
    baseline: b,
    candidate: c,
    change: rel,
    status: fail ? 'fail' : 'pass',
    message: `peak GPU memory ${b} → ${c} MB (${(rel * 100).toFixed(1)} %, allowed ${(t.maxMemoryIncrease * 100).toFixed(1)} %)`,
  };
}

function failedCheck(pairs: [ItemScore, ItemScore][]): GateCheck {
  const b = pairs.filter(([x]) => x.failed).length;
  const c = pairs.filter(([, x]) => x.failed).length;
  return {
    name: 'failed requests',
    metric: 'failed_requests',
    field: null,
    baseline: b,
    candidate: c,
    change: c - b,
    lo: null,
    hi: null,
    p: null,
    allowed: 0,
    scale: 'absolute',
    status: c > b ? 'fail' : 'pass',
    message: `${c} failed request(s) vs ${b} in the baseline`,
  };
}

/**
 * Baseline vs candidate over the same items. A CER or latency check fails only when the observed
 * increase exceeds the allowed one AND the paired bootstrap (documents resampled, both runs on the same
 * draw) finds the change significant at the given confidence: a noisy small dataset cannot fail a
 * release by chance, and a real regression beyond the tolerance cannot pass.
 */
export function evaluateGate(
  base: LoadedRun,
  cand: LoadedRun,
  thresholds: Partial<GateThresholds> = {},
): GateResult {
  const t = { ...DEFAULT_THRESHOLDS, ...thresholds };
  const head = { baseline: info(base), candidate: info(cand), thresholds: t };
  const why = incomparable(base, cand);
  if (why) return { verdict: 'incomparable', incomparable: why, ...head, items: 0, documents: 0, checks: [] };
  const bs = scoresOf(base);
  const cs = scoresOf(cand);
  const pairs: [ItemScore, ItemScore][] = [...bs.values()].map((b) => [b, cs.get(b.id) as ItemScore]);
  const fields = [...new Set(pairs.map(([b]) => b.field))];
  const checks: GateCheck[] = [
    cerCheck(null, pairs, t),
    ...fields.map((f) =>
      cerCheck(
        f,
        pairs.filter(([b]) => b.field === f),
        t,
      ),
    ),
    latencyCheck(pairs, t, { base: cachedIds(base), cand: cachedIds(cand) }),
    memoryCheck(base, cand, t),
    failedCheck(pairs),
  ];
  return {
    verdict: checks.some((c) => c.status === 'fail') ? 'fail' : 'pass',
    ...head,
    items: pairs.length,
    documents: new Set(pairs.map(([b]) => b.docId)).size,
    checks,
  };
}

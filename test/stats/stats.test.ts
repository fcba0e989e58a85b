import { describe, expect, it } from 'vitest';
import {
  bootstrapCI,
  disjointIntervals,
  meanItems,
  type PairedItem,
  pairedBootstrap,
  pairedPermutation,
  rankWithTies,
  rateItems,
} from '../../src/stats/index.js';

/**
 * Independent reference computations: every ordered resample of n documents (n^n equally likely draws)
 * is enumerated, so the bootstrap distribution is known exactly and the Monte Carlo one must approach it.
 */
function* allResamples(n: number): Generator<number[]> {
  const idx = new Array<number>(n).fill(0);
  while (true) {
    yield idx.slice();
    let k = n - 1;
    while (k >= 0 && idx[k] === n - 1) {
      idx[k] = 0;
      k--;
    }
    if (k < 0) return;
    idx[k] = (idx[k] as number) + 1;
  }
}

/** Exact quantile of a discrete distribution: the smallest value whose CDF reaches q. */
function exactQuantile(sorted: number[], q: number): number {
  const k = Math.max(0, Math.ceil(q * sorted.length) - 1);
  return sorted[k] as number;
}

// Four documents, fields as (edits, reference length): document-level sums decide the corpus CER.
const DOCS: [string, [number, number][]][] = [
  [
    'd1',
    [
      [0, 10],
      [1, 5],
    ],
  ],
  ['d2', [[4, 12]]],
  [
    'd3',
    [
      [0, 8],
      [0, 3],
      [2, 9],
    ],
  ],
  ['d4', [[7, 11]]],
];
const items = rateItems(
  DOCS.flatMap(([cluster, fields]) => fields.map(([edits, refLen]) => ({ cluster, edits, refLen }))),
);

function exactDistribution(): number[] {
  const sums = DOCS.map(([, f]) => [f.reduce((s, x) => s + x[0], 0), f.reduce((s, x) => s + x[1], 0)]);
  const out: number[] = [];
  for (const draw of allResamples(DOCS.length)) {
    let e = 0;
    let l = 0;
    for (const i of draw) {
      e += (sums[i] as number[])[0] as number;
      l += (sums[i] as number[])[1] as number;
    }
    out.push(e / l);
  }
  return out.sort((a, b) => a - b);
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sdPop = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

describe('bootstrapCI over documents', () => {
  it('estimates the corpus CER as total edits over total reference length', () => {
    const ci = bootstrapCI(items, { resamples: 10 });
    expect(ci.estimate).toBeCloseTo(14 / 58, 12);
    expect(ci.clusters).toBe(4);
  });

  it('matches the exactly enumerated bootstrap distribution (all 4^4 resamples)', () => {
    const exact = exactDistribution();
    expect(exact).toHaveLength(256);
    const ci = bootstrapCI(items, { resamples: 40_000, seed: 7, confidence: 0.9 });
    // The endpoints lie between the exact 4 % and 6 % (resp. 94 % and 96 %) quantiles.
    expect(ci.lo).toBeGreaterThanOrEqual(exactQuantile(exact, 0.04) - 1e-12);
    expect(ci.lo).toBeLessThanOrEqual(exactQuantile(exact, 0.06) + 1e-12);
    expect(ci.hi).toBeGreaterThanOrEqual(exactQuantile(exact, 0.94) - 1e-12);
    expect(ci.hi).toBeLessThanOrEqual(exactQuantile(exact, 0.96) + 1e-12);
    expect(ci.se).toBeGreaterThan(sdPop(exact) * 0.97);
    expect(ci.se).toBeLessThan(sdPop(exact) * 1.03);
  });

  it('resamples documents, not fields: the spread differs from a field-level bootstrap', () => {
    // The same seed and data with each field as its own cluster: a field-level bootstrap would report
    // another (here wrong) spread, so the grouping must really be by document.
    const fieldsAsClusters = items.map((it, i) => ({ ...it, cluster: `f${i}` }));
    const byDoc = bootstrapCI(items, { resamples: 20_000, seed: 3 });
    const byField = bootstrapCI(fieldsAsClusters, { resamples: 20_000, seed: 3 });
    expect(byDoc.clusters).toBe(4);
    expect(byField.clusters).toBe(7);
    expect(Math.abs(byDoc.se - byField.se) / byDoc.se).toBeGreaterThan(0.05);
  });

  it('is reproducible for a seed and changes with it', () => {
    const a = bootstrapCI(items, { resamples: 500, seed: 11 });
    const b = bootstrapCI(items, { resamples: 500, seed: 11 });
    const c = bootstrapCI(items, { resamples: 500, seed: 12 });
    expect(b).toEqual(a);
    expect(c.se).not.toBe(a.se);
  });

  it('handles means (ANLS, exact match) as sums over item counts', () => {
    const m = meanItems([
      { cluster: 'a', value: 1 },
      { cluster: 'a', value: 0 },
      { cluster: 'b', value: 1 },
    ]);
    const ci = bootstrapCI(m, { resamples: 4000, seed: 1 });
    expect(ci.estimate).toBeCloseTo(2 / 3, 12);
    // Two documents: resamples {a,a}=1/2, {a,b}=2/3 (twice as likely), {b,b}=1 → 95 % interval [0.5, 1].
    expect(ci.lo).toBeCloseTo(0.5, 12);
    expect(ci.hi).toBeCloseTo(1, 12);
  });

  it('rejects nonsense options', () => {
    expect(() => bootstrapCI(items, { confidence: 1.5 })).toThrow(/confidence/);
    expect(() => bootstrapCI(items, { resamples: 0 })).toThrow(/resamples/);
  });
});

/** Every swap pattern of n documents enumerated by recursion, written apart from the implementation. */
function exactPermutationP(pairs: { a: [number, number]; b: [number, number] }[]): number {
  const rate = (e: number, l: number) => e / Math.max(l, 1);
  const observed = (() => {
    let [ae, al, be, bl] = [0, 0, 0, 0];
    for (const p of pairs) {
      ae += p.a[0];
      al += p.a[1];
      be += p.b[0];
      bl += p.b[1];
    }
    return rate(ae, al) - rate(be, bl);
  })();
  let hits = 0;
  let total = 0;
  const walk = (i: number, acc: [number, number, number, number]) => {
    if (i === pairs.length) {
      total++;
      const d = rate(acc[0], acc[1]) - rate(acc[2], acc[3]);
      if (Math.abs(d) >= Math.abs(observed) - 1e-12) hits++;
      return;
    }
    const p = pairs[i] as { a: [number, number]; b: [number, number] };
    walk(i + 1, [acc[0] + p.a[0], acc[1] + p.a[1], acc[2] + p.b[0], acc[3] + p.b[1]]);
    walk(i + 1, [acc[0] + p.b[0], acc[1] + p.b[1], acc[2] + p.a[0], acc[3] + p.a[1]]);
  };
  walk(0, [0, 0, 0, 0]);
  return hits / total;
}

const toPaired = (pairs: { a: [number, number]; b: [number, number] }[]): PairedItem[] =>
  pairs.map((p, i) => ({
    cluster: `d${i}`,
    a: { num: p.a[0], den: p.a[1] },
    b: { num: p.b[0], den: p.b[1] },
  }));

describe('pairedPermutation', () => {
  it('gives the closed-form p = 2 / 2^n when every document favours the same system equally', () => {
    const pairs = Array.from({ length: 5 }, () => ({
      a: [3, 10] as [number, number],
      b: [1, 10] as [number, number],
    }));
    const r = pairedPermutation(toPaired(pairs));
    expect(r.exact).toBe(true);
    expect(r.permutations).toBe(32);
    expect(r.p).toBeCloseTo(2 / 32, 15);
    expect(r.diff).toBeCloseTo(0.2, 12);
  });

  it('matches an independent enumeration on uneven documents, and Monte Carlo approaches it', () => {
    const pairs: { a: [number, number]; b: [number, number] }[] = [
      { a: [2, 10], b: [0, 10] },
      { a: [1, 4], b: [1, 4] },
      { a: [0, 7], b: [3, 7] },
      { a: [5, 12], b: [1, 12] },
      { a: [1, 6], b: [0, 6] },
      { a: [4, 9], b: [2, 9] },
      { a: [0, 3], b: [0, 3] },
      { a: [3, 8], b: [1, 8] },
    ];
    const expected = exactPermutationP(pairs);
    const exact = pairedPermutation(toPaired(pairs));
    expect(exact.exact).toBe(true);
    expect(exact.p).toBeCloseTo(expected, 12);
    const mc = pairedPermutation(toPaired(pairs), { exactUpTo: 0, resamples: 50_000, seed: 5 });
    expect(mc.exact).toBe(false);
    expect(Math.abs(mc.p - expected)).toBeLessThan(0.01);
  });

  it('finds nothing between identical systems', () => {
    const pairs = [{ a: [1, 5] as [number, number], b: [1, 5] as [number, number] }];
    expect(pairedPermutation(toPaired(pairs)).p).toBe(1);
  });
});

describe('pairedBootstrap', () => {
  const pairs: { a: [number, number]; b: [number, number] }[] = [
    { a: [2, 10], b: [0, 10] },
    { a: [1, 4], b: [2, 4] },
    { a: [5, 12], b: [1, 12] },
    { a: [1, 6], b: [0, 6] },
  ];

  it('matches the exactly enumerated paired distribution (all 4^4 resamples)', () => {
    const diffs: number[] = [];
    for (const draw of allResamples(4)) {
      let [ae, al, be, bl] = [0, 0, 0, 0];
      for (const i of draw) {
        const p = pairs[i] as { a: [number, number]; b: [number, number] };
        ae += p.a[0];
        al += p.a[1];
        be += p.b[0];
        bl += p.b[1];
      }
      diffs.push(ae / al - be / bl);
    }
    const observed = 9 / 32 - 3 / 32;
    const exactP =
      diffs.filter((d) => Math.abs(d - observed) >= Math.abs(observed) - 1e-12).length / diffs.length;
    const r = pairedBootstrap(toPaired(pairs), { resamples: 40_000, seed: 9 });
    expect(r.diff).toBeCloseTo(observed, 12);
    expect(Math.abs(r.p - exactP)).toBeLessThan(0.01);
    expect(r.se).toBeGreaterThan(sdPop(diffs) * 0.97);
    expect(r.se).toBeLessThan(sdPop(diffs) * 1.03);
    const sorted = [...diffs].sort((a, b) => a - b);
    expect(r.lo).toBeGreaterThanOrEqual(exactQuantile(sorted, 0.015) - 1e-12);
    expect(r.lo).toBeLessThanOrEqual(exactQuantile(sorted, 0.035) + 1e-12);
  });

  it('gives p = 1 and a zero-width interval for identical systems', () => {
    const same = toPaired(pairs.map((p) => ({ a: p.a, b: p.a })));
    const r = pairedBootstrap(same, { resamples: 200 });
    expect(r).toMatchObject({ diff: 0, lo: 0, hi: 0, p: 1 });
  });
});

describe('rankWithTies', () => {
  it('lets systems no test separates share a rank', () => {
    const systems = [
      { id: 'B', lo: 0.1, hi: 0.2, est: 0.15 },
      { id: 'A', lo: 0.08, hi: 0.18, est: 0.12 },
      { id: 'C', lo: 0.3, hi: 0.4, est: 0.35 },
      { id: 'D', lo: 0.19, hi: 0.32, est: 0.25 },
    ];
    const r = rankWithTies(systems, disjointIntervals(true), (a, b) => a.est - b.est);
    expect(r.map((x) => [x.item.id, x.rank])).toEqual([
      ['A', 1],
      ['B', 1],
      ['D', 2],
      ['C', 3],
    ]);
  });
});

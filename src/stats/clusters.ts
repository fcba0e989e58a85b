/**
 * Items grouped into clusters (documents). Fields of one document share its image, its scan artefacts
 * and usually its errors, so they are not independent: resampling fields would understate the spread.
 * Every statistic here is a ratio of cluster sums, which covers both corpus rates (total edits / total
 * reference length) and means (sum of values / number of items).
 */
export interface StatItem {
  /** Cluster key: the document (`data_index`). */
  cluster: string;
  /** Numerator contribution: edits for a corpus rate, the item's value for a mean. */
  num: number;
  /** Denominator contribution: reference length for a corpus rate, 1 for a mean. */
  den: number;
}

/** Per-cluster sums in first-seen order. */
export interface Clusters {
  keys: string[];
  num: Float64Array;
  den: Float64Array;
}

export function toClusters(items: readonly StatItem[]): Clusters {
  const index = new Map<string, number>();
  const num: number[] = [];
  const den: number[] = [];
  for (const it of items) {
    let i = index.get(it.cluster);
    if (i === undefined) {
      i = num.length;
      index.set(it.cluster, i);
      num.push(0);
      den.push(0);
    }
    num[i] = (num[i] as number) + it.num;
    den[i] = (den[i] as number) + it.den;
  }
  return { keys: [...index.keys()], num: Float64Array.from(num), den: Float64Array.from(den) };
}

/**
 * The ratio of sums with jiwer's rule for an empty denominator (taken as 1), so a corpus CER over empty
 * references is the number of inserted characters, exactly as src/metrics/error-rate.ts computes it.
 */
export function ratio(num: number, den: number): number {
  return num / Math.max(den, 1);
}

/** Items of a corpus rate: `edits / refLen` summed over the corpus. */
export function rateItems(xs: readonly { cluster: string; edits: number; refLen: number }[]): StatItem[] {
  return xs.map((x) => ({ cluster: x.cluster, num: x.edits, den: x.refLen }));
}

/** Items of a mean: every item weighs 1. */
export function meanItems(xs: readonly { cluster: string; value: number }[]): StatItem[] {
  return xs.map((x) => ({ cluster: x.cluster, num: x.value, den: 1 }));
}

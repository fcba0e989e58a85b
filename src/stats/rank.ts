/**
 * Ranks with ties: a system's rank is 1 + the number of systems significantly better than it (the WMT
 * convention). Systems no test separates share a rank, and a rank never claims more than the data show.
 */
export interface Ranked<T> {
  item: T;
  rank: number;
  /** Indices (into the input) of the systems significantly better than this one. */
  beatenBy: number[];
}

/**
 * @param items systems in any order
 * @param better `better(a, b)` is true when `a` is significantly better than `b`; it must be
 *   antisymmetric (never both ways).
 * @returns the systems sorted by rank, then by `order` (e.g. the estimate) within a rank
 */
export function rankWithTies<T>(
  items: readonly T[],
  better: (a: T, b: T) => boolean,
  order: (a: T, b: T) => number,
): Ranked<T>[] {
  const ranked = items.map((item, i) => {
    const beatenBy: number[] = [];
    items.forEach((other, j) => {
      if (j !== i && better(other, item)) beatenBy.push(j);
    });
    return { item, rank: 1 + beatenBy.length, beatenBy };
  });
  return ranked.sort((x, y) => x.rank - y.rank || order(x.item, y.item));
}

/** `better` from confidence intervals: `a` beats `b` only when their intervals do not overlap. */
export function disjointIntervals(lowerIsBetter: boolean) {
  return (a: { lo: number; hi: number }, b: { lo: number; hi: number }): boolean =>
    lowerIsBetter ? a.hi < b.lo : a.lo > b.hi;
}

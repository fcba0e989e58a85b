/** One size's numbers for one document type. */
export interface SizePoint {
  longSide: number;
  cer: number;
  /** Mean model time per document (sum of its requests' latencies), ms. */
  docLatencyMs: number | null;
  /** Peak GPU memory of the run at this size, where measured. */
  gpuMemoryPeakMb: number | null;
  /** Failed requests of this type at this size (scored as empty answers; the command then exits 1). */
  failed?: number;
}

export interface SizeChoice {
  longSide: number;
  cer: number;
  bestCer: number;
  /** The size with the best CER (the largest one on ties). */
  bestLongSide: number;
  /** Model time per document saved against the largest size, ms (negative: slower). */
  savedDocLatencyMs: number | null;
  savedGpuMemoryMb: number | null;
}

/**
 * The smallest long side whose CER stays within `tolerance` (absolute) of the best CER over all sizes.
 * Savings are against the largest size tried, the one a user would otherwise send.
 */
export function pickSize(points: readonly SizePoint[], tolerance: number): SizeChoice {
  if (points.length === 0) throw new Error('sweep: no sizes to choose from');
  const bestCer = Math.min(...points.map((p) => p.cer));
  const best = points.filter((p) => p.cer === bestCer).reduce((a, b) => (b.longSide > a.longSide ? b : a));
  const ok = points.filter((p) => p.cer <= bestCer + tolerance + 1e-12);
  const chosen = ok.reduce((a, b) => (b.longSide < a.longSide ? b : a));
  const largest = points.reduce((a, b) => (b.longSide > a.longSide ? b : a));
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  return {
    longSide: chosen.longSide,
    cer: chosen.cer,
    bestCer,
    bestLongSide: best.longSide,
    savedDocLatencyMs: diff(largest.docLatencyMs, chosen.docLatencyMs),
    savedGpuMemoryMb: diff(largest.gpuMemoryPeakMb, chosen.gpuMemoryPeakMb),
  };
}

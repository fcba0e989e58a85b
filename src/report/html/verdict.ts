import type { ReportTask } from './model.js';
import type { Limit } from './schema.js';

/**
 * The seed's limits, used when a run's metrics.json does not carry the user's own: documents in at
 * most 1 s on average and none over 5 s, a model that fits one 48 GB GPU, and a CER target only when
 * the user gives one. A value the run could not measure has pass = null ("n/a"), never a pass.
 */
export function defaultLimits(v: {
  secondsPerDoc: number | null;
  /** The slowest document: the hard limit holds for every document, as the config's key means. */
  maxSecondsPerDoc?: number | null;
  gpuMemoryGb: number | null;
  cer: number | null;
  cerTarget?: number | undefined;
}): Limit[] {
  const check = (name: string, limit: number, value: number | null): Limit => ({
    name,
    limit,
    value,
    pass: value === null ? null : value <= limit,
  });
  // Named as config `limits:` keys, so defaults and user limits read alike.
  const out = [
    check('seconds_per_document', 1, v.secondsPerDoc),
    check('hard_seconds_per_document', 5, v.maxSecondsPerDoc ?? null),
    check('gpu_memory_gb', 48, v.gpuMemoryGb),
  ];
  if (v.cerTarget !== undefined) out.push(check('cer', v.cerTarget, v.cer));
  return out;
}

/** Scores where higher is better have a floor (as src/report/limits.ts judges them); the rest a ceiling. */
const FLOORS = new Set(['anls', 'exact_match', 'doc_all_correct']);

const NAMES: Record<string, string> = {
  cer: 'CER',
  wer: 'WER',
  anls: 'ANLS',
  exact_match: 'EM',
  error_rate: 'error rate',
  seconds_per_document: 's / doc',
  hard_seconds_per_document: 's / doc (hard)',
  gpu_memory_gb: 'GPU GB',
};

/** '≥' or '≤' and a short name for a limit of the result contract (config `limits:` keys). */
export function limitText(l: Limit): { name: string; op: '≥' | '≤' } {
  return { name: NAMES[l.name] ?? l.name.replace(/_/g, ' '), op: FLOORS.has(l.name) ? '≥' : '≤' };
}

/** Fails when any measured limit fails; passes when every measured one passes; n/a when none measured. */
export function verdictOf(limits: readonly Limit[]): 'pass' | 'fail' | 'n/a' {
  if (limits.some((l) => l.pass === false)) return 'fail';
  if (limits.some((l) => l.pass === true)) return 'pass';
  return 'n/a';
}

function cerOf(t: ReportTask): number | null {
  return t.overallWithErrors?.['cer'] ?? t.overall['cer'] ?? null;
}

/** Best first: lower CER, then higher ANLS, then fewer seconds per document; unmeasured last. */
export function rankTasks(tasks: readonly ReportTask[]): number[] {
  const key = (t: ReportTask): [number, number, number] => [
    cerOf(t) ?? Number.POSITIVE_INFINITY,
    -(t.overall['anls'] ?? Number.NEGATIVE_INFINITY),
    t.secondsPerDoc ?? Number.POSITIVE_INFINITY,
  ];
  return tasks
    .map((t, i) => ({ i, k: key(t) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || a.i - b.i)
    .map((x) => x.i);
}

/**
 * Tasks no other task beats on every axis at once: CER, seconds per document, and GPU memory when every
 * task measured it (a missing value cannot be compared, so the axis is dropped rather than guessed).
 */
export function paretoFront(tasks: readonly ReportTask[]): number[] {
  const pts = tasks
    .map((t, i) => ({ i, cer: cerOf(t), s: t.secondsPerDoc, gpu: t.gpuMemoryGb }))
    .filter((p) => p.cer !== null && p.s !== null);
  const useGpu = pts.length > 0 && pts.every((p) => p.gpu !== null);
  const axes = (p: (typeof pts)[number]) => [p.cer!, p.s!, ...(useGpu ? [p.gpu!] : [])];
  return pts
    .filter((p) => {
      const a = axes(p);
      return !pts.some((q) => {
        if (q === p) return false;
        const b = axes(q);
        return b.every((x, k) => x <= a[k]!) && b.some((x, k) => x < a[k]!);
      });
    })
    .map((p) => p.i);
}

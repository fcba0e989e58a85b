import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vlmhb } from '../helpers/cli.js';
import { writeSynthDataset, writeSynthRun } from '../helpers/synth-runs.js';

export const XSS_ANSWER = '<img src=x onerror=alert(1)>';
export const XSS_PROMPT_ANSWER = '</script><script>window.__pwned=1</script>';
/** Items of the hostile run served from the answer cache. */
export const CACHED_IDS = [5, 6, 7];
/** Item 11's answer: the second of its two references, written a little differently. */
export const MATCHED_SECOND = 'АННА-МАРИ';

export interface ReportFixture {
  root: string;
  results: string;
  /** Real runs: the CLI generated a dataset and ran Tesseract on it. */
  real: string[];
  /** A synthesised run with hostile answers and every result-contract field. */
  hostile: string;
}

/**
 * A results folder as a user has it: two real Tesseract runs (--long-side 1600, the generated size, and
 * 800: a resolution sweep) over a generated two-document СНИЛС dataset, and one synthesised run whose answers
 * are hostile HTML and whose metrics.json carries status, timing, resources, cost, limits and run.
 */
export async function buildFixture(): Promise<ReportFixture> {
  const root = mkdtempSync(join(tmpdir(), 'vlmhb-report-'));
  const ds = join(root, 'ds');
  const results = join(root, 'results');
  const gen = await vlmhb([
    'dataset',
    'generate',
    '--doc',
    'snils',
    '--count',
    '2',
    '--augment',
    'clean,blur:2',
    '--out',
    ds,
  ]);
  if (gen.exitCode !== 0) throw new Error(`dataset generate failed: ${String(gen.stderr)}`);
  const real = [join(results, 'tesseract-1600'), join(results, 'tesseract-800')];
  const runs = await Promise.all([
    vlmhb(['run', '--dataset', ds, '--framework', 'tesseract', '--long-side', '1600', '--out', real[0]!]),
    vlmhb(['run', '--dataset', ds, '--framework', 'tesseract', '--long-side', '800', '--out', real[1]!]),
  ]);
  for (const r of runs) if (r.exitCode !== 0) throw new Error(`run failed: ${String(r.stderr)}`);

  // АННА also accepted as «АННА-МАРИЯ»: items 3, 7, 11 and 15 have two references.
  const synthDs = await writeSynthDataset(join(root, 'synth-ds'), {
    docs: 6,
    images: 3,
    alternatives: { АННА: ['АННА-МАРИЯ'] },
  });
  const hostile = join(results, 'nested', 'vlm-hostile');
  writeSynthRun(hostile, synthDs, {
    framework: 'vllm',
    model: 'Qwen/Qwen2.5-VL-7B-Instruct',
    errorRate: 0.3,
    failRate: 0.1,
    answers: { 0: XSS_ANSWER, 1: XSS_PROMPT_ANSWER, 11: MATCHED_SECOND },
    cached: CACHED_IDS,
    contract: {
      status: {
        complete: true,
        partial: false,
        answered: 27,
        total: 30,
        failed: 3,
        errors_by_code: { timeout: 3 },
        from_cache: CACHED_IDS.length,
      },
      timing: { wall_s: 12.5, model_load_s: 41.2, model_s: 11.9, docs_per_s: 0.48, requests_per_s: 2.4 },
      resources: {
        device: 'NVIDIA H100 80GB (fake)',
        gpu_memory_peak_mb: 17_408,
        gpu_memory_timeline: [],
        rss_peak_mb: 900,
      },
      cost: { gpu_price_per_hour: 2.5, currency: 'USD', per_1000_docs: 1.45 },
      limits: [
        { name: 'seconds_per_document', limit: 1, value: 0.52, pass: true },
        { name: 'gpu_memory_gb', limit: 48, value: 17, pass: true },
        { name: 'anls', limit: 0.95, value: 0.9, pass: false },
      ],
      run: {
        tool_version: '0.1.0',
        executor: 'local',
        started_at: '2026-11-30T10:00:00.000Z',
        ended_at: '2026-11-30T10:00:12.500Z',
        machine: { hostname: 'gpu-box-1', cpus: 32, platform: 'linux' },
      },
    },
  });
  return { root, results, real, hostile };
}

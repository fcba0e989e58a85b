import { setTimeout as sleep } from 'node:timers/promises';
import { nvidiaSmi, parseComputeApps, parseGpuMemory, QUERY_APPS, QUERY_MEMORY } from './nvidia-smi.js';
import { processTree, treeRssMb } from './rss.js';

export interface ResourceSample {
  /** Milliseconds since sampling started. */
  t_ms: number;
  mb: number;
}

export interface ResourceUsage {
  gpuMemoryPeakMb: number | null;
  gpuMemoryTimeline: ResourceSample[];
  rssPeakMb: number | null;
  samples: number;
}

export interface SamplerOptions {
  /** GPU index to watch; undefined = no GPU sampling (CPU task). */
  gpuIndex?: number;
  /** Server process whose RSS (with children) is sampled, and whose GPU processes are preferred. */
  pid?: number;
  /** @default 200 */
  intervalMs?: number;
  /** nvidia-smi runner (tests may pass recorded outputs). */
  smi?: (args: readonly string[]) => Promise<string | undefined>;
}

/**
 * Samples GPU memory every `intervalMs` (≤ 200 ms) while a task runs: the server's own GPU processes when
 * nvidia-smi lists them (its process tree), else the whole pinned GPU's memory.used. RSS of the server
 * process tree is sampled on the same tick. `stop()` ends the loop and returns peak and timeline.
 */
export function startSampler(opts: SamplerOptions): { stop(): Promise<ResourceUsage> } {
  const interval = Math.min(opts.intervalMs ?? 200, 200);
  const smi = opts.smi ?? ((a) => nvidiaSmi(a, 2_000));
  const t0 = Date.now();
  const timeline: ResourceSample[] = [];
  let gpuPeak: number | null = null;
  let rssPeak: number | null = null;
  let samples = 0;
  let running = true;
  let smiMissing = false;

  const tick = async () => {
    samples++;
    if (opts.pid !== undefined) {
      const rss = treeRssMb(opts.pid);
      if (rss !== undefined) rssPeak = Math.max(rssPeak ?? 0, rss);
    }
    if (opts.gpuIndex === undefined || smiMissing) return;
    const [mem, apps] = await Promise.all([
      smi(QUERY_MEMORY),
      opts.pid !== undefined ? smi(QUERY_APPS) : Promise.resolve(undefined),
    ]);
    if (mem === undefined) {
      smiMissing = true;
      return;
    }
    let mb = parseGpuMemory(mem).find((g) => g.index === opts.gpuIndex)?.usedMb;
    if (apps !== undefined && opts.pid !== undefined) {
      const tree = new Set(processTree(opts.pid));
      const own = parseComputeApps(apps).filter((a) => tree.has(a.pid));
      if (own.length > 0) mb = own.reduce((t, a) => t + a.usedMb, 0);
    }
    if (mb === undefined) return;
    timeline.push({ t_ms: Date.now() - t0, mb });
    gpuPeak = Math.max(gpuPeak ?? 0, mb);
  };

  const loop = (async () => {
    while (running) {
      const started = Date.now();
      await tick();
      const wait = interval - (Date.now() - started);
      if (running && wait > 0) await sleep(wait);
    }
  })();

  return {
    async stop() {
      running = false;
      await loop;
      return { gpuMemoryPeakMb: gpuPeak, gpuMemoryTimeline: timeline, rssPeakMb: rssPeak, samples };
    },
  };
}

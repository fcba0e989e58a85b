import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { costPer1000Docs, pricePerHourFromMonthly } from '../../src/resources/cost.js';
import {
  parseComputeApps,
  parseGpuList,
  parseGpuMemory,
  QUERY_APPS,
  QUERY_MEMORY,
} from '../../src/resources/nvidia-smi.js';
import { parseVmRssKb, processTree, treeRssMb } from '../../src/resources/rss.js';
import { startSampler } from '../../src/resources/sampler.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/nvidia-smi/${name}`, import.meta.url)), 'utf8');

describe('nvidia-smi CSV parsing (recorded-format outputs)', () => {
  it('reads the GPU list', () => {
    const gpus = parseGpuList(fixture('query-gpu-3xa100.csv'));
    expect(gpus).toHaveLength(3);
    expect(gpus[2]).toEqual({
      index: 2,
      uuid: 'GPU-f4a2c7e9-3d1b-4a6e-9c5f-7b8e0d2a1c63',
      name: 'NVIDIA A100-SXM4-40GB',
      memoryTotalMb: 40960,
    });
  });

  it('reads memory per GPU and per process, skipping [N/A] cells and empty output', () => {
    expect(parseGpuMemory(fixture('memory-used-3xa100.csv'))).toEqual([
      { index: 0, usedMb: 17235 },
      { index: 1, usedMb: 4 },
      { index: 2, usedMb: 4 },
    ]);
    expect(parseGpuMemory('0, [N/A]\n1, 12\n')).toEqual([{ index: 1, usedMb: 12 }]);
    expect(parseComputeApps(fixture('compute-apps.csv'))).toEqual([{ pid: 48213, usedMb: 17226 }]);
    expect(parseComputeApps(fixture('compute-apps-none.csv'))).toEqual([]);
  });
});

describe('resource sampling', () => {
  it('samples the pinned GPU every ≤ 200 ms and keeps the peak and the timeline', async () => {
    let calls = 0;
    const levels = [100, 900, 400];
    const sampler = startSampler({
      gpuIndex: 1,
      intervalMs: 20,
      smi: async (args) => {
        if (args === QUERY_MEMORY) {
          const mb = levels[Math.min(calls++, levels.length - 1)];
          return `0, 5\n1, ${mb}\n`;
        }
        return undefined;
      },
    });
    while (calls < 3) await new Promise((r) => setTimeout(r, 10));
    const u = await sampler.stop();
    expect(u.gpuMemoryPeakMb).toBe(900);
    expect(u.gpuMemoryTimeline.slice(0, 3).map((s) => s.mb)).toEqual([100, 900, 400]);
    expect(u.gpuMemoryTimeline.every((s, i, a) => i === 0 || s.t_ms >= (a[i - 1]?.t_ms ?? 0))).toBe(true);
  });

  it('never samples less often than every 200 ms, whatever interval is asked for', async () => {
    let calls = 0;
    const sampler = startSampler({
      gpuIndex: 0,
      intervalMs: 60_000,
      smi: async (args) => {
        if (args !== QUERY_MEMORY) return undefined;
        calls++;
        return '0, 10\n';
      },
    });
    // At 60 s a second sample would never come in this window; at ≤ 200 ms it comes well inside it.
    const deadline = Date.now() + 5_000;
    while (calls < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const u = await sampler.stop();
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(u.samples).toBeGreaterThanOrEqual(2);
  });

  it("prefers the server's own GPU processes when nvidia-smi lists them", async () => {
    const sampler = startSampler({
      gpuIndex: 0,
      pid: process.pid,
      intervalMs: 20,
      smi: async (args) =>
        args === QUERY_MEMORY
          ? '0, 30000\n'
          : args === QUERY_APPS
            ? `${process.pid}, 1234\n999999, 5000\n`
            : undefined,
    });
    await new Promise((r) => setTimeout(r, 60));
    const u = await sampler.stop();
    expect(u.gpuMemoryPeakMb).toBe(1234);
    expect(u.rssPeakMb).toBeGreaterThan(10);
  });

  it('reports no GPU numbers when nvidia-smi is missing, and RSS of a real child process tree', async () => {
    // 64 MiB touched, then "ready" once it is resident.
    const child = execa(process.execPath, [
      '-e',
      'globalThis.b = Buffer.alloc(64 * 1024 * 1024, 1); console.log("ready"); setTimeout(() => {}, 10000)',
    ]);
    try {
      await new Promise<void>((r) => child.stdout?.once('data', () => r()));
      expect(processTree(process.pid)).toContain(child.pid);
      expect(treeRssMb(child.pid as number)).toBeGreaterThan(60);
      const sampler = startSampler({
        gpuIndex: 0,
        pid: child.pid as number,
        intervalMs: 20,
        smi: async () => undefined,
      });
      await new Promise((r) => setTimeout(r, 60));
      const u = await sampler.stop();
      expect(u.gpuMemoryPeakMb).toBeNull();
      expect(u.gpuMemoryTimeline).toEqual([]);
      expect(u.rssPeakMb).toBeGreaterThan(60);
    } finally {
      child.kill();
      await child.catch(() => {});
    }
    expect(parseVmRssKb('Name:\tnode\nVmRSS:\t  51200 kB\n')).toBe(51200);
  });
});

describe('cost per 1,000 documents', () => {
  it("converts the seed's monthly A100 price at 730 h a month and divides GPU time over documents", () => {
    const perHour = pricePerHourFromMonthly(38_322.67);
    expect(perHour).toBeCloseTo(52.497, 3);
    // 1 s per document on the GPU: 1000 documents = 1000 s = 0.2778 h.
    expect(costPer1000Docs({ pricePerHour: 52.5, gpuSeconds: 100, documents: 100 })).toBeCloseTo(14.583, 3);
    expect(costPer1000Docs({ pricePerHour: 52.5, gpuSeconds: 100, documents: 0 })).toBeNull();
  });
});

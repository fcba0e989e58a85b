import { join, resolve } from 'node:path';
import type { AnswerCache } from '../cache/store.js';
import { safeName } from '../config/names.js';
import type { PlannedTask } from '../config/types.js';
import { loadDataset } from '../dataset/load.js';
import { VlmhbError } from '../errors.js';
import { openTaskEngine } from '../runs/engine.js';
import { itemScores } from '../runs/item-scores.js';
import { runTask } from '../runs/run-task.js';
import { pickSize, type SizeChoice, type SizePoint } from './pick.js';

export interface ResolutionSweepOptions {
  /** Long sides to try, any order. @default [1600, 1280, 1024, 768, 512] */
  sizes?: number[];
  /** Largest CER increase over the best still accepted. @default 0.01 */
  tolerance?: number;
  /** Folder for one run per task and size. */
  out: string;
  cache: AnswerCache | false;
  log?: (m: string) => void;
  signal?: AbortSignal;
}

export interface TaskSweep {
  task: { dataset: string; framework: string; model: string };
  sizes: number[];
  tolerance: number;
  /** Per document type (doc_class): every size's numbers and the choice. */
  by_doc_type: Record<string, { points: SizePoint[]; choice: SizeChoice }>;
  /** The choices as the config's per-type setting (`long_side_by_doc_class` of a task). */
  long_side_by_doc_class: Record<string, number>;
  runs: { longSide: number; runDir: string; failed: number }[];
  /** Failed requests over every size: when not 0 the sweep is not final (the command exits 1). */
  failed: number;
}

export const DEFAULT_SIZES = [1600, 1280, 1024, 768, 512];

/**
 * Runs each task at every long side (through runTask, cache-backed: a size already asked is not asked
 * again) and picks per document type the smallest side whose CER stays within the tolerance of the best.
 * CER is the type's corpus CER with a failed request scored as an empty answer, so an engine that breaks
 * at a small size cannot look good there. Model time per document is the sum of its requests' latencies.
 */
export async function sweepResolution(
  tasks: PlannedTask[],
  opts: ResolutionSweepOptions,
): Promise<TaskSweep[]> {
  const sizes = [...new Set(opts.sizes ?? DEFAULT_SIZES)].sort((a, b) => b - a);
  if (sizes.length < 2) throw new VlmhbError('VLMHB_USAGE', '--sizes needs at least two long sides');
  const tolerance = opts.tolerance ?? 0.01;
  const out: TaskSweep[] = [];
  for (const task of tasks) {
    const dataset = await loadDataset(task.datasetDir, {
      ...(task.filterDocClass ? { filterDocClass: task.filterDocClass } : {}),
      ...(task.filterQuestionType ? { filterQuestionType: task.filterQuestionType } : {}),
    });
    const docClassOf = new Map(dataset.samples.map((s) => [s.id, s.docClass]));
    const te = await openTaskEngine(task, opts.cache, {
      logDir: join(resolve(opts.out), safeName(`${task.dataset}_${task.framework}_${task.model}`), 'server'),
      ...(opts.log ? { log: opts.log } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const engine = te.engine;
    const points = new Map<string, SizePoint[]>();
    const runs: TaskSweep['runs'] = [];
    try {
      for (const longSide of sizes) {
        const { maxPixels: _ignored, ...rest } = task;
        const sized: PlannedTask = {
          ...rest,
          longSide,
          runDir: join(
            resolve(opts.out),
            safeName(`${task.dataset}_${task.framework}_${task.model}`),
            `long_side_${longSide}`,
          ),
        };
        opts.log?.(`${task.dataset} · ${task.model} · long side ${longSide}`);
        const r = await runTask(sized, {
          engine,
          ...(te.server ? { server: te.server, serverReused: runs.length > 0 } : {}),
          // What failed in an earlier session is asked again.
          retryErrors: true,
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
        if (r.interrupted) throw new VlmhbError('VLMHB_USAGE', 'interrupted; rerun to resume the sweep');
        runs.push({ longSide, runDir: r.runDir, failed: r.records.filter((x) => x.error !== null).length });
        const byId = new Map(r.records.map((x) => [x.id, x]));
        const scores = itemScores(dataset.samples, (id) => byId.get(id), task.normalization);
        const types = new Map<
          string,
          { edits: number; refLen: number; failed: number; docMs: Map<string, number> }
        >();
        for (const s of scores) {
          const t = docClassOf.get(s.id) as string;
          const g = types.get(t) ?? { edits: 0, refLen: 0, failed: 0, docMs: new Map<string, number>() };
          types.set(t, g);
          g.edits += s.edits;
          g.refLen += s.refLen;
          if (s.failed) g.failed++;
          const rec = byId.get(s.id);
          if (rec) g.docMs.set(s.docId, (g.docMs.get(s.docId) ?? 0) + rec.latencyMs);
        }
        const mem = r.outcome?.resources?.gpu_memory_peak_mb ?? null;
        for (const [t, g] of types) {
          const list = points.get(t) ?? [];
          const ms = [...g.docMs.values()];
          list.push({
            longSide,
            cer: g.edits / Math.max(1, g.refLen),
            docLatencyMs: ms.length ? ms.reduce((a, b) => a + b, 0) / ms.length : null,
            gpuMemoryPeakMb: mem,
            failed: g.failed,
          });
          points.set(t, list);
        }
      }
    } finally {
      await te.close();
    }
    const byDocType = Object.fromEntries(
      [...points].map(([k, ps]) => [k, { points: ps, choice: pickSize(ps, tolerance) }]),
    );
    out.push({
      task: { dataset: task.dataset, framework: task.framework, model: task.model },
      sizes,
      tolerance,
      by_doc_type: byDocType,
      long_side_by_doc_class: Object.fromEntries(
        Object.entries(byDocType).map(([k, v]) => [k, v.choice.longSide]),
      ),
      runs,
      failed: runs.reduce((t, x) => t + x.failed, 0),
    });
  }
  return out;
}

export function sweepMarkdown(sweeps: TaskSweep[]): string {
  const lines: string[] = [];
  for (const s of sweeps) {
    lines.push(
      `# Resolution sweep · ${s.task.dataset} · ${s.task.framework} · ${s.task.model}`,
      '',
      `Per document type, the smallest long side whose CER stays within ${s.tolerance} of the best.`,
      '',
      `| document type | ${s.sizes.map((x) => `CER @ ${x}`).join(' | ')} | chosen long side | CER | model time saved per document |`,
      `|---|${s.sizes.map(() => '---').join('|')}|---|---|---|`,
    );
    for (const [t, { points, choice }] of Object.entries(s.by_doc_type)) {
      const at = (x: number) => points.find((p) => p.longSide === x)?.cer.toFixed(3) ?? '—';
      const saved = choice.savedDocLatencyMs === null ? '—' : `${choice.savedDocLatencyMs.toFixed(0)} ms`;
      lines.push(
        `| ${t.replace(/\|/g, '\\|')} | ${s.sizes.map(at).join(' | ')} | **${choice.longSide}** | ${choice.cer.toFixed(3)} | ${saved}${choice.savedGpuMemoryMb ? `, ${choice.savedGpuMemoryMb} MB GPU memory` : ''} |`,
      );
    }
    // The choice as the per-type setting a config takes, ready to paste into the task.
    lines.push(
      '',
      'As a setting of the task (YAML config):',
      '',
      '```yaml',
      `long_side_by_doc_class: {${Object.entries(s.long_side_by_doc_class)
        .map(([k, v]) => `${JSON.stringify(k)}: ${v}`)
        .join(', ')}}`,
      '```',
    );
    const bad = s.runs.filter((x) => x.failed > 0);
    if (bad.length > 0)
      lines.push(
        '',
        `**Not final:** ${s.failed} request(s) failed (${bad.map((x) => `${x.failed} at ${x.longSide}`).join(', ')}) and were scored as empty answers; rerun the same command to ask them again.`,
      );
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

import { cpus, hostname, platform } from 'node:os';
import type { PlannedTask } from '../config/types.js';
import type { Device } from '../executors/types.js';
import { evaluateLimits } from '../report/limits.js';
import type { TaskOutcome } from '../report/outcome.js';
import { costPer1000Docs } from '../resources/cost.js';
import type { ResourceUsage } from '../resources/sampler.js';
import type { AnswerRecord } from '../runner/answers-log.js';
import { TOOL_VERSION } from '../version.js';
import { modelSeconds, type scoreTask } from './score.js';
import { executorOf } from './server.js';

/**
 * The run-outcome fields of one task (src/report/outcome.ts): status from scoring, timing, resources,
 * cost and limit verdicts. When this invocation asked nothing, what an earlier session measured (load
 * time, memory) is carried over from `previous` instead of being reported as unknown.
 */
export function buildOutcome(a: {
  task: PlannedTask;
  previous?: Partial<TaskOutcome>;
  scores: ReturnType<typeof scoreTask>;
  records: AnswerRecord[];
  wall: number;
  loadMs: number | null;
  usage: ResourceUsage | undefined;
  device: Device;
  startedAt: Date;
  endedAt: Date;
  reused: boolean;
}): TaskOutcome {
  const { task, scores } = a;
  const speed = scores.speed;
  const overall = scores.metrics.groups.overall;
  const prev = a.previous;
  const loadS = a.loadMs === null ? (a.reused ? 0 : (prev?.timing?.model_load_s ?? null)) : a.loadMs / 1000;
  const peak = a.usage ? a.usage.gpuMemoryPeakMb : (prev?.resources?.gpu_memory_peak_mb ?? null);
  const perDoc = speed.documents > 0 ? speed.documentLatencyMs : undefined;
  const docsPerS = speed.docsPerSecond ?? null;
  const pricePerHour = task.gpuPricePerHour;
  const per1000 =
    pricePerHour === undefined
      ? null
      : costPer1000Docs({ pricePerHour, gpuSeconds: a.wall + (loadS ?? 0), documents: speed.documents });
  return {
    status: scores.status,
    timing: {
      wall_s: a.wall,
      model_load_s: loadS,
      model_s: modelSeconds(a.records),
      docs_per_s: docsPerS,
      requests_per_s: speed.requestsPerSecond ?? null,
    },
    resources:
      !a.usage && prev?.resources
        ? prev.resources
        : {
            device: a.device.kind === 'gpu' ? `gpu:${a.device.index}` : 'cpu',
            gpu_memory_peak_mb: peak,
            gpu_memory_timeline: a.usage?.gpuMemoryTimeline ?? [],
            rss_peak_mb: a.usage?.rssPeakMb ?? null,
          },
    cost:
      pricePerHour === undefined || per1000 === null
        ? null
        : { gpu_price_per_hour: pricePerHour, currency: task.currency ?? 'RUB', per_1000_docs: per1000 },
    limits: evaluateLimits(task.limits, {
      cer: overall?.cer ?? null,
      wer: overall?.wer ?? null,
      anls: overall?.anls ?? null,
      exact_match: overall?.exact_match ?? null,
      error_rate: scores.status.total > 0 ? scores.status.failed / scores.status.total : null,
      seconds_per_document: perDoc ? perDoc.mean / 1000 : null,
      hard_seconds_per_document: perDoc ? perDoc.max / 1000 : null,
      gpu_memory_gb: peak === null ? null : peak / 1024,
    }),
    run: {
      tool_version: TOOL_VERSION,
      executor: executorOf(task),
      started_at: a.startedAt.toISOString(),
      ended_at: a.endedAt.toISOString(),
      machine: { hostname: hostname(), cpus: cpus().length, platform: platform() },
      ...(a.reused ? { server_reused: true } : {}),
    },
    overall_with_errors: scores.withErrors.groups.overall,
  };
}

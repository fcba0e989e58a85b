import type { GroupMetrics } from '../metrics/aggregate.js';

/**
 * The run-outcome fields of a task's metrics.json (the shared contract): whether every item was asked,
 * how long it took and on what, what it cost, and each business limit's verdict. Readers treat each as
 * optional: results written before these existed lack them.
 */
export interface TaskStatus {
  /** Every item has an answer record and the run was not interrupted. */
  complete: boolean;
  partial: boolean;
  /** Items with a non-error answer (the `overall` metrics are over these). */
  answered: number;
  total: number;
  /** Items whose last answer is an error (after retries). */
  failed: number;
  errors_by_code: Record<string, number>;
  /**
   * Answers served by the shared answer cache instead of the model (absent when none): they are left
   * out of this run's speed figures, which count only what the model answered now.
   */
  from_cache?: number;
}

export interface TaskTiming {
  wall_s: number;
  /** Server start to ready; null when this tool started no server (external, in-process). */
  model_load_s: number | null;
  /** Sum of the model time of every request (one per request, not per field). */
  model_s: number;
  docs_per_s: number | null;
  requests_per_s: number | null;
}

export interface TaskResources {
  /** 'gpu:N' or 'cpu'. */
  device: string;
  gpu_memory_peak_mb: number | null;
  gpu_memory_timeline: { t_ms: number; mb: number }[];
  rss_peak_mb: number | null;
}

export interface TaskCost {
  gpu_price_per_hour: number;
  currency: string;
  per_1000_docs: number;
}

export interface LimitVerdict {
  name: string;
  limit: number;
  /** The measured value; null when it could not be measured (e.g. GPU memory without a GPU). */
  value: number | null;
  /** null when the value is unknown. */
  pass: boolean | null;
}

export interface RunInfo {
  tool_version: string;
  executor: string;
  started_at: string;
  ended_at: string;
  machine: { hostname: string; cpus: number; platform: string };
  /** True when the task ran on a server started for an earlier task with identical server settings. */
  server_reused?: boolean;
}

export interface TaskOutcome {
  status: TaskStatus;
  timing: TaskTiming;
  resources: TaskResources;
  cost: TaskCost | null;
  limits: LimitVerdict[];
  run: RunInfo;
  /** Metrics with failed items scored as empty answers, beside `overall` (answered items only). */
  overall_with_errors: GroupMetrics | undefined;
}

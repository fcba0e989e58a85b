import { z } from 'zod';

/**
 * The run folder as the report reads it. Each file is validated at the boundary; keys the report does
 * not use pass through, and every field the result contract adds later (status, timing, resources,
 * cost, limits, run, overall_with_errors) is optional, so folders written before it still load.
 */

const numberMap = z.record(z.string(), z.number().nullable());
const groupMap = z.record(z.string(), numberMap);

export const taskFileSchema = z.looseObject({
  datasetDir: z.string(),
  dataset: z.string(),
  task: z.string().optional(),
  framework: z.string(),
  model: z.string(),
  metrics: z.array(z.string()).optional(),
  mode: z.enum(['field', 'document']).optional(),
  promptCollectionFile: z.string().optional(),
  systemPromptFile: z.string().optional(),
  filterDocClass: z.array(z.string()).optional(),
  filterQuestionType: z.array(z.string()).optional(),
  longSide: z.number().optional(),
  maxPixels: z.number().optional(),
  maxTokens: z.number().optional(),
  concurrency: z.number().optional(),
  baseUrl: z.string().optional(),
  normalization: z.record(z.string(), z.unknown()).optional(),
  fingerprint: z.string().optional(),
});
export type TaskFile = z.infer<typeof taskFileSchema>;

// null when nothing was timed: a run whose every answer came from the answer cache asked no request.
const percentiles = z.looseObject({
  mean: z.number().nullable(),
  p50: z.number().nullable(),
  p90: z.number().nullable(),
  p95: z.number().nullable().optional(),
  p99: z.number().nullable(),
  max: z.number().nullable(),
});

export const limitSchema = z.object({
  name: z.string(),
  limit: z.number(),
  value: z.number().nullable(),
  pass: z.boolean().nullable(),
});
export type Limit = z.infer<typeof limitSchema>;

export const metricsFileSchema = z.looseObject({
  task: z.looseObject({ framework: z.string(), model: z.string() }).optional(),
  overall: numberMap.optional(),
  overall_with_errors: numberMap.optional(),
  by_doc_type: groupMap.optional(),
  by_doc_question: groupMap.optional(),
  by_split: groupMap.optional(),
  normalization: z.record(z.string(), z.looseObject({ preset: z.string().optional() })).optional(),
  speed: z
    .looseObject({
      requests: z.number(),
      failed: z.number(),
      documents: z.number(),
      requestLatencyMs: percentiles,
      documentLatencyMs: percentiles,
      docsPerSecond: z.number().optional(),
      wallSeconds: z.number().optional(),
    })
    .optional(),
  server: z
    .looseObject({ url: z.string().optional(), version: z.string().nullable().optional() })
    .nullable()
    .optional(),
  status: z
    .looseObject({
      complete: z.boolean(),
      partial: z.boolean(),
      answered: z.number(),
      total: z.number(),
      failed: z.number(),
      errors_by_code: z.record(z.string(), z.number()),
      from_cache: z.number().optional(),
    })
    .optional(),
  timing: z
    .looseObject({
      wall_s: z.number(),
      model_load_s: z.number().nullable(),
      model_s: z.number(),
      docs_per_s: z.number().nullable(),
      requests_per_s: z.number().nullable(),
    })
    .optional(),
  resources: z
    .looseObject({
      device: z.string(),
      gpu_memory_peak_mb: z.number().nullable(),
      gpu_memory_timeline: z.array(z.object({ t_ms: z.number(), mb: z.number() })).optional(),
      rss_peak_mb: z.number().nullable(),
    })
    .optional(),
  cost: z
    .looseObject({ gpu_price_per_hour: z.number(), currency: z.string(), per_1000_docs: z.number() })
    .nullable()
    .optional(),
  limits: z.array(limitSchema).optional(),
  run: z
    .looseObject({
      tool_version: z.string(),
      executor: z.string(),
      started_at: z.string(),
      ended_at: z.string(),
      machine: z.looseObject({ hostname: z.string(), cpus: z.number(), platform: z.string() }),
    })
    .optional(),
});
export type MetricsFile = z.infer<typeof metricsFileSchema>;

/** One answers.jsonl line: only what the report shows; the runner writes more. */
export const answerLineSchema = z.looseObject({
  id: z.number().int().nonnegative(),
  docId: z.string(),
  docClass: z.string(),
  questionType: z.string(),
  prompt: z.string(),
  answer: z.string().nullable(),
  error: z.looseObject({ code: z.string().optional(), message: z.string().optional() }).nullable(),
  latencyMs: z.number(),
  requestId: z.string().optional(),
  at: z.string().optional(),
});
export type AnswerLine = z.infer<typeof answerLineSchema>;

export const sessionsFileSchema = z.looseObject({
  sessions: z.array(z.looseObject({ startedAt: z.string(), endedAt: z.string(), seconds: z.number() })),
});
export type SessionsFile = z.infer<typeof sessionsFileSchema>;

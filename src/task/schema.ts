import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { PlannedTask } from '../config/types.js';
import { VlmhbError } from '../errors.js';

/**
 * The JSON form of one planned task, as `vlmhb task run FILE` reads it (Slurm job scripts call it on the
 * node) and as every run folder's task.json holds it (extra keys such as `fingerprint` are ignored).
 * Field names and meanings are PlannedTask's (src/config/types.ts); paths are absolute.
 */
const num = z.number();
const strList = z.array(z.string());
export const PlannedTaskJsonSchema = z
  .object({
    index: z.number().int().min(0).default(0),
    source: z
      .object({ file: z.string(), row: z.number().int().optional(), key: z.string().optional() })
      .default({ file: '<task file>' }),
    datasetDir: z.string().min(1),
    dataset: z.string().min(1),
    task: z.string().default(''),
    framework: z.string().min(1),
    model: z.string().min(1),
    dockerImage: z.string().optional(),
    systemPromptFile: z.string().optional(),
    promptCollectionFile: z.string().optional(),
    metrics: strList,
    onlyEvaluateMetrics: z.boolean().default(false),
    mode: z.enum(['field', 'document']).optional(),
    aggregators: strList,
    filterDocClass: strList.optional(),
    filterQuestionType: strList.optional(),
    baseUrl: z.string().optional(),
    apiKeyEnv: z.string().nullable().optional(),
    concurrency: z.number().int().positive().optional(),
    longSide: z.number().int().positive().optional(),
    longSideByDocClass: z.record(z.string(), z.number().int().positive()).optional(),
    maxPixels: z.number().int().positive().optional(),
    normalization: z.record(z.string(), z.unknown()).optional(),
    maxTokens: z.number().int().positive().optional(),
    timeoutMs: num.positive().optional(),
    maxRetries: z.number().int().min(0).optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    dataRoot: z.string().min(1),
    answersDir: z.string().min(1),
    metricsDir: z.string().min(1),
    reportsDir: z.string().min(1),
    runDir: z.string().optional(),
    executor: z.string().optional(),
    executorOptions: z.record(z.string(), z.unknown()).optional(),
    launch: z.record(z.string(), z.unknown()).optional(),
    gpuPricePerHour: num.min(0).optional(),
    currency: z.string().optional(),
    limits: z.record(z.string(), num).optional(),
  })
  .loose();

/** Reads and validates a task file; problems name the file and the field. */
export function readTaskFile(file: string): PlannedTask {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new VlmhbError('VLMHB_USAGE', `cannot read task file: ${(e as Error).message}`, {
      where: { file },
      cause: e,
    });
  }
  const parsed = PlannedTaskJsonSchema.safeParse(data);
  if (!parsed.success) {
    throw new VlmhbError(
      'VLMHB_CONFIG_INVALID',
      `invalid task file: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
      { where: { file } },
    );
  }
  const {
    fingerprint: _f,
    apiKeyEnv,
    ...rest
  } = parsed.data as typeof parsed.data & { fingerprint?: unknown };
  return { ...(rest as unknown as PlannedTask), ...(apiKeyEnv ? { apiKeyEnv } : {}) };
}

import type { LaunchOptions } from '../engines/frameworks/types.js';
import type { NormalizationSettings } from '../metrics/aggregate.js';
import type { SlurmOptions } from './slurm.js';

/** Business limits of a task (config `limits:`); see LimitsSchema for each one's meaning. */
export interface TaskLimits {
  cer?: number;
  wer?: number;
  anls?: number;
  exact_match?: number;
  error_rate?: number;
  seconds_per_document?: number;
  hard_seconds_per_document?: number;
  gpu_memory_gb?: number;
}

/** One benchmark task after validation: dataset × framework × model × prompts × metrics. */
export interface PlannedTask {
  /** 0-based position in the config. */
  index: number;
  /** Where the task was declared, for error messages: file and 1-based row (CSV) or key (YAML). */
  source: { file: string; row?: number; key?: string };
  /** Absolute path of the dataset folder. */
  datasetDir: string;
  /** Dataset name as written in the config (used in output names). */
  dataset: string;
  /** The original project's `task` column (e.g. VQA); '' when absent. */
  task: string;
  /** Canonical framework id from the engine registry ('Hugging Face' → 'transformers'). */
  framework: string;
  model: string;
  /** Container image to serve the model in, when the config names one. */
  dockerImage?: string;
  /** Absolute path of the system prompt file, if any. */
  systemPromptFile?: string;
  /** Absolute path of the prompt collection CSV, if any. */
  promptCollectionFile?: string;
  /** Metric ids, lower case (e.g. ['cer', 'wer']). */
  metrics: string[];
  onlyEvaluateMetrics: boolean;
  /** 'field': one request per field (the seed's VQA); 'document': one request per document returning JSON. */
  mode?: 'field' | 'document';
  /** Aggregator ids: by_id, by_doc_question, by_doc_type, by_split, overall. */
  aggregators: string[];
  filterDocClass?: string[];
  filterQuestionType?: string[];
  /** Engine connection and generation settings. */
  baseUrl?: string;
  apiKeyEnv?: string;
  concurrency?: number;
  longSide?: number;
  /** Long side per doc_class id, over `longSide` for those types (the sweep's per-type choice). */
  longSideByDocClass?: Record<string, number>;
  /** Resize so width × height is at most this before sending. */
  maxPixels?: number;
  /** Refuse images above this many pixels before decoding (decompression-bomb guard). */
  maxImagePixels?: number;
  /** Normalisation per metric id (or 'all'); absent = each metric's default. */
  normalization?: NormalizationSettings;
  maxTokens?: number;
  /** Per-attempt request timeout. */
  timeoutMs?: number;
  maxRetries?: number;
  /** Framework-specific engine settings passed through to the engine factory. */
  params?: Record<string, unknown>;
  /** Batch-job settings for executor slurm (the YAML `slurm:` block). */
  slurm?: SlurmOptions;
  /** Data root holding ModelsAnswers/, ModelsMetrics/, Reports/. */
  dataRoot: string;
  /** Output folders, defaults under dataRoot. */
  answersDir: string;
  metricsDir: string;
  reportsDir: string;
  /** Folder for this task's answers log and results; default `<dataRoot>/runs/<task id>`. */
  runDir?: string;
  /** Executor id that starts the model server (executors/registry.ts). @default 'external' */
  executor?: string;
  executorOptions?: Record<string, unknown>;
  /** Server launch settings the framework adapter maps onto its flags. */
  launch?: Omit<LaunchOptions, 'model' | 'host' | 'port'>;
  /** GPU price per hour for the cost per 1,000 documents. */
  gpuPricePerHour?: number;
  currency?: string;
  limits?: TaskLimits;
}

export const DEFAULT_METRICS = ['cer', 'wer', 'bleu', 'anls', 'exact_match', 'doc_all_correct'] as const;
export const DEFAULT_AGGREGATORS = [
  'by_id',
  'by_doc_question',
  'by_doc_type',
  'by_split',
  'overall',
] as const;

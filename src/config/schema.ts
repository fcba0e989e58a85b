import { z } from 'zod';
import { normalizationSpecSchema } from '../metrics/normalize.js';
import { SlurmOptionsSchema } from './slurm.js';
import { DEFAULT_AGGREGATORS, DEFAULT_METRICS } from './types.js';

/**
 * The config schema: one source for validation of both YAML and CSV configs and for the generated
 * JSON Schema (schema/vlmhb-config.schema.json). Descriptions and defaults here are the documentation.
 * Names are validated against the registries later (normalise step), so the schema keeps them as strings.
 */

const stringList = z.union([z.string(), z.array(z.string())]).describe('One value or a list of values.');

const positiveInt = z.number().int().positive();

export const FilterSchema = z
  .object({
    doc_class: stringList
      .optional()
      .describe('Keep only samples whose doc_class is one of these. Applies on its own; absent = all.'),
    question_type: stringList
      .optional()
      .describe('Keep only samples whose question_type is one of these. Applies on its own; absent = all.'),
  })
  .strict()
  .describe('Sample filters; when both are given a sample must pass both.');

/**
 * Executor ids a config may name. The registry (src/executors/registry.ts) holds the implementations; a
 * name listed here whose implementation is not built in fails when its server is started, so a config
 * (and `vlmhb plan`) reads the same on every installation.
 */
export const EXECUTOR_NAMES: readonly string[] = ['external', 'local', 'docker', 'apptainer', 'slurm'];

export const LimitsSchema = z
  .object({
    cer: z.number().min(0).optional().describe('Highest overall CER (answered items) a task may have.'),
    wer: z.number().min(0).optional().describe('Highest overall WER a task may have.'),
    anls: z.number().min(0).max(1).optional().describe('Lowest overall ANLS a task may have.'),
    exact_match: z.number().min(0).max(1).optional().describe('Lowest overall exact-match share.'),
    error_rate: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('Highest share of items whose answer is an error after retries.'),
    seconds_per_document: z
      .number()
      .positive()
      .optional()
      .describe("Highest mean model time per document in seconds (the seed's ≤ 1 s target)."),
    hard_seconds_per_document: z
      .number()
      .positive()
      .optional()
      .describe('Highest model time of any single document in seconds (no document may take longer).'),
    gpu_memory_gb: z
      .number()
      .positive()
      .optional()
      .describe('Highest peak GPU memory of the task in GB (1 GB = 1024 MiB as nvidia-smi reports).'),
  })
  .strict()
  .describe('Business limits; every task gets pass/fail per limit in the summary and metrics.json.');

export const LaunchSchema = z
  .object({
    dtype: z.string().optional().describe("Weights dtype, e.g. 'auto', 'bfloat16'."),
    max_model_len: positiveInt.optional().describe('Context length in tokens.'),
    images_per_prompt: positiveInt.optional().describe('Most images one request may carry.'),
    min_pixels: positiveInt.optional().describe('Image-processor lower pixel bound (Qwen-VL).'),
    max_pixels: positiveInt.optional().describe('Image-processor upper pixel bound (Qwen-VL).'),
    gpu_memory_fraction: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .describe('Share of GPU memory the server may take.'),
    trust_remote_code: z.boolean().optional().describe('Let the framework run the model repository code.'),
    served_model_name: z.string().optional().describe('Name clients use in `model`.'),
    mmproj: z.string().optional().describe('llama.cpp: the multimodal projector GGUF.'),
    extra_args: z
      .array(z.string())
      .optional()
      .describe('Appended to the launch command verbatim (argv, no shell).'),
  })
  .strict()
  .describe("Server launch settings, mapped by the framework's adapter onto its own flags.");

export const TaskSchema = z
  .object({
    dataset: z
      .string()
      .min(1)
      .describe(
        'Dataset folder (with annotation.csv or annotation.jsonl): an absolute path, a path relative to the ' +
          'config folder, or a name looked up as Datasets/<task>/<dataset> and Datasets/<dataset> under data_root.',
      ),
    task: z
      .string()
      .default('')
      .describe(
        'Task name of the original project (e.g. VQA); selects Datasets/<task>/ and PromptCollections/<task>/.',
      ),
    framework: z
      .string()
      .min(1)
      .describe(
        "Engine id: tesseract, vllm, sglang, transformers, lmdeploy, llamacpp, ollama, openai (aliases: 'Hugging Face', 'llama.cpp').",
      ),
    model: z
      .string()
      .default('')
      .describe('Model name as the engine knows it (e.g. Qwen2-VL-2B-Instruct). Optional for tesseract.'),
    docker_image: z
      .string()
      .optional()
      .describe('Container image that serves the model, when an executor starts it.'),
    system_prompt: z
      .string()
      .optional()
      .describe(
        'System prompt text file: absolute, relative to the config folder, or looked up in ' +
          'SystemPrompts/<dataset>/<model>/ and SystemPrompts/. The whole file is the prompt.',
      ),
    prompt_collection: z
      .string()
      .optional()
      .describe(
        'Prompt collection CSV: absolute, relative to the config folder, or looked up in PromptCollections/<task>/, ' +
          'PromptCollection(s)/<dataset>/<model>/ and PromptCollections/. Absent = ask each sample its own question.',
      ),
    metrics: z
      .array(z.string())
      .default([...DEFAULT_METRICS])
      .describe(
        'Metrics to compute: cer, wer, bleu, anls, exact_match, doc_all_correct (case-insensitive; EM and ExactMatch too). Empty = all.',
      ),
    only_evaluate_metrics: z
      .boolean()
      .default(false)
      .describe('Re-score the answers already in ModelsAnswers/ without calling the model.'),
    aggregators: z
      .array(z.string())
      .default([...DEFAULT_AGGREGATORS])
      .describe(
        "Metric tables to write: by_id, by_doc_question, by_doc_type, by_split, overall ('general' = overall). Empty = all.",
      ),
    filter: FilterSchema.optional(),
    base_url: z
      .string()
      .optional()
      .describe('Base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1.'),
    api_key_env: z
      .string()
      .optional()
      .describe(
        'Name of the environment variable holding the API key; the key itself never goes in the config.',
      ),
    concurrency: positiveInt
      .optional()
      .describe("Requests kept in flight; default: the engine's own default."),
    long_side: positiveInt
      .optional()
      .describe(
        'Resize images so the longer side is at most this many pixels before sending; absent = send as is.',
      ),
    long_side_by_doc_class: z
      .record(z.string().min(1), positiveInt)
      .optional()
      .describe(
        'Long side per document type, by doc_class id (e.g. {snils: 1024, passport: 1600}): what `vlmhb sweep resolution` picks per type. Overrides long_side for those types; the others keep long_side.',
      ),
    max_tokens: positiveInt
      .optional()
      .describe('Most tokens the model may generate per answer; absent = engine default (256).'),
    max_pixels: positiveInt
      .optional()
      .describe(
        'Resize images so width × height is at most this before sending (Qwen-VL style); absent = no limit.',
      ),
    max_image_pixels: positiveInt
      .optional()
      .describe(
        "Refuse images with more pixels (width × height) than this before decoding them: a decompression-bomb guard like Pillow's MAX_IMAGE_PIXELS. @default 89478485",
      ),
    normalization: z
      .record(z.string(), normalizationSpecSchema)
      .optional()
      .describe(
        "Text normalisation per metric before scoring, by metric id or 'all': a preset ('none', 'anls', 'loose') or options {case, whitespace, punctuation, yo, unicode, homoglyphs}. Recorded with the results. @default each metric's own (none; ANLS: anls)",
      ),
    mode: z
      .enum(['field', 'document'])
      .optional()
      .describe(
        "How to ask: 'field' = one request per field (the seed's VQA way); 'document' = one request per document returning all its fields as JSON, with the JSON schema sent as the framework's structured-output field. @default \"field\"",
      ),
    timeout_s: z
      .number()
      .positive()
      .optional()
      .describe('Seconds one request attempt may take before it is cut off and retried. @default 120'),
    max_retries: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Retries after a 429, a 5xx, a reset or a timeout, with backoff. @default 3'),
    params: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Framework-specific engine settings, e.g. {languages: "rus+eng"} for tesseract.'),
    executor: z
      .string()
      .optional()
      .describe(
        "Who starts the model server: 'external' (already running at base_url), 'local' (child process), 'docker' (Docker Engine API), ... @default \"external\"",
      ),
    executor_options: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Executor-specific settings, e.g. {shm_size: "8g"} for docker.'),
    launch: LaunchSchema.optional(),
    gpu_price_per_hour: z
      .number()
      .min(0)
      .optional()
      .describe(
        'Price of one GPU per hour, for cost per 1,000 documents (the seed: A100 40 GB at 38 322.67 RUB a month = 38 322.67 / 730 ≈ 52.50 per hour).',
      ),
    currency: z.string().optional().describe('Currency of gpu_price_per_hour, e.g. RUB. @default "RUB"'),
    limits: LimitsSchema.optional(),
    slurm: SlurmOptionsSchema.optional(),
  })
  .strict()
  .describe('One benchmark task: a dataset asked of one engine and model with one set of prompts.');

/**
 * A value or a non-empty list of values for a sweep axis; a list makes one task per value (src/config/axes.ts).
 * The element keeps the field's own checks, so a bad value is reported at its place in the list.
 */
function axis<T extends z.ZodType>(one: T, what: string) {
  return z
    .union([one, z.array(one).min(1)])
    .describe(`${what} A list makes one task per value (a sweep; see README "A config of many tasks").`);
}

/**
 * A task as written in a YAML/JSON file: as TaskSchema, but the sweep axes (AXES in axes.ts) may be lists.
 * Lists are expanded before each task is checked against TaskSchema, so TaskSchema stays single-valued.
 */
export const TaskFileSchema = TaskSchema.extend({
  model: axis(
    z.string(),
    'Model name as the engine knows it (e.g. Qwen2-VL-2B-Instruct). Optional for tesseract.',
  ),
  framework: axis(
    z.string().min(1),
    "Engine id: tesseract, vllm, sglang, transformers, lmdeploy, llamacpp, ollama, openai (aliases: 'Hugging Face', 'llama.cpp').",
  ),
  prompt_collection: axis(
    z.string(),
    'Prompt collection CSV: absolute, relative to the config folder, or looked up in PromptCollections/<task>/, ' +
      'PromptCollection(s)/<dataset>/<model>/ and PromptCollections/. Absent = ask each sample its own question.',
  ),
  system_prompt: axis(
    z.string(),
    'System prompt text file: absolute, relative to the config folder, or looked up in ' +
      'SystemPrompts/<dataset>/<model>/ and SystemPrompts/. The whole file is the prompt.',
  ),
  long_side: axis(
    positiveInt,
    'Resize images so the longer side is at most this many pixels before sending; absent = send as is.',
  ),
  max_pixels: axis(
    positiveInt,
    'Resize images so width × height is at most this before sending (Qwen-VL style); absent = no limit.',
  ),
  mode: axis(
    z.enum(['field', 'document']),
    "How to ask: 'field' = one request per field (the seed's VQA way); 'document' = one request per document returning all its fields as JSON, with the JSON schema sent as the framework's structured-output field. @default \"field\"",
  ),
}).partial();

export type TaskInput = z.input<typeof TaskSchema>;
export type TaskConfig = z.output<typeof TaskSchema>;

export const DirsSchema = z
  .object({
    datasets: z.string().optional().describe('Datasets folder. @default "<data_root>/Datasets"'),
    prompt_collections: z
      .string()
      .optional()
      .describe(
        'Prompt collections folder. @default "<data_root>/PromptCollections" (the seed\'s "PromptCollection" too)',
      ),
    system_prompts: z
      .string()
      .optional()
      .describe('System prompts folder. @default "<data_root>/SystemPrompts"'),
    answers: z
      .string()
      .optional()
      .describe('Where model answers are written. @default "<data_root>/ModelsAnswers"'),
    metrics: z
      .string()
      .optional()
      .describe('Where metric tables are written. @default "<data_root>/ModelsMetrics"'),
    reports: z.string().optional().describe('Where reports are written. @default "<data_root>/Reports"'),
  })
  .strict()
  .describe('Per-folder overrides of the data root conventions; relative paths are relative to data_root.');

export type DirsConfig = z.output<typeof DirsSchema>;

export const ConfigFileSchema = z
  .object({
    $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors.'),
    data_root: z
      .string()
      .optional()
      .describe(
        "Folder holding Datasets/, PromptCollections/, SystemPrompts/, ModelsAnswers/, ModelsMetrics/, Reports/. @default the config file's folder",
      ),
    dirs: DirsSchema.optional(),
    defaults: TaskFileSchema.optional().describe(
      "Fields merged into every task; a task's own fields win (filter and slurm are merged key by key).",
    ),
    tasks: z
      .array(TaskFileSchema)
      .min(1)
      .describe(
        'Tasks to run, in order. After merging defaults each needs dataset and framework; a task with lists ' +
          'expands into one task per combination, axes in the order model, framework, prompt_collection, ' +
          'system_prompt, long_side, max_pixels, mode (the first varies slowest), values in the order written.',
      ),
  })
  .strict()
  .describe(
    'VLMHyperBench config (YAML or JSON). The CSV configs of the original project map onto the same task fields.',
  );

export type ConfigFile = z.output<typeof ConfigFileSchema>;

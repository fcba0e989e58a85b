import { basename, dirname, extname, resolve } from 'node:path';
import type { ErrorCode, VlmhbIssue } from '../errors.js';
import { throwIssues, VlmhbError } from '../errors.js';
import { readTextFile } from '../util/csv.js';
import { parseCsvConfig } from './csv-config.js';
import { normalizeTask } from './normalize.js';
import { dataDirs } from './paths.js';
import type { RawConfig, RawTask } from './raw.js';
import type { DirsConfig } from './schema.js';
import type { PlannedTask } from './types.js';
import { parseYamlConfig } from './yaml-config.js';

/** Task fields a caller (usually CLI flags) may force on every task after the config is read. */
export type TaskOverrides = Omit<PlannedTask, 'index' | 'source'>;

export interface LoadConfigOptions {
  /**
   * Data root; default: the config's `data_root` (relative to the config's folder), else that folder.
   * A relative value here comes from the command line, so it is read against the working directory.
   */
  dataRoot?: string;
  /** Per-folder overrides of the data root conventions (relative to the data root). */
  dirs?: DirsConfig;
  /** Applied to every task last, e.g. `{ baseUrl }` from `--base-url`. */
  overrides?: Partial<TaskOverrides>;
}

/**
 * Reads a config (CSV as the original project or the seed writes it, YAML, or JSON) and returns the
 * validated tasks. Every problem in the file is collected and thrown as one VlmhbError.
 */
export async function loadConfig(file: string, opts: LoadConfigOptions = {}): Promise<PlannedTask[]> {
  const abs = resolve(file);
  const text = await readTextFile(abs);
  const raw = parseConfigText(text, abs);
  const { tasks, issues } = planConfig(raw, {
    configDir: dirname(abs),
    dataRoot: opts.dataRoot === undefined ? undefined : resolve(opts.dataRoot),
    dirs: { ...raw.dirs, ...opts.dirs },
  });
  if (issues.length > 0) throwIssues(issuesCode(issues), `config ${abs} has ${countOf(issues)}:`, issues);
  return opts.overrides ? tasks.map((t) => ({ ...t, ...opts.overrides })) : tasks;
}

/** Parse step: picks the reader by extension. */
export function parseConfigText(text: string, file: string): RawConfig {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.tsv') return parseCsvConfig(text, file);
  if (ext === '.yaml' || ext === '.yml' || ext === '.json') return parseYamlConfig(text, file);
  throw new VlmhbError('VLMHB_USAGE', `unknown config type "${ext}"; use .csv, .yaml, .yml or .json`, {
    where: { file },
  });
}

/** Normalise and cross-field steps over a parsed config; returns data, never throws for user mistakes. */
export function planConfig(
  raw: RawConfig,
  ctx: { configDir: string; dataRoot?: string | undefined; dirs?: DirsConfig },
): { tasks: PlannedTask[]; issues: VlmhbIssue[] } {
  const root = resolve(ctx.configDir, ctx.dataRoot ?? raw.dataRoot ?? '.');
  const dirs = dataDirs(root, ctx.dirs);
  const issues = [...raw.issues];
  const tasks: PlannedTask[] = [];
  for (const t of raw.tasks) {
    const r = normalizeTask(t, { configDir: ctx.configDir, dirs });
    issues.push(...r.issues);
    if (r.task) tasks.push(r.task);
  }
  if (raw.tasks.length === 0 && raw.issues.length === 0) {
    issues.push({ code: 'VLMHB_CONFIG_INVALID', message: 'config has no tasks', where: { file: raw.file } });
  }
  return { tasks, issues };
}

/** The task settings a flag can set directly; they mean what the PlannedTask fields of the same name mean. */
type TaskFlags = Partial<
  Pick<
    PlannedTask,
    | 'model'
    | 'metrics'
    | 'aggregators'
    | 'onlyEvaluateMetrics'
    | 'filterDocClass'
    | 'filterQuestionType'
    | 'baseUrl'
    | 'apiKeyEnv'
    | 'concurrency'
    | 'longSide'
    | 'maxTokens'
    | 'maxPixels'
    | 'maxImagePixels'
    | 'normalization'
    | 'mode'
    | 'dockerImage'
  >
>;

export interface SingleTaskOptions extends TaskFlags {
  /** Dataset folder (or a name under <out>/Datasets). */
  dataset: string;
  framework: string;
  /** Prompt collection CSV. */
  prompts?: string;
  systemPrompt?: string;
  /** Run folder (becomes runDir): ModelsAnswers/, ModelsMetrics/, Reports/ go inside it. @default the working directory */
  out?: string;
  /** Folder relative paths are read against. @default process.cwd() */
  cwd?: string;
}

/** CLI flag of each task field, so errors from `vlmhb run --dataset ...` name the flag to fix. */
const FLAG: Record<string, string> = {
  dataset: '--dataset',
  framework: '--framework',
  model: '--model',
  prompt_collection: '--prompts',
  system_prompt: '--system-prompt',
  metrics: '--metrics',
  aggregators: '--aggregators',
  only_evaluate_metrics: '--only-evaluate-metrics',
  'filter.doc_class': '--filter-doc-class',
  'filter.question_type': '--filter-question-type',
  base_url: '--base-url',
  api_key_env: '--api-key-env',
  concurrency: '--concurrency',
  long_side: '--long-side',
  max_pixels: '--max-pixels',
  max_image_pixels: '--max-image-pixels',
  normalization: '--normalize',
  max_tokens: '--max-tokens',
  mode: '--mode',
  docker_image: '--docker-image',
};

/** The CLI shortcut: one task from flags, checked by the same rules as a config row. */
export function planSingleTask(opts: SingleTaskOptions): PlannedTask {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const out = resolve(cwd, opts.out ?? '.');
  const input: { filter?: object; [key: string]: unknown } = {
    dataset: opts.dataset,
    framework: opts.framework,
  };
  const set = (key: string, value: unknown) => {
    if (value !== undefined) input[key] = value;
  };
  set('model', opts.model);
  set('prompt_collection', opts.prompts);
  set('system_prompt', opts.systemPrompt);
  set('metrics', opts.metrics);
  set('aggregators', opts.aggregators);
  set('only_evaluate_metrics', opts.onlyEvaluateMetrics);
  set('base_url', opts.baseUrl);
  set('api_key_env', opts.apiKeyEnv);
  set('concurrency', opts.concurrency);
  set('long_side', opts.longSide);
  set('max_pixels', opts.maxPixels);
  set('max_image_pixels', opts.maxImagePixels);
  set('normalization', opts.normalization);
  set('max_tokens', opts.maxTokens);
  set('mode', opts.mode);
  set('docker_image', opts.dockerImage);
  if (opts.filterDocClass || opts.filterQuestionType) {
    const filter: { doc_class?: string[]; question_type?: string[] } = {};
    if (opts.filterDocClass) filter.doc_class = opts.filterDocClass;
    if (opts.filterQuestionType) filter.question_type = opts.filterQuestionType;
    input.filter = filter;
  }
  const raw: RawTask = {
    index: 0,
    source: { file: '<command line>' },
    input,
    where: (field) => ({ key: FLAG[field] ?? field }),
  };
  const { task, issues } = normalizeTask(raw, { configDir: cwd, dirs: dataDirs(out) });
  if (!task || issues.length > 0)
    throwIssues(issuesCode(issues), `run options have ${countOf(issues)}:`, issues);
  // A folder given by path is named by its last part in output files, as a config's dataset name is.
  const named = { ...task, dataset: basename(task.datasetDir) };
  // --out names the run folder itself: answers log, results and the ModelsAnswers/... copies all go there.
  return opts.out === undefined ? named : { ...named, runDir: out };
}

/** One code for the thrown error: the shared one when all issues agree, else the generic config code. */
function issuesCode(issues: VlmhbIssue[]): ErrorCode {
  const first = issues[0]?.code;
  return first && issues.every((i) => i.code === first) ? first : 'VLMHB_CONFIG_INVALID';
}

function countOf(issues: VlmhbIssue[]): string {
  return issues.length === 1 ? '1 problem' : `${issues.length} problems`;
}

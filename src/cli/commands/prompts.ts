import { resolve } from 'node:path';
import { AnswerCache } from '../../cache/store.js';
import { loadConfig } from '../../config/load.js';
import { VlmhbError } from '../../errors.js';
import { type CompareOptions, comparePrompts, writeCompareResult } from '../../prompts-lab/compare.js';
import { compareMarkdown } from '../../prompts-lab/markdown.js';
import { readCompareResult, selectBest, writeSelection } from '../../prompts-lab/select.js';
import { EXIT } from '../errors.js';
import { interrupted } from './interrupted.js';

const log = (m: string) => process.stderr.write(`vlmhb: ${m}\n`);

export interface CompareFlags {
  /** A config whose tasks differ only in prompt collection; else the flags below say what to compare. */
  config?: string;
  dataRoot?: string;
  dataset?: string;
  framework?: string;
  model?: string;
  baseUrl?: string;
  collections?: string[];
  out?: string;
  cache?: boolean;
  cacheFile?: string;
  confidence?: number;
  resamples?: number;
  seed?: number;
  json?: boolean;
}

export async function promptsCompareCommand(f: CompareFlags): Promise<number> {
  if (f.confidence !== undefined && !(f.confidence > 0 && f.confidence < 1))
    throw new VlmhbError('VLMHB_USAGE', `--confidence must lie between 0 and 1, got ${f.confidence}`);
  const what = f.config ? await compareFromConfig(f.config, f.dataRoot) : compareFromFlags(f);
  const out = resolve(f.out ?? 'prompts-compare');
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const cache = f.cache === false ? false : AnswerCache.open(f.cacheFile);
  try {
    const result = await comparePrompts({
      ...what,
      out,
      cache,
      ...(f.confidence !== undefined ? { confidence: f.confidence } : {}),
      ...(f.resamples !== undefined ? { resamples: f.resamples } : {}),
      ...(f.seed !== undefined ? { seed: f.seed } : {}),
      log,
      signal: controller.signal,
    });
    const md = compareMarkdown(result);
    const file = writeCompareResult(out, result, md);
    log(`wrote ${file}`);
    process.stdout.write(f.json ? `${JSON.stringify(result, null, 2)}\n` : md);
    return EXIT.ok;
  } catch (e) {
    return interrupted(controller.signal, e);
  } finally {
    process.off('SIGINT', onSigint);
    if (cache) cache.close();
  }
}

type CompareWhat = Pick<
  CompareOptions,
  'dataset' | 'framework' | 'model' | 'baseUrl' | 'collections' | 'tasks'
>;

/** What may differ between the tasks of a comparison: only where each came from and its prompts. */
const MAY_DIFFER = new Set(['index', 'source', 'promptCollectionFile', 'runDir']);
const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function compareFromFlags(f: CompareFlags): CompareWhat {
  const missing = (['dataset', 'framework', 'collections'] as const).filter((k) => f[k] === undefined);
  if (missing.length > 0 || !f.dataset || !f.framework || !f.collections)
    throw new VlmhbError(
      'VLMHB_USAGE',
      `prompts compare needs a config, or --dataset, --framework and --collections (missing: ${missing
        .map((k) => `--${k}`)
        .join(', ')})`,
    );
  return {
    dataset: f.dataset,
    framework: f.framework,
    ...(f.model ? { model: f.model } : {}),
    ...(f.baseUrl ? { baseUrl: f.baseUrl } : {}),
    collections: f.collections,
  };
}

/**
 * The seed's way: the config lists one model on one dataset once per candidate collection. Tasks that differ
 * in anything else would compare more than the prompts, so they are refused with the cell that differs.
 */
async function compareFromConfig(file: string, dataRoot: string | undefined): Promise<CompareWhat> {
  const tasks = await loadConfig(file, dataRoot !== undefined ? { dataRoot } : {});
  const first = tasks[0];
  if (!first) throw new VlmhbError('VLMHB_USAGE', `${file} has no tasks`);
  const same = ['datasetDir', 'framework', 'model', 'baseUrl'] as const;
  const column = { datasetDir: 'dataset', framework: 'framework', model: 'model', baseUrl: 'base_url' };
  for (const t of tasks) {
    const key = same.find((k) => t[k] !== first[k]);
    const at = { file: t.source.file, ...(t.source.row ? { row: t.source.row } : {}) };
    if (key)
      throw new VlmhbError(
        'VLMHB_USAGE',
        `prompts compare runs one model on one dataset: this task's ${column[key]} differs from the first task's`,
        { where: { ...at, column: column[key], ...(t.source.key ? { key: t.source.key } : {}) } },
      );
    if (!t.promptCollectionFile)
      throw new VlmhbError('VLMHB_USAGE', 'every task needs a prompt_collection to compare', {
        where: { ...at, column: 'prompt_collection', ...(t.source.key ? { key: t.source.key } : {}) },
      });
    // Anything else that differs (resize, system prompt, executor …) would be compared with the prompts.
    const other = [...new Set([...Object.keys(t), ...Object.keys(first)])].find(
      (k) =>
        !MAY_DIFFER.has(k) &&
        JSON.stringify((t as unknown as Record<string, unknown>)[k]) !==
          JSON.stringify((first as unknown as Record<string, unknown>)[k]),
    );
    if (other)
      throw new VlmhbError(
        'VLMHB_USAGE',
        `prompts compare varies the prompts only: this task's ${snake(other)} differs from the first task's`,
        { where: { ...at, column: snake(other), ...(t.source.key ? { key: t.source.key } : {}) } },
      );
  }
  return {
    dataset: first.datasetDir,
    framework: first.framework,
    model: first.model,
    ...(first.baseUrl ? { baseUrl: first.baseUrl } : {}),
    collections: tasks.map((t) => t.promptCollectionFile as string),
    tasks,
  };
}

export async function promptsSelectCommand(f: {
  from: string;
  out: string;
  json?: boolean;
}): Promise<number> {
  const result = readCompareResult(f.from);
  const chosen = selectBest(result);
  const written = writeSelection(result, chosen, f.out);
  log(`wrote ${written.csv} and ${written.sidecar}`);
  if (f.json) process.stdout.write(`${JSON.stringify({ ...written, prompts: chosen }, null, 2)}\n`);
  else
    for (const c of chosen)
      process.stdout.write(
        `${c.field}: ${c.source.collection} (CER ${c.cer.toFixed(4)}${c.tied_with.length ? `, tied with ${c.tied_with.join(', ')}` : ''})\n`,
      );
  return EXIT.ok;
}

export interface OptimizeFlags {
  dataset: string;
  framework: string;
  model?: string;
  baseUrl?: string;
  generatorUrl: string;
  generatorModel: string;
  generatorApiKeyEnv?: string;
  start?: string;
  attempts?: number;
  threshold?: number;
  maxRequests?: number;
  maxMinutes?: number;
  out?: string;
  cache?: boolean;
  cacheFile?: string;
  json?: boolean;
}

export async function promptsOptimizeCommand(f: OptimizeFlags): Promise<number> {
  const { optimizePrompts } = await import('../../prompts-lab/optimize.js');
  const out = resolve(f.out ?? 'prompts-optimize');
  const cache = f.cache === false ? false : AnswerCache.open(f.cacheFile);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const r = await optimizePrompts({
      dataset: f.dataset,
      framework: f.framework,
      ...(f.model ? { model: f.model } : {}),
      ...(f.baseUrl ? { baseUrl: f.baseUrl } : {}),
      generator: {
        baseUrl: f.generatorUrl,
        model: f.generatorModel,
        ...(f.generatorApiKeyEnv ? { apiKeyEnv: f.generatorApiKeyEnv } : {}),
      },
      ...(f.start ? { start: f.start } : {}),
      ...(f.attempts !== undefined ? { attempts: f.attempts } : {}),
      ...(f.threshold !== undefined ? { threshold: f.threshold } : {}),
      ...(f.maxRequests !== undefined ? { maxRequests: f.maxRequests } : {}),
      ...(f.maxMinutes !== undefined ? { maxSeconds: f.maxMinutes * 60 } : {}),
      out,
      cache,
      log,
      signal: controller.signal,
    });
    if (f.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    else {
      for (const [field, x] of Object.entries(r.fields))
        process.stdout.write(
          `${field}: CER ${x.best.cer.toFixed(4)} «${x.best.prompt}» (${x.attempts} attempt(s), ${x.stop})\n`,
        );
      if (r.merged)
        process.stdout.write(
          `merged system prompt: CER ${r.merged.cer.toFixed(4)} vs per-field prompts ${r.merged.perFieldCer.toFixed(4)}\n`,
        );
    }
    if (!r.complete) log(`stopped by the ${r.stopped} budget; rerun the same command to continue`);
    return EXIT.ok;
  } catch (e) {
    return interrupted(controller.signal, e);
  } finally {
    process.off('SIGINT', onSigint);
    if (cache) cache.close();
  }
}

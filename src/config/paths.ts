import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { DirsConfig } from './schema.js';

/** The folders of one data root, all absolute. */
export interface DataDirs {
  root: string;
  datasets: string;
  /** Folders searched for prompt collections, in order (the original's and the seed's spelling). */
  promptCollections: string[];
  systemPrompts: string;
  answers: string;
  metrics: string;
  reports: string;
}

/** Conventional folder names under a data root, shared with the original project. */
export const DIR_NAMES = {
  datasets: 'Datasets',
  promptCollections: 'PromptCollections',
  /** The seed design document's spelling. */
  promptCollectionSeed: 'PromptCollection',
  systemPrompts: 'SystemPrompts',
  answers: 'ModelsAnswers',
  metrics: 'ModelsMetrics',
  reports: 'Reports',
} as const;

export function dataDirs(root: string, overrides: DirsConfig = {}): DataDirs {
  const abs = resolve(root);
  const at = (given: string | undefined, name: string) => (given ? resolve(abs, given) : join(abs, name));
  return {
    root: abs,
    datasets: at(overrides.datasets, DIR_NAMES.datasets),
    promptCollections: overrides.prompt_collections
      ? [resolve(abs, overrides.prompt_collections)]
      : [join(abs, DIR_NAMES.promptCollections), join(abs, DIR_NAMES.promptCollectionSeed)],
    systemPrompts: at(overrides.system_prompts, DIR_NAMES.systemPrompts),
    answers: at(overrides.answers, DIR_NAMES.answers),
    metrics: at(overrides.metrics, DIR_NAMES.metrics),
    reports: at(overrides.reports, DIR_NAMES.reports),
  };
}

export type PathKind = 'dataset' | 'prompt_collection' | 'system_prompt';

export interface PathContext {
  /** Folder of the config file (or the working directory for the CLI shortcut). */
  configDir: string;
  dirs: DataDirs;
  task: string;
  dataset: string;
  model: string;
}

/**
 * Every place a path written in a config may mean, in the order they are tried: as written when
 * absolute; relative to the config folder; then the original project's layout
 * (Datasets/<task>/<dataset>, PromptCollections/<task>/<file>, PromptCollections/<task>/<dataset>/<file>),
 * the seed's (§2.3)
 * (SystemPrompts/<dataset>/<model>/<file>, PromptCollection/<dataset>/<model>/<file>) and flat folders.
 */
export function candidatePaths(kind: PathKind, written: string, ctx: PathContext): string[] {
  if (isAbsolute(written)) return [written];
  const { dirs, task, model } = ctx;
  // The layouts name a dataset by its folder name; a dataset given by path (`--dataset ./x/SNILS`) too.
  const dataset = ctx.dataset ? basename(ctx.dataset) : '';
  const out: string[] = [resolve(ctx.configDir, written)];
  const add = (...parts: string[]) => out.push(join(...parts));
  switch (kind) {
    case 'dataset':
      if (task) add(dirs.datasets, task, written);
      add(dirs.datasets, written);
      break;
    case 'prompt_collection':
      for (const base of dirs.promptCollections) {
        if (task) add(base, task, written);
        // The original's own layout: PromptCollections/<task>/<dataset>/<file>.
        if (task && dataset) add(base, task, dataset, written);
        if (model && dataset) add(base, dataset, model, written);
        if (dataset) add(base, dataset, written);
        add(base, written);
      }
      break;
    case 'system_prompt':
      if (model && dataset) add(dirs.systemPrompts, dataset, model, written);
      if (task) add(dirs.systemPrompts, task, written);
      if (task && dataset) add(dirs.systemPrompts, task, dataset, written);
      if (dataset) add(dirs.systemPrompts, dataset, written);
      add(dirs.systemPrompts, written);
      break;
  }
  return [...new Set(out)];
}

/** First candidate that exists with the right type (folder for datasets, file otherwise). */
export function findPath(kind: PathKind, candidates: string[]): string | undefined {
  return candidates.find((p) => {
    if (!existsSync(p)) return false;
    const isDir = statSync(p).isDirectory();
    return kind === 'dataset' ? isDir : !isDir;
  });
}

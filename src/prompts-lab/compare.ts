import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { AnswerCache } from '../cache/store.js';
import { planSingleTask } from '../config/load.js';
import { safeName } from '../config/names.js';
import type { PlannedTask } from '../config/types.js';
import { loadDataset } from '../dataset/load.js';
import { VlmhbError } from '../errors.js';
import { openTaskEngine } from '../runs/engine.js';
import { type ItemScore, itemScores } from '../runs/item-scores.js';
import { runTask } from '../runs/run-task.js';
import { failedRequestsError, failuresOf } from './failures.js';
import { type GroupSummary, type Ranking, rankByCer, summarize } from './measure.js';

export interface CompareOptions {
  dataset: string;
  framework: string;
  model?: string;
  baseUrl?: string;
  /** Prompt collection CSVs, at least two. */
  collections: string[];
  /**
   * The tasks of a config, one per collection (same order), differing only in their prompt collection:
   * run as written (executor, engine settings, resize …), each in its own folder under `out`.
   */
  tasks?: PlannedTask[];
  /** Folder for one run per collection plus compare.json / compare.md. */
  out: string;
  /** The shared answer cache; false = `--no-cache`. */
  cache: AnswerCache | false;
  /** @default 0.95 */
  confidence?: number;
  /** @default 2000 */
  resamples?: number;
  /** @default 1 */
  seed?: number;
  log?: (m: string) => void;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface CollectionResult {
  index: number;
  /** Absolute path of the collection CSV. */
  file: string;
  name: string;
  runDir: string;
  overall: GroupSummary;
  by_field: Record<string, GroupSummary & { prompt: string }>;
}

export interface CompareResult {
  kind: 'vlmhb.prompts.compare';
  version: 1;
  created_at: string;
  dataset: { dir: string; name: string; annotation_sha256: string; items: number; documents: number };
  framework: string;
  model: string;
  confidence: number;
  resamples: number;
  seed: number;
  collections: CollectionResult[];
  ranking: { overall: Ranking; by_field: Record<string, Ranking> };
}

function uniqueNames(files: string[]): string[] {
  const seen = new Map<string, number>();
  return files.map((f) => {
    const base = basename(f).replace(/\.csv$/i, '');
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}_${n}`;
  });
}

/**
 * One model over several prompt collections on one dataset: one run per collection (through runTask,
 * resumable, cache-backed so a prompt two collections share is asked once), then per field and overall
 * CER, WER, ANLS and exact match with document-bootstrap intervals, and a ranking where collections no
 * paired test separates share a rank.
 */
export async function comparePrompts(opts: CompareOptions): Promise<CompareResult> {
  if (opts.collections.length < 2)
    throw new VlmhbError(
      'VLMHB_USAGE',
      'compare needs at least two prompt collections (--collections A.csv B.csv)',
    );
  const confidence = opts.confidence ?? 0.95;
  const resamples = opts.resamples ?? 2000;
  const seed = opts.seed ?? 1;
  const now = opts.now ?? (() => new Date());
  const out = resolve(opts.out);
  mkdirSync(out, { recursive: true });
  const names = uniqueNames(opts.collections);
  const runDirOf = (i: number) => join(out, 'runs', safeName(names[i] as string));
  const tasks = opts.tasks
    ? opts.tasks.map((t, i) => ({ ...t, runDir: runDirOf(i) }))
    : opts.collections.map((file, i) =>
        planSingleTask({
          dataset: opts.dataset,
          framework: opts.framework,
          ...(opts.model ? { model: opts.model } : {}),
          ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
          prompts: file,
          out: runDirOf(i),
        }),
      );
  const first = tasks[0];
  if (!first) throw new VlmhbError('VLMHB_USAGE', 'no collections');
  const dataset = await loadDataset(first.datasetDir, {
    ...(first.filterDocClass ? { filterDocClass: first.filterDocClass } : {}),
    ...(first.filterQuestionType ? { filterQuestionType: first.filterQuestionType } : {}),
  });
  // One engine for every collection: the embedded engine OCRs each image once, a server is started
  // (when the task's executor starts one) and probed once.
  const te = await openTaskEngine(first, opts.cache, {
    logDir: join(out, 'server'),
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const engine = te.engine;
  const scores: ItemScore[][] = [];
  const collections: Omit<CollectionResult, 'overall' | 'by_field'>[] = [];
  const prompts: Map<string, string>[] = [];
  const failures: { name: string; runDir: string; failed: number; byCode: Record<string, number> }[] = [];
  try {
    for (const [i, task] of tasks.entries()) {
      opts.log?.(`collection ${i + 1}/${tasks.length}: ${names[i]}`);
      const r = await runTask(task, {
        engine,
        ...(te.server ? { server: te.server, serverReused: i > 0 } : {}),
        // A request that failed in an earlier session is asked again; it is never scored.
        retryErrors: true,
        ...(opts.log ? { log: opts.log } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      if (r.interrupted)
        throw new VlmhbError('VLMHB_USAGE', `interrupted while running ${names[i]}; rerun to resume`);
      const byId = new Map(r.records.map((x) => [x.id, x]));
      const s = itemScores(dataset.samples, (id) => byId.get(id), task.normalization);
      if (s.length !== dataset.samples.length)
        throw new VlmhbError(
          'VLMHB_ENGINE_FAILED',
          `${names[i]}: ${dataset.samples.length - s.length} item(s) have no answer; rerun to resume`,
        );
      failures.push({ name: names[i] as string, runDir: r.runDir, ...failuresOf(r.records) });
      scores.push(s);
      const fieldPrompts = new Map<string, string>();
      for (const rec of r.records) fieldPrompts.set(`${rec.docClass} ${rec.questionType}`, rec.prompt);
      prompts.push(fieldPrompts);
      collections.push({
        index: i,
        file: task.promptCollectionFile ?? '',
        name: names[i] as string,
        runDir: r.runDir,
      });
    }
  } finally {
    await te.close();
  }
  // Every collection ran first, so one rerun retries the failures of all of them.
  const failed = failedRequestsError('prompts compare', failures);
  if (failed) throw failed;
  const boot = { confidence, resamples, seed };
  const alpha = 1 - confidence;
  const fields = [...new Set(scores[0]?.map((s) => s.field) ?? [])];
  const result: CompareResult = {
    kind: 'vlmhb.prompts.compare',
    version: 1,
    created_at: now().toISOString(),
    dataset: {
      dir: dataset.dir,
      name: dataset.name,
      annotation_sha256: createHash('sha256').update(readFileSync(dataset.annotationFile)).digest('hex'),
      items: dataset.samples.length,
      documents: new Set(dataset.samples.map((s) => s.docId)).size,
    },
    framework: first.framework,
    model: first.model,
    confidence,
    resamples,
    seed,
    collections: collections.map((c, i) => ({
      ...c,
      overall: summarize(scores[i] as ItemScore[], boot),
      by_field: Object.fromEntries(
        fields.map((f) => [
          f,
          {
            ...summarize(
              (scores[i] as ItemScore[]).filter((s) => s.field === f),
              boot,
            ),
            prompt: (prompts[i] as Map<string, string>).get(f) ?? '',
          },
        ]),
      ),
    })),
    ranking: {
      overall: rankByCer(scores, { alpha, seed }),
      by_field: Object.fromEntries(
        fields.map((f) => [
          f,
          rankByCer(
            scores.map((xs) => xs.filter((s) => s.field === f)),
            { alpha, seed },
          ),
        ]),
      ),
    },
  };
  return result;
}

export function writeCompareResult(out: string, result: CompareResult, markdown: string): string {
  const file = join(resolve(out), 'compare.json');
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(resolve(out), 'compare.md'), markdown);
  return file;
}

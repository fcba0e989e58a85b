import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { AnswerCache } from '../cache/store.js';
import { planSingleTask } from '../config/load.js';
import { safeName } from '../config/names.js';
import type { PlannedTask } from '../config/types.js';
import { loadDataset } from '../dataset/load.js';
import type { Sample } from '../dataset/types.js';
import { VlmhbError } from '../errors.js';
import { loadPromptCollection } from '../prompts/collection.js';
import { openTaskEngine } from '../runs/engine.js';
import { itemScores } from '../runs/item-scores.js';
import { runTask, type TaskResult } from '../runs/run-task.js';
import { failedRequestsError, failuresOf } from './failures.js';
import { type GeneratorConfig, proposePrompt } from './generator.js';

export interface OptimizeOptions {
  dataset: string;
  framework: string;
  model?: string;
  baseUrl?: string;
  generator: GeneratorConfig;
  /** Starting prompts; without it each field starts from the dataset's own question. */
  start?: string;
  /** Generator proposals per field. @default 20 */
  attempts?: number;
  /** Stop a field once its best CER is below this. @default 0.3 */
  threshold?: number;
  /** Generator requests in all, over every session of this optimisation. */
  maxRequests?: number;
  /**
   * Wall time in all, over every session of this optimisation (as far as attempts were logged: the time
   * between a killed session's last attempt and the kill is not counted).
   */
  maxSeconds?: number;
  out: string;
  cache: AnswerCache | false;
  log?: (m: string) => void;
  signal?: AbortSignal;
  now?: () => Date;
}

/** One line of attempts.jsonl: a prompt scored on the mini dataset. Attempt 0 is the starting prompt. */
export interface Attempt {
  field: string;
  attempt: number;
  prompt: string;
  source: 'start' | 'generator';
  cer: number;
  wrong: { expected: string; got: string }[];
  runDir: string;
  at: string;
  /** Seconds this optimisation had run, over all sessions, when the attempt was logged. */
  elapsed_s?: number;
}

export type FieldStop = 'threshold' | 'attempts' | 'budget';

export interface OptimizeResult {
  complete: boolean;
  /** Why the optimisation stopped early, when it did. */
  stopped: 'requests' | 'time' | null;
  generatorRequests: number;
  /** Seconds spent over all sessions (what the time budget counts). */
  elapsedSeconds: number;
  fields: Record<string, { best: Attempt; attempts: number; stop: FieldStop }>;
  bestCollection: string;
  /** The per-field prompts merged into one system prompt, against the per-field prompts. */
  merged: {
    systemPromptFile: string;
    cer: number;
    perFieldCer: number;
    runDir: string;
    perFieldRunDir: string;
  } | null;
}

interface Field {
  key: string;
  docClass: string;
  questionType: string;
  samples: Sample[];
}

/** A generator proposal, logged the moment it arrives: it is paid for even if scoring it fails. */
interface Proposal {
  field: string;
  attempt: number;
  prompt: string;
  at: string;
}

/**
 * The records of an append-only JSONL log. A kill mid-append leaves a torn last line: it is no record,
 * and it is closed with a newline so the next record starts on a line of its own.
 */
function openLog<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  if (text.length > 0 && !text.endsWith('\n')) appendFileSync(file, '\n');
  return text
    .split('\n')
    .slice(0, -1)
    .flatMap((l) => {
      try {
        return l.trim() ? [JSON.parse(l) as T] : [];
      } catch {
        return [];
      }
    });
}

function collectionCsv(rows: [string, string][]): string {
  return `\ufeff${stringify(
    rows.map(([key, prompt]) => [prompt, key]),
    { delimiter: ';', header: true, columns: ['prompt', 'doc_class_question_type'] },
  )}`;
}

const best = (xs: Attempt[]) => xs.reduce((a, b) => (b.cer < a.cer ? b : a));

/**
 * The stage-2 loop: per field, score the current prompt on the mini dataset with the answering model,
 * ask the generator for a better one given the wrong answers, keep the best; stop a field below the
 * threshold or after N proposals. Every attempt is appended to attempts.jsonl the moment it is scored,
 * so a killed run resumes where it stopped (answers come from the shared cache). Finally the best
 * per-field prompts are merged into one system prompt and scored against the per-field prompts.
 */
export async function optimizePrompts(opts: OptimizeOptions): Promise<OptimizeResult> {
  const out = resolve(opts.out);
  mkdirSync(out, { recursive: true });
  const logFile = join(out, 'attempts.jsonl');
  const history = openLog<Attempt>(logFile);
  const proposalsFile = join(out, 'proposals.jsonl');
  const proposed = openLog<Proposal>(proposalsFile);
  const now = opts.now ?? (() => new Date());
  const started = Date.now();
  // Time earlier sessions spent, as their last logged attempt recorded it.
  const before = history.reduce((t, a) => Math.max(t, a.elapsed_s ?? 0), 0);
  const elapsed = () => before + (Date.now() - started) / 1000;
  const attemptsPerField = opts.attempts ?? 20;
  const threshold = opts.threshold ?? 0.3;
  const dataset = await loadDataset(opts.dataset);
  const fields = new Map<string, Field>();
  for (const s of dataset.samples) {
    const key = `${s.docClass} ${s.questionType}`;
    const f = fields.get(key) ?? { key, docClass: s.docClass, questionType: s.questionType, samples: [] };
    f.samples.push(s);
    fields.set(key, f);
  }
  const start = opts.start ? await loadPromptCollection(opts.start) : undefined;
  // Every request made, scored or not (an older folder without proposals.jsonl: the scored ones).
  let requests = Math.max(proposed.length, history.filter((a) => a.source === 'generator').length);
  const base = planSingleTask({
    dataset: opts.dataset,
    framework: opts.framework,
    ...(opts.model ? { model: opts.model } : {}),
    ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
    out: join(out, 'runs', 'probe'),
  });
  const te = await openTaskEngine(base, opts.cache, {
    logDir: join(out, 'server'),
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const engine = te.engine;
  // The started server's load time belongs to the first run of this session only.
  let runsThisSession = 0;
  const serverOpt = () => (te.server ? { server: te.server, serverReused: runsThisSession++ > 0 } : {});
  /**
   * One scoring run of a candidate. An interrupt or a failed request stops the optimisation before
   * anything is logged, so a rerun scores the same prompt again, asking only the failed items.
   */
  const scoreRun: ScoreRun = async (task, label, name) => {
    const r = await runTask(task, {
      engine,
      ...serverOpt(),
      retryErrors: true,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (r.interrupted) throw new VlmhbError('VLMHB_USAGE', 'interrupted; rerun to resume the optimisation');
    const failed = failedRequestsError(label, [{ name, runDir: r.runDir, ...failuresOf(r.records) }]);
    if (failed) throw failed;
    return r;
  };
  const scorePrompt = async (
    f: Field,
    prompt: string,
    n: number,
    source: Attempt['source'],
  ): Promise<Attempt> => {
    const dir = join(out, 'runs', safeName(f.key), String(n));
    mkdirSync(dir, { recursive: true });
    const csv = join(dir, 'prompt.csv');
    writeFileSync(csv, collectionCsv([[f.key, prompt]]));
    const task = planSingleTask({
      dataset: opts.dataset,
      framework: opts.framework,
      ...(opts.model ? { model: opts.model } : {}),
      ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
      prompts: csv,
      filterDocClass: [f.docClass],
      filterQuestionType: [f.questionType],
      out: join(dir, 'run'),
    });
    const r = await scoreRun(task, `prompts optimize (${f.key}, attempt ${n})`, f.key);
    const byId = new Map(r.records.map((x) => [x.id, x]));
    const scores = itemScores(f.samples, (id) => byId.get(id), task.normalization);
    const cer =
      scores.reduce((t, s) => t + s.edits, 0) /
      Math.max(
        1,
        scores.reduce((t, s) => t + s.refLen, 0),
      );
    // Wrong as the CER sees it (after the task's normalisation), not by raw string.
    const wrong = scores
      .filter((x) => x.edits > 0)
      .slice(0, 5)
      // Expected: the acceptable answer the CER measured it against (the closest of several).
      .map((x) => ({ expected: x.reference, got: byId.get(x.id)?.answer ?? '' }));
    const a: Attempt = {
      field: f.key,
      attempt: n,
      prompt,
      source,
      cer,
      wrong,
      runDir: r.runDir,
      at: now().toISOString(),
      elapsed_s: elapsed(),
    };
    appendFileSync(logFile, `${JSON.stringify(a)}\n`);
    history.push(a);
    return a;
  };

  const results: OptimizeResult['fields'] = {};
  let stopped: OptimizeResult['stopped'] = null;
  try {
    for (const f of fields.values()) {
      const mine = history.filter((a) => a.field === f.key);
      if (mine.length === 0) {
        const first = start?.prompts.get(f.key) ?? (f.samples[0] as Sample).question;
        mine.push(await scorePrompt(f, first, 0, 'start'));
      }
      let stop: FieldStop;
      while (true) {
        const b = best(mine);
        const proposals = mine.filter((a) => a.source === 'generator').length;
        if (b.cer < threshold) {
          stop = 'threshold';
          break;
        }
        if (proposals >= attemptsPerField) {
          stop = 'attempts';
          break;
        }
        // A proposal paid for in a session that stopped before scoring it is scored now, not asked again.
        const pending = proposed.find((x) => x.field === f.key && x.attempt === proposals + 1);
        if (!pending && opts.maxRequests !== undefined && requests >= opts.maxRequests) stopped = 'requests';
        else if (opts.maxSeconds !== undefined && elapsed() >= opts.maxSeconds) stopped = 'time';
        if (stopped) {
          stop = 'budget';
          break;
        }
        let prompt = pending?.prompt;
        if (prompt === undefined) {
          prompt = await proposePrompt(
            opts.generator,
            {
              field: f.key,
              currentPrompt: b.prompt,
              currentCer: b.cer,
              wrong: b.wrong,
              tried: mine.map((a) => a.prompt),
            },
            opts.signal,
          );
          const p: Proposal = { field: f.key, attempt: proposals + 1, prompt, at: now().toISOString() };
          appendFileSync(proposalsFile, `${JSON.stringify(p)}\n`);
          proposed.push(p);
          requests++;
        }
        opts.log?.(`${f.key}: attempt ${proposals + 1}: «${prompt}»`);
        mine.push(await scorePrompt(f, prompt, proposals + 1, 'generator'));
      }
      results[f.key] = {
        best: best(mine),
        attempts: mine.filter((a) => a.source === 'generator').length,
        stop,
      };
      if (stopped) break;
    }
    const bestCollection = join(out, 'best.csv');
    writeFileSync(
      bestCollection,
      `\ufeff${stringify(
        Object.entries(results).map(([k, r]) => [r.best.prompt, k, Number(r.best.cer.toFixed(6))]),
        { delimiter: ';', header: true, columns: ['prompt', 'doc_class_question_type', 'cer'] },
      )}`,
    );
    const complete = stopped === null && Object.keys(results).length === fields.size;
    const merged = complete ? await mergedTrial(opts, out, bestCollection, results, fields, scoreRun) : null;
    const result: OptimizeResult = {
      complete,
      stopped,
      generatorRequests: requests,
      elapsedSeconds: elapsed(),
      fields: results,
      bestCollection,
      merged,
    };
    writeFileSync(join(out, 'optimize.json'), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    await te.close();
  }
}

type ScoreRun = (task: PlannedTask, label: string, name: string) => Promise<TaskResult>;

/**
 * The per-field instructions as one system prompt, with each field then asked by its bare name: does one
 * prompt do as well as the per-field ones? Both are scored on every field of the mini dataset.
 */
async function mergedTrial(
  opts: OptimizeOptions,
  out: string,
  bestCollection: string,
  results: OptimizeResult['fields'],
  fields: Map<string, Field>,
  scoreRun: ScoreRun,
): Promise<NonNullable<OptimizeResult['merged']>> {
  const dir = join(out, 'merged');
  mkdirSync(dir, { recursive: true });
  const systemPromptFile = join(dir, 'system_prompt.txt');
  writeFileSync(
    systemPromptFile,
    [
      'Ты читаешь поля со скана документа. Отвечай только значением поля, без пояснений.',
      ...Object.entries(results).map(([k, r]) => `- ${k}: ${r.best.prompt}`),
    ].join('\n'),
  );
  const bare = join(dir, 'field_names.csv');
  writeFileSync(bare, collectionCsv(Object.keys(results).map((k) => [k, fields.get(k)?.questionType ?? k])));
  const run = async (prompts: string, runDir: string, systemPrompt?: string) => {
    const task = planSingleTask({
      dataset: opts.dataset,
      framework: opts.framework,
      ...(opts.model ? { model: opts.model } : {}),
      ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
      prompts,
      ...(systemPrompt ? { systemPrompt } : {}),
      out: runDir,
    });
    const r = await scoreRun(task, 'prompts optimize (merged system prompt)', runDir);
    return { cer: r.metrics.groups.overall?.cer ?? Number.NaN, runDir: r.runDir };
  };
  const m = await run(bare, join(dir, 'run'), systemPromptFile);
  const p = await run(bestCollection, join(out, 'best-run'));
  return { systemPromptFile, cer: m.cer, perFieldCer: p.cer, runDir: m.runDir, perFieldRunDir: p.runDir };
}

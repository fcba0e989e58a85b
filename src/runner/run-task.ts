import { setMaxListeners } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import PQueue from 'p-queue';
import type { PlannedTask } from '../config/types.js';
import { checkImages, loadDataset } from '../dataset/load.js';
import { imageMime } from '../dataset/mime.js';
import type { Dataset, Sample } from '../dataset/types.js';
import { splitExtraction } from '../engines/openai/extraction.js';
import { loadEngineFactory } from '../engines/registry.js';
import type {
  Engine,
  EngineErrorInfo,
  EngineResponse,
  GenerationSettings,
  ServerInfo,
} from '../engines/types.js';
import { VlmhbError } from '../errors.js';
import { scoreItems } from '../metrics/aggregate.js';
import { type SpeedStats, speedStats } from '../metrics/speed.js';
import { loadPromptCollection } from '../prompts/collection.js';
import { resolvePrompts } from '../prompts/resolve.js';
import { loadSystemPrompt } from '../prompts/system-prompt.js';
import { type SavedResults, saveResults } from '../report/save.js';
import { type AnswerRecord, AnswersLog } from './answers-log.js';
import { readOriginalAnswers, writeOriginalAnswers } from './original-answers.js';
import { type ProgressSink, silentProgress } from './progress.js';
import { defaultRunDir, originalPrefix, taskFingerprint } from './run-files.js';
import { scoreInput } from './score-input.js';
import { type AskMode, type AskUnit, documentUnits, fieldUnits } from './units.js';

export interface RunTaskOptions {
  /** Re-ask items whose last answer was an error. */
  retryErrors?: boolean;
  /** Requests in flight; default: task setting, else the engine's own default. */
  concurrency?: number;
  /** Use this engine instead of creating one from the registry (tests, embedding). */
  engine?: Engine;
  progress?: ProgressSink;
  /** Log lines for humans (stderr in the CLI). */
  log?: (msg: string) => void;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface TaskResult {
  task: PlannedTask;
  runDir: string;
  answersLogFile: string;
  /** The original project's ModelsAnswers CSV written for this run. */
  modelsAnswersFile?: string;
  /** Items asked in this invocation; the rest were already answered (resume) or re-scored only. */
  asked: number;
  resumed: number;
  records: AnswerRecord[];
  metrics: ReturnType<typeof scoreItems>;
  speed: SpeedStats;
  saved: SavedResults;
  /** True when stopped by a signal before every item was asked. */
  interrupted: boolean;
  /** What the remote server reported before the run (version, served models). */
  server?: ServerInfo;
}

interface SessionLog {
  sessions: { startedAt: string; endedAt: string; asked: number; seconds: number }[];
}

function settingsFor(task: PlannedTask): GenerationSettings {
  const s: GenerationSettings = { temperature: 0, maxTokens: task.maxTokens ?? 256, seed: 0 };
  if (task.longSide !== undefined) s.longSide = task.longSide;
  if (task.maxPixels !== undefined) s.maxPixels = task.maxPixels;
  return s;
}

/** Runs one task: ask every pending item (unless re-scoring only), then score and save. */
export async function runTask(task: PlannedTask, opts: RunTaskOptions = {}): Promise<TaskResult> {
  const log = opts.log ?? (() => {});
  const now = opts.now ?? (() => new Date());
  const dataset = await loadDataset(task.datasetDir, {
    ...(task.filterDocClass ? { filterDocClass: task.filterDocClass } : {}),
    ...(task.filterQuestionType ? { filterQuestionType: task.filterQuestionType } : {}),
  });
  if (dataset.samples.length === 0) {
    throw new VlmhbError('VLMHB_DATASET_INVALID', 'no samples left after filters', {
      where: { file: dataset.annotationFile },
    });
  }
  // Every unreadable image and every missing prompt key is reported before a single model call.
  if (!task.onlyEvaluateMetrics)
    await checkImages(dataset, task.maxImagePixels ? { maxImagePixels: task.maxImagePixels } : {});
  const collection = task.promptCollectionFile
    ? await loadPromptCollection(task.promptCollectionFile)
    : undefined;
  const mode: AskMode = task.mode ?? 'field';
  // Per-field prompts only matter when fields are asked one by one.
  const prompts = mode === 'field' ? resolvePrompts(dataset.samples, collection) : [];
  const systemPrompt = task.systemPromptFile ? await loadSystemPrompt(task.systemPromptFile) : undefined;
  const settings = settingsFor(task);

  const fingerprint = taskFingerprint({
    dataset: dataset.annotationFile,
    framework: task.framework,
    model: task.model,
    baseUrl: task.baseUrl ?? null,
    systemPrompt: systemPrompt ?? null,
    mode,
    prompts:
      mode === 'field'
        ? prompts
        : documentUnits(dataset, dataset.samples, settings, collection).map((u) => u.prompt),
    settings,
  });
  const runDir = task.runDir ?? defaultRunDir(task, fingerprint);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(
    join(runDir, 'task.json'),
    `${JSON.stringify({ ...task, fingerprint, apiKeyEnv: task.apiKeyEnv ?? null }, null, 2)}\n`,
  );
  const answersLogFile = join(runDir, 'answers.jsonl');
  const answersLog = AnswersLog.open(answersLogFile, { onNotice: log });

  let asked = 0;
  let interrupted = false;
  let server: ServerInfo | undefined;
  try {
    if (task.onlyEvaluateMetrics) {
      importOriginalAnswersIfNeeded(task, dataset, answersLog, log);
    } else {
      const pending = dataset.samples.filter((s) => {
        const prev = answersLog.get(s.id);
        if (!prev) return true;
        return prev.error !== null && opts.retryErrors === true;
      });
      const resumedCount = dataset.samples.length - pending.length;
      if (resumedCount > 0)
        log(`resuming: ${resumedCount} of ${dataset.samples.length} items already answered`);
      if (pending.length > 0) {
        const units =
          mode === 'document'
            ? documentUnits(dataset, pending, settings, collection)
            : fieldUnits(
                pending,
                new Map(dataset.samples.map((s, i) => [s.id, prompts[i] as string])),
                settings,
              );
        const result = await askAll(task, units, answersLog, {
          ...opts,
          ...(systemPrompt !== undefined ? { systemPrompt } : {}),
          runDir,
          now,
        });
        asked = result.asked;
        interrupted = result.interrupted;
        server = result.server;
      }
    }
  } finally {
    answersLog.close();
  }

  const records = dataset.samples.flatMap((s) => {
    const r = answersLog.get(s.id);
    return r ? [r] : [];
  });
  const stamp = now();
  let modelsAnswersFile: string | undefined;
  if (!task.onlyEvaluateMetrics && records.length > 0) {
    modelsAnswersFile = writeOriginalAnswers(task, records, stamp);
  }
  const metrics = scoreSamples(dataset.samples, answersLog, task);
  const sessions = readSessions(runDir);
  const wall = sessions.sessions.reduce((t, s) => t + s.seconds, 0);
  const speed = speedStats(
    records.map((r) => ({
      docId: r.docId,
      latencyMs: r.latencyMs,
      ...(r.ttftMs !== undefined ? { ttftMs: r.ttftMs } : {}),
      failed: r.error !== null,
      ...(r.requestId !== undefined ? { requestId: r.requestId } : {}),
    })),
    wall > 0 && records.length === dataset.samples.length ? wall : undefined,
  );
  const saved = saveResults({ task, runDir, metrics, speed, stamp, ...(server ? { server } : {}) });
  return {
    task,
    runDir,
    answersLogFile,
    ...(modelsAnswersFile ? { modelsAnswersFile } : {}),
    asked,
    resumed: dataset.samples.length - asked,
    records,
    metrics,
    speed,
    saved,
    interrupted,
    ...(server ? { server } : {}),
  };
}

function scoreSamples(samples: Sample[], answers: AnswersLog, task: PlannedTask) {
  return scoreItems(
    samples.map((s) => {
      const r = answers.get(s.id);
      return scoreInput(s, r && r.error === null ? (r.answer ?? '') : null);
    }),
    {
      metrics: task.metrics,
      aggregators: task.aggregators,
      ...(task.normalization ? { normalization: task.normalization } : {}),
    },
  );
}

interface AskContext extends RunTaskOptions {
  systemPrompt?: string;
  runDir: string;
  now: () => Date;
}

async function askAll(
  task: PlannedTask,
  units: AskUnit[],
  answersLog: AnswersLog,
  ctx: AskContext,
): Promise<{ asked: number; interrupted: boolean; server?: ServerInfo }> {
  const engine = ctx.engine ?? (await createEngine(task));
  const ownsEngine = ctx.engine === undefined;
  let server: ServerInfo | undefined;
  try {
    server = await checkServer(task, engine, ctx.signal);
  } catch (e) {
    if (ownsEngine) await engine.close();
    throw e;
  }
  const concurrency = Math.max(1, ctx.concurrency ?? task.concurrency ?? engine.defaultConcurrency);
  const progress = ctx.progress ?? silentProgress;
  const queue = new PQueue({ concurrency });
  const started = ctx.now();
  let asked = 0;
  let interrupted = false;
  const onAbort = () => {
    interrupted = true;
    queue.clear();
  };
  // Every request in flight listens on the run's one signal (its deadline, its retry wait): with more
  // than ten in flight Node would warn of a leak that is not one.
  if (ctx.signal) setMaxListeners(concurrency + 10, ctx.signal);
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  progress.start(
    units.reduce((t, u) => t + u.pending.size, 0),
    `${task.dataset} · ${task.framework} · ${task.model}`,
  );
  try {
    for (const unit of units) {
      queue
        .add(async () => {
          if (ctx.signal?.aborted) return;
          const res = await askOne(engine, unit.samples[0] as Sample, unit.prompt, unit.settings, ctx);
          if (ctx.signal?.aborted && res.error?.code === 'aborted') return;
          const answers = answersFor(unit, res);
          const extra = unit.fields ? { ...res.extra, rawOutput: res.output ?? null } : res.extra;
          for (const sample of unit.samples) {
            if (!unit.pending.has(sample.id)) continue;
            const a = answers.get(sample.id) ?? { answer: null, error: res.error ?? null };
            const prev = answersLog.get(sample.id);
            answersLog.append({
              id: sample.id,
              docId: sample.docId,
              docClass: sample.docClass,
              questionType: sample.questionType,
              prompt: unit.prompt,
              answer: a.answer,
              error: a.error,
              latencyMs: res.latencyMs,
              ...(unit.fields ? { requestId: unit.requestId } : {}),
              ...(res.ttftMs !== undefined ? { ttftMs: res.ttftMs } : {}),
              ...(res.tpotMs !== undefined ? { tpotMs: res.tpotMs } : {}),
              ...(res.usage ? { usage: res.usage } : {}),
              ...(res.sentImage ? { sentImage: res.sentImage } : {}),
              ...(extra ? { extra } : {}),
              framework: engine.framework,
              model: engine.model,
              // The schema is rebuilt from the dataset; the log records only that one was sent.
              settings: { ...unit.settings, ...(unit.settings.jsonSchema ? { jsonSchema: true } : {}) },
              at: ctx.now().toISOString(),
              attempt: (prev?.attempt ?? 0) + 1,
            });
            asked++;
            progress.tick({ failed: a.error !== null });
          }
        })
        .catch((e: unknown) => {
          // The log could not keep an answer (disk full): stop asking; close() rethrows it for the task.
          if (answersLog.writeFailure) return queue.clear();
          // askOne never throws by contract; a throw here is a bug worth surfacing, not a lost item.
          ctx.log?.(`internal error on request ${unit.requestId}: ${String(e)}`);
        });
    }
    await queue.onIdle();
  } finally {
    progress.stop();
    ctx.signal?.removeEventListener('abort', onAbort);
    if (ownsEngine) await engine.close();
    const ended = ctx.now();
    appendSession(ctx.runDir, {
      startedAt: started.toISOString(),
      endedAt: ended.toISOString(),
      asked,
      seconds: (ended.getTime() - started.getTime()) / 1000,
    });
  }
  return { asked, interrupted, ...(server ? { server } : {}) };
}

/**
 * A remote server is probed once before the first question: unreachable, unhealthy or not serving the
 * configured model stops the task with one error that names the config cell to fix.
 */
async function checkServer(
  task: PlannedTask,
  engine: Engine,
  signal: AbortSignal | undefined,
): Promise<ServerInfo | undefined> {
  if (!engine.probe) return undefined;
  const info = await engine.probe(signal);
  const at = (column: string) => ({
    where: { file: task.source.file, ...(task.source.row ? { row: task.source.row } : {}), column },
  });
  if (!info.healthy) {
    throw new VlmhbError(
      'VLMHB_SERVER_FAILED',
      `${task.framework} server at ${info.url} is not ready: ${info.problem ?? 'unknown problem'}`,
      at('base_url'),
    );
  }
  if (info.models.length > 0 && !info.models.includes(task.model)) {
    throw new VlmhbError(
      'VLMHB_CONFIG_INVALID',
      `model "${task.model}" is not served at ${info.url}; it serves: ${info.models.slice(0, 20).join(', ')}`,
      at('model'),
    );
  }
  return info;
}

interface FieldAnswer {
  answer: string | null;
  error: EngineErrorInfo | null;
}

/**
 * Splits one response into per-sample answers. In document mode the JSON is validated and split by
 * question type; fields it lacks get the validation error, fields it has keep their answer, so one
 * malformed key does not void a whole document.
 */
function answersFor(unit: AskUnit, res: EngineResponse): Map<number, FieldAnswer> {
  const out = new Map<number, FieldAnswer>();
  if (res.error) {
    for (const s of unit.samples) out.set(s.id, { answer: null, error: res.error });
    return out;
  }
  if (!unit.fields) {
    for (const s of unit.samples) out.set(s.id, { answer: res.output ?? '', error: null });
    return out;
  }
  const split = splitExtraction(res.output ?? '', unit.fields);
  const answers = split.ok ? split.answers : split.partial;
  for (const s of unit.samples) {
    const a = answers.get(s.questionType);
    if (a !== undefined) out.set(s.id, { answer: a, error: null });
    else
      out.set(s.id, {
        answer: null,
        error: split.ok ? { code: 'schema_mismatch', message: `"${s.questionType}" missing` } : split.error,
      });
  }
  return out;
}

async function askOne(
  engine: Engine,
  sample: Sample,
  prompt: string,
  settings: GenerationSettings,
  ctx: AskContext,
): Promise<EngineResponse> {
  let data: Buffer;
  try {
    data = await readFile(sample.imageAbsPath);
  } catch (e) {
    return {
      error: { code: 'image_unreadable', message: `${sample.imagePath}: ${(e as Error).message}` },
      latencyMs: 0,
    };
  }
  const mime = imageMime(sample.imageAbsPath);
  try {
    return await engine.ask({
      image: { data, mime, path: sample.imageAbsPath },
      prompt,
      ...(ctx.systemPrompt !== undefined ? { systemPrompt: ctx.systemPrompt } : {}),
      settings,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  } catch (e) {
    return { error: { code: 'engine_threw', message: (e as Error).message }, latencyMs: 0 };
  }
}

async function createEngine(task: PlannedTask): Promise<Engine> {
  const factory = await loadEngineFactory(task.framework);
  return factory.create({
    model: task.model,
    ...(task.baseUrl ? { baseUrl: task.baseUrl } : {}),
    ...(task.apiKeyEnv ? { apiKeyEnv: task.apiKeyEnv } : {}),
    ...(task.timeoutMs !== undefined ? { timeoutMs: task.timeoutMs } : {}),
    ...(task.maxRetries !== undefined ? { maxRetries: task.maxRetries } : {}),
    ...(task.params ? { params: task.params } : {}),
  });
}

function readSessions(runDir: string): SessionLog {
  const f = join(runDir, 'sessions.json');
  if (!existsSync(f)) return { sessions: [] };
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as SessionLog;
  } catch {
    return { sessions: [] };
  }
}

function appendSession(runDir: string, s: SessionLog['sessions'][number]): void {
  const log = readSessions(runDir);
  log.sessions.push(s);
  writeFileSync(join(runDir, 'sessions.json'), `${JSON.stringify(log, null, 2)}\n`);
}

/**
 * `only_evaluate_metrics` on a task whose run folder has no log yet: take the newest answers file the
 * original project (or an earlier run) left in ModelsAnswers/ for the same dataset, framework, model, task.
 */
function importOriginalAnswersIfNeeded(
  task: PlannedTask,
  dataset: Dataset,
  answersLog: AnswersLog,
  log: (m: string) => void,
): void {
  if (answersLog.records().length > 0) return;
  const prefix = `${originalPrefix(task)}_answers_`;
  const candidates = existsSync(task.answersDir)
    ? readdirSync(task.answersDir)
        .filter((f) => f.startsWith(prefix) && f.endsWith('.csv'))
        .sort()
    : [];
  const newest = candidates.at(-1);
  if (!newest) {
    throw new VlmhbError(
      'VLMHB_ANSWERS_INVALID',
      `only_evaluate_metrics is set but no answers exist: no answers log in the run folder and no ${prefix}*.csv in ${task.answersDir}`,
      {
        where: {
          file: task.source.file,
          ...(task.source.row ? { row: task.source.row } : {}),
          column: 'only_evaluate_metrics',
        },
      },
    );
  }
  const file = join(task.answersDir, newest);
  log(`re-scoring answers from ${file}`);
  const answers = readOriginalAnswers(file);
  const samples = new Map(dataset.samples.map((s) => [s.id, s]));
  const at = new Date().toISOString();
  for (const [id, answer] of answers) {
    const s = samples.get(id);
    if (!s) continue;
    answersLog.append({
      id,
      docId: s.docId,
      docClass: s.docClass,
      questionType: s.questionType,
      prompt: '',
      answer,
      error: null,
      latencyMs: 0,
      framework: task.framework,
      model: task.model,
      settings: { importedFrom: file },
      at,
      attempt: 1,
    });
  }
}

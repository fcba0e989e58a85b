import { join } from 'node:path';
import { launchIdentity, withAnswerCache } from '../cache/engine.js';
import { AnswerCache } from '../cache/store.js';
import type { PlannedTask } from '../config/types.js';
import type { Engine, ServerInfo } from '../engines/types.js';
import type { Device, Executor } from '../executors/types.js';
import type { MetricsResult } from '../metrics/aggregate.js';
import type { SpeedStats } from '../metrics/speed.js';
import { writeOriginalAnswers } from '../report/original-answers.js';
import type { TaskOutcome } from '../report/outcome.js';
import { type SavedResults, saveResults } from '../report/save.js';
import { type ResourceUsage, type SamplerOptions, startSampler } from '../resources/sampler.js';
import { type AnswerRecord, AnswersLog } from '../runner/answers-log.js';
import { askUnits } from '../runner/ask.js';
import { selectPending } from '../runner/pending.js';
import type { ProgressSink } from '../runner/progress.js';
import { readSessions } from '../runner/sessions.js';
import { createEngine } from './engine.js';
import { importOriginalAnswersIfNeeded } from './import-answers.js';
import { previousOutcome } from './inspect.js';
import { buildOutcome } from './outcome.js';
import { type PreparedTask, prepareTask, writeTaskFile } from './prepare.js';
import { checkServer } from './probe.js';
import { scoreTask } from './score.js';
import { executorOf, type StartedServer, serverAnswers, startsServer, startTaskServer } from './server.js';
import { runValidity } from './validity.js';

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
  /** Abort (Ctrl-C, SIGTERM): stops asking, stops the server, saves what was answered as partial. */
  signal?: AbortSignal;
  now?: () => Date;
  /**
   * A server already started for this task by the scheduler, shared with neighbouring tasks of identical
   * server settings; it is not stopped here. Without it, a task whose executor starts servers starts and
   * always stops its own.
   */
  server?: StartedServer;
  /** The server was started for an earlier task (its load time is counted there, not here). */
  serverReused?: boolean;
  /** Device for a server this task starts itself. @default { kind: 'cpu' } */
  device?: Device;
  /** The task already prepared (the scheduler prepares to decide what to skip). */
  prepared?: PreparedTask;
  /** Resource sampling (tests pass a recorded nvidia-smi). */
  sampler?: Pick<SamplerOptions, 'smi' | 'intervalMs'>;
  /** Give up waiting for a started server's readiness after this long. */
  readyTimeoutMs?: number;
  /** Executor by id; default the registry (tests pass their own). */
  loadExecutor?: (id: string) => Promise<Executor>;
  /**
   * The shared answer cache (src/cache/), so an answer computed by any command is not asked again;
   * false with `--no-cache`. Default: the default cache file for an engine this task creates; an
   * `engine` passed in is the caller's (it may be cache-backed already) and is wrapped only when a
   * cache is passed explicitly.
   */
  cache?: AnswerCache | false;
}

export interface TaskResult {
  task: PlannedTask;
  runDir: string;
  answersLogFile: string;
  /** The original project's ModelsAnswers CSV written for this run (complete runs only). */
  modelsAnswersFile?: string;
  /** Items asked in this invocation. */
  asked: number;
  /** Items answered by an earlier invocation and kept. */
  resumed: number;
  /** Items answered before whose inputs changed since, re-asked now. */
  changed: number;
  records: AnswerRecord[];
  /** Over answered items only. */
  metrics: MetricsResult;
  /** Failures scored as empty answers (overall only). */
  withErrors: MetricsResult;
  speed: SpeedStats;
  saved: SavedResults;
  /** True when stopped by a signal before every item was asked. */
  interrupted: boolean;
  /** What the remote server reported before the run (version, served models). */
  server?: ServerInfo;
  outcome: TaskOutcome;
  /** Every item was already answered (same inputs): nothing was asked and no server was needed. */
  skipped: boolean;
}

/**
 * A started server that died while its task was asked (out of memory, a crash) leaves every later item
 * failed with a connection error; its log's last lines say why, so they go to the log with the count.
 */
async function reportDeadServer(
  task: PlannedTask,
  started: StartedServer,
  failedNow: () => number,
  log: (msg: string) => void,
): Promise<void> {
  const failed = failedNow();
  if (failed === 0 || (await serverAnswers(started))) return;
  const tail = started.server.tail().trim();
  log(
    `error: the ${task.framework} server for ${task.model} (executor ${started.executor}) stopped answering during the task; ${failed} item(s) failed` +
      (tail ? `. Last lines of ${started.server.logFile}:\n${tail}` : ''),
  );
}

/**
 * The seed's task, the one place the pipeline is composed: prepare inputs → (start the server with the
 * task's executor → probe →) ask the pending items → stop the server, always → score → save.
 */
export async function runTask(task: PlannedTask, opts: RunTaskOptions = {}): Promise<TaskResult> {
  const log = opts.log ?? (() => {});
  const now = opts.now ?? (() => new Date());
  const startedAt = now();
  const prepared = opts.prepared ?? (await prepareTask(task));
  const { dataset, runDir } = prepared;
  // Read before task.json is rewritten: what an earlier session measured (load time, memory) is kept
  // when this one asks nothing.
  const previous = previousOutcome(prepared);
  writeTaskFile(prepared);
  const answersLogFile = join(runDir, 'answers.jsonl');
  const answers = AnswersLog.open(answersLogFile, { onNotice: log });
  let asked = 0;
  let resumed = 0;
  let changed = 0;
  let interrupted = false;
  let server: ServerInfo | undefined;
  let started: StartedServer | undefined = opts.server;
  let loadMs: number | null = opts.server && !opts.serverReused ? opts.server.server.loadMs : null;
  let usage: ResourceUsage | undefined;
  const device: Device = opts.server?.device ?? opts.device ?? { kind: 'cpu' };
  try {
    if (task.onlyEvaluateMetrics) {
      importOriginalAnswersIfNeeded(task, dataset, answers, log);
      resumed = answers.records().length;
    } else {
      const sel = await selectPending(prepared.units, answers, {
        ...(opts.retryErrors ? { retryErrors: true } : {}),
        systemPrompt: prepared.systemPrompt,
      });
      resumed = sel.resumed;
      changed = sel.changed;
      if (sel.resumed > 0)
        log(`resuming: ${sel.resumed} of ${dataset.samples.length} items already answered`);
      if (sel.changed > 0)
        log(
          `${sel.changed} answered items were asked with other inputs (prompt, image, settings): asking them again`,
        );
      if (sel.units.length > 0) {
        const ownServer = started === undefined && opts.engine === undefined && startsServer(task);
        let engine: Engine | undefined;
        let cache: AnswerCache | undefined;
        let ownCache = false;
        try {
          if (ownServer) {
            started = await startTaskServer(task, {
              device,
              logDir: runDir,
              ...(opts.signal ? { signal: opts.signal } : {}),
              log,
              ...(opts.readyTimeoutMs !== undefined ? { readyTimeoutMs: opts.readyTimeoutMs } : {}),
              ...(opts.loadExecutor ? { loadExecutor: opts.loadExecutor } : {}),
            });
            loadMs = started.server.loadMs;
          }
          const inner =
            opts.engine ??
            (await createEngine(task, started?.server.baseUrl ?? task.baseUrl, {
              startedServer: started !== undefined,
            }));
          if (opts.cache !== false && (opts.cache !== undefined || opts.engine === undefined)) {
            cache = opts.cache ?? AnswerCache.open();
            ownCache = opts.cache === undefined;
          }
          engine = withAnswerCache(
            inner,
            cache,
            // A started server is known by what it was started from too (a new model image, same name).
            started ? launchIdentity(started.spec.image, task.launch) : {},
          );
          server = await checkServer(task, engine, opts.signal);
          const pid = started?.server.pid ?? (engine.probe ? undefined : process.pid);
          const sampler = startSampler({
            ...(device.kind === 'gpu' ? { gpuIndex: device.index } : {}),
            ...(pid !== undefined ? { pid } : {}),
            ...opts.sampler,
          });
          try {
            const r = await askUnits(sel.units, {
              engine,
              answers,
              runDir,
              concurrency: opts.concurrency ?? task.concurrency ?? engine.defaultConcurrency,
              ...(prepared.systemPrompt !== undefined ? { systemPrompt: prepared.systemPrompt } : {}),
              ...(opts.progress ? { progress: opts.progress } : {}),
              label: `${task.dataset} · ${task.framework} · ${task.model}`,
              ...(opts.signal ? { signal: opts.signal } : {}),
              now,
              log,
            });
            asked = r.asked;
            interrupted = r.interrupted;
            if (started && !interrupted) {
              // Items asked now whose answer is an error.
              const failedNow = () =>
                sel.units.reduce(
                  (n, u) => n + [...u.pending].filter((id) => answers.get(id)?.error != null).length,
                  0,
                );
              await reportDeadServer(task, started, failedNow, log);
            }
          } finally {
            usage = await sampler.stop();
          }
        } finally {
          if (engine && opts.engine === undefined) await engine.close();
          if (ownCache) cache?.close();
          if (ownServer && started) {
            await started.server.stop();
            log(`stopped ${task.framework} · ${task.model} (${executorOf(task)})`);
          }
        }
      }
    }
  } finally {
    answers.close();
  }
  if (opts.signal?.aborted && asked + resumed < dataset.samples.length) interrupted = true;

  const records = dataset.samples.flatMap((s) => {
    const r = answers.get(s.id);
    return r ? [r] : [];
  });
  const wall = readSessions(runDir).reduce((t, s) => t + s.seconds, 0);
  const scores = scoreTask({ task, samples: dataset.samples, records, interrupted, wallSeconds: wall });
  const stamp = now();
  let modelsAnswersFile: string | undefined;
  if (!task.onlyEvaluateMetrics && records.length > 0 && scores.status.complete) {
    modelsAnswersFile = writeOriginalAnswers(task, records, stamp);
  }
  const carried = asked === 0 && usage === undefined ? previous : undefined;
  const outcome = buildOutcome({
    task,
    ...(carried ? { previous: carried } : {}),
    scores,
    records,
    wall,
    loadMs,
    usage,
    device,
    startedAt,
    endedAt: stamp,
    reused: opts.serverReused === true,
  });
  const saved = saveResults({
    task,
    runDir,
    metrics: scores.metrics,
    speed: scores.speed,
    stamp,
    ...(server ? { server } : {}),
    outcome,
    validity: runValidity(records, dataset.samples),
  });
  return {
    task,
    runDir,
    answersLogFile,
    ...(modelsAnswersFile ? { modelsAnswersFile } : {}),
    asked,
    resumed,
    changed,
    records,
    metrics: scores.metrics,
    withErrors: scores.withErrors,
    speed: scores.speed,
    saved,
    interrupted,
    ...(server ? { server } : {}),
    outcome,
    skipped: asked === 0 && !task.onlyEvaluateMetrics && scores.status.complete,
  };
}

import { setMaxListeners } from 'node:events';
import { readFile } from 'node:fs/promises';
import PQueue from 'p-queue';
import { imageMime } from '../dataset/mime.js';
import type { Sample } from '../dataset/types.js';
import type { Engine, EngineResponse } from '../engines/types.js';
import type { AnswersLog } from './answers-log.js';
import { inputHash, sha256 } from './input-hash.js';
import { type ProgressSink, silentProgress } from './progress.js';
import { appendSession } from './sessions.js';
import { answersFor } from './split.js';
import type { AskUnit } from './units.js';

export interface AskOptions {
  engine: Engine;
  /** Where every answer is appended as it arrives. */
  answers: AnswersLog;
  /** Run folder; the session (start, end, answers written) is appended to its sessions.json. */
  runDir: string;
  /** Requests in flight. */
  concurrency: number;
  systemPrompt?: string;
  progress?: ProgressSink;
  /** Progress bar label. */
  label?: string;
  signal?: AbortSignal;
  now?: () => Date;
  log?: (msg: string) => void;
}

export interface AskResult {
  /** Answers written in this call. */
  asked: number;
  /** True when the signal stopped the queue before every unit was asked. */
  interrupted: boolean;
  startedAt: Date;
  endedAt: Date;
}

/**
 * The runner: asks every pending unit with bounded concurrency and appends one answer record per pending
 * sample, failures included, as each response arrives. On abort it stops taking new units, lets the
 * requests in flight finish, and drops those the abort itself cut off (they were never answered).
 */
export async function askUnits(units: AskUnit[], opts: AskOptions): Promise<AskResult> {
  const now = opts.now ?? (() => new Date());
  const { engine, answers, signal } = opts;
  const progress = opts.progress ?? silentProgress;
  const queue = new PQueue({ concurrency: Math.max(1, opts.concurrency) });
  const startedAt = now();
  let asked = 0;
  let interrupted = false;
  const onAbort = () => {
    interrupted = true;
    queue.clear();
  };
  if (signal?.aborted) onAbort();
  // Every request in flight listens on the run's one signal (its deadline, its retry wait): with more
  // than ten in flight Node would warn of a leak that is not one.
  if (signal) setMaxListeners(Math.max(1, opts.concurrency) + 10, signal);
  signal?.addEventListener('abort', onAbort, { once: true });
  progress.start(
    units.reduce((t, u) => t + u.pending.size, 0),
    opts.label ?? `${engine.framework} · ${engine.model}`,
  );
  try {
    for (const unit of units) {
      if (interrupted) break;
      queue
        .add(async () => {
          if (signal?.aborted) return;
          const { res, hash } = await askOne(engine, unit, opts.systemPrompt, signal);
          if (signal?.aborted && res.error?.code === 'aborted') return;
          const split = answersFor(unit, res);
          const extra = unit.fields ? { ...res.extra, rawOutput: res.output ?? null } : res.extra;
          for (const sample of unit.samples) {
            if (!unit.pending.has(sample.id)) continue;
            const a = split.get(sample.id) ?? { answer: null, error: res.error ?? null };
            const prev = answers.get(sample.id);
            answers.append({
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
              ...(hash !== undefined ? { inputHash: hash } : {}),
              at: now().toISOString(),
              attempt: (prev?.attempt ?? 0) + 1,
            });
            asked++;
            progress.tick({ failed: a.error !== null });
          }
        })
        .catch((e: unknown) => {
          // The log could not keep an answer (disk full): stop asking; close() rethrows it for the task.
          if (answers.writeFailure) return queue.clear();
          // askOne never throws by contract; a throw here is a bug worth surfacing, not a lost item.
          opts.log?.(`internal error on request ${unit.requestId}: ${String(e)}`);
        });
    }
    await queue.onIdle();
  } finally {
    progress.stop();
    signal?.removeEventListener('abort', onAbort);
  }
  const endedAt = now();
  appendSession(opts.runDir, {
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    asked,
    seconds: (endedAt.getTime() - startedAt.getTime()) / 1000,
  });
  return { asked, interrupted, startedAt, endedAt };
}

/** Reads the image and asks; every failure comes back as data. Reading and hashing stay outside the engine's timed span. */
async function askOne(
  engine: Engine,
  unit: AskUnit,
  systemPrompt: string | undefined,
  signal: AbortSignal | undefined,
): Promise<{ res: EngineResponse; hash?: string }> {
  const sample = unit.samples[0] as Sample;
  let data: Buffer;
  try {
    data = await readFile(sample.imageAbsPath);
  } catch (e) {
    return {
      res: {
        error: { code: 'image_unreadable', message: `${sample.imagePath}: ${(e as Error).message}` },
        latencyMs: 0,
      },
    };
  }
  const hash = inputHash({
    prompt: unit.prompt,
    systemPrompt,
    imageSha256: sha256(data),
    settings: unit.settings,
  });
  const mime = imageMime(sample.imageAbsPath);
  try {
    const res = await engine.ask({
      image: { data, mime, path: sample.imageAbsPath },
      prompt: unit.prompt,
      ...(systemPrompt !== undefined ? { systemPrompt } : {}),
      settings: unit.settings,
      ...(signal ? { signal } : {}),
    });
    return { res, hash };
  } catch (e) {
    return { res: { error: { code: 'engine_threw', message: (e as Error).message }, latencyMs: 0 }, hash };
  }
}

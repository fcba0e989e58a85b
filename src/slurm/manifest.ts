import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { VlmhbError } from '../errors.js';
import type { JobState } from './states.js';

/**
 * What a submission wrote and where its tasks are: `<submission dir>/submission.json`, rewritten after
 * every state change (write + rename, so a reader never sees half a file), and a copy of each task's entry
 * in its run folder (`slurm.json`) so `vlmhb slurm status RUN_DIR` works from either place.
 */
const AttemptSchema = z.object({
  jobId: z.string(),
  submittedAt: z.string(),
  state: z.string().optional(),
  exitCode: z.string().optional(),
  /** True when we cancelled it (Ctrl-C / SIGTERM): not requeued. */
  cancelledByUs: z.boolean().optional(),
});

export const TaskEntrySchema = z.object({
  index: z.number().int(),
  label: z.string(),
  taskFile: z.string(),
  runDir: z.string(),
  total: z.number().int(),
  maxRequeues: z.number().int(),
  attempts: z.array(AttemptSchema),
  /** Final outcome once no more attempts will be made. */
  final: z.enum(['completed', 'failed', 'cancelled']).optional(),
});

export const SubmissionSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  dir: z.string(),
  createdAt: z.string(),
  tasks: z.array(TaskEntrySchema),
});

export type Attempt = z.infer<typeof AttemptSchema>;
export type TaskEntry = z.infer<typeof TaskEntrySchema>;
export type Submission = z.infer<typeof SubmissionSchema>;

export const MANIFEST = 'submission.json';
export const TASK_POINTER = 'slurm.json';

function writeAtomic(file: string, data: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`);
  renameSync(tmp, file);
}

export function saveSubmission(sub: Submission): void {
  writeAtomic(join(sub.dir, MANIFEST), sub);
  for (const t of sub.tasks) {
    if (existsSync(t.runDir)) writeAtomic(join(t.runDir, TASK_POINTER), { submission: sub.dir, ...t });
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new VlmhbError('VLMHB_FILE_NOT_FOUND', `cannot read ${file}: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

export function loadSubmission(dir: string): Submission {
  const file = join(dir, MANIFEST);
  const parsed = SubmissionSchema.safeParse(readJson(file));
  if (!parsed.success)
    throw new VlmhbError('VLMHB_CONFIG_INVALID', `${file} is not a vlmhb Slurm submission manifest`);
  return parsed.data;
}

/**
 * The submissions a folder refers to: itself (a submission folder), the one a run folder points to
 * (`slurm.json`), or every such folder up to two levels below (e.g. `<data_root>/runs`).
 */
export function findSubmissions(dir: string): string[] {
  if (!existsSync(dir)) throw new VlmhbError('VLMHB_FILE_NOT_FOUND', `no such folder: ${dir}`);
  const found = new Set<string>();
  const visit = (d: string, depth: number) => {
    if (existsSync(join(d, MANIFEST))) found.add(d);
    const pointer = join(d, TASK_POINTER);
    if (existsSync(pointer)) {
      const p = readJson(pointer) as { submission?: unknown };
      if (typeof p.submission === 'string' && existsSync(join(p.submission, MANIFEST)))
        found.add(p.submission);
    }
    if (depth === 0) return;
    for (const name of readdirSync(d)) {
      const sub = join(d, name);
      if (statSync(sub).isDirectory()) visit(sub, depth - 1);
    }
  };
  visit(dir, 3);
  return [...found].sort();
}

export function latestAttempt(t: TaskEntry): Attempt | undefined {
  return t.attempts[t.attempts.length - 1];
}

export function stateOf(t: TaskEntry): JobState | 'NOT_SUBMITTED' {
  return (latestAttempt(t)?.state as JobState | undefined) ?? 'NOT_SUBMITTED';
}

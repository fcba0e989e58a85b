import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { PlannedTask } from './types.js';

/** File-name-safe form of a config value (model ids contain '/', names may contain spaces). */
export function safeName(s: string): string {
  return (
    s
      .normalize('NFC')
      .replace(/[/\\:*?"<>|\s]+/g, '_')
      .replace(/^\.+/, '')
      .slice(0, 120) || '_'
  );
}

/** YYYYMMDD_HHMMSS in local time, the original project's answers-file stamp. */
export function timestamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}_${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** `{dataset}_{framework}_{model}_{task}`: the original project's output-file prefix. */
export function originalPrefix(task: Pick<PlannedTask, 'dataset' | 'framework' | 'model' | 'task'>): string {
  return [task.dataset, task.framework, task.model, task.task || 'VQA'].map(safeName).join('_');
}

/**
 * A run folder is keyed by everything that changes the answers (prompts actually sent, system prompt,
 * engine, model, generation settings), so a rerun of the same task resumes, and a changed prompt
 * collection starts a fresh log instead of mixing answers to different questions.
 */
export function taskFingerprint(parts: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 10);
}

export function defaultRunDir(task: PlannedTask, fingerprint: string): string {
  return join(task.dataRoot, 'runs', `${originalPrefix(task)}_${fingerprint}`);
}

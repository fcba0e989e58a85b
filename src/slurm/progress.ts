import { readFileSync } from 'node:fs';

/**
 * Items answered so far in a task's answers log (distinct ids, errors included), read without opening
 * the log for writing: the job on the node owns it. A torn last line (the job is writing) is ignored.
 */
export function answeredCount(answersFile: string): { answered: number; failed: number } {
  let text: string;
  try {
    text = readFileSync(answersFile, 'utf8');
  } catch {
    return { answered: 0, failed: 0 };
  }
  const last = new Map<number, boolean>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as { id?: unknown; error?: unknown };
      if (typeof r.id === 'number') last.set(r.id, r.error !== null && r.error !== undefined);
    } catch {
      // torn line being written
    }
  }
  let failed = 0;
  for (const f of last.values()) if (f) failed++;
  return { answered: last.size, failed };
}

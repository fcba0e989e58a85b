import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One invocation that asked questions: how long it ran and how many answers it wrote. */
export interface Session {
  startedAt: string;
  endedAt: string;
  asked: number;
  seconds: number;
}

/**
 * `sessions.json` in the run folder: a resumed task's wall time is the sum of its sessions, so a run
 * interrupted and finished later is not timed as if the pause were model time.
 */
export function readSessions(runDir: string): Session[] {
  const f = join(runDir, 'sessions.json');
  if (!existsSync(f)) return [];
  try {
    return (JSON.parse(readFileSync(f, 'utf8')) as { sessions: Session[] }).sessions;
  } catch {
    return [];
  }
}

export function appendSession(runDir: string, s: Session): void {
  const sessions = [...readSessions(runDir), s];
  writeFileSync(join(runDir, 'sessions.json'), `${JSON.stringify({ sessions }, null, 2)}\n`);
}

import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { EngineResponse } from '../engines/types.js';

/** What is kept of a successful answer: enough to hand it back as the engine's response. */
export interface CachedAnswer {
  key: string;
  output: string;
  /** Model time of the original request (a hit costs no model time; this is what it cost then). */
  latencyMs: number;
  ttftMs?: number;
  tpotMs?: number;
  usage?: EngineResponse['usage'];
  sentImage?: EngineResponse['sentImage'];
  /** ISO time the answer was first computed. */
  at: string;
}

/** `$VLMHB_CACHE_DIR`, else `$XDG_CACHE_HOME/vlmhb`, else `~/.cache/vlmhb`; the file is answers.jsonl. */
export function defaultCacheFile(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env['VLMHB_CACHE_DIR'] ?? join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'vlmhb');
  return join(dir, 'answers.jsonl');
}

/**
 * The answer cache shared by every command: one append-only JSONL file, one line per answer, each
 * written with a single write(2) on an O_APPEND descriptor, so several processes can share it and a
 * SIGKILL loses at most the line being written. A torn or garbled line is skipped on load (a cache may
 * forget, it must never invent), and a torn tail is closed with a newline before the first append so the
 * next record never glues onto it. Only successful answers are stored: a failed request is asked again.
 */
export class AnswerCache {
  readonly file: string;
  private readonly entries = new Map<string, CachedAnswer>();
  private fd: number | undefined;
  private tailTorn = false;
  /** Lines that could not be read on load (torn by a kill, or garbled). */
  readonly skipped: number;

  private constructor(file: string) {
    this.file = file;
    this.skipped = this.load();
  }

  static open(file: string = defaultCacheFile()): AnswerCache {
    return new AnswerCache(file);
  }

  private load(): number {
    if (!existsSync(this.file)) return 0;
    const buf = readFileSync(this.file);
    this.tailTorn = buf.length > 0 && buf[buf.length - 1] !== 0x0a;
    let skipped = 0;
    for (const line of buf.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const e = JSON.parse(line) as CachedAnswer;
        if (typeof e.key === 'string' && typeof e.output === 'string' && typeof e.latencyMs === 'number')
          this.entries.set(e.key, e);
        else skipped++;
      } catch {
        skipped++;
      }
    }
    return skipped;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): CachedAnswer | undefined {
    return this.entries.get(key);
  }

  put(entry: CachedAnswer): void {
    if (this.entries.has(entry.key)) return;
    if (this.fd === undefined) {
      mkdirSync(dirname(this.file), { recursive: true });
      this.fd = openSync(this.file, 'a');
      if (this.tailTorn) writeSync(this.fd, '\n');
    }
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    this.entries.set(entry.key, entry);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

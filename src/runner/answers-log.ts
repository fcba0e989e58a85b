import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import type { EngineErrorInfo, EngineUsage } from '../engines/types.js';

/** One line of answers.jsonl: everything needed to score, audit and resume one item. */
export interface AnswerRecord {
  /** Sample id: 0-based row of the annotation file. */
  id: number;
  docId: string;
  docClass: string;
  questionType: string;
  /** The prompt actually sent (after prompt-collection lookup). */
  prompt: string;
  /** Raw model text; null when the call failed. */
  answer: string | null;
  error: EngineErrorInfo | null;
  /** Model time only, image loading excluded. */
  latencyMs: number;
  /** Set when one request answered several items (per-document extraction); they share its latency. */
  requestId?: string;
  ttftMs?: number;
  tpotMs?: number;
  usage?: EngineUsage;
  sentImage?: { width: number; height: number; bytes: number };
  extra?: Record<string, unknown>;
  framework: string;
  model: string;
  settings: Record<string, unknown>;
  /** Hash of what the item was asked with (prompt, system prompt, image bytes, settings); see runner/input-hash.ts. */
  inputHash?: string;
  /** ISO time the answer arrived. */
  at: string;
  /** 1 for the first ask, 2+ for `--retry-errors` re-asks. */
  attempt: number;
}

/**
 * Append-only JSONL log. Each record is one write(2) of one line, flushed to the kernel at once, so a
 * SIGKILL loses at most the line being written; a torn last line is cut off on the next open. The
 * last record for an id wins, which is how a retried error is superseded without rewriting history.
 */
export class AnswersLog {
  readonly file: string;
  private fd: number;
  private readonly latest = new Map<number, AnswerRecord>();

  private constructor(file: string) {
    this.file = file;
    this.load();
    this.fd = openSync(file, 'a');
  }

  static open(file: string): AnswersLog {
    return new AnswersLog(file);
  }

  private load(): void {
    if (!existsSync(this.file)) return;
    const buf = readFileSync(this.file);
    let goodEnd = 0;
    let start = 0;
    while (start < buf.length) {
      const nl = buf.indexOf(0x0a, start);
      if (nl === -1) break; // torn tail: no newline yet
      const line = buf.subarray(start, nl).toString('utf8').trim();
      if (line) {
        try {
          const rec = JSON.parse(line) as AnswerRecord;
          if (typeof rec.id === 'number') this.latest.set(rec.id, rec);
        } catch {
          break; // a torn line can only be the last one written; stop and cut here
        }
      }
      goodEnd = nl + 1;
      start = nl + 1;
    }
    if (goodEnd < buf.length) truncateSync(this.file, goodEnd);
  }

  append(rec: AnswerRecord): void {
    writeSync(this.fd, `${JSON.stringify(rec)}\n`);
    this.latest.set(rec.id, rec);
  }

  get(id: number): AnswerRecord | undefined {
    return this.latest.get(id);
  }

  /** Latest record per id, in id order. */
  records(): AnswerRecord[] {
    return [...this.latest.values()].sort((a, b) => a.id - b.id);
  }

  close(): void {
    try {
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
    }
  }
}

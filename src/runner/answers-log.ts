import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { EngineErrorInfo, EngineUsage } from '../engines/types.js';
import { VlmhbError } from '../errors.js';
import { redact } from '../util/redact.js';
import { lockRunDir, type RunLock } from './run-lock.js';

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

export interface AnswersLogOptions {
  /** Told once on open how many unreadable lines were moved aside, and where. */
  onNotice?: (message: string) => void;
  /**
   * Take the run folder's lock (src/runner/run-lock.ts) for as long as the log is open.
   * @default true
   */
  lock?: boolean;
}

/**
 * Append-only JSONL log. Each record is one write of one line, flushed to the kernel at once, so a
 * SIGKILL loses at most the line being written. The last record for an id wins, which is how a retried
 * error is superseded without rewriting history.
 *
 * On open, a line that does not parse (a torn write, another writer's garbage) never costs the lines
 * after it: valid lines stay, bad ones move to `<file>.bad`, and the count is reported. A write that
 * fails (disk full, file-size limit) throws at once and keeps failing, so the run stops instead of
 * "succeeding" with items missing; `close()` throws it again for callers that only look there.
 */
export class AnswersLog {
  readonly file: string;
  /** Lines moved to `<file>.bad` on open. */
  readonly quarantined: number;
  private fd: number;
  private readonly latest = new Map<number, AnswerRecord>();
  private readonly lock: RunLock | undefined;
  private failure: VlmhbError | undefined;

  private constructor(file: string, opts: AnswersLogOptions) {
    this.file = file;
    this.lock = opts.lock === false ? undefined : lockRunDir(dirname(file));
    try {
      this.quarantined = this.load();
      if (this.quarantined > 0) {
        opts.onNotice?.(
          `${file}: ${this.quarantined} unreadable line${this.quarantined === 1 ? '' : 's'} moved to ${file}.bad; ` +
            `${this.latest.size} answer${this.latest.size === 1 ? '' : 's'} kept`,
        );
      }
      this.fd = openSync(file, 'a');
    } catch (e) {
      this.lock?.release();
      throw e;
    }
  }

  static open(file: string, opts: AnswersLogOptions = {}): AnswersLog {
    return new AnswersLog(file, opts);
  }

  /** Reads every valid line; rewrites the file without the bad ones. Returns how many were moved. */
  private load(): number {
    if (!existsSync(this.file)) return 0;
    const buf = readFileSync(this.file);
    const good: Buffer[] = [];
    const bad: Buffer[] = [];
    let start = 0;
    while (start < buf.length) {
      const nl = buf.indexOf(0x0a, start);
      const end = nl === -1 ? buf.length : nl;
      const raw = buf.subarray(start, end);
      start = end + 1;
      if (raw.toString('utf8').trim() === '') continue;
      const rec = nl === -1 ? undefined : parseRecord(raw); // no newline: a write cut short
      if (rec) {
        this.latest.set(rec.id, rec);
        good.push(raw);
      } else bad.push(raw);
    }
    if (bad.length > 0) {
      appendFileSync(`${this.file}.bad`, Buffer.concat(bad.flatMap((b) => [b, NL])));
      // Write the cleaned log beside and rename over: a crash here leaves the old file or the new, whole.
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, Buffer.concat(good.flatMap((b) => [b, NL])));
      renameSync(tmp, this.file);
    }
    return bad.length;
  }

  append(rec: AnswerRecord): void {
    if (this.failure) throw this.failure;
    // Last line of defence: whatever a server echoed (our key, a bearer token) is not stored.
    const json = JSON.stringify(rec);
    const clean = redact(json);
    const data = Buffer.from(`${clean}\n`);
    try {
      // A short write (a size limit reached mid-line) returns fewer bytes; keep going until all or error.
      for (let off = 0; off < data.length; ) off += writeSync(this.fd, data, off);
    } catch (e) {
      this.failure = new VlmhbError(
        'VLMHB_ANSWERS_WRITE_FAILED',
        `cannot append to ${this.file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); ` +
          `the ${this.latest.size} answers written before are kept, rerun to continue`,
        { cause: e },
      );
      throw this.failure;
    }
    // What the run reads back (scores, ModelsAnswers/, --json) is what was stored.
    this.latest.set(rec.id, clean === json ? rec : (JSON.parse(clean) as AnswerRecord));
  }

  get(id: number): AnswerRecord | undefined {
    return this.latest.get(id);
  }

  /** Latest record per id, in id order. */
  records(): AnswerRecord[] {
    return [...this.latest.values()].sort((a, b) => a.id - b.id);
  }

  /** The write failure that stopped this log, if any. */
  get writeFailure(): VlmhbError | undefined {
    return this.failure;
  }

  close(): void {
    try {
      try {
        fsyncSync(this.fd);
      } finally {
        closeSync(this.fd);
      }
    } catch (e) {
      this.failure ??= new VlmhbError('VLMHB_ANSWERS_WRITE_FAILED', `cannot flush ${this.file}`, {
        cause: e,
      });
    } finally {
      this.lock?.release();
    }
    if (this.failure) throw this.failure;
  }
}

const NL = Buffer.from('\n');

/**
 * Reads an answers log without opening it for writing (no lock, no clean-up): the last record per id, and
 * the 1-based line numbers that did not parse. For `vlmhb eval --answers answers.jsonl`.
 */
export function readAnswersLog(file: string): { records: Map<number, AnswerRecord>; badLines: number[] } {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new VlmhbError('VLMHB_FILE_NOT_FOUND', 'cannot read answers log', { where: { file }, cause: e });
  }
  const records = new Map<number, AnswerRecord>();
  const badLines: number[] = [];
  buf
    .toString('utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      const rec = parseRecord(Buffer.from(line));
      if (rec) records.set(rec.id, rec);
      else badLines.push(i + 1);
    });
  return { records, badLines };
}

function parseRecord(raw: Buffer): AnswerRecord | undefined {
  try {
    const rec = JSON.parse(raw.toString('utf8')) as AnswerRecord;
    return rec !== null && typeof rec === 'object' && typeof rec.id === 'number' ? rec : undefined;
  } catch {
    return undefined;
  }
}

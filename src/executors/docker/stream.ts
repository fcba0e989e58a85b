/**
 * The Docker Engine API's multiplexed stream (logs and attach of a container without a TTY): frames of an
 * 8-byte header — stream type (0 stdin, 1 stdout, 2 stderr), three zero bytes, payload length as a
 * big-endian uint32 — then the payload. Chunks from the socket split frames anywhere, so this buffers.
 */
export class Demuxer {
  private pending: Buffer = Buffer.alloc(0);

  /** Feeds a chunk; returns the complete frames it finished. */
  push(chunk: Buffer): { stream: number; payload: Buffer }[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: { stream: number; payload: Buffer }[] = [];
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      frames.push({ stream: this.pending[0] ?? 1, payload: this.pending.subarray(8, 8 + size) });
      this.pending = this.pending.subarray(8 + size);
    }
    return frames;
  }

  /** Bytes of an unfinished frame (non-zero at the end of a stream means it was cut off). */
  get buffered(): number {
    return this.pending.length;
  }
}

/** One line of `POST /images/create` progress (newline-delimited JSON). */
export interface PullEvent {
  status?: string;
  id?: string;
  progress?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** Splits newline-delimited JSON that arrives in arbitrary chunks. */
export class JsonLines {
  private rest = '';

  push(chunk: string): PullEvent[] {
    this.rest += chunk;
    const lines = this.rest.split('\n');
    this.rest = lines.pop() ?? '';
    return lines.flatMap((l) => parseLine(l));
  }

  end(): PullEvent[] {
    const last = parseLine(this.rest);
    this.rest = '';
    return last;
  }
}

function parseLine(line: string): PullEvent[] {
  const t = line.trim();
  if (!t) return [];
  try {
    return [JSON.parse(t) as PullEvent];
  } catch {
    return [{ status: t }];
  }
}

/** The pull's failure, when an event reports one (the HTTP status is 200 even then). */
export function pullError(e: PullEvent): string | undefined {
  return e.error ?? e.errorDetail?.message;
}

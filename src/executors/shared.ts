import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LaunchSpec } from '../engines/frameworks/types.js';
import { VlmhbError } from '../errors.js';
import type { ServerSpec } from './types.js';

/** Readiness wait applied when the caller names none: a large model may take minutes to load. */
export const DEFAULT_READY_TIMEOUT_MS = 600_000;
/** Lines of the server log quoted in an error. */
export const TAIL_LINES = 40;

/** A port nothing listens on right now, on `host`; the OS picks it (bind to port 0, read it, close). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ host, port: 0, exclusive: true }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** The launch for the address the executor chose; `spec.launch` as is when the spec has no builder. */
export function launchFor(spec: ServerSpec, host: string, port: number): LaunchSpec {
  return spec.launchAt ? spec.launchAt({ host, port }) : spec.launch;
}

export type ReadyOutcome =
  | { ok: true }
  | { ok: false; reason: 'exited'; detail: string }
  | { ok: false; reason: 'timeout' }
  | { ok: false; reason: 'aborted' };

/**
 * Polls `url` until it answers 200. Stops early when `exited()` reports the server gone (so a crash fails
 * in a second, not after the whole timeout) or `signal` aborts. Connection errors and non-200 answers
 * (vLLM answers 503 while loading) just mean "not yet".
 */
export async function waitReady(opts: {
  url: string;
  timeoutMs: number;
  exited: () => string | undefined | Promise<string | undefined>;
  signal?: AbortSignal | undefined;
  intervalMs?: number;
}): Promise<ReadyOutcome> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 200;
  for (;;) {
    if (opts.signal?.aborted) return { ok: false, reason: 'aborted' };
    const gone = await opts.exited();
    if (gone !== undefined) return { ok: false, reason: 'exited', detail: gone };
    try {
      const left = Math.max(1, Math.min(2_000, deadline - Date.now()));
      const res = await fetch(opts.url, { signal: AbortSignal.timeout(left) });
      await res.body?.cancel();
      if (res.status === 200) return { ok: true };
    } catch {
      // not listening yet
    }
    if (Date.now() >= deadline) return { ok: false, reason: 'timeout' };
    await sleep(interval);
  }
}

/** The last `lines` lines of a log file (reads at most its last 256 KiB); '' when it does not exist. */
export function tailFile(file: string, lines = TAIL_LINES): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const len = Math.min(size, 256 * 1024);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    return lastLines(buf.toString('utf8'), lines);
  } finally {
    closeSync(fd);
  }
}

export function lastLines(text: string, lines: number): string {
  const all = text.replace(/\s+$/, '').split('\n');
  return all.slice(-lines).join('\n');
}

/** The error every executor throws for a server that died, never got ready, or was cancelled. */
export function serverFailed(
  executor: string,
  spec: ServerSpec,
  outcome: Exclude<ReadyOutcome, { ok: true }>,
  ctx: { timeoutMs: number; logFile: string; tail: string },
): VlmhbError {
  const what = `${spec.framework} server for ${spec.model}`;
  const why =
    outcome.reason === 'exited'
      ? `exited before it was ready (${outcome.detail})`
      : outcome.reason === 'timeout'
        ? `was not ready after ${Math.round(ctx.timeoutMs / 1000)} s (GET ${spec.healthPath} never answered 200)`
        : 'was cancelled before it was ready';
  const tail = ctx.tail
    ? `\nlast lines of ${ctx.logFile}:\n${indent(ctx.tail)}`
    : ` (${ctx.logFile} is empty)`;
  return new VlmhbError('VLMHB_SERVER_FAILED', `executor ${executor}: ${what} ${why}${tail}`);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  | ${l}`)
    .join('\n');
}

/** `fn` runs at most once; later calls share its promise (stop is idempotent). */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => {
    p ??= fn();
    return p;
  };
}

import { isVlmhbError } from '../errors.js';
import { redact } from '../util/redact.js';

/** Exit codes: 0 ok, 1 the run failed or a gate did not pass, 2 bad input or usage, 130 interrupted. */
export const EXIT = { ok: 0, failed: 1, input: 2, interrupted: 130 } as const;

export function exitCodeFor(e: unknown): number {
  if (isVlmhbError(e)) {
    return e.code === 'VLMHB_ENGINE_FAILED' ||
      e.code === 'VLMHB_SERVER_FAILED' ||
      e.code === 'VLMHB_EXECUTOR_FAILED' ||
      e.code === 'VLMHB_ANSWERS_WRITE_FAILED'
      ? EXIT.failed
      : EXIT.input;
  }
  return EXIT.failed;
}

/** One place that turns errors into stderr text: known errors without a stack, bugs with one. */
export function reportError(e: unknown): void {
  if (isVlmhbError(e)) {
    process.stderr.write(redact(`vlmhb: error [${e.code}]: ${e.message}\n`));
  } else if (e instanceof Error) {
    process.stderr.write(redact(`vlmhb: unexpected error: ${e.stack ?? e.message}\n`));
  } else {
    process.stderr.write(redact(`vlmhb: unexpected error: ${String(e)}\n`));
  }
}

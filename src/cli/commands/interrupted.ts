import { EXIT } from '../errors.js';

/**
 * For the long commands that resume (prompts compare / optimize, sweep): after Ctrl-C, exit 130 with a
 * word on how to go on (what is done is kept, a rerun resumes); any other error goes on to the caller.
 */
export function interrupted(signal: AbortSignal, e: unknown): number {
  if (!signal.aborted) throw e;
  process.stderr.write('vlmhb: interrupted; rerun the same command to resume\n');
  return EXIT.interrupted;
}

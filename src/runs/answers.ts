import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { VlmhbError } from '../errors.js';

/**
 * Read-only view of a run's answers.jsonl for commands that judge answers (check, gate, compare). Unlike
 * the runner's AnswersLog it never truncates the file: a torn last line (a run killed mid-write) is
 * skipped, a broken line anywhere else is an error naming its row.
 */
const recordSchema = z
  .object({
    id: z.number().int().nonnegative(),
    docId: z.string().optional(),
    docClass: z.string().optional(),
    questionType: z.string().optional(),
    prompt: z.string().optional(),
    answer: z.string().nullable(),
    error: z.object({ code: z.string(), message: z.string().optional() }).passthrough().nullable(),
    latencyMs: z.number().optional(),
    framework: z.string().optional(),
    model: z.string().optional(),
  })
  .passthrough();

export type LoggedAnswer = z.infer<typeof recordSchema>;

export function readAnswersJsonl(file: string): Map<number, LoggedAnswer> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new VlmhbError('VLMHB_FILE_NOT_FOUND', 'cannot read answers file', { where: { file }, cause: e });
  }
  const lines = text.split('\n');
  // The piece after the last newline is either empty or a torn line still being written when the run
  // stopped: only the pieces before it are records.
  const complete = lines.length - 1;
  const out = new Map<number, LoggedAnswer>();
  for (let i = 0; i < complete; i++) {
    const line = (lines[i] as string).trim();
    if (!line) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      throw new VlmhbError('VLMHB_ANSWERS_INVALID', `not a JSON line: ${(e as Error).message}`, {
        where: { file, row: i + 1 },
        cause: e,
      });
    }
    const r = recordSchema.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new VlmhbError(
        'VLMHB_ANSWERS_INVALID',
        `bad answer record: ${issue?.message ?? 'invalid'}${issue?.path.length ? ` at "${issue.path.join('.')}"` : ''}`,
        { where: { file, row: i + 1, ...(issue?.path[0] ? { column: String(issue.path[0]) } : {}) } },
      );
    }
    // The last record of an id wins, as in the runner's log (a retried error supersedes the first try).
    out.set(r.data.id, r.data);
  }
  return out;
}

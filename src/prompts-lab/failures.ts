import { VlmhbError } from '../errors.js';

/** Failed requests of a run, counted by error code. */
export function failuresOf(records: readonly { error: { code: string } | null }[]): {
  failed: number;
  byCode: Record<string, number>;
} {
  const byCode: Record<string, number> = {};
  let failed = 0;
  for (const r of records) {
    if (r.error === null) continue;
    failed++;
    byCode[r.error.code] = (byCode[r.error.code] ?? 0) + 1;
  }
  return { failed, byCode };
}

/**
 * A failed request is an error, never a wrong answer: a prompt must not be ranked, chosen or rejected
 * for the server's failures. Each run keeps what it got (answers.jsonl); the rerun asks the failed items
 * again (runTask's retryErrors) and reuses the rest.
 */
export function failedRequestsError(
  what: string,
  runs: readonly { name: string; runDir: string; failed: number; byCode: Record<string, number> }[],
): VlmhbError | undefined {
  const bad = runs.filter((r) => r.failed > 0);
  if (bad.length === 0) return undefined;
  const parts = bad.map(
    (r) =>
      `${r.name}: ${r.failed} failed request(s) (${Object.entries(r.byCode)
        .map(([c, n]) => `${c} ×${n}`)
        .join(', ')}) in ${r.runDir}`,
  );
  return new VlmhbError(
    'VLMHB_ENGINE_FAILED',
    `${what} needs every item answered, and requests failed — ${parts.join('; ')}. A failed request is not scored as a wrong answer: rerun the same command to ask the failed items again`,
  );
}

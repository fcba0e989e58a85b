import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { jsonForScript } from '../../src/report/html/escape.js';
import { type AnswerTable, emptyAnswers } from '../../src/report/html/model.js';
import { packAnswers } from '../../src/report/html/pack.js';

/** The page's own decoder (a plain browser script), run in a bare context as the page runs it. */
function unpack(json: string): AnswerTable {
  const src = readFileSync(new URL('../../src/report/html/client/columns.js', import.meta.url), 'utf8');
  const ctx: Record<string, unknown> = {};
  runInNewContext(
    `${src}\nresult = JSON.stringify(vlmhbUnpackAnswers(JSON.parse(input)));`,
    Object.assign(ctx, { input: json }),
  );
  return JSON.parse(ctx['result'] as string) as AnswerTable;
}

/**
 * What the page reads: the packed table through the same escaping as the report's data block. The
 * page's string list holds the table's own (so its indices stay valid) followed by the interned values.
 */
function expectRoundTrip(t: AnswerTable): void {
  const text = jsonForScript(packAnswers(t));
  expect(text).not.toContain('</script>');
  const { strings, ...columns } = unpack(text.replace(/\\u003c/g, '<'));
  const { strings: own, ...expected } = t;
  expect(columns).toEqual(expected);
  expect(strings.slice(0, own.length)).toEqual(own);
}

function table(rows: Partial<Record<keyof AnswerTable, unknown>>[], strings: string[]): AnswerTable {
  const t = { ...emptyAnswers(), strings } as unknown as Record<string, unknown[]>;
  for (const r of rows)
    for (const k of Object.keys(t)) if (k !== 'strings') t[k]!.push(r[k as keyof AnswerTable]);
  return t as unknown as AnswerTable;
}

const base = {
  task: 0,
  doc: 0,
  docType: 1,
  field: 2,
  split: 3,
  prompt: 4,
  expected: 'ИВАНОВ',
  references: null,
  matched: null,
  answer: 'ИВАНОВ',
  error: null,
  cer: 0,
  anls: 1,
  exact: 1,
  latencyMs: 120.4,
  fromCache: 0,
  image: 0,
  bbox: [60, 80, 360, 124],
};
const STRINGS = ['doc_000001', 'СНИЛС', 'Фамилия', '', 'Напиши поле «Фамилия».', 'doc_000002'];

describe('packed answer table (the report page’s data format)', () => {
  it('round-trips Cyrillic, empty strings, nulls, errors, null latencies, cache marks and matched references', () => {
    const t = table(
      [
        base,
        {
          ...base,
          task: 1,
          answer: 'ИВАН0В',
          cer: 0.1667,
          anls: 0.8333,
          exact: 0,
          latencyMs: 0.1,
          fromCache: 1,
        },
        { ...base, task: 2, answer: '', cer: 1, anls: 0, exact: 0, latencyMs: null },
        {
          ...base,
          task: 3,
          answer: null,
          error: 'timeout: request timed out after 60 s',
          cer: null,
          anls: null,
          exact: null,
          latencyMs: 60000,
        },
        {
          ...base,
          doc: 5,
          expected: '',
          answer: '<img src=x onerror=alert(1)></script>',
          cer: 1.25,
          image: -1,
          bbox: null,
        },
        {
          ...base,
          doc: 5,
          field: 1,
          expected: 'ИВАНОВ И.',
          references: ['ИВАНОВ', 'ИВАНОВ И.'],
          matched: 1,
          answer: 'ИВАНОВ И',
          cer: 0.1111,
          bbox: [0, 0, 10.5, 20],
        },
        { ...base, doc: 5, expected: null, answer: 'x\u2028y', split: 3, image: 1, bbox: null },
        // The first row again, scored against another expected answer, and with none.
        { ...base, task: 4, expected: 'ИВАНОВ И.' },
        { ...base, task: 5, expected: null },
      ],
      STRINGS,
    );
    expectRoundTrip(t);
    expect(packAnswers(t).expectedExceptions.map(([i]) => i)).toEqual([7, 8]);
  });

  it('stores what a dataset row fixes once however many tasks asked it, and every string once', () => {
    const rows = [];
    for (let task = 0; task < 10; task++)
      for (let doc = 0; doc < 2; doc++) rows.push({ ...base, task, doc: doc === 0 ? 0 : 5 });
    const t = table(rows, STRINGS);
    const p = packAnswers(t);
    expect(p.samples.doc).toEqual([0, 5]);
    expect(p.sampleDelta).toHaveLength(20);
    expect(p.taskRuns).toEqual(Array.from({ length: 10 }, (_, task) => [task, 2]));
    expect(p.strings.filter((s) => s === 'ИВАНОВ')).toHaveLength(1);
    expect(p.boxes).toHaveLength(1);
    expectRoundTrip(t);
    // The table's own indices (document, type, field columns) stay valid in the packed string list.
    expect(p.strings.slice(0, STRINGS.length)).toEqual(STRINGS);
  });

  it('round-trips an empty table', () => {
    const t = table([], []);
    expectRoundTrip(t);
  });
});

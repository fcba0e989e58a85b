import { Interner, stringTable } from './interner.js';
import type { AnswerTable } from './model.js';

/**
 * The answer table as the page embeds it: every string once in a table, what a dataset row fixes
 * (document, type, field, split, image, box, references, expected answer) once per row rather than
 * once per task that asked it, runs and steps coded as such, and numbers as small integers. 100,000
 * answers become ~3 MB of plain integer arrays instead of ~10 MB of strings and floats, so the page
 * reads and parses them in a fraction of the time.
 * client/columns.js turns it back into an AnswerTable; the two are tested as a round trip.
 */
export interface PackedAnswers {
  v: 1;
  strings: string[];
  /** [x0, y0, x1, y1] boxes, each once. */
  boxes: [number, number, number, number][];
  /** Reference lists (string indices) of dataset rows with several acceptable answers. */
  refLists: number[][];
  /**
   * Per dataset row: string indices (doc, docType, field, split), image index, box / refList index or
   * -1, and the expected answer of its first answer (string index, -1 = null).
   */
  samples: {
    doc: number[];
    docType: number[];
    field: number[];
    split: number[];
    image: number[];
    box: number[];
    refs: number[];
    expected: number[];
  };
  /** Per answer, run-length coded: [task, how many answers in a row]. */
  taskRuns: [number, number][];
  /** Per answer, delta coded: its dataset row minus the previous answer's (rows run in order within a task). */
  sampleDelta: number[];
  /** [answer, string index or -1] where the expected answer is not its row's (another matched reference). */
  expectedExceptions: [number, number][];
  /** Per answer: string indices (-1 = null) of prompt, answer (-2 = the expected one), error. */
  prompt: number[];
  answer: number[];
  error: number[];
  /**
   * CER and 1 − ANLS × 10⁴ (a right answer is 0 for both), latency × 10 (the table's own rounding),
   * exact match 0/1; null stays null.
   */
  cer: (number | null)[];
  anls: (number | null)[];
  exact: (0 | 1 | null)[];
  latency: (number | null)[];
  /** Answers served from the answer cache (indices, ascending). */
  cached: number[];
  /** [answer, matched reference] of answers whose row has several references. */
  matched: [number, number][];
}

function scaled(x: number | null, f: number): number | null {
  return x === null || !Number.isFinite(x) ? null : Math.round(x * f);
}

export function packAnswers(a: AnswerTable): PackedAnswers {
  // The table's string list is kept as is (its indices are the doc / type / field columns).
  const strings = stringTable();
  for (const s of a.strings) strings.id(s);
  const str = (s: string | null) => (s === null ? -1 : strings.id(s));
  const boxes = new Interner<[number, number, number, number]>((b) => b.join(','));
  const refLists = new Interner<number[]>((r) => r.join(','));
  const rows = new Interner<number[]>((r) => r.join(','));
  const p: PackedAnswers = {
    v: 1,
    strings: strings.list,
    boxes: boxes.list,
    refLists: refLists.list,
    samples: { doc: [], docType: [], field: [], split: [], image: [], box: [], refs: [], expected: [] },
    taskRuns: [],
    sampleDelta: [],
    expectedExceptions: [],
    prompt: a.prompt,
    answer: [],
    error: [],
    cer: a.cer.map((x) => scaled(x, 1e4)),
    anls: a.anls.map((x) => {
      const k = scaled(x, 1e4);
      return k === null ? null : 10_000 - k;
    }),
    exact: a.exact,
    latency: a.latencyMs.map((x) => scaled(x, 10)),
    cached: [],
    matched: [],
  };
  const n = a.task.length;
  let previous = 0;
  for (let i = 0; i < n; i++) {
    const run = p.taskRuns[p.taskRuns.length - 1];
    if (run && run[0] === a.task[i]) run[1]++;
    else p.taskRuns.push([a.task[i]!, 1]);
    const box = a.bbox[i];
    const refs = a.references[i];
    const row = [
      a.doc[i]!,
      a.docType[i]!,
      a.field[i]!,
      a.split[i]!,
      a.image[i]!,
      box ? boxes.id(box) : -1,
      refs ? refLists.id(refs.map((r) => strings.id(r))) : -1,
    ];
    const before = rows.list.length;
    const sample = rows.id(row);
    p.sampleDelta.push(sample - previous);
    previous = sample;
    const expected = str(a.expected[i]!);
    if (rows.list.length > before) {
      const s = p.samples;
      s.doc.push(row[0]!);
      s.docType.push(row[1]!);
      s.field.push(row[2]!);
      s.split.push(row[3]!);
      s.image.push(row[4]!);
      s.box.push(row[5]!);
      s.refs.push(row[6]!);
      s.expected.push(expected);
    } else if (p.samples.expected[sample] !== expected) p.expectedExceptions.push([i, expected]);
    p.answer.push(a.answer[i] !== null && a.answer[i] === a.expected[i] ? -2 : str(a.answer[i]!));
    p.error.push(str(a.error[i]!));
    if (a.fromCache[i] === 1) p.cached.push(i);
    const m = a.matched[i];
    if (m !== null && m !== undefined) p.matched.push([i, m]);
  }
  return p;
}

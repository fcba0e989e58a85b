import type { AnswerTable } from './model.js';

/**
 * The answer table as the page embeds it: every string once in a table, what a dataset row fixes
 * (document, type, field, split, image, box, references) once per row rather than once per task that
 * asked it, and numbers as small integers. 100,000 answers become ~3.5 MB of plain integer arrays
 * instead of ~10 MB of strings and floats, so the page reads and parses them in a fraction of the time.
 * client/columns.js turns it back into an AnswerTable; the two are tested as a round trip.
 */
export interface PackedAnswers {
  v: 1;
  strings: string[];
  /** [x0, y0, x1, y1] boxes, each once. */
  boxes: [number, number, number, number][];
  /** Reference lists (string indices) of dataset rows with several acceptable answers. */
  refLists: number[][];
  /** Per dataset row: string indices (doc, docType, field, split), image index, box / refList index or -1. */
  samples: {
    doc: number[];
    docType: number[];
    field: number[];
    split: number[];
    image: number[];
    box: number[];
    refs: number[];
  };
  /** Per answer: task, dataset row, and string indices (-1 = null) of prompt, expected, answer, error. */
  task: number[];
  sample: number[];
  prompt: number[];
  expected: number[];
  answer: number[];
  error: number[];
  /** CER and ANLS × 10⁴, latency × 10 (the table's own rounding), exact match 0/1; null stays null. */
  cer: (number | null)[];
  anls: (number | null)[];
  exact: (0 | 1 | null)[];
  latency: (number | null)[];
  /** Answers served from the answer cache (indices, ascending). */
  cached: number[];
  /** [answer, matched reference] of answers whose row has several references. */
  matched: [number, number][];
}

class Interner<T> {
  readonly list: T[] = [];
  private readonly index = new Map<string, number>();
  constructor(private readonly key: (v: T) => string) {}
  id(v: T): number {
    const k = this.key(v);
    let i = this.index.get(k);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(v);
      this.index.set(k, i);
    }
    return i;
  }
}

function scaled(x: number | null, f: number): number | null {
  return x === null || !Number.isFinite(x) ? null : Math.round(x * f);
}

export function packAnswers(a: AnswerTable): PackedAnswers {
  // The table's string list is kept as is (its indices are the doc / type / field columns).
  const strings = new Interner<string>((s) => s);
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
    samples: { doc: [], docType: [], field: [], split: [], image: [], box: [], refs: [] },
    task: a.task,
    sample: [],
    prompt: a.prompt,
    expected: [],
    answer: [],
    error: [],
    cer: a.cer.map((x) => scaled(x, 1e4)),
    anls: a.anls.map((x) => scaled(x, 1e4)),
    exact: a.exact,
    latency: a.latencyMs.map((x) => scaled(x, 10)),
    cached: [],
    matched: [],
  };
  const n = a.task.length;
  for (let i = 0; i < n; i++) {
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
    p.sample.push(rows.id(row));
    if (rows.list.length > before) {
      const s = p.samples;
      s.doc.push(row[0]!);
      s.docType.push(row[1]!);
      s.field.push(row[2]!);
      s.split.push(row[3]!);
      s.image.push(row[4]!);
      s.box.push(row[5]!);
      s.refs.push(row[6]!);
    }
    p.expected.push(str(a.expected[i]!));
    p.answer.push(str(a.answer[i]!));
    p.error.push(str(a.error[i]!));
    if (a.fromCache[i] === 1) p.cached.push(i);
    const m = a.matched[i];
    if (m !== null && m !== undefined) p.matched.push([i, m]);
  }
  return p;
}

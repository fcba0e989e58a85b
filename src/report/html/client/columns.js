/* The embedded answers (src/report/html/pack.ts) back into one array per column, as the page reads
 * them: 100,000 answers take a few milliseconds. A plain script defining one global, so the report page
 * and the round-trip test (run in a bare VM context) load the same code. */
globalThis.vlmhbUnpackAnswers = (p) => {
  if (p.v !== 1) throw new Error(`unknown answers format ${p.v}`);
  const S = p.strings;
  const n = p.prompt.length;
  const s = p.samples;
  const str = (k) => (k < 0 ? null : S[k]);
  const task = new Array(n);
  let at = 0;
  for (const [t, count] of p.taskRuns) for (let k = 0; k < count; k++) task[at++] = t;
  const sample = new Array(n);
  let row = 0;
  for (let i = 0; i < n; i++) {
    row += p.sampleDelta[i];
    sample[i] = row;
  }
  const fromSample = (col) => {
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = col[sample[i]];
    return out;
  };
  const expected = fromSample(s.expected);
  for (const [i, k] of p.expectedExceptions) expected[i] = k;
  const unscale = (col, f) => col.map((x) => (x === null ? null : x / f));
  const fromCache = new Array(n).fill(0);
  for (const i of p.cached) fromCache[i] = 1;
  const matched = new Array(n).fill(null);
  for (const [i, m] of p.matched) matched[i] = m;
  return {
    strings: S,
    task,
    doc: fromSample(s.doc),
    docType: fromSample(s.docType),
    field: fromSample(s.field),
    split: fromSample(s.split),
    prompt: p.prompt,
    expected: expected.map(str),
    answer: p.answer.map((k, i) => (k === -2 ? S[expected[i]] : str(k))),
    error: p.error.map(str),
    cer: unscale(p.cer, 1e4),
    anls: p.anls.map((x) => (x === null ? null : (10_000 - x) / 1e4)),
    exact: p.exact,
    latencyMs: unscale(p.latency, 10),
    image: fromSample(s.image),
    bbox: fromSample(s.box).map((k) => (k < 0 ? null : p.boxes[k])),
    references: fromSample(s.refs).map((k) => (k < 0 ? null : p.refLists[k].map((r) => S[r]))),
    matched,
    fromCache,
  };
};

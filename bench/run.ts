/**
 * `npm run bench [-- name ...]`: runs the benchmarks and prints one table. Speed targets live here,
 * not in timed tests, so a slow CI machine never turns a test red.
 */
export interface BenchRow {
  bench: string;
  case: string;
  value: number;
  unit: string;
}

const suites: Record<string, () => Promise<BenchRow[]>> = {
  metrics: async () => (await import('./metrics.js')).benchMetrics(),
  engine: async () => (await import('./engine.js')).benchEngine(),
  synth: async () => (await import('./synth.js')).benchSynth(),
  overhead: async () => (await import('./overhead.js')).benchOverhead(),
  report: async () => (await import('./report.js')).benchReport(),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(suites);
const rows: BenchRow[] = [];
for (const name of names) {
  const suite = suites[name];
  if (!suite) {
    process.stderr.write(`unknown bench "${name}"; known: ${Object.keys(suites).join(', ')}\n`);
    process.exit(2);
  }
  process.stderr.write(`bench: ${name}...\n`);
  rows.push(...(await suite()));
}
console.table(rows.map((r) => ({ ...r, value: Number(r.value.toPrecision(4)) })));

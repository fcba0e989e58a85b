import { realpathSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AUGMENT_NAMES, augmentations } from '../src/synth/augment/index.js';
import { mulberry32 } from '../src/synth/augment/rng.js';
import { DOC_KINDS, generateDataset } from '../src/synth/generate.js';
import { pageRgb } from '../src/synth/render/page.js';
import { templates } from '../src/synth/templates/index.js';
import type { DocKind } from '../src/synth/types.js';

/**
 * Synthetic dataset generation speed (issue 11 targets): clean documents per second at 1600 px long side
 * with JPEG output through the real `generateDataset` (worker threads, files written, all kinds and
 * styles mixed), and the cost of each augmentation alone on one 1600 px page. Each row carries its
 * target and the measured/target ratio.
 *
 * Wall-clock numbers depend on what else the machine runs, so the CPU time the work took is printed
 * beside them: `cpu-bound` is what the same work gives when it has the cores to itself (documents per
 * CPU-second × cores; per image, CPU milliseconds). The load average at the start is printed too.
 * `npx tsx bench/synth.ts [--count N]` prints the table; bench/run.ts collects the rows.
 */
export interface Row {
  bench: string;
  case: string;
  value: number;
  unit: string;
  target?: string;
  ratio?: number;
  pass?: boolean;
}

export interface BenchSynthOptions {
  /** Documents per kind for the clean run. @default 8 */
  count?: number;
  /** @default availableParallelism() */
  workers?: number;
  /** @default all kinds */
  docs?: DocKind[];
}

/** Target documents/s for clean 1600 px JPEG generation on the 2-core development machine. */
export const CLEAN_DOCS_PER_S = 10;
/** Target per image for the heaviest augmentations. */
export const HEAVY_AUGMENT_MS = 50;
const HEAVY = new Set(['rotated', 'noise', 'perspective']);

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function atLeast(bench: string, c: string, value: number, unit: string, target: number): Row {
  return { bench, case: c, value, unit, target: `≥ ${target}`, ratio: value / target, pass: value >= target };
}

function atMost(bench: string, c: string, value: number, unit: string, target: number): Row {
  return { bench, case: c, value, unit, target: `≤ ${target}`, ratio: value / target, pass: value <= target };
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) total += (await stat(path.join(e.parentPath, e.name))).size;
  return total;
}

export async function benchSynth(opts: BenchSynthOptions = {}): Promise<Row[]> {
  const count = opts.count ?? 8;
  const workers = opts.workers ?? availableParallelism();
  const docs = opts.docs ?? [...DOC_KINDS];
  const rows: Row[] = [];
  rows.push({ bench: 'synth', case: 'load average (1 min) at start', value: loadavg()[0]!, unit: '' });
  const dir = await mkdtemp(path.join(tmpdir(), 'vlmhb-bench-synth-'));
  try {
    // Worker start-up and font loading are paid once per run; a warm-up run keeps them out of the
    // steady-state rate, as in a run of thousands of documents.
    const out = path.join(dir, 'clean');
    await generateDataset({ docs, count: 1, seed: 9, augment: [], longSides: [1600], out, workers });
    const n = count * docs.length;
    const c0 = cpuMs();
    const t0 = performance.now();
    const r = await generateDataset({ docs, count, seed: 1, augment: [], longSides: [1600], out, workers });
    const wall = (performance.now() - t0) / 1000;
    const cpu = (cpuMs() - c0) / 1000;
    const c = `clean, 1600 px JPEG, ${docs.length} kinds × ${count}, ${workers} workers`;
    rows.push(atLeast('synth', `${c} (wall clock)`, n / wall, 'docs/s', CLEAN_DOCS_PER_S));
    rows.push(atLeast('synth', `${c} (cpu-bound)`, (n / cpu) * workers, 'docs/s', CLEAN_DOCS_PER_S));
    const bytes = await folderBytes(path.join(r.datasets[0]!.dir, 'images'));
    rows.push({
      bench: 'synth',
      case: 'clean 1600 px JPEG pages, size per 1,000 documents',
      value: ((bytes / n) * 1000) / 1e6,
      unit: 'MB',
    });
    await rm(out, { recursive: true, force: true });

    // Each augmentation alone at severity 2, in this thread, on one 1600 px passport page.
    const t = templates.passport;
    const page = await t.render(t.sample(1, 'passport-print'), 1, 'passport-print', { longSide: 1600 });
    const img = { ...(await pageRgb(page)), bboxes: page.fields.map((f) => f.bbox) };
    for (const name of AUGMENT_NAMES) {
      await augmentations[name].apply(img, 2, mulberry32(99));
      // Enough repetitions that the collector's threads, which cpu time counts, average out.
      const reps = 12;
      const a0 = performance.now();
      const ac = cpuMs();
      for (let i = 0; i < reps; i++) await augmentations[name].apply(img, 2, mulberry32(i));
      const ms = (performance.now() - a0) / reps;
      const cms = (cpuMs() - ac) / reps;
      const label = `augment ${name}:2 (${page.width}×${page.height})`;
      if (HEAVY.has(name)) {
        rows.push(atMost('synth', `${label} (wall clock)`, ms, 'ms/image', HEAVY_AUGMENT_MS));
        rows.push(atMost('synth', `${label} (cpu)`, cms, 'ms/image', HEAVY_AUGMENT_MS));
      } else rows.push({ bench: 'synth', case: `${label} (wall clock)`, value: ms, unit: 'ms/image' });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  const i = process.argv.indexOf('--count');
  const count = i > 0 ? Number(process.argv[i + 1]) : undefined;
  // No top-level await: the module must also load where it is compiled to CommonJS.
  benchSynth(count ? { count } : {}).then(
    (rows) =>
      console.table(
        rows.map((r) => ({
          ...r,
          value: Number(r.value.toPrecision(3)),
          ...(r.ratio === undefined ? {} : { ratio: Number(r.ratio.toFixed(2)) }),
        })),
      ),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}

import { realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AUGMENT_NAMES, augmentations } from '../src/synth/augment/index.js';
import { mulberry32 } from '../src/synth/augment/rng.js';
import { DOC_KINDS, generateDataset } from '../src/synth/generate.js';
import { parseAugmentSpec } from '../src/synth/spec.js';
import { templates } from '../src/synth/templates/index.js';
import type { DocKind } from '../src/synth/types.js';

/**
 * Synthetic dataset generation speed: documents per second per document kind through the real
 * `generateDataset` (worker threads, files written), clean and with six augmentation subsets, plus
 * the cost of each augmentation alone on one rendered page. Worker start-up is included in the
 * per-kind numbers, as it is in a `vlmhb dataset generate` run.
 * `npx tsx bench/synth.ts` prints the table; bench/run.ts collects the rows.
 */
export interface Row {
  bench: string;
  case: string;
  value: number;
  unit: string;
}

export interface BenchSynthOptions {
  /** Documents per kind and case. @default 4 */
  count?: number;
  /** @default availableParallelism() */
  workers?: number;
  /** @default all kinds */
  docs?: DocKind[];
  /** The augmented case. @default 'clean,blur:2,noise:2,rotated:2,jpeg:2,perspective:2' */
  augment?: string;
}

export async function benchSynth(opts: BenchSynthOptions = {}): Promise<Row[]> {
  const count = opts.count ?? 4;
  const workers = opts.workers ?? availableParallelism();
  const docs = opts.docs ?? [...DOC_KINDS];
  const augmented = opts.augment ?? 'clean,blur:2,noise:2,rotated:2,jpeg:2,perspective:2';
  const rows: Row[] = [];
  const dir = await mkdtemp(path.join(tmpdir(), 'vlmhb-bench-synth-'));
  try {
    for (const kind of docs) {
      for (const [label, spec] of [
        ['clean', 'clean'],
        ['6 subsets', augmented],
      ] as const) {
        const augment = parseAugmentSpec(spec);
        const out = path.join(dir, `${kind}-${label.replace(/\W/g, '')}`);
        const t0 = performance.now();
        await generateDataset({ docs: [kind], count, seed: 1, augment, out, workers });
        const s = (performance.now() - t0) / 1000;
        rows.push({
          bench: 'synth',
          case: `${kind} ${label}, ${workers} workers`,
          value: count / s,
          unit: 'docs/s',
        });
        if (augment.length > 1) {
          rows.push({
            bench: 'synth',
            case: `${kind} ${label}, ${workers} workers`,
            value: (count * augment.length) / s,
            unit: 'images/s',
          });
        }
        await rm(out, { recursive: true, force: true });
      }
    }
    // Each augmentation alone at severity 2, in this thread, on one rendered passport page.
    const t = templates.passport;
    const page = await t.render(t.sample(1, 'passport-print'), 1, 'passport-print');
    const img = { ...page.pixels, bboxes: page.fields.map((f) => f.bbox) };
    for (const name of AUGMENT_NAMES) {
      const reps = 3;
      const a0 = performance.now();
      for (let i = 0; i < reps; i++) await augmentations[name].apply(img, 2, mulberry32(i));
      rows.push({
        bench: 'synth',
        case: `augment ${name}:2 (${page.width}×${page.height})`,
        value: (performance.now() - a0) / reps,
        unit: 'ms/image',
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  // No top-level await: the module must also load where it is compiled to CommonJS.
  benchSynth().then(
    (rows) => console.table(rows.map((r) => ({ ...r, value: Number(r.value.toPrecision(3)) }))),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}

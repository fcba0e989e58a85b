/**
 * `vlmhb dataset generate`: synthetic document scans in the tool's own dataset format. The parent
 * thread only plans jobs, hands them to workers and writes annotation.csv; every image is produced by
 * `produceDocument`, whose output depends on the document seed alone, so the result is byte-identical
 * whatever the worker count or completion order.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { stringify } from 'csv-stringify/sync';
import { ANNOTATION_COLUMNS } from '../dataset/types.js';
import { VlmhbError } from '../errors.js';
import { deriveSeed } from './augment/rng.js';
import { type AugmentSpec, augmentLabel, augmentSlug } from './spec.js';
import type { DocKind } from './types.js';
import type { ImageFormat, QuestionLanguage } from './worker.js';
import {
  type DocJob,
  type DocResult,
  type FromWorker,
  type JobContext,
  produceDocument,
  type ToWorker,
  WORKER_ROLE,
} from './worker.js';

export const DOC_KINDS: readonly DocKind[] = ['snils', 'snils_adi_reg', 'inn', 'passport', 'invoice'];

export interface GenerateOptions {
  /** Document kinds, in the order their rows appear. */
  docs: DocKind[];
  /** Documents per kind. */
  count: number;
  seed: number;
  /** Subsets; each document is written once per subset. Empty = `clean` only. */
  augment: AugmentSpec[];
  /** One dataset per long side (images resized so the longer side is exactly this); none = native size. */
  longSides?: number[];
  /** Dataset folder; with several long sides, one sub-folder per size inside it. */
  out: string;
  /** Worker threads; 0 runs in the calling thread. @default availableParallelism() */
  workers?: number;
  /**
   * Language of the `question` column: 'ru' (the original's «Напиши …» and natural variants), 'en', or
   * 'mixed' (each field picks Russian or English by seed). @default 'ru'
   */
  questions?: QuestionLanguage;
  /** File format of pages (a `jpeg` augmentation step always writes JPEG). @default 'jpeg' */
  format?: ImageFormat;
  /**
   * Layout families to draw: 'all', 'familiar' (all but the held-out ones), 'held-out', or style ids
   * (`card,inn-2020`); each document picks one of its kind's allowed styles by seed. @default 'all'
   */
  style?: string;
  /** Called after each document (all its subsets and sizes written). */
  onProgress?: (done: number, total: number) => void;
}

export interface GeneratedDataset {
  dir: string;
  longSide?: number;
  /** Source documents rendered (per kind × count). */
  documents: number;
  /** Subsets each document was written in (clean and each augmentation). */
  subsets: number;
  /** Image files written: documents × subsets; each is a document of its own in the annotation. */
  images: number;
  rows: number;
}

/** Name of the file that marks a folder as written by the generator (and so safe to regenerate). */
export const MANIFEST = 'generator.json';

export async function generateDataset(opts: GenerateOptions): Promise<{ datasets: GeneratedDataset[] }> {
  const docs = checkOptions(opts);
  const augment = opts.augment.length > 0 ? opts.augment : [{ name: 'clean' as const, severity: 1 as const }];
  const out = path.resolve(opts.out);
  const sizes = [...new Set(opts.longSides ?? [])];
  const outputs: JobContext['outputs'] =
    sizes.length === 0
      ? [{ dir: out }]
      : sizes.map((longSide) => ({ dir: path.join(out, `${path.basename(out)}_${longSide}`), longSide }));
  // With several sizes `out` holds only the per-size folders and a manifest; it must be ours too.
  if (sizes.length > 0) await prepareDir(out);
  for (const o of outputs) await prepareDir(o.dir);
  if (sizes.length > 0) await writeManifest(out, opts, docs, augment, sizes);

  const jobs: DocJob[] = docs.flatMap((kind) =>
    Array.from({ length: opts.count }, (_, i) => ({
      kind,
      index: i + 1,
      docId: `${kind}_${String(i + 1).padStart(6, '0')}`,
      seed: deriveSeed(opts.seed, kind, i + 1),
    })),
  );
  const ctx: JobContext = {
    augment,
    outputs,
    questions: opts.questions ?? 'ru',
    format: opts.format ?? 'jpeg',
    styles: await resolveStyles(docs, opts.style ?? 'all'),
  };
  const workers = Math.min(opts.workers ?? availableParallelism(), jobs.length);
  let done = 0;
  const progress = () => opts.onProgress?.(++done, jobs.length);
  opts.onProgress?.(0, jobs.length);
  const results =
    workers <= 0 ? await runInline(jobs, ctx, progress) : await runInWorkers(jobs, ctx, workers, progress);

  const datasets: GeneratedDataset[] = [];
  for (const [o, output] of outputs.entries()) {
    const records: string[][] = [];
    // Subset-major, then documents in job order, then fields in template order.
    for (let s = 0; s < augment.length; s++) {
      // Each image is its own document: an augmented copy gets its own data_index (the clean one keeps
      // the plain id), so per-document scores never merge a clean scan with its blurred twin.
      const slug = augmentSlug(augment[s]!);
      for (const r of results) {
        const dataIndex = slug === 'clean' ? r.docId : `${r.docId}_${slug}`;
        for (const row of r.rows[o]![s]!) {
          records.push([
            dataIndex,
            row.split,
            row.imagePath,
            row.question,
            row.answer,
            r.docClass,
            row.questionType,
            JSON.stringify(row.bbox),
            r.style,
          ]);
        }
      }
    }
    const csv = stringify(records, {
      delimiter: ';',
      header: true,
      // `style` is an extra column after the original's eight: loaders read columns by name.
      columns: [...ANNOTATION_COLUMNS, 'style'],
      bom: true,
    });
    await writeFile(path.join(output.dir, 'annotation.csv'), csv);
    await writeManifest(
      output.dir,
      opts,
      docs,
      augment,
      output.longSide === undefined ? [] : [output.longSide],
    );
    datasets.push({
      dir: output.dir,
      ...(output.longSide === undefined ? {} : { longSide: output.longSide }),
      documents: results.length,
      subsets: augment.length,
      images: results.length * augment.length,
      rows: records.length,
    });
  }
  return { datasets };
}

/** Which styles each kind may use under `--style`; an unknown word or id is a usage error. */
export async function resolveStyles(
  docs: DocKind[],
  style: string,
): Promise<Partial<Record<DocKind, string[]>>> {
  const { templates } = await import('./templates/index.js');
  const words = style
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
  if (words.length === 0) throw usage('--style', 'empty --style; use all, familiar, held-out or style ids');
  const known = new Set(DOC_KINDS.flatMap((k) => templates[k].styles.map((s) => s.id)));
  const bad = words.filter((w) => !['all', 'familiar', 'held-out'].includes(w) && !known.has(w));
  if (bad.length > 0)
    throw usage(
      '--style',
      `unknown style ${bad.join(', ')}; known: all, familiar, held-out, ${[...known].join(', ')}`,
    );
  const out: Partial<Record<DocKind, string[]>> = {};
  for (const kind of docs) {
    const allowed = templates[kind].styles
      .filter(
        (s) =>
          words.includes('all') ||
          words.includes(s.id) ||
          (words.includes('familiar') && !s.heldOut) ||
          (words.includes('held-out') && s.heldOut),
      )
      .map((s) => s.id);
    if (allowed.length === 0)
      throw usage(
        '--style',
        `--style ${style} leaves no style for ${kind}; its styles: ${templates[kind].styles.map((s) => s.id).join(', ')}`,
      );
    out[kind] = allowed;
  }
  return out;
}

function checkOptions(opts: GenerateOptions): DocKind[] {
  const bad = opts.docs.filter((d) => !DOC_KINDS.includes(d));
  if (bad.length > 0)
    throw usage('--doc', `unknown document kind ${bad.join(', ')}; known: ${DOC_KINDS.join(', ')}`);
  const docs = [...new Set(opts.docs)];
  if (docs.length === 0) throw usage('--doc', 'no document kinds given');
  if (!Number.isInteger(opts.count) || opts.count < 1)
    throw usage('--count', `must be a positive integer, got ${opts.count}`);
  if (!Number.isInteger(opts.seed)) throw usage('--seed', `must be an integer, got ${opts.seed}`);
  for (const ls of opts.longSides ?? []) {
    if (!Number.isInteger(ls) || ls < 64 || ls > 10000)
      throw usage('--long-side', `must be an integer 64..10000, got ${ls}`);
  }
  if (opts.workers !== undefined && (!Number.isInteger(opts.workers) || opts.workers < 0)) {
    throw usage('--workers', `must be a non-negative integer, got ${opts.workers}`);
  }
  return docs;
}

function usage(key: string, msg: string): VlmhbError {
  return new VlmhbError('VLMHB_USAGE', msg, { where: { key } });
}

/**
 * Creates the folder, or clears a previous generator output in it. A non-empty folder the generator
 * did not write is refused rather than mixed with (or deleted along with) someone's files.
 */
async function prepareDir(dir: string): Promise<void> {
  if (existsSync(dir)) {
    const entries = await readdir(dir);
    if (entries.length > 0) {
      if (!entries.includes(MANIFEST)) {
        throw new VlmhbError(
          'VLMHB_USAGE',
          `output folder is not empty and was not written by the generator: ${dir}`,
          {
            where: { key: '--out' },
          },
        );
      }
      await rm(path.join(dir, 'images'), { recursive: true, force: true });
      await rm(path.join(dir, 'annotation.csv'), { force: true });
    }
  }
  await mkdir(dir, { recursive: true });
}

/** Records how the dataset was made, with no timestamps, so regenerating gives the same bytes. */
async function writeManifest(
  dir: string,
  opts: GenerateOptions,
  docs: DocKind[],
  augment: AugmentSpec[],
  longSides: number[],
): Promise<void> {
  const manifest = {
    generator: 'vlmhb dataset generate',
    formatVersion: 1,
    seed: opts.seed,
    docs,
    count: opts.count,
    augment: augment.map(augmentLabel),
    questions: opts.questions ?? 'ru',
    format: opts.format ?? 'jpeg',
    style: opts.style ?? 'all',
    longSides,
  };
  await writeFile(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

async function runInline(jobs: DocJob[], ctx: JobContext, progress: () => void): Promise<DocResult[]> {
  const results: DocResult[] = [];
  for (const job of jobs) {
    results.push(await produceJob(job, ctx));
    progress();
  }
  return results;
}

async function produceJob(job: DocJob, ctx: JobContext): Promise<DocResult> {
  try {
    return await produceDocument(job, ctx);
  } catch (e) {
    throw failed(job.docId, e instanceof Error ? e.message : String(e), e);
  }
}

function failed(docId: string, message: string, cause?: unknown): VlmhbError {
  return new VlmhbError('VLMHB_SYNTH_FAILED', `generating ${docId} failed: ${message}`, { cause });
}

/**
 * The worker module: worker.js next to this file in the built package. Running from source (tsx,
 * vitest) it is worker.ts, which plain Node cannot load; `--import tsx` in a worker's execArgv does not
 * reach the worker's entry module on Node 20, so a one-line bootstrap loads it through tsx's API.
 */
function spawnWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./worker.js', import.meta.url), { workerData });
  const entry = new URL('./worker.ts', import.meta.url).href;
  // An eval'd worker resolves bare names from the working directory, not from this package: resolve tsx here.
  const tsxApi = typeof import.meta.resolve === 'function' ? import.meta.resolve('tsx/esm/api') : tsxEsmApi();
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => m.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(boot, { eval: true, workerData });
}

/**
 * vitest's module runner has no import.meta.resolve, and require.resolve picks tsx's CommonJS build, which an
 * ESM import cannot load: read the ESM entry from tsx's own exports map instead.
 */
function tsxEsmApi(): string {
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const entry = pkg.exports['./esm/api']?.import.default ?? './dist/esm/api/index.mjs';
  return pathToFileURL(path.join(path.dirname(pkgFile), entry)).href;
}

/** Jobs each worker holds at once. */
const IN_FLIGHT = 2;

/** A small pull-based pool: each worker gets the next job as soon as it returns one. */
function runInWorkers(
  jobs: DocJob[],
  ctx: JobContext,
  n: number,
  progress: () => void,
): Promise<DocResult[]> {
  const results = new Map<string, DocResult>();
  const pool: Worker[] = [];
  let next = 0;
  let settled = false;
  return new Promise<DocResult[]>((resolve, reject) => {
    const stopAll = () => {
      for (const w of pool) void w.terminate();
    };
    const fail = (err: VlmhbError) => {
      if (settled) return;
      settled = true;
      stopAll();
      reject(err);
    };
    // A worker out of jobs is stopped with the others once every result is in (it may still hold one).
    const feed = (w: Worker) => {
      const job = jobs[next];
      if (!job) return;
      next++;
      w.postMessage({ type: 'job', job } satisfies ToWorker);
    };
    for (let i = 0; i < n; i++) {
      const w = spawnWorker({ role: WORKER_ROLE, ctx });
      pool.push(w);
      w.on('message', (msg: FromWorker) => {
        if (settled) return;
        if (msg.type === 'failed') {
          fail(failed(msg.docId, msg.message));
          return;
        }
        results.set(msg.result.docId, msg.result);
        progress();
        if (results.size === jobs.length) {
          settled = true;
          for (const p of pool) p.postMessage({ type: 'stop' } satisfies ToWorker);
          resolve(jobs.map((j) => results.get(j.docId)!));
          return;
        }
        feed(w);
      });
      w.on('error', (e) =>
        fail(new VlmhbError('VLMHB_SYNTH_FAILED', `generator worker crashed: ${e.message}`, { cause: e })),
      );
      w.on('exit', (code) => {
        if (!settled && code !== 0)
          fail(new VlmhbError('VLMHB_SYNTH_FAILED', `generator worker exited with code ${code}`));
      });
      // Two jobs in flight per worker: while libvips encodes and the file is written for one (off the
      // worker's JS thread), the next one is already being drawn on it.
      for (let k = 0; k < IN_FLIGHT; k++) feed(w);
    }
  });
}

/**
 * One document, start to finish: sample → render → each augmentation subset → each resolution → files.
 * `produceDocument` is the whole job and depends only on its inputs (the document seed above all), so
 * the generator may run it in the calling thread or in any worker and get the same bytes. When this
 * module is loaded as a worker thread (marked by `workerData.role`), it serves jobs from the parent.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { applyAugmentSpec } from './augment/chain.js';
import { scaleBbox } from './augment/geometry.js';
import { encodePng, fromRgb } from './augment/raw.js';
import { deriveSeed } from './augment/rng.js';
import type { AugImage, Bbox } from './augment/types.js';
import { pageRgb } from './render/page.js';
import { type AugmentSpec, augmentLabel, augmentSlug } from './spec.js';
import type { DocKind } from './types.js';

export interface DocJob {
  kind: DocKind;
  /** 1-based position within its kind. */
  index: number;
  docId: string;
  seed: number;
}

/** Where and how the documents of one generation run are written; the same for every job. */
export type QuestionLanguage = 'ru' | 'en' | 'mixed';

export interface JobContext {
  augment: AugmentSpec[];
  /** Written file format of pages that end in no `jpeg` step. @default 'jpeg' */
  format?: ImageFormat;
  /** Layout families each kind may be drawn in (chosen per document by seed); absent = all of them. */
  styles?: Partial<Record<DocKind, string[]>>;
  questions: QuestionLanguage;
  /** One output dataset per entry: its folder and the long side to resize to (none = native size). */
  outputs: { dir: string; longSide?: number }[];
}

/** One annotation row, minus the columns the generator fills in (data_index, doc_class). */
export interface DocRow {
  split: string;
  imagePath: string;
  question: string;
  answer: string;
  questionType: string;
  bbox: Bbox;
}

export interface DocResult {
  docId: string;
  docClass: string;
  style: string;
  /** rows[output][subset][field]: outputs in `JobContext.outputs` order, subsets in `augment` order. */
  rows: DocRow[][][];
}

export const WORKER_ROLE = 'vlmhb-synth-worker';

export async function produceDocument(job: DocJob, ctx: JobContext): Promise<DocResult> {
  // Loaded lazily: the templates pull in fonts and faker, which the parent thread does not need.
  const { templates } = await import('./templates/index.js');
  const template = templates[job.kind];
  const style = pickStyle(job.seed, ctx.styles?.[job.kind] ?? template.styles.map((s) => s.id));
  const fields = template.sample(job.seed, style);
  // Drawn straight at the largest size asked for; smaller sizes are resampled from it.
  const sizes = ctx.outputs.map((o) => o.longSide);
  const longSide = sizes.every((x) => x !== undefined) ? Math.max(...(sizes as number[])) : undefined;
  const doc = await template.render(fields, job.seed, style, longSide === undefined ? {} : { longSide });
  const questions = doc.fields.map((f) => {
    const variants = template.questions(f.questionType);
    const pick = deriveSeed(job.seed, 'question', f.questionType);
    const lang =
      ctx.questions === 'mixed'
        ? deriveSeed(job.seed, 'lang', f.questionType) % 2 === 0
          ? 'ru'
          : 'en'
        : ctx.questions;
    if (lang === 'en' && variants.en.length > 0) return variants.en[pick % variants.en.length]!;
    const ru = variants.ru;
    if (ru.length === 0)
      throw new Error(`template ${job.kind} has no Russian question for "${f.questionType}"`);
    return ru[pick % ru.length]!;
  });
  const rows: DocRow[][][] = ctx.outputs.map(() => []);
  const bboxes = doc.fields.map((f) => f.bbox);
  // RGB only when a step needs it: a clean page is encoded straight from the canvas's RGBA.
  let base: AugImage | undefined;
  for (const spec of ctx.augment) {
    const label = augmentLabel(spec);
    let img: EncodeInput;
    if (spec.name === 'clean' && !spec.plus)
      img = { data: doc.rgba, width: doc.width, height: doc.height, channels: 4, bboxes };
    else {
      base ??= { ...(await pageRgb(doc)), bboxes };
      img = await applyAugmentSpec(base, spec, deriveSeed(job.seed, 'augment', label));
    }
    for (const [o, out] of ctx.outputs.entries()) {
      const { file, bboxes } = await encodeForOutput(img, out.longSide, ctx.format ?? 'jpeg');
      const subsetRows: DocRow[] = [];
      rows[o]!.push(subsetRows);
      const rel = `images/${augmentSlug(spec)}/${job.docId}.${file.ext}`;
      await mkdir(path.join(out.dir, path.dirname(rel)), { recursive: true });
      await writeFile(path.join(out.dir, rel), file.data);
      for (const [i, f] of doc.fields.entries()) {
        subsetRows.push({
          split: label,
          imagePath: rel,
          question: questions[i]!,
          answer: f.value,
          questionType: f.questionType,
          bbox: bboxes[i]!,
        });
      }
    }
  }
  return { docId: job.docId, docClass: doc.docClass, style: doc.style, rows };
}

/** The layout family of one document: a pure function of its seed, so any worker picks the same. */
export function pickStyle(seed: number, allowed: readonly string[]): string {
  if (allowed.length === 0) throw new Error('synth: no style to draw the document in');
  return allowed[deriveSeed(seed, 'style') % allowed.length]!;
}

export type ImageFormat = 'jpeg' | 'png';

/**
 * Quality of written pages. 90 with 4:2:0 chroma is what office scanners' "high quality" JPEG setting
 * writes; small grey text stays crisp at it, and pages are about a tenth of their PNG size.
 */
export const PAGE_JPEG_QUALITY = 90;

/**
 * Resizes so the longer side is exactly `longSide` (boxes scaled with it) and encodes: at the `jpeg`
 * step's quality when the last augmentation step was `jpeg` (its own bytes when no resize is needed),
 * else in `format` (JPEG at PAGE_JPEG_QUALITY, as scanners write, or lossless PNG).
 */
/** A page to write: augmented RGB, or a clean render's RGBA (`channels: 4`, alpha opaque). */
export type EncodeInput = AugImage & { channels?: 3 | 4 };

export async function encodeForOutput(
  img: EncodeInput,
  longSide: number | undefined,
  format: ImageFormat = 'jpeg',
): Promise<{ file: { data: Buffer; ext: 'png' | 'jpg' }; bboxes: Bbox[]; width: number; height: number }> {
  const long = Math.max(img.width, img.height);
  const resize = longSide !== undefined && longSide !== long;
  const scale = resize ? longSide / long : 1;
  const width = resize ? Math.max(1, Math.round(img.width * scale)) : img.width;
  const height = resize ? Math.max(1, Math.round(img.height * scale)) : img.height;
  const bboxes = resize
    ? img.bboxes.map((b) => scaleBbox(b, width / img.width, height / img.height, width, height))
    : img.bboxes.map((b): Bbox => [...b]);
  if (img.jpeg && !resize) return { file: { data: img.jpeg.data, ext: 'jpg' }, bboxes, width, height };
  // Lanczos for downscaling, as a scanner driver would; the result is the image the model sees.
  const source =
    img.channels === 4
      ? sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } }).removeAlpha()
      : fromRgb(img);
  const pipeline = resize ? source.resize(width, height, { kernel: 'lanczos3', fit: 'fill' }) : source;
  const quality = img.jpeg?.quality ?? (format === 'jpeg' ? PAGE_JPEG_QUALITY : undefined);
  const data =
    quality !== undefined
      ? await pipeline.jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer()
      : await encodePng(pipeline);
  return { file: { data, ext: quality !== undefined ? 'jpg' : 'png' }, bboxes, width, height };
}

/** Messages between the generator and its workers. */
export type ToWorker = { type: 'job'; job: DocJob } | { type: 'stop' };
export type FromWorker =
  | { type: 'done'; result: DocResult }
  | { type: 'failed'; docId: string; message: string; stack?: string };

const data = workerData as { role?: string; ctx?: JobContext } | undefined;
if (parentPort && data?.role === WORKER_ROLE && data.ctx) {
  const port = parentPort;
  const ctx = data.ctx;
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'stop') {
      port.close();
      return;
    }
    produceDocument(msg.job, ctx).then(
      (result) => port.postMessage({ type: 'done', result } satisfies FromWorker),
      (e: unknown) => {
        const err = e instanceof Error ? e : new Error(String(e));
        port.postMessage({
          type: 'failed',
          docId: msg.job.docId,
          message: err.message,
          stack: err.stack,
        } satisfies FromWorker);
      },
    );
  });
}

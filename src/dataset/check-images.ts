import { realpath, stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import sharp from 'sharp';
import type { VlmhbIssue } from '../errors.js';
import { throwIssues } from '../errors.js';
import { sampleRow } from './rows.js';
import type { Dataset, Sample } from './types.js';

/**
 * Most pixels (width × height) an image may have before we decline to decode it: Pillow's
 * `Image.MAX_IMAGE_PIXELS` (1024 · 1024 · 1024 / 4 / 3), its decompression-bomb guard. A 16000×16000
 * PNG of a few kilobytes would otherwise take gigabytes once decoded. Settable as `max_image_pixels`.
 */
export const DEFAULT_MAX_IMAGE_PIXELS = 89_478_485;

export interface CheckImagesOptions {
  /** @default DEFAULT_MAX_IMAGE_PIXELS */
  maxImagePixels?: number;
}

/** Images decoded at once: each full decode holds one raw bitmap in memory. */
const PARALLEL = 2;

/**
 * Verifies every image of a dataset exists, stays within the pixel limit and decodes in full (a PNG cut
 * short has a valid header; only a full decode finds the missing rows), before any model time is spent.
 * Reports every bad image with the rows that use it, all at once.
 */
export async function checkImages(dataset: Dataset, opts: CheckImagesOptions = {}): Promise<void> {
  const byImage = new Map<string, Sample[]>();
  for (const s of dataset.samples) {
    const list = byImage.get(s.imageAbsPath);
    if (list) list.push(s);
    else byImage.set(s.imageAbsPath, [s]);
  }
  const issues: VlmhbIssue[] = [];
  const entries = [...byImage];
  const limit = opts.maxImagePixels ?? DEFAULT_MAX_IMAGE_PIXELS;
  const problems = new Array<string | undefined>(entries.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < entries.length; i = next++) {
      problems[i] = await imageProblem(entries[i]![0], limit);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  entries.forEach(([, samples], i) => {
    const problem = problems[i];
    if (!problem) return;
    const first = samples[0]!;
    const row = sampleRow(dataset, first);
    const others = samples.length > 1 ? ` (used by ${samples.length} rows)` : '';
    issues.push({
      code: 'VLMHB_IMAGE_UNREADABLE',
      message: `${first.imagePath}: ${problem}${others}`,
      where: { file: dataset.annotationFile, ...(row === undefined ? {} : { row }), column: 'image_path' },
    });
  });
  if (issues.length > 0) {
    throwIssues(
      'VLMHB_IMAGE_UNREADABLE',
      `${issues.length} unreadable image(s) in ${dataset.annotationFile}:`,
      issues,
    );
  }
}

/**
 * Why an image cannot be used, or undefined when it can: not there, not a file, more pixels than
 * `maxPixels` (read from the header, before any decoding), or not decodable to the last row.
 */
export async function imageProblem(
  file: string,
  maxPixels: number = DEFAULT_MAX_IMAGE_PIXELS,
): Promise<string | undefined> {
  const st = await stat(file).catch(() => null);
  if (!st) return 'file not found';
  if (!st.isFile()) return 'not a file';
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(file, { limitInputPixels: false }).metadata());
  } catch (e) {
    return `not a decodable image (${(e as Error).message})`;
  }
  if (!width || !height) return 'image has no size';
  if (width * height > maxPixels) {
    return (
      `${width}×${height} = ${(width * height).toLocaleString('en-US')} pixels is above max_image_pixels ` +
      `${maxPixels.toLocaleString('en-US')} (a decompression-bomb guard, as Pillow's); ` +
      'downscale the image or raise max_image_pixels'
    );
  }
  try {
    // failOn 'truncated': a file cut short fails here, not halfway through a run at the engine.
    await sharp(file, { failOn: 'truncated', limitInputPixels: maxPixels }).raw().toBuffer();
  } catch (e) {
    return `image is damaged or cut short and cannot be decoded in full (${(e as Error).message})`;
  }
  return undefined;
}

/**
 * Whether an image path, symlinks followed, stays inside `realDir` (the dataset folder's own real path).
 * A symlink out of the dataset would let a dataset file send any file on the machine to a remote server.
 */
export async function insideDataset(realDir: string, abs: string): Promise<boolean> {
  const real = await realpath(abs).catch(() => undefined);
  if (real === undefined) return true; // not there: reported as missing, not as outside
  const rel = relative(realDir, real);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !rel.startsWith(sep);
}

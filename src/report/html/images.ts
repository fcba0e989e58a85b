import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import PQueue from 'p-queue';
import sharp from 'sharp';
import type { ReportImage } from './model.js';

export type ImageMode = 'errors' | 'all' | 'thumbs' | 'none';

export interface ImageOptions {
  /**
   * 'errors': thumbnails of every image, enlarged views of images with a wrong answer (what the error
   * browser is for; a scan's enlarged view is ~100 KB, its thumbnail ~3 KB); 'all': enlarged views of
   * every image; 'thumbs': thumbnails only; 'none': no images. @default 'errors'
   */
  images?: ImageMode;
  /** Long side of a thumbnail, px. @default 160 */
  thumbLongSide?: number;
  /** Long side of the enlarged view, px; the size cap that keeps reports attachable. @default 1000 */
  fullLongSide?: number;
  /** Images encoded at once. @default 2 */
  concurrency?: number;
  /**
   * Folder of encoded images kept between builds (the same dataset scans appear in every run's report);
   * absent = no cache. Keyed by path, size, mtime and sizes, so a changed scan is encoded again.
   */
  cacheDir?: string;
  onWarning?: (msg: string) => void;
}

/** `$VLMHB_CACHE_DIR`, else `$XDG_CACHE_HOME/vlmhb`, else `~/.cache/vlmhb`; images under report-images/. */
export function defaultImageCacheDir(): string {
  const base =
    process.env['VLMHB_CACHE_DIR'] ??
    join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'vlmhb');
  return join(base, 'report-images');
}

interface Encoded {
  width: number | undefined;
  height: number | undefined;
  thumb: string;
  full: string;
}

async function encode(abs: string, thumbSide: number, fullSide: number): Promise<Encoded> {
  const src = sharp(abs, { failOn: 'none' }).rotate();
  const meta = await src.metadata();
  const full = await src
    .resize({ width: fullSide, height: fullSide, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 70 })
    .toBuffer();
  const thumb = await sharp(full)
    .resize({ width: thumbSide, height: thumbSide, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 60 })
    .toBuffer();
  return {
    width: meta.autoOrient?.width ?? meta.width,
    height: meta.autoOrient?.height ?? meta.height,
    thumb: thumb.toString('base64'),
    full: full.toString('base64'),
  };
}

function cacheKey(abs: string, thumbSide: number, fullSide: number): string {
  const st = statSync(abs);
  return createHash('sha256')
    .update(JSON.stringify([1, abs, st.size, st.mtimeMs, thumbSide, fullSide]))
    .digest('hex');
}

async function cachedEncode(abs: string, o: { thumb: number; full: number; cacheDir?: string | undefined }) {
  if (!o.cacheDir) return encode(abs, o.thumb, o.full);
  const file = join(o.cacheDir, `${cacheKey(abs, o.thumb, o.full)}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Encoded;
  } catch {
    // not cached yet (or unreadable): encode and store
  }
  const enc = await encode(abs, o.thumb, o.full);
  try {
    mkdirSync(o.cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(enc));
    renameSync(tmp, file);
  } catch {
    // A read-only cache only costs speed.
  }
  return enc;
}

function dataUrl(base64: string): string {
  return `data:image/jpeg;base64,${base64}`;
}

/**
 * Fills every image in place with small JPEG data URLs, each image once however many answers point at
 * it. The enlarged view is encoded first and the thumbnail made from it, so the (large, textured PNG)
 * scan is decoded once. An unreadable image is a warning, not a failed report.
 */
export async function embedImages(images: ReportImage[], opts: ImageOptions = {}): Promise<void> {
  const mode = opts.images ?? 'errors';
  if (mode === 'none') {
    for (const img of images) delete img.abs;
    return;
  }
  const thumbSide = opts.thumbLongSide ?? 160;
  const fullSide = opts.fullLongSide ?? 1000;
  const queue = new PQueue({ concurrency: opts.concurrency ?? 2 });
  await Promise.all(
    images.map((img) =>
      queue.add(async () => {
        const abs = img.abs;
        delete img.abs;
        if (!abs) return;
        try {
          const enc = await cachedEncode(abs, { thumb: thumbSide, full: fullSide, cacheDir: opts.cacheDir });
          img.width = enc.width;
          img.height = enc.height;
          img.thumb = dataUrl(enc.thumb);
          if (mode === 'all' || (mode === 'errors' && img.wrong)) img.full = dataUrl(enc.full);
        } catch (e) {
          opts.onWarning?.(`image ${abs} left out: ${(e as Error).message}`);
        }
      }),
    ),
  );
}

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import PQueue from 'p-queue';
import sharp from 'sharp';
import type { ReportImage } from './model.js';

export type ImageMode = 'errors' | 'all' | 'thumbs' | 'none';

export interface ImageOptions {
  /**
   * 'errors': an enlarged view of every image with a wrong answer (the error browser's rows show it
   * scaled down) and a thumbnail of every other image; 'all': enlarged views of every image; 'thumbs':
   * thumbnails only; 'none': no images. @default 'errors'
   */
  images?: ImageMode;
  /** Long side of a thumbnail, px. @default 160 */
  thumbLongSide?: number;
  /** Long side of the enlarged view, px; the size cap that keeps reports attachable. @default 1000 */
  fullLongSide?: number;
  /** Images encoded at once. @default the CPUs available */
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

/** Formats every browser shows as they are. */
const WEB_FORMATS: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/**
 * Bytes per pixel up to which a scan is embedded as it is instead of re-encoded: about what a JPEG of
 * quality 70 of a textured scan weighs (a 1000 × 700 view ≈ 100 KB). A heavier file (a noisy PNG) is
 * re-encoded, so the report stays attachable either way.
 */
const AS_IS_BYTES_PER_PIXEL = 0.15;

/**
 * The enlarged view is the file itself when re-encoding would only cost time: a web format already
 * within the size cap, upright (no EXIF rotation to apply), sRGB or grey, one page. A transparent PNG
 * is shown on the page's white, as flatten() would have drawn it.
 */
export function canEmbedAsIs(meta: sharp.Metadata, bytes: number, fullSide: number): boolean {
  const w = meta.width;
  const h = meta.height;
  if (!w || !h || !meta.format || !WEB_FORMATS[meta.format]) return false;
  if ((meta.orientation ?? 1) !== 1) return false;
  if (meta.space !== 'srgb' && meta.space !== 'b-w') return false;
  if ((meta.pages ?? 1) > 1) return false;
  return Math.max(w, h) <= fullSide && bytes <= AS_IS_BYTES_PER_PIXEL * w * h;
}

function dataUrl(mime: string, buf: Buffer): string {
  return `data:${mime};base64,${buf.toString('base64')}`;
}

interface Encoded {
  width: number | undefined;
  height: number | undefined;
  /** A data URL. */
  data: string;
}

type Kind = 'thumb' | 'full';

/** JPEG scaled to fit `side` (never enlarged), upright, on white. JPEG and WebP sources shrink while decoding. */
function toJpeg(input: Buffer, side: number, quality: number): Promise<Buffer> {
  return sharp(input, { failOn: 'none' })
    .rotate()
    .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality })
    .toBuffer();
}

async function encode(abs: string, kind: Kind, side: number): Promise<Encoded> {
  // One read serves the header and the pixels (or, kept as is, the view itself).
  const input = await readFile(abs);
  const meta = await sharp(input, { failOn: 'none' }).metadata();
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (kind === 'full' && canEmbedAsIs(meta, input.length, side)) {
    return { width, height, data: dataUrl(WEB_FORMATS[meta.format!]!, input) };
  }
  const out = await toJpeg(input, side, kind === 'full' ? 70 : 60);
  return { width, height, data: dataUrl('image/jpeg', out) };
}

function cacheKey(abs: string, kind: Kind, side: number): string {
  const st = statSync(abs);
  return createHash('sha256')
    .update(JSON.stringify([2, abs, st.size, st.mtimeMs, kind, side]))
    .digest('hex');
}

async function cachedEncode(abs: string, kind: Kind, side: number, cacheDir: string | undefined) {
  if (!cacheDir) return encode(abs, kind, side);
  const file = join(cacheDir, `${cacheKey(abs, kind, side)}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Encoded;
  } catch {
    // not cached yet (or unreadable): encode and store
  }
  const enc = await encode(abs, kind, side);
  try {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(enc));
    renameSync(tmp, file);
  } catch {
    // A read-only cache only costs speed.
  }
  return enc;
}

/**
 * Fills every image in place with data URLs, each image once however many answers point at it. An
 * image gets either an enlarged view or a thumbnail, never both: the error browser draws an enlarged
 * view scaled down in its rows, so the scans a reader enlarges (those with a wrong answer) cost one
 * encode — none when the file can be embedded as it is. An unreadable image is a warning, not a failed
 * report.
 */
export async function embedImages(images: ReportImage[], opts: ImageOptions = {}): Promise<void> {
  const mode = opts.images ?? 'errors';
  if (mode === 'none') {
    for (const img of images) delete img.abs;
    return;
  }
  const thumbSide = opts.thumbLongSide ?? 160;
  const fullSide = opts.fullLongSide ?? 1000;
  // sharp runs each image on one libvips thread (its default on glibc): images side by side fill the cores.
  const queue = new PQueue({ concurrency: opts.concurrency ?? availableParallelism() });
  await Promise.all(
    images.map((img) =>
      queue.add(async () => {
        const abs = img.abs;
        delete img.abs;
        if (!abs) return;
        const kind: Kind = mode === 'all' || (mode === 'errors' && img.wrong) ? 'full' : 'thumb';
        try {
          const enc = await cachedEncode(abs, kind, kind === 'full' ? fullSide : thumbSide, opts.cacheDir);
          img.width = enc.width;
          img.height = enc.height;
          img[kind] = enc.data;
        } catch (e) {
          opts.onWarning?.(`image ${abs} left out: ${(e as Error).message}`);
        }
      }),
    ),
  );
}

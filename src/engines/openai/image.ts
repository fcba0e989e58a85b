import * as crypto from 'node:crypto';
import sharp from 'sharp';
import type { EngineImage } from '../types.js';

export interface PreparedImage {
  dataUrl: string;
  /** `dataUrl` as bytes, made once per image, for bodies built without re-encoding it (request.ts). */
  dataUrlBytes: Buffer;
  width: number;
  height: number;
  bytes: number;
  resized: boolean;
}

/** Target size for a long-side and/or pixel-count limit; never upscales. Pure, so it is tested alone. */
export function targetSize(
  width: number,
  height: number,
  limits: { longSide?: number | undefined; maxPixels?: number | undefined },
): { width: number; height: number } {
  let scale = 1;
  if (limits.longSide && Math.max(width, height) > limits.longSide) {
    scale = Math.min(scale, limits.longSide / Math.max(width, height));
  }
  if (limits.maxPixels && width * height > limits.maxPixels) {
    scale = Math.min(scale, Math.sqrt(limits.maxPixels / (width * height)));
  }
  if (scale >= 1) return { width, height };
  // floor keeps us inside the limit; max(1) keeps degenerate strips valid.
  return { width: Math.max(1, Math.floor(width * scale)), height: Math.max(1, Math.floor(height * scale)) };
}

/**
 * Resizes to the task's resolution setting and encodes as a data URL. Unresized images are sent as they
 * came (no re-encode, so the bytes the model sees are the dataset's bytes).
 */
export async function prepareImage(
  image: EngineImage,
  limits: { longSide?: number | undefined; maxPixels?: number | undefined },
): Promise<PreparedImage> {
  // Per-field VQA sends one document image once per field, so the same bytes arrive several times in a
  // row; decoding them again was the largest cost in bench/overhead.ts. A small content-keyed cache
  // (hashing 100 kB takes microseconds) keeps resizing off the hot path without holding a dataset in memory.
  // The same Buffer object asked about again (throughput runs, a document's fields) skips even the hash:
  // hashing a 4 MB page costs milliseconds, a real share of a fast server's round trip.
  const limitsKey = `${image.mime}|${limits.longSide ?? ''}|${limits.maxPixels ?? ''}`;
  const byLimits = byBuffer.get(image.data);
  const known = byLimits?.get(limitsKey);
  if (known) return known;
  const key = `${contentHash(image.data)}|${limitsKey}`;
  const hit = prepared.get(key);
  if (hit) {
    prepared.delete(key);
    prepared.set(key, hit);
    remember(image.data, limitsKey, hit);
    return hit;
  }
  const promise = encode(image, limits);
  remember(image.data, limitsKey, promise);
  prepared.set(key, promise);
  if (prepared.size > CACHE_ENTRIES) prepared.delete(prepared.keys().next().value as string);
  promise.catch(() => prepared.delete(key));
  return promise;
}

const CACHE_ENTRIES = 32;

// crypto.hash (Node ≥ 20.12) hashes in one call; a Hash object per request cost more than the hashing
// itself at the request rates bench/overhead.ts reaches.
const oneShot = (crypto as { hash?: (alg: string, data: Buffer, enc: 'base64') => string }).hash;
function contentHash(data: Buffer): string {
  return oneShot ? oneShot('sha1', data, 'base64') : crypto.createHash('sha1').update(data).digest('base64');
}
const prepared = new Map<string, Promise<PreparedImage>>();
/** By Buffer identity; entries go with their Buffer, so this holds nothing the caller dropped. */
const byBuffer = new WeakMap<Buffer, Map<string, Promise<PreparedImage>>>();
function remember(data: Buffer, limitsKey: string, p: Promise<PreparedImage>): void {
  let m = byBuffer.get(data);
  if (!m) {
    m = new Map();
    byBuffer.set(data, m);
  }
  m.set(limitsKey, p);
  p.catch(() => m.delete(limitsKey));
}

/** A data URL and its bytes; base64 needs no JSON escaping, so the bytes go into bodies as they are. */
function dataUrlOf(mime: string, data: Buffer): { dataUrl: string; dataUrlBytes: Buffer } {
  const dataUrl = `data:${mime};base64,${data.toString('base64')}`;
  return { dataUrl, dataUrlBytes: Buffer.from(dataUrl, 'latin1') };
}

async function encode(
  image: EngineImage,
  limits: { longSide?: number | undefined; maxPixels?: number | undefined },
): Promise<PreparedImage> {
  const meta = await sharp(image.data).metadata();
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  const target = targetSize(w, h, limits);
  if (target.width === w && target.height === h) {
    return {
      ...dataUrlOf(image.mime, image.data),
      width: w,
      height: h,
      bytes: image.data.length,
      resized: false,
    };
  }
  // PNG keeps text edges lossless; JPEG inputs stay JPEG so a resize does not inflate them.
  const isJpeg = image.mime === 'image/jpeg';
  const pipeline = sharp(image.data).resize(target.width, target.height, { fit: 'fill' });
  const out = isJpeg ? await pipeline.jpeg({ quality: 95 }).toBuffer() : await pipeline.png().toBuffer();
  const mime = isJpeg ? 'image/jpeg' : 'image/png';
  return {
    ...dataUrlOf(mime, out),
    width: target.width,
    height: target.height,
    bytes: out.length,
    resized: true,
  };
}

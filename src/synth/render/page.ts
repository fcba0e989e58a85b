/** A rendered page (RGBA from the canvas) as the forms other code needs: RGB pixels, PNG, a sharp pipeline. */
import sharp from 'sharp';
import type { RawRgb } from '../augment/raw.js';
import type { RenderedDoc } from '../types.js';

/** A sharp pipeline reading a rendered page. */
export function pageSharp(doc: RenderedDoc): sharp.Sharp {
  return sharp(doc.rgba, { raw: { width: doc.width, height: doc.height, channels: 4 } }).removeAlpha();
}

/** A rendered page as PNG, for tests and benches that look at single pages. */
export function pagePng(doc: RenderedDoc): Promise<Buffer> {
  return pageSharp(doc).png({ compressionLevel: 3 }).toBuffer();
}

/** A rendered page as the RGB pixels the augmentation steps work on. */
export async function pageRgb(doc: RenderedDoc): Promise<RawRgb> {
  return { data: await pageSharp(doc).raw().toBuffer(), width: doc.width, height: doc.height };
}

/**
 * Regions of a page cut out for a second OCR look. The right edge turned upright: the passport blank
 * (Постановление Правительства РФ от 08.07.1997 № 828, описание бланка) has the series and number perforated and printed in red along the
 * right edge of the pages, running vertically, which Tesseract does not read on the page as a whole.
 * Which way the text runs depends on the printer and on which page is scanned, so the caller tries one
 * turn and then the other.
 */
import sharp from 'sharp';

/** Share of the page width the strip takes. */
const STRIP = 0.15;

/**
 * The strip turned by `angle` (90: text that reads bottom to top; 270: top to bottom), as a grey image
 * from the green channel: red ink is dark there and stays dark, while in a plain grey conversion a light
 * red can fall near the paper's brightness.
 */
export async function rightStripUpright(image: Buffer, angle: 90 | 270 = 90): Promise<Buffer> {
  const meta = await sharp(image).metadata();
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  const w = Math.max(1, Math.round(width * STRIP));
  const strip = sharp(image).extract({ left: width - w, top: 0, width: w, height });
  const grey = (meta.channels ?? 1) >= 3 ? strip.extractChannel('green') : strip.greyscale();
  return grey.rotate(angle).png().toBuffer();
}

/** A region of the page, for a second look at one line. */
export async function cropPng(
  image: Buffer,
  box: { left: number; top: number; width: number; height: number },
): Promise<Buffer> {
  const meta = await sharp(image).metadata();
  const left = Math.min(Math.max(0, box.left), (meta.width ?? 1) - 1);
  const top = Math.min(Math.max(0, box.top), (meta.height ?? 1) - 1);
  const width = Math.max(1, Math.min(box.width, (meta.width ?? 1) - left));
  const height = Math.max(1, Math.min(box.height, (meta.height ?? 1) - top));
  return sharp(image).extract({ left, top, width, height }).png().toBuffer();
}

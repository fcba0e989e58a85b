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

/** A region of the page, kept inside it, for a second look at one line. */
async function crop(image: Buffer, box: { left: number; top: number; width: number; height: number }) {
  const meta = await sharp(image).metadata();
  const left = Math.min(Math.max(0, box.left), (meta.width ?? 1) - 1);
  const top = Math.min(Math.max(0, box.top), (meta.height ?? 1) - 1);
  const width = Math.max(1, Math.min(box.width, (meta.width ?? 1) - left));
  const height = Math.max(1, Math.min(box.height, (meta.height ?? 1) - top));
  return sharp(image).extract({ left, top, width, height });
}

/**
 * Otsu's threshold of an 8-bit grey histogram: the level that best splits ink from paper (largest
 * between-class variance). Pure.
 */
export function otsuThreshold(grey: Uint8Array): number {
  const hist = new Array<number>(256).fill(0);
  for (const v of grey) hist[v]!++;
  const total = grey.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * hist[i]!;
  let sumB = 0;
  let wB = 0;
  let best = 0;
  let bestVar = -1;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t]!;
    const mB = sumB / wB;
    const mF = (sumAll - sumB) / wF;
    const between = wB * wF * (mB - mF) ** 2;
    if (between > bestVar) {
      bestVar = between;
      best = t;
    }
  }
  return best;
}

/**
 * A region cut out for a digits-only second look, made easy for Tesseract: grey, enlarged twice (small
 * digits of a 1600 px scan are below the text height Tesseract reads best) and binarised at Otsu's
 * level, which drops the light security pattern and the thin cell borders of boxed digits.
 */
export async function cropBinarized(
  image: Buffer,
  box: { left: number; top: number; width: number; height: number },
): Promise<Buffer> {
  const grey = await (await crop(image, box)).greyscale().raw().toBuffer({ resolveWithObject: true });
  const t = otsuThreshold(grey.data);
  const { width, height } = grey.info;
  return sharp(grey.data, { raw: { width, height, channels: 1 } })
    .resize(width * 2, height * 2, { kernel: 'cubic' })
    .threshold(t + 1)
    .png()
    .toBuffer();
}

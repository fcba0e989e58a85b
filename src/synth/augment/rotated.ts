import { applyMat, mapBbox, rotationMat } from './geometry.js';
import { fromRgb } from './raw.js';
import { sign, uniform } from './rng.js';
import { bySeverity } from './scale.js';
import type { Augmentation } from './types.js';

/** Light grey of a scanner lid showing around a skewed page. */
export const SCANNER_BED: [number, number, number] = [232, 232, 228];

/**
 * A page placed askew on the scanner. The canvas grows to hold the whole rotated page (nothing is cut
 * off), and each box becomes the axis-aligned box around its rotated corners.
 */
export const rotated: Augmentation = {
  name: 'rotated',
  description: 'skew by 0.5–2° / 2–5° / 5–10°, canvas enlarged to keep the whole page',
  async apply(img, severity, rng) {
    const [lo, hi] = bySeverity(severity, [
      [0.5, 2],
      [2, 5],
      [5, 10],
    ] as const);
    const deg = sign(rng) * uniform(rng, lo, hi);
    const { width: w, height: h } = img;
    const c = Math.cos((deg * Math.PI) / 180);
    const s = Math.sin((deg * Math.PI) / 180);
    // libvips' affine (multi-threaded, vectorised: two thirds of the CPU time of warp.ts on a rotation)
    // draws the whole rotated page on the canvas around it, centred; the boxes go through the same
    // rotation about the page centre onto the canvas centre.
    const bed = SCANNER_BED;
    const { data, info } = await fromRgb(img)
      .affine([c, -s, s, c], { background: { r: bed[0], g: bed[1], b: bed[2] }, interpolator: 'bilinear' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const outW = info.width;
    const outH = info.height;
    const m = rotationMat(deg, w / 2, h / 2, (outW - w) / 2, (outH - h) / 2);
    return {
      data,
      width: outW,
      height: outH,
      bboxes: img.bboxes.map((b) => mapBbox(b, (p) => applyMat(m, p), outW, outH)),
    };
  },
};

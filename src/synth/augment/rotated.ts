import { applyMat, invertMat, mapBbox, rotationMat } from './geometry.js';
import { sign, uniform } from './rng.js';
import { bySeverity } from './scale.js';
import type { Augmentation } from './types.js';
import { warp } from './warp.js';

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
    const r = (Math.abs(deg) * Math.PI) / 180;
    const { width: w, height: h } = img;
    const outW = Math.ceil(w * Math.cos(r) + h * Math.sin(r));
    const outH = Math.ceil(w * Math.sin(r) + h * Math.cos(r));
    const m = rotationMat(deg, w / 2, h / 2, (outW - w) / 2, (outH - h) / 2);
    const out = warp(img, invertMat(m), outW, outH, SCANNER_BED);
    return {
      ...out,
      bboxes: img.bboxes.map((b) => mapBbox(b, (p) => applyMat(m, p), outW, outH)),
    };
  },
};

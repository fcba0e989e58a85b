import { applyMat, invertMat, mapBbox, rotationMat } from './geometry.js';
import { fromRgb } from './raw.js';
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
    // libvips' affine (threaded, vectorised) instead of the JS resampler: a rotation is its most common
    // case. Its output area is the same bounding box; measured against `m`, its pixels sit within a
    // third of a pixel of where the boxes say, well inside their outward rounding.
    const c = Math.cos((deg * Math.PI) / 180);
    const s = Math.sin((deg * Math.PI) / 180);
    const { data, info } = await fromRgb(img)
      .affine(
        [
          [c, -s],
          [s, c],
        ],
        { background: { r: SCANNER_BED[0], g: SCANNER_BED[1], b: SCANNER_BED[2] }, interpolator: 'bilinear' },
      )
      .raw()
      .toBuffer({ resolveWithObject: true });
    const out =
      info.width === outW && info.height === outH && info.channels === 3
        ? { data, width: outW, height: outH }
        : warp(img, invertMat(m), outW, outH, SCANNER_BED);
    return {
      ...out,
      bboxes: img.bboxes.map((b) => mapBbox(b, (p) => applyMat(m, p), outW, outH)),
    };
  },
};

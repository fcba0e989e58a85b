import type { Mat3 } from './geometry.js';
import type { RawRgb } from './raw.js';

/** Output pixels per exactly mapped point along a row; between them the mapping is interpolated. */
const SPAN = 16;
/** Fixed-point fraction bits of source coordinates. */
const FB = 16;
const ONE = 1 << FB;

/**
 * Resamples `src` into a new `outW`×`outH` image: each output pixel centre is mapped back through
 * `inverse` (output → source) and sampled bilinearly; points outside the source get `background`.
 * Done here rather than in sharp so the geometry is exactly the matrix the boxes go through.
 *
 * Speed (a rotated or photographed page must cost tens of milliseconds, not hundreds): the source
 * position is computed exactly every SPAN pixels and stepped linearly in fixed point between them —
 * exact for an affine map, and within a hundredth of a pixel for the mild perspective of a photo —
 * and the bilinear blend is integer arithmetic on 8-bit weights.
 */
export function warp(
  src: RawRgb,
  inverse: Mat3,
  outW: number,
  outH: number,
  background: [number, number, number],
): RawRgb {
  const { data, width: w, height: h } = src;
  const out = Buffer.allocUnsafe(outW * outH * 3);
  const [a, b, c, d, e, f, g, hh, ii] = inverse;
  const [br, bgc, bb] = background;
  const stride = w * 3;
  // Source coordinate (pixel centres at integers) of output pixel centre (x + 0.5, y + 0.5).
  const mapX = (x: number, y: number) =>
    (a * (x + 0.5) + b * (y + 0.5) + c) / (g * (x + 0.5) + hh * (y + 0.5) + ii) - 0.5;
  const mapY = (x: number, y: number) =>
    (d * (x + 0.5) + e * (y + 0.5) + f) / (g * (x + 0.5) + hh * (y + 0.5) + ii) - 0.5;
  let o = 0;
  for (let y = 0; y < outH; y++) {
    let x0 = 0;
    let sx = Math.round(mapX(0, y) * ONE);
    let sy = Math.round(mapY(0, y) * ONE);
    while (x0 < outW) {
      const x1 = Math.min(outW, x0 + SPAN);
      const ex = Math.round(mapX(x1, y) * ONE);
      const ey = Math.round(mapY(x1, y) * ONE);
      const n = x1 - x0;
      const dx = Math.round((ex - sx) / n);
      const dy = Math.round((ey - sy) / n);
      // The span's points lie on a segment: when its first and last point have all four neighbours inside
      // the source, so do all between, and the loop needs no bounds checks (most of a page).
      const lx = sx + dx * (n - 1);
      const ly = sy + dy * (n - 1);
      if (inside(sx, sy, w, h) && inside(lx, ly, w, h)) {
        for (let x = x0; x < x1; x++, o += 3, sx += dx, sy += dy) {
          const fx = (sx >> (FB - 8)) & 255;
          const fy = (sy >> (FB - 8)) & 255;
          // The four bilinear weights once per pixel (they sum to 65536), then each channel.
          const w11 = fx * fy;
          const w10 = (fx << 8) - w11;
          const w01 = (fy << 8) - w11;
          const w00 = 65536 - w10 - w01 - w11;
          const i = (sy >> FB) * stride + (sx >> FB) * 3;
          const j = i + stride;
          out[o] = (data[i]! * w00 + data[i + 3]! * w10 + data[j]! * w01 + data[j + 3]! * w11 + 32768) >> 16;
          out[o + 1] =
            (data[i + 1]! * w00 + data[i + 4]! * w10 + data[j + 1]! * w01 + data[j + 4]! * w11 + 32768) >> 16;
          out[o + 2] =
            (data[i + 2]! * w00 + data[i + 5]! * w10 + data[j + 2]! * w01 + data[j + 5]! * w11 + 32768) >> 16;
        }
        sx = ex;
        sy = ey;
        x0 = x1;
        continue;
      }
      for (let x = x0; x < x1; x++, o += 3, sx += dx, sy += dy) {
        const ix = sx >> FB;
        const iy = sy >> FB;
        if (ix >= 0 && iy >= 0 && ix < w - 1 && iy < h - 1) {
          const fx = (sx >> (FB - 8)) & 255;
          const fy = (sy >> (FB - 8)) & 255;
          const gx = 256 - fx;
          const gy = 256 - fy;
          const i = iy * stride + ix * 3;
          const j = i + stride;
          // Unrolled over R, G, B: the loop and its index arithmetic cost as much as the blend.
          out[o] =
            ((data[i]! * gx + data[i + 3]! * fx) * gy + (data[j]! * gx + data[j + 3]! * fx) * fy + 32768) >>
            16;
          out[o + 1] =
            ((data[i + 1]! * gx + data[i + 4]! * fx) * gy +
              (data[j + 1]! * gx + data[j + 4]! * fx) * fy +
              32768) >>
            16;
          out[o + 2] =
            ((data[i + 2]! * gx + data[i + 5]! * fx) * gy +
              (data[j + 2]! * gx + data[j + 5]! * fx) * fy +
              32768) >>
            16;
          continue;
        }
        // Edge pixels: the last source row/column, or outside the page.
        const fsx = sx / ONE;
        const fsy = sy / ONE;
        if (fsx < -0.5 || fsy < -0.5 || fsx > w - 0.5 || fsy > h - 0.5) {
          out[o] = br;
          out[o + 1] = bgc;
          out[o + 2] = bb;
          continue;
        }
        const cx0 = Math.max(0, Math.min(w - 1, Math.floor(fsx)));
        const cy0 = Math.max(0, Math.min(h - 1, Math.floor(fsy)));
        const cx1 = Math.min(w - 1, cx0 + 1);
        const cy1 = Math.min(h - 1, cy0 + 1);
        const wx = Math.max(0, Math.min(1, fsx - cx0));
        const wy = Math.max(0, Math.min(1, fsy - cy0));
        for (let k = 0; k < 3; k++) {
          const p00 = data[cy0 * stride + cx0 * 3 + k]!;
          const p10 = data[cy0 * stride + cx1 * 3 + k]!;
          const p01 = data[cy1 * stride + cx0 * 3 + k]!;
          const p11 = data[cy1 * stride + cx1 * 3 + k]!;
          const top = p00 + (p10 - p00) * wx;
          const bot = p01 + (p11 - p01) * wx;
          out[o + k] = Math.round(top + (bot - top) * wy);
        }
      }
      // Start the next span at its exact position, so rounding never accumulates along a row.
      sx = ex;
      sy = ey;
      x0 = x1;
    }
  }
  return { data: out, width: outW, height: outH };
}

/** Whether fixed-point source position (sx, sy) and its right and lower neighbours are inside the source. */
function inside(sx: number, sy: number, w: number, h: number): boolean {
  const ix = sx >> FB;
  const iy = sy >> FB;
  return ix >= 0 && iy >= 0 && ix < w - 1 && iy < h - 1;
}

import { samePlace } from './raw.js';
import { gaussian, type Rng } from './rng.js';
import { bySeverity } from './scale.js';
import type { Augmentation } from './types.js';

const TABLE_SIZE = 4096;

/**
 * Sensor noise: mostly luminance (the same offset on all channels) with a little colour noise, as a
 * cheap flatbed or phone sensor produces. Normal samples come from a per-call table drawn from the
 * rng: three Box–Muller draws per pixel would cost more than all the other steps together.
 */
export const noise: Augmentation = {
  name: 'noise',
  description: 'Gaussian sensor noise (sigma 8 / 16 / 28 grey levels)',
  async apply(img, severity, rng) {
    const sigma = bySeverity(severity, [8, 16, 28]);
    const table = normalTable(rng);
    // Offsets in whole grey levels: luminance noise and a quarter as much per-channel colour noise.
    const lum = Int16Array.from(table, (v) => Math.round(v * sigma));
    const chroma = Int16Array.from(table, (v) => Math.round(v * sigma * 0.25));
    const src = img.data;
    // A clamped array clamps on store, so the loop does no branching of its own.
    const d = new Uint8ClampedArray(src.length);
    const mask = TABLE_SIZE - 1;
    // One 32-bit xorshift draw per pixel, seeded from the rng: a call into the rng per pixel costs more
    // than all the arithmetic.
    let s = ((rng() * 4294967296) >>> 0) | 1;
    for (let i = 0; i < src.length; i += 3) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const l = lum[s & mask]!;
      d[i] = src[i]! + l + chroma[(s >>> 12) & mask]!;
      d[i + 1] = src[i + 1]! + l + chroma[(s >>> 20) & mask]!;
      d[i + 2] = src[i + 2]! + l + chroma[((s >>> 4) ^ (s >>> 24)) & mask]!;
    }
    return samePlace(img, {
      data: Buffer.from(d.buffer, d.byteOffset, d.byteLength),
      width: img.width,
      height: img.height,
    });
  },
};

function normalTable(rng: Rng): Float64Array {
  const t = new Float64Array(TABLE_SIZE);
  for (let i = 0; i < TABLE_SIZE; i++) t[i] = gaussian(rng);
  return t;
}

import { type Canvas, createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { Rng } from '../data/rng.js';

export type Rgb = [number, number, number];

export function rgb(c: Rgb, a = 1): string {
  return a >= 1 ? `rgb(${c[0]},${c[1]},${c[2]})` : `rgba(${c[0]},${c[1]},${c[2]},${a})`;
}

/**
 * Tinted paper: a base colour, soft uneven blotches (the tint of real blanks is never flat) and
 * grain. Kept light so that values printed on top stay high-contrast for OCR. The blotches are drawn
 * on a canvas an eighth of the size and scaled up (they are soft anyway), and the grain is a cached
 * tile multiplied over the page at a random offset: per-pixel work in JS cost more than the rest of
 * a page together.
 */
export function paper(ctx: SKRSContext2D, w: number, h: number, base: Rgb, rng: Rng, grain = 6): void {
  const sw = Math.ceil(w / 8);
  const sh = Math.ceil(h / 8);
  const small = createCanvas(sw, sh);
  const g = small.getContext('2d');
  // The grain only darkens, so the base is lifted by half its depth to keep the mean colour.
  g.fillStyle = rgb([base[0] + grain / 2, base[1] + grain / 2, base[2] + grain / 2].map(clamp8) as Rgb);
  g.fillRect(0, 0, sw, sh);
  for (let i = 0; i < 14; i++) {
    const x = rng.float(0, sw);
    const y = rng.float(0, sh);
    const r = rng.float(0.15, 0.5) * Math.max(sw, sh);
    const grad = g.createRadialGradient(x, y, 0, x, y, r);
    const dark = rng.chance(0.5);
    grad.addColorStop(0, dark ? 'rgba(90,80,40,0.035)' : 'rgba(255,255,255,0.06)');
    grad.addColorStop(1, 'rgba(0,0,0,0)');
    g.fillStyle = grad;
    g.fillRect(0, 0, sw, sh);
  }
  ctx.save();
  ctx.imageSmoothingEnabled = true;
  // Bilinear is enough for blotches this soft, and several times cheaper than the cubic 'high'.
  ctx.imageSmoothingQuality = 'low';
  ctx.drawImage(small, 0, 0, w, h);
  ctx.globalCompositeOperation = 'multiply';
  const tile = grainTile(grain);
  const ox = rng.int(0, GRAIN_TILE - 1);
  const oy = rng.int(0, GRAIN_TILE - 1);
  ctx.translate(-ox, -oy);
  const pattern = ctx.createPattern(tile, 'repeat');
  if (pattern) ctx.fillStyle = pattern;
  ctx.fillRect(ox, oy, w, h);
  ctx.restore();
}

const GRAIN_TILE = 509; // prime, so the repeat never lines up with a template's own grid
const grainTiles = new Map<number, Canvas>();

/** Grey multiplicative noise, 255 - [0, 2·grain]: the same tile in every process, from a fixed LCG. */
function grainTile(grain: number): Canvas {
  let tile = grainTiles.get(grain);
  if (tile) return tile;
  tile = createCanvas(GRAIN_TILE, GRAIN_TILE);
  const g = tile.getContext('2d');
  const img = g.createImageData(GRAIN_TILE, GRAIN_TILE);
  const d = img.data;
  let s = 12345 + grain;
  for (let i = 0; i < d.length; i += 4) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const v = 255 - ((s >>> 16) % (2 * grain + 1));
    d[i] = v;
    d[i + 1] = v;
    d[i + 2] = v;
    d[i + 3] = 255;
  }
  g.putImageData(img, 0, 0);
  grainTiles.set(grain, tile);
  return tile;
}

/**
 * Draws a layer that depends only on its arguments once per process and stamps it afterwards:
 * the security netting and border guilloche of a blank are the same on every copy of the form.
 */
const layers = new Map<string, Canvas>();
// Enough for every layer of every template at one scale (rosettes: 7 designs a call site).
const MAX_LAYERS = 96;
function cachedLayer(key: string, w: number, h: number, draw: (g: SKRSContext2D) => void): Canvas {
  let layer = layers.get(key);
  if (!layer) {
    layer = createCanvas(Math.max(1, Math.ceil(w)), Math.max(1, Math.ceil(h)));
    draw(layer.getContext('2d'));
    if (layers.size >= MAX_LAYERS) layers.delete(layers.keys().next().value as string);
    layers.set(key, layer);
  }
  return layer;
}

/**
 * Stamps a cached layer whose top-left corner is at (x, y) in layout units. The layer is kept at the
 * page's pixel scale and placed on whole pixels, so stamping is a plain copy, never a resampling.
 */
function stampLayer(
  ctx: SKRSContext2D,
  key: string,
  x: number,
  y: number,
  w: number,
  h: number,
  draw: (g: SKRSContext2D) => void,
): void {
  const t = ctx.getTransform();
  const s = t.a;
  if (t.b !== 0 || t.c !== 0 || t.a !== t.d) {
    ctx.drawImage(cachedLayer(`${key}|1`, w, h, draw), x, y);
    return;
  }
  const layer = cachedLayer(`${key}|${s}`, w * s, h * s, (g) => {
    g.scale(s, s);
    draw(g);
  });
  ctx.save();
  ctx.resetTransform();
  ctx.drawImage(layer, Math.round(x * s + t.e), Math.round(y * s + t.f));
  ctx.restore();
}

function clamp8(v: number): number {
  return v < 0 ? 0 : Math.min(v, 255);
}

/**
 * A guilloche rosette: several hypotrochoids with slightly different parameters, the fine
 * interlaced pattern printed on security blanks. A blank edition has a handful of rosette designs, not
 * one per copy: the seed picks one of 7 (the number of lobes), each drawn once per process and stamped.
 */
export function rosette(
  ctx: SKRSContext2D,
  cx: number,
  cy: number,
  radius: number,
  color: string,
  rng: Rng,
  opts: { curves?: number; lineWidth?: number } = {},
): void {
  const curves = opts.curves ?? 6;
  const k = rng.int(7, 13);
  const lineWidth = opts.lineWidth ?? 0.8;
  const pad = Math.ceil(lineWidth) + 2;
  const size = 2 * radius + 2 * pad;
  const key = `rosette|${radius}|${color}|${curves}|${lineWidth}|${k}`;
  stampLayer(ctx, key, cx - radius - pad, cy - radius - pad, size, size, (g) => {
    g.strokeStyle = color;
    g.lineWidth = lineWidth;
    const o = radius + pad;
    for (let c = 0; c < curves; c++) {
      const R = radius * (0.62 + (0.07 * c) / curves);
      const r = R / k;
      // The pen offset of each curve, fixed by the design (a golden-ratio walk over 0.25–0.38).
      const d = radius * (0.25 + 0.13 * ((k * 0.618 + c * 0.382) % 1));
      const phase = ((c / curves) * Math.PI * 2) / k;
      g.beginPath();
      const steps = 1400;
      for (let i = 0; i <= steps; i++) {
        const t = (i / steps) * Math.PI * 2;
        const x = (R - r) * Math.cos(t + phase) + d * Math.cos(((R - r) / r) * t + phase);
        const y = (R - r) * Math.sin(t + phase) - d * Math.sin(((R - r) / r) * t + phase);
        if (i === 0) g.moveTo(o + x, o + y);
        else g.lineTo(o + x, o + y);
      }
      g.stroke();
    }
  });
}

/** A band of interlaced sine waves (the border guilloche of certificates and cards). */
export function waveBand(
  ctx: SKRSContext2D,
  x: number,
  y: number,
  w: number,
  h: number,
  color: string,
  opts: { lines?: number; period?: number; lineWidth?: number; vertical?: boolean } = {},
): void {
  const lines = opts.lines ?? 8;
  const period = opts.period ?? 60;
  const pad = 4;
  const key = `wave|${w}|${h}|${color}|${lines}|${period}|${opts.lineWidth}|${opts.vertical}`;
  stampLayer(ctx, key, x - pad, y - pad, w + 2 * pad, h + 2 * pad, (g) => {
    g.strokeStyle = color;
    g.lineWidth = opts.lineWidth ?? 0.8;
    const len = opts.vertical ? h : w;
    const thick = opts.vertical ? w : h;
    for (let l = 0; l < lines; l++) {
      const phase = (l / lines) * Math.PI * 2;
      g.beginPath();
      for (let s = 0; s <= len; s += 2) {
        const off =
          thick / 2 +
          (thick / 2) * Math.sin((s / period) * Math.PI * 2 + phase) * Math.cos(s / (period * 3.1));
        const px = pad + (opts.vertical ? off : s);
        const py = pad + (opts.vertical ? s : off);
        if (s === 0) g.moveTo(px, py);
        else g.lineTo(px, py);
      }
      g.stroke();
    }
  });
}

/** A fill of fine diagonal waves over a rectangle: the "netting" background of a blank. */
export function netting(
  ctx: SKRSContext2D,
  x: number,
  y: number,
  w: number,
  h: number,
  color: string,
  step = 9,
): void {
  stampLayer(ctx, `net|${w}|${h}|${color}|${step}`, x, y, w, h, (g) => {
    g.strokeStyle = color;
    g.lineWidth = 0.6;
    for (let k = -h; k < w + h; k += step) {
      g.beginPath();
      for (let s = 0; s <= h; s += 3) {
        const px = k + s * 0.6 + 3 * Math.sin(s / 11);
        if (s === 0) g.moveTo(px, s);
        else g.lineTo(px, s);
      }
      g.stroke();
    }
  });
}

/** A line of microtext: a phrase repeated in tiny capitals, reads as a thin line from afar. */
export function microtext(
  ctx: SKRSContext2D,
  text: string,
  x: number,
  y: number,
  w: number,
  fontStr: string,
  color: string,
): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y - 20, w, 40);
  ctx.clip();
  ctx.font = fontStr;
  ctx.fillStyle = color;
  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'left';
  const unit = `${text} · `;
  const uw = ctx.measureText(unit).width;
  for (let cx = x; cx < x + w; cx += uw) ctx.fillText(unit, cx, y);
  ctx.restore();
}

/**
 * The sample stamp «ОБРАЗЕЦ — не является документом», a rotated double-framed box in
 * translucent ink. Placed by each template where it does not cover values.
 */
export function sampleStamp(
  ctx: SKRSContext2D,
  cx: number,
  cy: number,
  scale: number,
  angle: number,
  color: Rgb,
  fontAt: (px: number, bold: boolean) => string,
): void {
  ctx.save();
  ctx.translate(cx, cy);
  ctx.rotate(angle);
  const w = 420 * scale;
  const h = 120 * scale;
  ctx.strokeStyle = rgb(color, 0.55);
  ctx.lineWidth = 4 * scale;
  ctx.strokeRect(-w / 2, -h / 2, w, h);
  ctx.lineWidth = 1.5 * scale;
  ctx.strokeRect(-w / 2 + 8 * scale, -h / 2 + 8 * scale, w - 16 * scale, h - 16 * scale);
  ctx.fillStyle = rgb(color, 0.5);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  ctx.font = fontAt(50 * scale, true);
  ctx.fillText('ОБРАЗЕЦ', 0, 8 * scale);
  ctx.font = fontAt(22 * scale, false);
  ctx.fillText('не является документом', 0, 42 * scale);
  ctx.restore();
}

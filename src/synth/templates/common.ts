import { base, en, Faker, ru } from '@faker-js/faker';
import { type Canvas, createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { DocClassId } from '../doc-class.js';
import { ensureFonts } from '../render/fonts.js';
import type { Box } from '../render/text.js';
import type { DocKind, FieldValue, RenderedDoc, RenderedField } from '../types.js';
import { fieldKind } from './fields.js';

/**
 * One Faker instance owned by the generator: seeding the shared `fakerRU` would leak state into
 * anything else that uses it. `sample` is synchronous, so seeding it per call is deterministic.
 */
export const faker = new Faker({ locale: [ru, en, base] });

export function field(questionType: string, value: string): FieldValue {
  return { questionType, value, kind: fieldKind(questionType) };
}

/** Reads a sampled field by name; a missing one is a programming error in the template. */
export function fieldValue(fields: readonly FieldValue[], questionType: string): string {
  const f = fields.find((x) => x.questionType === questionType);
  if (!f) throw new Error(`synth: field "${questionType}" missing from the sampled values`);
  return f.value;
}

const scales = new WeakMap<Canvas, number>();

/**
 * A page canvas for a template laid out in `w`×`h` units. With `longSide`, the page is drawn straight
 * at that size (the context scaled), so a 1600 px dataset never pays for rendering a larger page and
 * resampling it; text is rasterised at its final size, as a printer would. Boxes follow (see finish).
 */
export function newCanvas(w: number, h: number, longSide?: number): { canvas: Canvas; ctx: SKRSContext2D } {
  ensureFonts();
  const s = longSide === undefined ? 1 : longSide / Math.max(w, h);
  const canvas = createCanvas(Math.max(1, Math.round(w * s)), Math.max(1, Math.round(h * s)));
  const ctx = canvas.getContext('2d');
  if (s !== 1) ctx.scale(s, s);
  scales.set(canvas, s);
  return { canvas, ctx };
}

/** Collects the box of each field as it is drawn, keyed by question type. */
export class Placed {
  private readonly boxes = new Map<string, Box[]>();
  add(questionType: string, box: Box): void {
    const list = this.boxes.get(questionType) ?? [];
    list.push(box);
    this.boxes.set(questionType, list);
  }
  /**
   * Every field of `fields` must have been drawn: ground truth without a box is a bug. Boxes are in
   * layout units; `scale` takes them to the canvas's pixels (rounded outwards).
   */
  resolve(fields: readonly FieldValue[], w: number, h: number, scale = 1): RenderedField[] {
    return fields.map((f) => {
      const list = this.boxes.get(f.questionType);
      if (!list || list.length === 0) throw new Error(`synth: field "${f.questionType}" was not drawn`);
      const b = list.reduce((a, c) => [
        Math.min(a[0], c[0]),
        Math.min(a[1], c[1]),
        Math.max(a[2], c[2]),
        Math.max(a[3], c[3]),
      ]);
      const px: Box = [
        Math.floor(b[0] * scale),
        Math.floor(b[1] * scale),
        Math.ceil(b[2] * scale),
        Math.ceil(b[3] * scale),
      ];
      const bbox: Box = [Math.max(0, px[0]), Math.max(0, px[1]), Math.min(w, px[2]), Math.min(h, px[3])];
      return { ...f, bbox };
    });
  }
}

export async function finish(
  kind: DocKind,
  docClass: DocClassId,
  style: string,
  canvas: Canvas,
  fields: readonly FieldValue[],
  placed: Placed,
): Promise<RenderedDoc> {
  // Raw pixels, no PNG: every page is encoded once, as the file it is written to.
  const { width, height } = canvas;
  return {
    kind,
    docClass,
    style,
    rgba: canvas.data(),
    width,
    height,
    fields: placed.resolve(fields, width, height, scales.get(canvas) ?? 1),
  };
}

/** The style a template's sample/render were asked for, checked: a typo is a programming error. */
export function styleOf<S extends string>(styles: readonly { id: S }[], style: string): S {
  const s = styles.find((x) => x.id === style);
  if (!s) throw new Error(`synth: unknown style "${style}"; known: ${styles.map((x) => x.id).join(', ')}`);
  return s.id;
}

import { base, en, Faker, ru } from '@faker-js/faker';
import { type Canvas, createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import sharp from 'sharp';
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

export function newCanvas(w: number, h: number): { canvas: Canvas; ctx: SKRSContext2D } {
  ensureFonts();
  const canvas = createCanvas(w, h);
  return { canvas, ctx: canvas.getContext('2d') };
}

/** Collects the box of each field as it is drawn, keyed by question type. */
export class Placed {
  private readonly boxes = new Map<string, Box[]>();
  add(questionType: string, box: Box): void {
    const list = this.boxes.get(questionType) ?? [];
    list.push(box);
    this.boxes.set(questionType, list);
  }
  /** Every field of `fields` must have been drawn: ground truth without a box is a bug. */
  resolve(fields: readonly FieldValue[], w: number, h: number): RenderedField[] {
    return fields.map((f) => {
      const list = this.boxes.get(f.questionType);
      if (!list || list.length === 0) throw new Error(`synth: field "${f.questionType}" was not drawn`);
      const b = list.reduce((a, c) => [
        Math.min(a[0], c[0]),
        Math.min(a[1], c[1]),
        Math.max(a[2], c[2]),
        Math.max(a[3], c[3]),
      ]);
      const bbox: Box = [Math.max(0, b[0]), Math.max(0, b[1]), Math.min(w, b[2]), Math.min(h, b[3])];
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
  // Raw pixels, no PNG: every page is encoded once, as the file it is written to. The alpha channel
  // is always opaque here and dropped.
  const { width, height } = canvas;
  const rgba = canvas.data();
  const data = await sharp(rgba, { raw: { width, height, channels: 4 } })
    .removeAlpha()
    .raw()
    .toBuffer();
  return {
    kind,
    docClass,
    style,
    pixels: { data, width, height },
    width,
    height,
    fields: placed.resolve(fields, width, height),
  };
}

/** A rendered page as PNG, for tests and benches that look at single pages. */
export function pagePng(doc: RenderedDoc): Promise<Buffer> {
  return sharp(doc.pixels.data, { raw: { width: doc.width, height: doc.height, channels: 3 } })
    .png({ compressionLevel: 3 })
    .toBuffer();
}

/** The style a template's sample/render were asked for, checked: a typo is a programming error. */
export function styleOf<S extends string>(styles: readonly { id: S }[], style: string): S {
  const s = styles.find((x) => x.id === style);
  if (!s) throw new Error(`synth: unknown style "${style}"; known: ${styles.map((x) => x.id).join(', ')}`);
  return s.id;
}

import type { DocClassId } from './doc-class.js';

export type DocKind = 'snils' | 'snils_adi_reg' | 'inn' | 'passport' | 'invoice';
export interface FieldValue {
  questionType: string;
  value: string;
  /** field kind id, e.g. 'snils_number' */ kind: string;
}
export interface RenderedField extends FieldValue {
  bbox: [number, number, number, number];
}
export interface RenderedDoc {
  kind: DocKind;
  docClass: DocClassId;
  /** The layout family it was drawn in (one of its template's `styles`). */
  style: string;
  /**
   * The page as 8-bit RGBA pixels (always opaque), as the canvas holds them: the generator encodes
   * once, when it writes the file, and converts to RGB only for pages that go through augmentations.
   */
  rgba: Buffer;
  width: number;
  height: number;
  fields: RenderedField[];
}
export interface RenderOptions {
  /** Draw the page with its longer side exactly this many pixels (boxes in those pixels). */
  longSide?: number;
}
export interface QuestionVariants {
  ru: string[];
  en: string[];
}

/**
 * One layout family of a template: a form edition or the way one kind of printer (or a person with a
 * pen) fills it in. A held-out family is kept out of everything the OCR baseline is developed against,
 * so the legibility bench can show how the baseline does on a layout it has never seen.
 */
export interface TemplateStyle {
  id: string;
  heldOut: boolean;
  /** One line for `--help`, the contact sheet and the README. */
  description: string;
}

export interface DocTemplate {
  kind: DocKind;
  docClass: DocClassId;
  styles: readonly TemplateStyle[];
  /** Pure given the seed and style: same seed → same values, printed the way that style prints them. */
  sample(seed: number, style: string): FieldValue[];
  /**
   * Same fields → identical pixels. Renders at the template's native size (long side ≥ 1600 px), or
   * with `longSide` straight at that size.
   */
  render(fields: FieldValue[], seed: number, style: string, opts?: RenderOptions): Promise<RenderedDoc>;
  questions(questionType: string): QuestionVariants;
}

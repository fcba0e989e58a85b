import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageSharp } from '../../../src/synth/render/page.js';
import { DOC_KINDS, templates } from '../../../src/synth/templates/index.js';
import type { RenderedDoc } from '../../../src/synth/types.js';

/**
 * Ground-truth boxes checked with a real OCR engine: the crop of each box (plus a small margin)
 * must read back as the field's value, and the same-sized box moved below it must not.
 */
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vlmhb-synth-ocr-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function levenshtein(a: string, b: string): number {
  const A = [...a];
  const B = [...b];
  let prev = Array.from({ length: B.length + 1 }, (_, i) => i);
  for (let i = 1; i <= A.length; i++) {
    const cur = [i];
    for (let j = 1; j <= B.length; j++) {
      cur[j] = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + (A[i - 1] === B[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[B.length] as number;
}

/** Spacing is Tesseract's weakest point (it splits or joins digit groups); characters are what we test. */
const squash = (s: string) => s.replace(/\s+/g, '');

async function ocrBox(
  doc: RenderedDoc,
  box: [number, number, number, number],
  name: string,
): Promise<string> {
  const m = 6;
  const left = Math.max(0, box[0] - m);
  const top = Math.max(0, box[1] - m);
  const width = Math.min(doc.width, box[2] + m) - left;
  const height = Math.min(doc.height, box[3] + m) - top;
  let img = pageSharp(doc).extract({
    left,
    top,
    width,
    height,
  });
  const vertical = height > 2 * width;
  // The passport number is printed bottom-to-top: turn it upright for OCR.
  if (vertical) img = sharp(await img.png().toBuffer()).rotate(90);
  const file = path.join(dir, `${name}.png`);
  await writeFile(
    file,
    // Grey + stretched contrast before the white border: a tinted crop framed in pure white
    // throws off Tesseract's thresholding (seen: clean dates read as garbage).
    await sharp(await img.png().toBuffer())
      .grayscale()
      .normalise()
      .extend({ top: 16, bottom: 16, left: 16, right: 16, background: '#ffffff' })
      .png()
      .toBuffer(),
  );
  const psm = !vertical && box[3] - box[1] > 65 ? '6' : '7';
  const { stdout } = await execa('tesseract', [file, 'stdout', '-l', 'rus+eng', '--psm', psm], {
    env: { OMP_THREAD_LIMIT: '1' },
  });
  return stdout.trim();
}

/** Runs jobs two at a time: the machine has two cores. */
async function pool<T>(jobs: (() => Promise<T>)[], width = 2): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await (jobs[i] as () => Promise<T>)();
      }
    }),
  );
  return out;
}

const VARIANTS = DOC_KINDS.flatMap((kind) => templates[kind].styles.map((s) => [kind, s.id] as const));

/**
 * Pen cursive (Caveat) is harder for Tesseract than print: a crop of a handwritten field is allowed a
 * few misread strokes. Every other style must read back almost exactly.
 */
const MAX_CER = (style: string) => (style.endsWith('-hand') ? 0.15 : 0.05);

describe.each(VARIANTS)('bbox of %s fields, style %s', (kind, style) => {
  it('crops read back as the value; a box moved off the text does not', { timeout: 120_000 }, async () => {
    const t = templates[kind];
    let errors = 0;
    let chars = 0;
    const report: string[] = [];
    let doc: RenderedDoc | undefined;
    for (const seed of [11]) {
      const d = await t.render(t.sample(seed, style), seed, style);
      doc ??= d;
      // In running text (inn-2020) the comma after a value lies within the crop margin: it is not the value's.
      const reads = (await pool(d.fields.map((f, i) => () => ocrBox(d, f.bbox, `${kind}-${seed}-${i}`)))).map(
        (r) => r.replace(/,$/, ''),
      );
      d.fields.forEach((f, i) => {
        const e = levenshtein(squash(reads[i] as string), squash(f.value));
        errors += e;
        chars += squash(f.value).length;
        if (e > 0) report.push(`${f.questionType}: "${f.value}" read "${reads[i]}"`);
      });
    }
    expect(errors / chars, report.join('\n')).toBeLessThanOrEqual(MAX_CER(style));
    if (!doc) throw new Error('no document rendered');

    // Negative control: the same boxes shifted down by 1.5 box heights hold other text or none.
    const shifted = doc.fields.slice(0, 3).map((f) => {
      const h = f.bbox[3] - f.bbox[1];
      const dy = Math.min(Math.round(h * 1.5), doc.height - f.bbox[3]);
      return {
        f,
        box: [f.bbox[0], f.bbox[1] + dy, f.bbox[2], f.bbox[3] + dy] as [number, number, number, number],
      };
    });
    const wrong = await pool(shifted.map((s, i) => () => ocrBox(doc, s.box, `${kind}-shift-${i}`)));
    shifted.forEach((s, i) => {
      const v = squash(s.f.value);
      expect(levenshtein(squash(wrong[i] as string), v) / v.length, s.f.questionType).toBeGreaterThan(0.3);
    });
  });
});

import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CHECKED_NUMBERS, extractField, numberRegion } from '../../../src/engines/tesseract/extract.js';
import { cropBinarized, otsuThreshold } from '../../../src/engines/tesseract/strip.js';
import { fuzzyEquals } from '../../../src/engines/tesseract/text.js';
import { viewPage } from '../../../src/engines/tesseract/values.js';
import { inn10For, inn12For } from './fixtures.js';
import { pageFromRows, phrase } from './pageBuilder.js';

const person12 = inn12For('5213599977');
const tenDigits = inn10For('114661716');

/** The foot of a certificate of form 2-1-Учет: «и ему (ей) присвоен», the ИНН caption read as `caption`. */
const certificate = (caption: string, digits: string) =>
  viewPage(
    pageFromRows([
      { y: 100, words: phrase(60, 'Настоящее свидетельство подтверждает, что физическое лицо') },
      { y: 140, words: phrase(60, 'ЛИХАЧЕВА ЭМИЛИЯ ВЛАДИМИРОВНА') },
      { y: 180, words: phrase(300, '(фамилия, имя, отчество)') },
      { y: 400, words: phrase(60, 'иему (ей) присвоен') },
      {
        y: 440,
        words: [
          [60, caption],
          [160, digits],
        ],
      },
    ]),
  );

describe('the ИНН of a person, printed one digit per cell', () => {
  it('a 10-digit reading that passes the company check is no person’s ИНН', () => {
    const view = certificate('ИНН', tenDigits);
    expect(CHECKED_NUMBERS.inn.valid(tenDigits, view)).toBe(false);
    expect(CHECKED_NUMBERS.inn.valid(person12, view)).toBe(true);
    // With no page, or on an invoice, 10 digits are a valid (company) ИНН.
    expect(CHECKED_NUMBERS.inn.valid(tenDigits)).toBe(true);
    expect(extractField(certificate('ИНН', person12), 'inn')).toBe(person12);
    // Both read on the page: the person's 12 digits win over an earlier 10-digit misreading.
    const both = viewPage(
      pageFromRows([
        { y: 100, words: phrase(60, 'Настоящее свидетельство подтверждает, что физическое лицо') },
        {
          y: 400,
          words: [
            [60, 'ИНН'],
            [160, tenDigits],
          ],
        },
        { y: 600, words: [[60, person12]] },
      ]),
    );
    expect(extractField(both, 'inn')).toBe(person12);
  });

  it('the cells follow «присвоен» when the ИНН caption itself was misread («HHH»)', () => {
    const view = certificate('HHH', '16301278966');
    const region = numberRegion(view, 'inn')!;
    expect(region).toBeDefined();
    // From the digits on, not the misread caption, which a digits-only look would read as digits.
    expect(region.x0).toBeGreaterThan(100);
    expect(region.y0).toBeLessThan(440);
    expect(region.y1).toBeGreaterThan(460);
    // A wider margin for cells taller than their caption.
    expect(numberRegion(view, 'inn', 1.2)!.y1).toBeGreaterThan(region.y1);
  });

  it('a name two edits from a caption word is no caption: the full name is read', () => {
    expect(fuzzyEquals('эмилия', 'фамилия')).toBe(false);
    expect(fuzzyEquals('фамнлия', 'фамилия')).toBe(true);
    const view = certificate('ИНН', person12);
    expect(extractField(view, 'surname')).toBe('ЛИХАЧЕВА');
    expect(extractField(view, 'name')).toBe('ЭМИЛИЯ');
  });
});

describe('binarised second-look crops', () => {
  it("Otsu's level falls between the ink and the paper", () => {
    const px = new Uint8Array([...Array(60).fill(230), ...Array(40).fill(40), ...Array(20).fill(200)]);
    const t = otsuThreshold(px);
    expect(t).toBeGreaterThanOrEqual(40);
    expect(t).toBeLessThan(200);
  });

  it('a crop comes back twice the size, black and white only', async () => {
    // Light paper with a lighter pattern and dark digits: only two levels may remain.
    const w = 40;
    const h = 20;
    const raw = Buffer.alloc(w * h * 3);
    for (let i = 0; i < w * h; i++) {
      const x = i % w;
      const v = x >= 10 && x < 14 ? 30 : x % 5 === 0 ? 205 : 235;
      raw.fill(v, i * 3, i * 3 + 3);
    }
    const png = await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
      .png()
      .toBuffer();
    const out = await cropBinarized(png, { left: 0, top: 0, width: w, height: h });
    const { data, info } = await sharp(out).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([80, 40]);
    expect(new Set(data)).toEqual(new Set([0, 255]));
    // The pattern column (205) is paper, the digit column (30) ink.
    expect(data[10 * 80 + 2 * 5]).toBe(255);
    expect(data[10 * 80 + 2 * 11]).toBe(0);
  });
});

describe('a number the page reading missed altogether', () => {
  it('is looked for right of its caption, on the caption’s row', () => {
    const view = viewPage(
      pageFromRows([
        { y: 300, words: phrase(120, 'Страховой номер') },
        {
          y: 400,
          words: [
            [120, 'Ф.И.О.'],
            [430, 'ИВАНОВА'],
          ],
        },
      ]),
    );
    const r = numberRegion(view, 'snils')!;
    expect(r.x0).toBeGreaterThan(120 + 15 * 12);
    expect(r.y0).toBeLessThan(300);
    expect(r.y1).toBeGreaterThan(320);
    expect(r.y1).toBeLessThan(400);
  });
});

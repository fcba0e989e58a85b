import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVlmhbError } from '../../src/errors.js';
import { contactSheet, SHEET_GAP, sheetFileName, sheetSize } from '../../src/synth/preview.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vlmhb-preview-'));
  await mkdir(path.join(dir, 'images'));
  // A white landscape page and a blue portrait page; the first has one answer box.
  await sharp({ create: { width: 400, height: 200, channels: 3, background: '#ffffff' } })
    .png()
    .toFile(path.join(dir, 'images', 'a.png'));
  await sharp({ create: { width: 100, height: 200, channels: 3, background: '#2040c0' } })
    .png()
    .toFile(path.join(dir, 'images', 'b.png'));
  await sharp({ create: { width: 100, height: 100, channels: 3, background: '#00ff00' } })
    .jpeg()
    .toFile(path.join(dir, 'images', 'c.jpg'));
  const rows = [
    'data_index;split;image_path;question;answer;doc_class;question_type;answer_bbox',
    'a;clean;images/a.png;q1;x;СНИЛС;Фамилия;[100,50,300,150]',
    'a;clean;images/a.png;q2;y;СНИЛС;Имя;',
    'b;clean;images/b.png;q1;x;ИНН;ИНН;[0,0,10,10]',
    'c;blur:2;images/c.jpg;q1;x;ИНН;ИНН;[0,0,10,10]',
  ];
  await writeFile(path.join(dir, 'annotation.csv'), `\uFEFF${rows.join('\n')}\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function pixel(file: string, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [...data.subarray(i, i + 3)];
}

describe('contactSheet', () => {
  it('writes a PNG of the expected size with each image in its cell and boxes drawn', async () => {
    const out = path.join(dir, 'sheet.png');
    await contactSheet(dir, out, { columns: 2, cell: 200 });
    const meta = await sharp(out).metadata();
    expect(meta.format).toBe('png');
    const want = sheetSize(3, 2, 200);
    expect([meta.width, meta.height]).toEqual([want.width, want.height]);
    expect(want).toEqual({ width: 2 * 200 + 3 * SHEET_GAP, height: 2 * (200 + 22) + 3 * SHEET_GAP });
    // a.png scales by 0.5 to 200×100, bottom-aligned in the first cell: y from GAP+100 to GAP+200.
    expect(await pixel(out, SHEET_GAP + 20, SHEET_GAP + 150)).toEqual([255, 255, 255]);
    // Its box [100,50,300,150] becomes a red outline at x = GAP+50.
    const edge = await pixel(out, SHEET_GAP + 50, SHEET_GAP + 100 + 50);
    expect(edge[0]).toBeGreaterThan(150);
    expect(edge[1]).toBeLessThan(120);
    // b.png (blue, 100×200) fills the second cell's height, centred horizontally.
    const blue = await pixel(out, SHEET_GAP * 2 + 200 + 100, SHEET_GAP + 100);
    expect(blue[2]).toBeGreaterThan(150);
    expect(blue[0]).toBeLessThan(80);
    // c.jpg sits in the second row.
    const green = await pixel(out, SHEET_GAP + 100, SHEET_GAP * 2 + 222 + 150);
    expect(green[1]).toBeGreaterThan(200);
  });

  it('filters by split and respects max (images per sheet)', async () => {
    const out = path.join(dir, 'blur.png');
    await contactSheet(dir, out, { columns: 4, cell: 120, splits: ['blur:2'] });
    expect(await sharp(out).metadata()).toMatchObject(sheetSize(1, 4, 120));
    await contactSheet(dir, out, { columns: 4, cell: 120, max: 2 });
    expect(await sharp(out).metadata()).toMatchObject(sheetSize(2, 4, 120));
    expect((await readFile(out)).subarray(1, 4).toString()).toBe('PNG');
  });

  it('pages through every image instead of silently stopping at the first sheet, and says what it shows', async () => {
    const out = path.join(dir, 'paged.png');
    const first = await contactSheet(dir, out, { columns: 4, cell: 120, max: 2 });
    expect(first).toEqual({ from: 1, to: 2, total: 3, page: 1, pages: 2 });
    const second = await contactSheet(dir, out, { columns: 4, cell: 120, max: 2, page: 2 });
    expect(second).toEqual({ from: 3, to: 3, total: 3, page: 2, pages: 2 });
    // The third image (c.jpg, green) is on the second sheet.
    expect((await pixel(out, SHEET_GAP + 60, SHEET_GAP + 60))[1]).toBeGreaterThan(200);
    const past = await contactSheet(dir, out, { max: 2, page: 3 }).catch((e: unknown) => e);
    expect(isVlmhbError(past) && past.code).toBe('VLMHB_USAGE');
    expect(sheetFileName('/x/sheet.png', 2)).toBe('/x/sheet-2.png');
  });

  it('fails with a dataset error when nothing matches', async () => {
    const err = await contactSheet(dir, path.join(dir, 'none.png'), { splits: ['nope'] }).catch(
      (e: unknown) => e,
    );
    expect(isVlmhbError(err) && err.code).toBe('VLMHB_DATASET_INVALID');
  });
});

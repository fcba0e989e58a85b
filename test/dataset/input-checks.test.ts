import { symlinkSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { checkImages, loadDataset } from '../../src/dataset/load.js';
import { validateDataset } from '../../src/dataset/validate.js';
import { vlmhb } from '../helpers/cli.js';
import { renderMiniDoc, SNILS_DOCS } from '../helpers/mini-dataset.js';
import { caught, testdir } from '../helpers/testdir.js';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});
async function dir(files: Record<string, string | Buffer>) {
  const t = await testdir(files);
  cleanups.push(t.cleanup);
  return t;
}

const HEADER = 'data_index;split;image_path;question;answer;doc_class;question_type;answer_bbox\n';
const page = renderMiniDoc(SNILS_DOCS[0]!);
const row = (img: string, question = 'Напиши фамилию', docId = 'd1', qt = 'Фамилия') =>
  `${docId};clean;${img};${question};Иванов;СНИЛС;${qt};\n`;

/** A real PNG whose IHDR claims `width`×`height` (CRC fixed): a decompression bomb's header. */
function pngClaiming(width: number, height: number): Buffer {
  const png = Buffer.from(page);
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  return png;
}

describe('dataset input checks before the first model call', () => {
  it('a truncated PNG (valid header, rows missing) fails validate and the pre-run image check', async () => {
    const t = await dir({
      'annotation.csv': HEADER + row('ok.png') + row('cut.png', 'Напиши имя', 'd2'),
      'ok.png': page,
      'cut.png': page.subarray(0, Math.floor(page.length * 0.6)),
    });
    const report = await validateDataset(t.dir);
    expect(report.problems).toEqual([
      expect.objectContaining({
        row: 3,
        column: 'image_path',
        message: expect.stringMatching(/cut\.png: image is damaged or cut short/),
      }),
    ]);
    const e = await caught(async () => checkImages(await loadDataset(t.dir)));
    expect(e.code).toBe('VLMHB_IMAGE_UNREADABLE');
    expect(e.message).toMatch(
      /annotation\.csv, row 3, column "image_path": cut\.png: image is damaged or cut short/,
    );
  });

  it('a truncated PNG stops `vlmhb run` with exit 2 before Tesseract sees it', async () => {
    const t = await dir({
      'annotation.csv': HEADER + row('cut.png'),
      'cut.png': page.subarray(0, Math.floor(page.length * 0.6)),
    });
    const r = await vlmhb(['run', '--dataset', t.dir, '--framework', 'tesseract', '--out', t.path('run')]);
    expect(r.exitCode, String(r.stderr)).toBe(2);
    expect(r.stderr).toMatch(/VLMHB_IMAGE_UNREADABLE/);
  });

  it('an empty question is an error naming file, row and column', async () => {
    const t = await dir({
      'annotation.csv': HEADER + row('a.png') + row('a.png', '  ', 'd1', 'Имя'),
      'a.png': page,
    });
    const e = await caught(() => loadDataset(t.dir));
    expect(e.code).toBe('VLMHB_DATASET_INVALID');
    expect(e.message).toContain(`${t.path('annotation.csv')}, row 3, column "question": empty question`);
  });

  it('refuses an image symlink that points outside the dataset folder', async () => {
    const outside = await dir({ 'secret.png': page });
    const t = await dir({
      'annotation.csv': HEADER + row('link.png') + row('inside.png', 'Напиши имя', 'd2'),
      'inside.png': page,
    });
    symlinkSync(outside.path('secret.png'), t.path('link.png'));
    symlinkSync(t.path('inside.png'), t.path('alias.png')); // a link that stays inside is fine
    const e = await caught(() => loadDataset(t.dir));
    expect(e.code).toBe('VLMHB_IMAGE_OUTSIDE_DATASET');
    expect(e.message).toMatch(
      /row 2, column "image_path": image path "link\.png" is a symlink to .*secret\.png, outside the dataset folder/,
    );
    expect(e.issues).toHaveLength(1);
    const report = await validateDataset(t.dir);
    expect(report.problems).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'image_path',
        message: expect.stringMatching(/outside the dataset folder/),
      }),
    ]);
    writeFileSync(t.path('annotation.csv'), HEADER + row('alias.png'));
    expect((await loadDataset(t.dir)).samples).toHaveLength(1);
  });

  it('an unclosed quote is reported at the row where it opens, not at the end of the file', async () => {
    const lines = [row('a.png'), `d2;clean;a.png;"Напиши имя;Пётр;СНИЛС;Имя;\n`];
    for (let i = 3; i < 9; i++) lines.push(row('a.png', 'Напиши отчество', `d${i}`, 'Отчество'));
    const t = await dir({ 'annotation.csv': HEADER + lines.join(''), 'a.png': page });
    const e = await caught(() => loadDataset(t.dir));
    expect(e.code).toBe('VLMHB_CSV_PARSE');
    expect(e.where?.row).toBe(3);
    expect(e.message).toMatch(/row 3: cannot parse CSV: a quoted cell opened in this row is never closed/);
    const report = await validateDataset(t.dir);
    expect(report.problems[0]).toMatchObject({ row: 3, message: expect.stringMatching(/never closed/) });
  });

  it("refuses an image above the pixel limit from its header alone (Pillow's 89,478,485 by default)", async () => {
    const bomb = pngClaiming(16000, 16000);
    const t = await dir({ 'annotation.csv': HEADER + row('bomb.png'), 'bomb.png': bomb });
    expect(bomb.length).toBeLessThan(200_000);
    const e = await caught(async () => checkImages(await loadDataset(t.dir)));
    expect(e.code).toBe('VLMHB_IMAGE_UNREADABLE');
    expect(e.message).toContain(
      '16000×16000 = 256,000,000 pixels is above max_image_pixels 89,478,485 (a decompression-bomb guard',
    );
    const report = await validateDataset(t.dir);
    expect(report.problems[0]?.message).toMatch(/above max_image_pixels 89,478,485/);
  });

  it('the pixel limit is settable: max_image_pixels in the config, --max-image-pixels on validate', async () => {
    const t = await dir({ 'annotation.csv': HEADER + row('a.png'), 'a.png': page });
    const v = await vlmhb(['dataset', 'validate', t.dir, '--max-image-pixels', '1000', '--json']);
    expect(v.exitCode).toBe(1);
    expect(JSON.parse(String(v.stdout)).problems[0].message).toMatch(/above max_image_pixels 1,000/);
    writeFileSync(
      t.path('c.yaml'),
      `tasks:\n  - { dataset: ${t.dir}, framework: tesseract, max_image_pixels: 1000 }\n`,
    );
    const r = await vlmhb(['run', t.path('c.yaml')], { cwd: t.dir });
    expect(r.exitCode, String(r.stderr)).toBe(2);
    expect(r.stderr).toMatch(/above max_image_pixels 1,000/);
  }, 60_000);

  it('a header-only annotation says it has no samples', async () => {
    const t = await dir({ 'annotation.csv': HEADER });
    const e = await caught(() => loadDataset(t.dir));
    expect(e.code).toBe('VLMHB_DATASET_INVALID');
    expect(e.message).toMatch(/annotation has a header but no samples/);
    expect(e.message).not.toMatch(/filters/);
  });
});

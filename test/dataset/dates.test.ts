import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePrintedDate } from '../../src/dataset/dates.js';
import { validateDataset } from '../../src/dataset/validate.js';

describe('parsePrintedDate', () => {
  it('reads the forms documents print', () => {
    const day = { y: 1990, m: 9, d: 16 };
    for (const s of [
      '16.09.1990',
      '16.09.1990 г.',
      '16.09.1990г.',
      '16 сентября 1990 года',
      '16 сентября 1990 г.',
      '16 СЕНТЯБРЯ 1990 ГОДА',
      '«16» сентября 1990 г.',
      '16 сентября 1990',
    ])
      expect(parsePrintedDate(s), s).toEqual(day);
  });

  it('rejects impossible days, unknown months and other shapes', () => {
    for (const s of [
      '31.02.2020',
      '30 февраля 2020 года',
      '16 сентябрь 1990 года',
      '1990-09-16',
      '16.09.90',
      '',
    ])
      expect(parsePrintedDate(s), s).toBeNull();
  });
});

const root = await mkdtemp(path.join(tmpdir(), 'vlmhb-dates-'));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('dataset validate and printed dates', () => {
  it('accepts «16 сентября 1990 года» and «16.09.1990 г.» and still flags 31.02', async () => {
    await mkdir(path.join(root, 'images'));
    await sharp({ create: { width: 100, height: 80, channels: 3, background: '#fff' } })
      .png()
      .toFile(path.join(root, 'images', 'a.png'));
    const rows = [
      'data_index;split;image_path;question;answer;doc_class;question_type;answer_bbox',
      'p1;clean;images/a.png;q;16 сентября 1990 года;passport;Дата рождения;',
      'p1;clean;images/a.png;q;16.09.1990 г.;passport;Дата выдачи;',
      'p2;clean;images/a.png;q;31.02.2020;passport;Дата выдачи;',
    ];
    await writeFile(path.join(root, 'annotation.csv'), `${rows.join('\n')}\n`);
    const r = await validateDataset(root);
    expect(r.problems.map((p) => [p.row, p.column])).toEqual([[4, 'answer']]);
  });
});

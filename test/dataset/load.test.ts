import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkImages, loadDataset } from '../../src/dataset/load.js';
import { caught, testdir, tinyPng, withBom } from '../helpers/testdir.js';

let png: Buffer;
beforeAll(async () => {
  png = await tinyPng();
});

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

const HEADER = 'data_index;split;image_path;question;answer;doc_class;question_type;answer_bbox';
const ROWS = [
  '007;test;images/1.png;Напиши Фамилия;Иванов;passport;Фамилия;[780, 110, 1060, 170]',
  '007;test;images/1.png;Напиши Номер;0012;passport;Номер;',
  '2;test;images/2.png;Номер СНИЛС;"123-456-789 01";snils;Номер;[1,2,3,4]',
  '2;test;images/2.png;Фамилия;"Петров\nПетрович";snils;Фамилия;',
];

describe('loadDataset: annotation.csv', () => {
  it('reads the original format with BOM, keeps text as written and ids as file positions', async () => {
    const t = await dir({
      'ds/annotation.csv': withBom(`${[HEADER, ...ROWS].join('\n')}\n`),
      'ds/images/1.png': png,
      'ds/images/2.png': png,
    });
    const d = await loadDataset(t.path('ds'));
    expect(d).toMatchObject({ dir: t.path('ds'), name: 'ds', annotationFile: t.path('ds/annotation.csv') });
    expect(d.samples.map((s) => s.id)).toEqual([0, 1, 2, 3]);
    expect(d.samples[0]).toEqual({
      id: 0,
      docId: '007',
      split: 'test',
      imagePath: 'images/1.png',
      imageAbsPath: t.path('ds/images/1.png'),
      question: 'Напиши Фамилия',
      answer: 'Иванов',
      references: ['Иванов'],
      docClass: 'passport',
      questionType: 'Фамилия',
      answerBbox: [780, 110, 1060, 170],
    });
    expect(d.samples[1]?.answer).toBe('0012');
    expect(d.samples[1]?.answerBbox).toBeNull();
    expect(d.samples[3]?.answer).toBe('Петров\nПетрович');
  });

  it('filters by doc_class alone, question_type alone, and both, keeping the unfiltered ids', async () => {
    const t = await dir({
      'ds/annotation.csv': [HEADER, ...ROWS].join('\n'),
      'ds/images/1.png': png,
      'ds/images/2.png': png,
    });
    const byClass = await loadDataset(t.path('ds'), { filterDocClass: ['snils'] });
    expect(byClass.samples.map((s) => s.id)).toEqual([2, 3]);
    const byType = await loadDataset(t.path('ds'), { filterQuestionType: ['Номер'] });
    expect(byType.samples.map((s) => s.id)).toEqual([1, 2]);
    const both = await loadDataset(t.path('ds'), {
      filterDocClass: ['snils'],
      filterQuestionType: ['Номер'],
    });
    expect(both.samples.map((s) => s.id)).toEqual([2]);
    const empty = await loadDataset(t.path('ds'), { filterDocClass: [], filterQuestionType: [] });
    expect(empty.samples).toHaveLength(4);
  });
});

describe('loadDataset: annotation.jsonl', () => {
  it('reads the same fields from JSON lines, numbers and arrays included', async () => {
    const lines = [
      JSON.stringify({
        data_index: '1',
        split: 'test',
        image_path: 'a.png',
        question: 'Имя?',
        answer: 'Анна',
        doc_class: 'passport',
        question_type: 'Имя',
        answer_bbox: [1, 2, 3, 4],
      }),
      '',
      JSON.stringify({
        data_index: 2,
        image_path: 'a.png',
        question: 'ИНН?',
        answer: '0071234567',
        doc_class: 'inn',
        question_type: 'ИНН',
        answer_bbox: null,
      }),
    ];
    const t = await dir({ 'ds/annotation.jsonl': `${lines.join('\n')}\n`, 'ds/a.png': png });
    const d = await loadDataset(t.path('ds'));
    expect(d.annotationFile).toBe(t.path('ds/annotation.jsonl'));
    expect(d.samples.map((s) => [s.id, s.docId, s.answer, s.answerBbox, s.split])).toEqual([
      [0, '1', 'Анна', [1, 2, 3, 4], 'test'],
      [1, '2', '0071234567', null, ''],
    ]);
  });

  it('locates a bad line and a missing field', async () => {
    const t = await dir({
      'ds/annotation.jsonl':
        '{"data_index": "1", "image_path": "a.png"\n{"data_index": "2", "image_path": "a.png", "question": "q", "answer": "a", "doc_class": "c"}\n',
      'ds/a.png': png,
    });
    const e = await caught(() => loadDataset(t.path('ds')));
    expect(e.issues.map((i) => [i.where?.row, i.where?.column ?? null])).toEqual([
      [1, null],
      [2, 'question_type'],
    ]);
    expect(e.message).toContain('annotation.jsonl, row 2, column "question_type"');
  });
});

describe('loadDataset: errors name file, row and column', () => {
  it('a comma-separated file gets a separator error', async () => {
    const t = await dir({ 'ds/annotation.csv': `${HEADER.replaceAll(';', ',')}\n1,test,a.png,q,a,c,t,\n` });
    const e = await caught(() => loadDataset(t.path('ds')));
    expect(e.code).toBe('VLMHB_CSV_SEPARATOR');
    expect(e.message).toContain("expected ';' separator, found ','");
    expect(e.where).toEqual({ file: t.path('ds/annotation.csv'), row: 1 });
  });

  it('a missing column', async () => {
    const t = await dir({ 'ds/annotation.csv': 'data_index;split;image_path;question;answer;doc_class\n' });
    const e = await caught(() => loadDataset(t.path('ds')));
    expect(e.code).toBe('VLMHB_CSV_MISSING_COLUMN');
    expect(e.where).toMatchObject({ file: t.path('ds/annotation.csv'), row: 1, column: 'question_type' });
  });

  it('an empty file and a non-UTF-8 file', async () => {
    const t = await dir({
      'a/annotation.csv': '',
      'b/annotation.csv': Buffer.concat([
        Buffer.from(`${HEADER}\n1;t;x.png;`),
        Buffer.from([0xd4, 0xe0, 0xec]),
        Buffer.from(';a;c;t;\n'),
      ]),
    });
    const empty = await caught(() => loadDataset(t.path('a')));
    expect(empty.code).toBe('VLMHB_FILE_EMPTY');
    expect(empty.message).toContain(t.path('a/annotation.csv'));
    const cp1251 = await caught(() => loadDataset(t.path('b')));
    expect(cp1251.code).toBe('VLMHB_FILE_NOT_UTF8');
    expect(cp1251.where).toEqual({ file: t.path('b/annotation.csv'), row: 2 });
  });

  it('image paths leaving the folder, duplicates, missing images and bad bboxes, all at once', async () => {
    const rows = [
      HEADER,
      '1;t;../outside.png;q;a;passport;Имя;',
      '1;t;/etc/passwd;q;a;passport;Фамилия;',
      '2;t;ok.png;q;a;passport;Имя;',
      '2;t;ok.png;q;a;passport;Имя;',
      '3;t;missing.png;q;a;passport;Имя;[1, 2]',
    ];
    const t = await dir({ 'ds/annotation.csv': rows.join('\n'), 'ds/ok.png': png, 'outside.png': png });
    const e = await caught(() => loadDataset(t.path('ds')));
    expect(e.issues.map((i) => [i.code, i.where?.row, i.where?.column])).toEqual([
      ['VLMHB_IMAGE_OUTSIDE_DATASET', 2, 'image_path'],
      ['VLMHB_IMAGE_OUTSIDE_DATASET', 3, 'image_path'],
      ['VLMHB_DATASET_DUPLICATE_ID', 5, 'question_type'],
      ['VLMHB_FILE_NOT_FOUND', 6, 'image_path'],
      ['VLMHB_DATASET_INVALID', 6, 'answer_bbox'],
    ]);
    expect(e.message).toContain('repeats row 4');
    expect(e.message).toContain(`${t.path('ds/annotation.csv')}, row 6, column "image_path"`);
    for (const i of e.issues) expect(i.where?.file).toBe(t.path('ds/annotation.csv'));
  });

  it('a folder without an annotation file', async () => {
    const t = await dir({ 'ds/readme.txt': 'x' });
    const e = await caught(() => loadDataset(t.path('ds')));
    expect(e.code).toBe('VLMHB_FILE_NOT_FOUND');
    expect(e.message).toContain('annotation.csv');
  });
});

describe('checkImages', () => {
  it('passes real images and reports every undecodable one with its row', async () => {
    const rows = [
      HEADER,
      '1;t;good.png;q;a;c;A;',
      '1;t;good.png;q;a;c;B;',
      '2;t;broken.png;q;a;c;A;',
      '3;t;text.jpg;q;a;c;A;',
      '3;t;text.jpg;q;a;c;B;',
    ];
    const t = await dir({
      'ds/annotation.csv': rows.join('\n'),
      'ds/good.png': png,
      'ds/broken.png': png.subarray(0, 20),
      'ds/text.jpg': 'not an image at all',
    });
    const d = await loadDataset(t.path('ds'));
    const e = await caught(() => checkImages(d));
    expect(e.code).toBe('VLMHB_IMAGE_UNREADABLE');
    expect(e.issues.map((i) => [i.where?.row, i.where?.column])).toEqual([
      [4, 'image_path'],
      [5, 'image_path'],
    ]);
    expect(e.message).toContain('text.jpg');
    expect(e.message).toContain('used by 2 rows');

    const ok = await dir({ 'ds/annotation.csv': rows.slice(0, 3).join('\n'), 'ds/good.png': png });
    await expect(checkImages(await loadDataset(ok.path('ds')))).resolves.toBeUndefined();
  });
});

describe('several acceptable answers', () => {
  it('reads the optional answers column as references, answer first; empty cells keep [answer]', async () => {
    const t = await testdir({
      'ds/annotation.csv':
        'data_index;split;image_path;question;answer;doc_class;question_type;answer_bbox;answers\n' +
        '1;;a.png;Дата?;1/8/93;form;date;;"[""1/8/93"",""1/8/1993""]"\n' +
        '2;;a.png;Кому?;R. Brown;form;to;[[1,1,2,2],[3,3,4,4]];\n',
      'ds/a.png': await tinyPng(),
    });
    try {
      const d = await loadDataset(t.path('ds'));
      expect(d.samples.map((s) => s.references)).toEqual([['1/8/93', '1/8/1993'], ['R. Brown']]);
      expect(d.samples[1]?.answerBbox).toEqual([1, 1, 2, 2]);
      expect(d.samples[1]?.answerBboxes).toEqual([
        [1, 1, 2, 2],
        [3, 3, 4, 4],
      ]);
    } finally {
      await t.cleanup();
    }
  });

  it('refuses answers that are not a JSON list starting with answer, naming row and column', async () => {
    const t = await testdir({
      'ds/annotation.csv':
        'data_index;split;image_path;question;answer;doc_class;question_type;answers\n' +
        '1;;a.png;Дата?;1/8/93;form;date;"[""1993""]"\n' +
        '2;;a.png;Кому?;R;form;to;[1, 2\n',
      'ds/a.png': await tinyPng(),
    });
    try {
      const e = await caught(() => loadDataset(t.path('ds')));
      expect(e.issues.map((i) => [i.where?.row, i.where?.column])).toEqual([
        [2, 'answers'],
        [3, 'answers'],
      ]);
      expect(e.message).toContain('must start with');
    } finally {
      await t.cleanup();
    }
  });
});

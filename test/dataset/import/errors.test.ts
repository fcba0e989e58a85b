import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ParquetSchema, ParquetWriter } from '@dsnp/parquetjs';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { importers, writeImport } from '../../../src/dataset/import/index.js';
import { SKELETON_QUESTION } from '../../../src/dataset/import/pdf.js';
import { loadDataset } from '../../../src/dataset/load.js';
import { caught, testdir } from '../../helpers/testdir.js';
import { jpeg, pdfBytes, writeDocvqaParquet } from './fixtures.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
async function dir(files: Record<string, string | Buffer>) {
  const t = await testdir(files);
  cleanups.push(t.cleanup);
  return t;
}
async function importAll(format: keyof typeof importers, src: string, opts = {}, out?: string) {
  const plan = await importers[format].open(src, opts);
  return writeImport(plan, out ?? join((await dir({})).dir, 'out'));
}

describe('vlmhyperbench-json errors', () => {
  it('names the JSON file that is not valid JSON', async () => {
    const t = await dir({ 'images/clean/7.jpg': await jpeg(8, 8), 'jsons/7.json': '{"fields": {' });
    const e = await caught(() => importAll('vlmhyperbench-json', t.dir));
    expect(e.code).toBe('VLMHB_DATASET_INVALID');
    expect(e.where?.file).toBe(t.path('jsons', '7.json'));
  });

  it('names the key of a malformed bbox', async () => {
    const t = await dir({
      'images/clean/7.jpg': await jpeg(8, 8),
      'jsons/7.json': JSON.stringify({ fields: { ИНН: { value: '1', bboxes: [[1, 2, 3]] } } }),
    });
    const e = await caught(() => importAll('vlmhyperbench-json', t.dir));
    expect(e.where).toMatchObject({ file: t.path('jsons', '7.json'), key: 'fields.ИНН.bboxes.0' });
  });

  it('names the missing JSON of an image', async () => {
    const t = await dir({ 'images/clean/8.jpg': await jpeg(8, 8), 'jsons/': '' });
    const e = await caught(() => importAll('vlmhyperbench-json', t.dir));
    expect(e).toMatchObject({ code: 'VLMHB_FILE_NOT_FOUND', where: { file: t.path('jsons', '8.json') } });
  });

  it('takes doc_class from --doc-class over the JSON', async () => {
    const t = await dir({
      'images/clean/7.jpg': await jpeg(8, 8),
      'jsons/7.json': JSON.stringify({ type: 'inn', fields: { ИНН: { value: 7707083893 } } }),
    });
    const out = join((await dir({})).dir, 'out');
    await importAll('vlmhyperbench-json', t.dir, { docClass: 'ИНН-форма' }, out);
    const ds = await loadDataset(out);
    expect(ds.samples.map((s) => [s.docClass, s.answer, s.question])).toEqual([
      ['ИНН-форма', '7707083893', 'Напиши ИНН'],
    ]);
  });
});

describe('vlmhyperbench-json fields beyond value and bboxes', () => {
  it("keeps the JSON's other keys and each field's other keys as columns", async () => {
    const t = await dir({
      'images/clean/7.jpg': await jpeg(8, 8),
      'jsons/7.json': JSON.stringify({
        doc_class: 'inn',
        scan: { dpi: 300 },
        fields: {
          ИНН: { value: '7707083893', bboxes: [[1, 2, 3, 4]], confidence: 0.9 },
          дата: { value: '01.02.2003' },
        },
      }),
    });
    const out = join((await dir({})).dir, 'out');
    await importAll('vlmhyperbench-json', t.dir, {}, out);
    const text = (await readFile(join(out, 'annotation.csv'), 'utf8')).replace(/^\uFEFF/, '');
    const [header, ...rows] = text.trim().split('\n');
    expect(header?.split(';').slice(8)).toEqual(['scan', 'field.confidence']);
    expect(rows.map((r) => r.split(';').slice(5, 6).concat(r.split(';').slice(8)))).toEqual([
      ['inn', '"{""dpi"":300}"', '0.9'],
      ['inn', '"{""dpi"":300}"', ''],
    ]);
    // With --doc-class, the JSON's own class is kept beside it.
    const out2 = join((await dir({})).dir, 'out');
    await importAll('vlmhyperbench-json', t.dir, { docClass: 'ИНН' }, out2);
    const text2 = (await readFile(join(out2, 'annotation.csv'), 'utf8')).replace(/^\uFEFF/, '');
    expect(text2.split('\n')[0]?.split(';').slice(8)).toEqual([
      'source_doc_class',
      'scan',
      'field.confidence',
    ]);
  });
});

describe('vlmevalkit-tsv errors', () => {
  it('names row and column of an image that is not base64', async () => {
    const t = await dir({
      'x.tsv':
        'index\timage\tquestion\tanswer\tcategory\n1\t%%%not-base64-but-long-enough-to-be-an-image-and-not-an-index-reference%%%\tQ\tA\tc\n',
    });
    const e = await caught(() => importAll('vlmevalkit-tsv', t.path('x.tsv')));
    expect(e).toMatchObject({
      code: 'VLMHB_IMAGE_UNREADABLE',
      where: { file: t.path('x.tsv'), row: 2, column: 'image' },
    });
  });

  it('names the row whose image refers to an unknown index', async () => {
    const b64 = (await jpeg(8, 8)).toString('base64');
    const t = await dir({
      'x.tsv': `index\timage\tquestion\tanswer\tcategory\n1\t${b64}\tQ\tA\tc\n2\t99\tQ2\tB\tc\n`,
    });
    const e = await caught(() => importAll('vlmevalkit-tsv', t.path('x.tsv')));
    expect(e.where).toMatchObject({ row: 3, column: 'image' });
  });

  it('keeps every other column; one named like a standard column gets a source_ prefix', async () => {
    const b64 = (await jpeg(8, 8)).toString('base64');
    const t = await dir({
      'x.tsv': [
        'index\timage\tquestion\tanswer\tcategory\tl2-category\tanswer_type\tdoc_class\tanswers',
        `1\t${b64}\tQ1\t"['a', 'b']"\tocr\tforms\tspan\tletter\tx`,
        '2\t1\tQ2\tc\tocr\tforms\tnon span\tmemo\ty',
      ].join('\n'),
    });
    const out = join((await dir({})).dir, 'out');
    await importAll('vlmevalkit-tsv', t.path('x.tsv'), {}, out);
    const text = (await readFile(join(out, 'annotation.csv'), 'utf8')).replace(/^\uFEFF/, '');
    const [header, ...rows] = text.trim().split('\n');
    expect(header).toBe(
      'data_index;split;image_path;question;answer;doc_class;question_type;answer_bbox;answers;l2-category;answer_type;source_doc_class;source_answers',
    );
    expect(rows).toEqual([
      '1;;images/1.jpg;Q1;a;forms;ocr;;"[""a"",""b""]";forms;span;letter;x',
      '2;;images/1.jpg;Q2;c;forms;ocr;;;forms;non span;memo;y',
    ]);
    const ds = await loadDataset(out);
    expect(ds.samples.map((s) => s.references)).toEqual([['a', 'b'], ['c']]);
  });

  it('names the row whose image_path file is missing', async () => {
    const t = await dir({ 'x.tsv': 'index\timage_path\tquestion\tanswer\n1\tgone.jpg\tQ\tA\n' });
    const e = await caught(() => importAll('vlmevalkit-tsv', t.path('x.tsv')));
    expect(e).toMatchObject({
      code: 'VLMHB_FILE_NOT_FOUND',
      where: { file: t.path('x.tsv'), row: 2, column: 'image_path' },
    });
    expect(e.message).toContain(t.path('gone.jpg'));
  });

  it('names the missing columns', async () => {
    const t = await dir({ 'x.tsv': 'index\tquestion\n1\tQ\n' });
    const e = await caught(() => importAll('vlmevalkit-tsv', t.path('x.tsv')));
    expect(e.code).toBe('VLMHB_CSV_MISSING_COLUMN');
    expect(e.message).toContain('answer, image or image_path');
  });

  it('reads image_path relative to the TSV and keeps a plain answer starting with [ as one answer', async () => {
    const t = await dir({
      'imgs/p.jpg': await jpeg(9, 7),
      'x.tsv': 'index\timage_path\tquestion\tanswer\tcategory\n5\timgs/p.jpg\tQ\t[draft\tc\n',
    });
    const out = join((await dir({})).dir, 'out');
    await importAll('vlmevalkit-tsv', t.path('x.tsv'), {}, out);
    const ds = await loadDataset(out);
    expect(ds.samples.map((s) => [s.imagePath, s.references])).toEqual([['images/5.jpg', ['[draft']]]);
  });
});

describe('hf-parquet errors', () => {
  it('names the record whose image bytes are not an image', async () => {
    const t = await dir({});
    const file = t.path('validation.parquet');
    await writeDocvqaParquet(file, [
      { questionId: 'a', question: 'Q', answers: ['x'], types: [], docId: 1, image: await jpeg(8, 8) },
      {
        questionId: 'b',
        question: 'Q',
        answers: ['x'],
        types: [],
        docId: 1,
        image: Buffer.from('not an image'),
      },
    ]);
    const e = await caught(() => importAll('hf-parquet', file));
    expect(e).toMatchObject({ code: 'VLMHB_IMAGE_UNREADABLE', where: { file, row: 2, column: 'image' } });
  });

  it('imports a test split without answers as unanswered rows', async () => {
    const t = await dir({});
    const file = t.path('test-00000-of-00001.parquet');
    const image = await jpeg(8, 8);
    await writeDocvqaParquet(file, [
      { questionId: '1', question: 'Q1', answers: null, types: ['form'], docId: 3, image },
      { questionId: '2', question: 'Q2', answers: null, types: ['form'], docId: 3, image },
    ]);
    const result = await importAll('hf-parquet', file);
    expect(result).toMatchObject({ images: 1, rows: 2, unanswered: 2 });
  });

  it('names the record whose image differs from an earlier page with the same docId', async () => {
    const t = await dir({});
    const file = t.path('validation.parquet');
    await writeDocvqaParquet(file, [
      { questionId: 'a', question: 'Q', answers: ['x'], types: [], docId: 1, image: await jpeg(8, 8) },
      { questionId: 'b', question: 'Q', answers: ['x'], types: [], docId: 1, image: await jpeg(8, 8, 40) },
    ]);
    const e = await caught(() => importAll('hf-parquet', file));
    expect(e).toMatchObject({ code: 'VLMHB_DATASET_INVALID', where: { file, row: 2, column: 'image' } });
    expect(e.message).toContain('two different images map to the same image name "1.jpg"');
  });

  it('reads answers that are structs (VQAv2-style {answer, answer_confidence}) by their answer', async () => {
    const t = await dir({});
    // No split column: the split comes from the Hub's file name.
    const file = t.path('train-00000-of-00002.parquet');
    const schema = new ParquetSchema({
      question: { type: 'UTF8' },
      image: { fields: { bytes: { type: 'BYTE_ARRAY' } } },
      answers: {
        type: 'LIST',
        fields: {
          list: {
            repeated: true,
            fields: {
              element: { fields: { answer: { type: 'UTF8' }, answer_confidence: { type: 'UTF8' } } },
            },
          },
        },
      },
    });
    const w = await ParquetWriter.openFile(schema, file);
    await w.appendRow({
      question: 'Colour?',
      image: { bytes: await jpeg(8, 8) },
      answers: {
        list: [
          { element: { answer: 'red', answer_confidence: 'yes' } },
          { element: { answer: 'dark red', answer_confidence: 'maybe' } },
        ],
      },
    });
    await w.close();
    const out = join((await dir({})).dir, 'out');
    await importAll('hf-parquet', file, {}, out);
    const ds = await loadDataset(out);
    expect(ds.samples.map((s) => [s.docId, s.split, s.references])).toEqual([
      ['train-00000-of-00002_0', 'train', ['red', 'dark red']],
    ]);
  });

  it('names the missing columns of a Parquet file', async () => {
    const t = await dir({});
    const file = t.path('other.parquet');
    const w = await ParquetWriter.openFile(new ParquetSchema({ text: { type: 'UTF8' } }), file);
    await w.appendRow({ text: 'hello' });
    await w.close();
    const e = await caught(() => importAll('hf-parquet', file));
    expect(e).toMatchObject({ code: 'VLMHB_CSV_MISSING_COLUMN', where: { file } });
    expect(e.message).toContain('missing column(s) image, question, answers or answer (has text)');
  });

  it('names the file and rows whose pages cannot be decoded', async () => {
    const t = await dir({});
    const file = t.path('validation.parquet');
    const image = await jpeg(32, 32);
    await writeDocvqaParquet(file, [
      { questionId: 'a', question: 'Q', answers: ['x'], types: [], docId: 1, image },
    ]);
    // The footer (schema, row count) stays readable; the column pages after the magic become garbage.
    const bytes = await readFile(file);
    bytes.fill(0x5a, 4, Math.min(bytes.length - 1200, 4000));
    await writeFile(file, bytes);
    const e = await caught(() => importAll('hf-parquet', file));
    expect(e).toMatchObject({ code: 'VLMHB_DATASET_INVALID', where: { file, row: 1 } });
    expect(e.message).toContain('rows 1–1 cannot be decoded');
  });

  it('refuses a file that is not Parquet', async () => {
    const t = await dir({ 'x.parquet': 'plain text, not parquet' });
    const e = await caught(() => importAll('hf-parquet', t.path('x.parquet')));
    expect(e).toMatchObject({ code: 'VLMHB_DATASET_INVALID', where: { file: t.path('x.parquet') } });
  });
});

describe('pdf', () => {
  it('renders at the chosen dpi, and the rendered page holds the text the PDF producer wrote', async () => {
    const t = await dir({ 'a.pdf': await pdfBytes(['INVOICE 4217']) });
    const out = join((await dir({})).dir, 'out');
    const result = await importAll('pdf', t.path('a.pdf'), { dpi: 144 }, out);
    // Without --questions: one transcription question per page, answer left empty and counted.
    expect(result).toMatchObject({ images: 1, rows: 1, unanswered: 1 });
    const ds = await loadDataset(out);
    expect(ds.samples.map((s) => [s.docId, s.question, s.answer])).toEqual([['a_p1', SKELETON_QUESTION, '']]);
    const img = ds.samples[0]?.imageAbsPath ?? '';
    const { stdout: size } = await execa('identify', ['-format', '%wx%h', img]);
    expect(size).toBe('576x288'); // 288×144 pt at 144 dpi
    const { stdout: text } = await execa('tesseract', [img, 'stdout', '-l', 'eng']);
    expect(text).toContain('INVOICE 4217');
  });

  it('names the questions row that points at a page the PDF does not have', async () => {
    const t = await dir({
      'a.pdf': await pdfBytes(['ONE']),
      'q.csv': 'file;page;question;answer\na.pdf;1;Q1;x\na.pdf;3;Q3;y\n',
    });
    const e = await caught(() => importAll('pdf', t.path('a.pdf'), { questions: t.path('q.csv') }));
    expect(e.code).toBe('VLMHB_DATASET_INVALID');
    expect(e.where).toMatchObject({ file: t.path('q.csv'), row: 3 });
  });

  it('reads JSON questions with several answers and asks a question without a page of every page', async () => {
    const t = await dir({
      'a.pdf': await pdfBytes(['ONE', 'TWO']),
      'q.json': JSON.stringify([{ question: 'Номер страницы?', answers: ['1', 'один'], question_type: 'n' }]),
    });
    const out = join((await dir({})).dir, 'out');
    await importAll('pdf', t.path('a.pdf'), { questions: t.path('q.json') }, out);
    const ds = await loadDataset(out);
    expect(ds.samples.map((s) => [s.docId, s.references])).toEqual([
      ['a_p1', ['1', 'один']],
      ['a_p2', ['1', 'один']],
    ]);
  });

  it('reads answers typed into a CSV as a JSON list without CSV quoting, or as one plain answer', async () => {
    const t = await dir({
      'a.pdf': await pdfBytes(['ONE', 'TWO']),
      'q.csv': 'file;page;question;answers\na;1;Итого?;["TOTAL 4217","4217"]\na;2;Кто?;Браун\n',
    });
    const out = join((await dir({})).dir, 'out');
    await importAll('pdf', t.path('a.pdf'), { questions: t.path('q.csv') }, out);
    const ds = await loadDataset(out);
    expect(ds.samples.map((s) => s.references)).toEqual([['TOTAL 4217', '4217'], ['Браун']]);
  });

  it('names row and column of an answers cell that is not a JSON list, and the line of broken CSV', async () => {
    const t = await dir({
      'a.pdf': await pdfBytes(['ONE']),
      'q.csv': 'file;page;question;answers\na;1;Q1;x\na;1;Q2;["x", oops]\n',
      'broken.csv': 'file;page;question;answer\na;1;Q1;x\na;1;"Q2;y\n',
    });
    const e = await caught(() => importAll('pdf', t.path('a.pdf'), { questions: t.path('q.csv') }));
    expect(e).toMatchObject({
      code: 'VLMHB_DATASET_INVALID',
      where: { file: t.path('q.csv'), row: 3, column: 'answers' },
    });
    const b = await caught(() => importAll('pdf', t.path('a.pdf'), { questions: t.path('broken.csv') }));
    expect(b).toMatchObject({ code: 'VLMHB_CSV_PARSE', where: { file: t.path('broken.csv') } });
  });

  it('names a file that is not a PDF', async () => {
    const t = await dir({ 'bad.pdf': 'no pdf here' });
    const e = await caught(() => importAll('pdf', t.path('bad.pdf')));
    expect(e).toMatchObject({ code: 'VLMHB_DATASET_INVALID', where: { file: t.path('bad.pdf') } });
  });
});

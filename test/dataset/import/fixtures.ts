import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ParquetSchema, ParquetWriter } from '@dsnp/parquetjs';
import PDFDocument from 'pdfkit';
import sharp from 'sharp';
import type { ImportOptions } from '../../../src/dataset/import/index.js';
import { testdir } from '../../helpers/testdir.js';

/** What an imported sample must look like after `loadDataset`, in file order. */
export interface Expected {
  docId: string;
  split: string;
  question: string;
  answers: string[];
  docClass: string;
  questionType: string;
  answerBbox: [number, number, number, number] | null;
}

export interface Fixture {
  src: string;
  opts: ImportOptions;
  /** Pages (records with an image) the source holds: the progress bar's total. */
  pages: number;
  /** Distinct images written, when pages repeat one (DocVQA asks several questions of a page). */
  images?: number;
  expected: Expected[];
  /** Width × height every written image must have. */
  imageSize: { width: number; height: number };
  cleanup: () => Promise<void>;
}

export function jpeg(width: number, height: number, shade = 200): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: shade, g: shade, b: shade } } })
    .jpeg()
    .toBuffer();
}

/** The original team's layout: two subsets of one document, one of a second document. */
export async function vlmhyperbenchJsonFixture(): Promise<Fixture> {
  const img = await jpeg(40, 30);
  const t = await testdir({
    'images/clean/0001.jpg': img,
    'images/blur/0001.jpg': img,
    'images/clean/0002.jpg': img,
    'jsons/0001.json': JSON.stringify({
      doc_class: 'snils',
      fields: {
        ФИО: { value: 'Иванов Иван', bboxes: [[1, 2, 20, 10]] },
        номер: {
          value: '112-233-445 95',
          bboxes: [
            [2, 12, 30, 20],
            [2, 21, 30, 28],
          ],
        },
      },
    }),
    'jsons/0002.json': JSON.stringify({ fields: { дата: { value: '01.02.2003', bboxes: [] } } }),
  });
  const row = (
    docId: string,
    split: string,
    field: string,
    answer: string,
    docClass: string,
    bbox: Expected['answerBbox'],
  ) => ({
    docId,
    split,
    question: `Напиши ${field}`,
    answers: [answer],
    docClass,
    questionType: field,
    answerBbox: bbox,
  });
  return {
    src: t.dir,
    opts: {},
    pages: 3,
    imageSize: { width: 40, height: 30 },
    // Subsets in name order (blur before clean); the document seen in two subsets gets the subset in its id.
    expected: [
      row('0001_blur', 'blur', 'ФИО', 'Иванов Иван', 'snils', [1, 2, 20, 10]),
      row('0001_blur', 'blur', 'номер', '112-233-445 95', 'snils', [2, 12, 30, 20]),
      row('0001_clean', 'clean', 'ФИО', 'Иванов Иван', 'snils', [1, 2, 20, 10]),
      row('0001_clean', 'clean', 'номер', '112-233-445 95', 'snils', [2, 12, 30, 20]),
      row('0002', 'clean', 'дата', '01.02.2003', t.dir.split('/').pop() ?? '', null),
    ],
    cleanup: t.cleanup,
  };
}

/** A VLMEvalKit TSV: base64 images, one row reusing another's image by index, a list answer, an MCQ row. */
export async function vlmevalkitTsvFixture(): Promise<Fixture> {
  const b64 = (await jpeg(24, 16)).toString('base64');
  const tsv = [
    'index\timage\tquestion\tanswer\tcategory\tsplit\tA\tB',
    `10\t${b64}\tWhat is the total?\t"['42', '42.00']"\tform\tval\t\t`,
    `11\t10\tWho signed it?\t"[""O'Neil"", 'Smith']"\tform\tval\t\t`,
    `12\t${b64}\tWhich colour?\tA\tmcq\tval\tgrey\tred`,
  ].join('\n');
  const t = await testdir({ 'DocVQA_VAL.tsv': tsv });
  const base = { split: 'val', docClass: 'DocVQA_VAL', answerBbox: null };
  return {
    src: t.path('DocVQA_VAL.tsv'),
    opts: {},
    pages: 2,
    imageSize: { width: 24, height: 16 },
    expected: [
      {
        ...base,
        docId: '10',
        question: 'What is the total?',
        answers: ['42', '42.00'],
        questionType: 'form',
      },
      {
        ...base,
        docId: '11',
        question: 'Who signed it?',
        answers: ["O'Neil", 'Smith'],
        questionType: 'form',
      },
      {
        ...base,
        docId: '12',
        question:
          'Question: Which colour?\nOptions:\nA. grey\nB. red\nPlease select the correct answer from the options above.',
        answers: ['A'],
        questionType: 'mcq',
      },
    ],
    cleanup: t.cleanup,
  };
}

/** A PDF written by pdfkit (a real PDF producer): two pages of 288×144 pt, i.e. 4×2 inches. */
export async function pdfBytes(lines: string[]): Promise<Buffer> {
  const doc = new PDFDocument({ size: [288, 144], margin: 12, autoFirstPage: false });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((r) => doc.on('end', () => r()));
  for (const line of lines) {
    doc.addPage();
    doc.font('Helvetica-Bold').fontSize(36).text(line);
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

export async function pdfFixture(): Promise<Fixture> {
  const t = await testdir({
    'scans/invoice.pdf': await pdfBytes(['TOTAL 4217', 'SIGNED']),
    'questions.csv':
      'file;page;question;answer;question_type\ninvoice.pdf;1;Итого?;4217;total\ninvoice;2;Подписан?;да;signed\n',
  });
  const base = { split: '', docClass: 'invoice', answerBbox: null };
  return {
    src: t.path('scans'),
    opts: { dpi: 72, questions: t.path('questions.csv'), docClass: 'invoice' },
    pages: 2,
    imageSize: { width: 288, height: 144 },
    expected: [
      { ...base, docId: 'invoice_p1', question: 'Итого?', answers: ['4217'], questionType: 'total' },
      { ...base, docId: 'invoice_p2', question: 'Подписан?', answers: ['да'], questionType: 'signed' },
    ],
    cleanup: t.cleanup,
  };
}

/** A list column as pyarrow (and so `datasets`) writes `sequence: string`: a 3-level LIST group. */
const listOfStrings = {
  type: 'LIST',
  optional: true,
  fields: { list: { repeated: true, fields: { element: { type: 'UTF8', optional: true } } } },
} as const;
const asList = (xs: string[] | null) => (xs === null ? null : { list: xs.map((element) => ({ element })) });

export interface DocvqaRow {
  questionId: string;
  question: string;
  /** null as in DocVQA's test split, which has no public answers. */
  answers: string[] | null;
  types: string[];
  docId: number;
  image: Buffer;
  ucsfId?: string;
  ucsfPage?: string;
  imagePath?: string;
}

/**
 * DocVQA as the Hub stores it (lmms-lab/DocVQA's columns and types: questionId string, question_types
 * and answers `sequence: string`, image struct {bytes, path}, docId int64, ucsf_document_id and
 * ucsf_document_page_no strings, data_split; Snappy pages as pyarrow writes), written by
 * @dsnp/parquetjs — the importer reads with hyparquet, a different implementation.
 */
export async function writeDocvqaParquet(file: string, rows: DocvqaRow[]): Promise<void> {
  const snappy = { compression: 'SNAPPY' } as const;
  const schema = new ParquetSchema({
    questionId: { type: 'UTF8', optional: true, ...snappy },
    question: { type: 'UTF8', optional: true, ...snappy },
    question_types: listOfStrings,
    image: {
      optional: true,
      fields: {
        bytes: { type: 'BYTE_ARRAY', optional: true, ...snappy },
        path: { type: 'UTF8', optional: true, ...snappy },
      },
    },
    docId: { type: 'INT64', optional: true, ...snappy },
    ucsf_document_id: { type: 'UTF8', optional: true, ...snappy },
    ucsf_document_page_no: { type: 'UTF8', optional: true, ...snappy },
    answers: listOfStrings,
    data_split: { type: 'UTF8', optional: true, ...snappy },
  });
  const w = await ParquetWriter.openFile(schema, file);
  for (const r of rows) {
    await w.appendRow({
      questionId: r.questionId,
      question: r.question,
      question_types: asList(r.types),
      image: { bytes: r.image, ...(r.imagePath ? { path: r.imagePath } : {}) },
      docId: r.docId,
      ucsf_document_id: r.ucsfId ?? `doc${r.docId}`,
      ucsf_document_page_no: r.ucsfPage ?? '1',
      answers: asList(r.answers),
      data_split: 'validation',
    });
  }
  await w.close();
}

export async function hfParquetFixture(): Promise<Fixture> {
  const t = await testdir({ 'data/': '' });
  const image = await jpeg(32, 20);
  const other = await jpeg(32, 20, 90);
  await writeDocvqaParquet(join(t.dir, 'data', 'validation-00000-of-00001.parquet'), [
    {
      questionId: '49153',
      question: 'What is the date?',
      answers: ['1/8/93', '1/8/1993'],
      types: ['form'],
      docId: 14465,
      ucsfId: 'txpp0227',
      ucsfPage: '10',
      imagePath: 'documents/txpp0227_10.png',
      image,
    },
    {
      questionId: '49154',
      question: 'To whom?',
      answers: ['R. Brown'],
      types: ['form', 'layout'],
      docId: 14465,
      ucsfId: 'txpp0227',
      ucsfPage: '10',
      image,
    },
    {
      questionId: '57349',
      question: 'What is the total?',
      answers: ['4217'],
      types: ['table/list'],
      docId: 14470,
      image: other,
    },
  ]);
  const base = { split: 'validation', docClass: 'document', answerBbox: null };
  return {
    src: t.path('data'),
    opts: {},
    pages: 3,
    images: 2,
    imageSize: { width: 32, height: 20 },
    expected: [
      {
        ...base,
        docId: '49153',
        question: 'What is the date?',
        answers: ['1/8/93', '1/8/1993'],
        questionType: 'form',
      },
      { ...base, docId: '49154', question: 'To whom?', answers: ['R. Brown'], questionType: 'form,layout' },
      {
        ...base,
        docId: '57349',
        question: 'What is the total?',
        answers: ['4217'],
        questionType: 'table/list',
      },
    ],
    cleanup: t.cleanup,
  };
}

export async function writeText(file: string, text: string): Promise<void> {
  await writeFile(file, text);
}

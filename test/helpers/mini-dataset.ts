import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';

const require = createRequire(import.meta.url);
let fontReady = false;
function font(): string {
  if (!fontReady) {
    GlobalFonts.registerFromPath(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), 'TestSans');
    fontReady = true;
  }
  return 'TestSans';
}

export interface MiniDoc {
  docId: string;
  docClass: string;
  fields: { questionType: string; label: string; value: string; question: string }[];
}

/** A plain "label: value" page Tesseract reads reliably: enough to exercise the runner end to end. */
export function renderMiniDoc(doc: MiniDoc): Buffer {
  const w = 1000;
  const h = 120 + doc.fields.length * 70;
  const c = createCanvas(w, h);
  const g = c.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, w, h);
  g.fillStyle = '#000000';
  g.font = `bold 40px ${font()}`;
  g.fillText(doc.docClass, 40, 70);
  g.font = `34px ${font()}`;
  doc.fields.forEach((f, i) => {
    g.fillText(`${f.label}: ${f.value}`, 40, 140 + i * 70);
  });
  return c.toBuffer('image/png');
}

export const SNILS_DOCS: MiniDoc[] = [
  ['Иванов', 'Иван', '112-233-445 95'],
  ['Петрова', 'Анна', '123-456-789 64'],
  ['Сидоров', 'Пётр', '087-654-303 00'],
].map(([surname, name, number], i) => ({
  docId: `snils_${String(i + 1).padStart(3, '0')}`,
  docClass: 'СНИЛС',
  fields: [
    { questionType: 'Фамилия', label: 'Фамилия', value: surname as string, question: 'Напиши фамилию' },
    { questionType: 'Имя', label: 'Имя', value: name as string, question: 'Напиши имя' },
    { questionType: 'Номер СНИЛС', label: 'Номер', value: number as string, question: 'Напиши номер СНИЛС' },
  ],
}));

/** Writes annotation.csv (`;`, BOM) and images; returns the dataset folder. */
export function writeMiniDataset(dir: string, docs: MiniDoc[] = SNILS_DOCS): string {
  mkdirSync(join(dir, 'images'), { recursive: true });
  const rows = ['data_index;split;image_path;question;answer;doc_class;question_type;answer_bbox'];
  for (const d of docs) {
    const img = `images/${d.docId}.png`;
    writeFileSync(join(dir, img), renderMiniDoc(d));
    for (const f of d.fields)
      rows.push([d.docId, 'clean', img, f.question, f.value, d.docClass, f.questionType, ''].join(';'));
  }
  writeFileSync(join(dir, 'annotation.csv'), `\ufeff${rows.join('\n')}\n`);
  return dir;
}

/**
 * `n` СНИЛС documents of a surname and a number each: enough items for a run to be interrupted midway.
 * Most of the numbers fail the СНИЛС check digits: fine for runner tests, wrong for validity tests.
 */
export function numberedDocs(n: number, surname: string): MiniDoc[] {
  return Array.from({ length: n }, (_, i) => ({
    docId: `doc_${i}`,
    docClass: 'СНИЛС',
    fields: [
      { questionType: 'Фамилия', label: 'Фамилия', value: `${surname}${i}`, question: 'Напиши фамилию' },
      {
        questionType: 'Номер СНИЛС',
        label: 'Номер',
        value: `112-233-445 9${i}`,
        question: 'Напиши номер СНИЛС',
      },
    ],
  }));
}

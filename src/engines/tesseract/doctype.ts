/**
 * Which document a page is, from the words its prescribed form prints (labels.ts names the forms):
 * the счёт-фактура's party rows, the СНИЛС card's and АДИ-РЕГ's titles, the ИНН certificate's wording,
 * the passport's captions and MRZ. Pure.
 */

import { foldForLabel } from './text.js';
import type { OcrPage } from './tsv.js';

export type DocType = 'snils' | 'inn' | 'passport' | 'invoice' | 'unknown';

const CUES: [DocType, RegExp][] = [
  ['invoice', /счетфактур|счет фактур|покупател|продав/],
  [
    'snils',
    /снилс|страхов\S* свидетельств|пенсионн\S* страхов|страховой номер|лицевого счета|персонифицированн/,
  ],
  ['inn', /постановк\S* на учет|налогов\S* орган|\bинн\b|налогоплательщик/],
  ['passport', /паспорт|код подразделени|личная подпись|pnrus/],
];

export function guessDocType(page: OcrPage): DocType {
  const text = page.lines
    .flatMap((l) => l.words.map((w) => foldForLabel(w.text)))
    .filter((w) => w.length > 0)
    .join(' ');
  let best: DocType = 'unknown';
  let bestScore = 0;
  for (const [type, re] of CUES) {
    const score = [...text.matchAll(new RegExp(re.source, 'g'))].length;
    if (score > bestScore) {
      best = type;
      bestScore = score;
    }
  }
  return best;
}

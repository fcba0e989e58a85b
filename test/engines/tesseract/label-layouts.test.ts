import { describe, expect, it } from 'vitest';
import { extractFromPage } from '../../../src/engines/tesseract/extract.js';
import type { OcrPage } from '../../../src/engines/tesseract/tsv.js';
import { pageFromRows, phrase } from './pageBuilder.js';

/** Rows of a passport page 3 as the desk printers lay it out: captions left, values in a column. */
type Rows = { y: number; words: [number, string][] }[];
const namesAbove: Rows = [
  {
    y: 100,
    words: [
      [60, 'Фамилия'],
      [300, 'ПАНОВА'],
    ] as [number, string][],
  },
  {
    y: 140,
    words: [
      [60, 'Имя'],
      [300, 'АНГЕЛИНА'],
    ] as [number, string][],
  },
  { y: 180, words: [[60, 'Пол'], [300, 'ЖЕН'], ...phrase(500, 'Дата рождения 23.05.1985')] },
];

describe('captions that wrap or stack beside their value', () => {
  it('«Место / рождения» on two rows, the value right of the wrapped word', () => {
    const page = pageFromRows([
      ...namesAbove,
      { y: 240, words: [[60, 'Место']] },
      { y: 262, words: [[60, 'рождения'], ...phrase(300, 'Г. РЫБИНСК ЯРОСЛАВСКОЙ')] },
      { y: 300, words: [[300, 'ОБЛ.']] },
    ]);
    expect(extractFromPage(page, 'birth_place')).toBe('Г. РЫБИНСК ЯРОСЛАВСКОЙ ОБЛ.');
  });

  it('a place of birth wrapped over three lines, stopping after the region', () => {
    const page = pageFromRows([
      ...namesAbove,
      {
        y: 240,
        words: [
          [60, 'Место'],
          [300, 'ГОР.'],
        ],
      },
      {
        y: 262,
        words: [
          [60, 'рождения'],
          [300, 'ПЕРЕСЛАВЛЬ-ЗАЛЕССКИЙ'],
        ],
      },
      { y: 300, words: phrase(300, 'ЯРОСЛАВСКОЙ ОБЛ.') },
      { y: 338, words: phrase(300, 'РОССИЯ') },
    ]);
    expect(extractFromPage(page, 'birth_place')).toBe('ГОР. ПЕРЕСЛАВЛЬ-ЗАЛЕССКИЙ ЯРОСЛАВСКОЙ ОБЛ.');
  });

  it('a two-line caption merged into its value’s row reads top to bottom', () => {
    // Tesseract puts «Место» a little above «рождения», both starting at one x, on the value's row.
    const page: OcrPage = pageFromRows([...namesAbove, { y: 300, words: [[300, 'ТАТАРСТАН']] }]);
    const word = (text: string, x0: number, y0: number) => ({
      text,
      conf: 90,
      box: { x0, y0, x1: x0 + text.length * 12, y1: y0 + 20 },
    });
    const words = [
      word('Место', 61, 250),
      word('рождения', 60, 262),
      word('С.', 300, 256),
      word('ПЕСТРЕЦЫ', 330, 256),
    ];
    page.lines.push({
      block: 9,
      par: 1,
      line: 1,
      words,
      box: { x0: 60, y0: 250, x1: 426, y1: 282 },
      text: '',
    });
    expect(extractFromPage(page, 'birth_place')).toBe('С. ПЕСТРЕЦЫ ТАТАРСТАН');
  });

  it('a lone centred line under a caption is its value (the issuing authority)', () => {
    const page = pageFromRows([
      { y: 100, words: phrase(60, 'Паспорт выдан') },
      { y: 150, words: phrase(420, 'БАСМАННОМ РОВД ГОР. МОСКВА') },
      {
        y: 300,
        words: [...phrase(60, 'Дата выдачи 20.09.2002'), ...phrase(500, 'Код подразделения 770-066')],
      },
    ]);
    expect(extractFromPage(page, 'issued_by')).toBe('БАСМАННОМ РОВД ГОР. МОСКВА');
  });
});

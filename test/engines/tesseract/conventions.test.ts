/** The real-document rules on their own: MRZ, dates in words, sex forms, places, amounts, ИНН in cells. */
import { describe, expect, it } from 'vitest';
import {
  fixSexWord,
  monthOf,
  restoreAbbreviationDots,
  sexOf,
} from '../../../src/engines/tesseract/conventions.js';
import { numberRegion } from '../../../src/engines/tesseract/extract.js';
import { looksLikeMrz, mrzCheckDigit, readMrz } from '../../../src/engines/tesseract/mrz.js';
import { findAmounts, findDates, findInn, findPassportIds } from '../../../src/engines/tesseract/patterns.js';
import { viewPage } from '../../../src/engines/tesseract/values.js';
import { inn12For } from './fixtures.js';
import { pageFromRows } from './pageBuilder.js';
import { passportMrz } from './unfamiliar-fixtures.js';

describe('MRZ (ICAO 9303, Russian internal passport)', () => {
  it('check digits: the ICAO 9303 specimen values', () => {
    // Doc 9303 part 3 worked examples: document number L898902C3 → 6, date 740812 → 2.
    expect(mrzCheckDigit('L898902C3')).toBe('6');
    expect(mrzCheckDigit('740812')).toBe('2');
    expect(mrzCheckDigit('<<<<<<')).toBe('0');
  });

  const person = {
    surname: 'Щукина-Ёлкина',
    name: 'Юлия',
    patronymic: 'Эдуардовна',
    series: '45 12',
    number: '031786',
    birth: '29.11.1974',
    sex: 'F' as const,
    issued: '05.04.2019',
    code: '770-118',
  };

  it('reads every field back, letters through the Russian table', () => {
    const [l1, l2] = passportMrz(person);
    expect(l1).toHaveLength(44);
    expect(l2).toHaveLength(44);
    expect(readMrz([l1, l2], 2026)).toEqual({
      surname: 'ЩУКИНА-ЁЛКИНА',
      name: 'ЮЛИЯ',
      patronymic: 'ЭДУАРДОВНА',
      series: '45 12',
      number: '031786',
      birthDate: '29.11.1974',
      sex: 'F',
      issueDate: '05.04.2019',
      departmentCode: '770-118',
    });
  });

  it('a field whose check digit fails is refused, never guessed', () => {
    const [l1, l2] = passportMrz(person);
    // Every single confusable slip in the number is caught (weights 7, 3, 1 are prime to 10).
    const confusable: Record<string, string> = {
      '0': '869',
      '1': '74',
      '3': '58',
      '6': '58',
      '7': '1',
      '8': '306',
    };
    let refused = 0;
    for (let i = 0; i < 9; i++) {
      for (const alt of confusable[l2[i]!] ?? '') {
        const got = readMrz([l1, l2.slice(0, i) + alt + l2.slice(i + 1)], 2026)?.number;
        expect(got).toBeUndefined();
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(6);
    // OCR noise: spaces, «« for <<, a Cyrillic Р for the Latin P.
    expect(readMrz([`${l2.slice(0, 20)} ${l2.slice(20)}`.replace(/<</g, '«')], 2026)?.series).toBe('45 12');
    expect(readMrz([`Р${l1.slice(1)}`], 2026)?.name).toBe('ЮЛИЯ');
  });

  it('tells MRZ lines from printed text', () => {
    expect(looksLikeMrz('PNRUSIVANOV<<IVAN<IVANOVI3<<<<<<<<<<<<<<<<<<<')).toBe(true);
    expect(looksLikeMrz('Отделением УФМС России по Кировской области')).toBe(false);
    // A printed series and number is not taken from inside an MRZ field.
    expect(findPassportIds('4510317863RUS7411294M<<<<<<<2190405770118<18')).toEqual([]);
    expect(findPassportIds('45 12 031786')).toEqual([{ series: '45 12', number: '031786' }]);
  });
});

describe('dates in words', () => {
  it('genitive months, guillemets, «года» and «г.» as printed', () => {
    expect(findDates('от «05» марта 2024 г. (1)')).toEqual(['«05» марта 2024 г.']);
    expect(findDates('Дата рождения 16 сентября 1990 года')).toEqual(['16 сентября 1990 года']);
    expect(findDates('12 МАЯ 2008 Г.')).toEqual(['12 МАЯ 2008 Г.']);
  });

  it('an OCR slip in the month is put right; a word that is no month makes no date', () => {
    // Latin a and p in «марта», a lost stroke in «сентября».
    expect(findDates('5 мapтa 2024 г.')).toEqual(['5 марта 2024 г.']);
    expect(findDates('16 сентяоря 1990 года')).toEqual(['16 сентября 1990 года']);
    expect(findDates('12 штук 2024')).toEqual([]);
    expect(monthOf('мая')).toBe(5);
    expect(monthOf('Декабрь')).toBe(12);
    expect(monthOf('мост')).toBeUndefined();
  });
});

describe('sex forms', () => {
  it.each([
    ['МУЖ.', 'МУЖ.'],
    ['Жен', 'Жен.'],
    ['женскии', 'женский'],
    ['Мужской', 'Мужской'],
    ['М', 'М'],
    ['ж.', 'ж.'],
  ])('%s → %s', (read, want) => {
    expect(fixSexWord(read)).toBe(want);
  });

  it('anything else is no sex', () => {
    expect(fixSexWord('Москва')).toBeUndefined();
    expect(fixSexWord('мак')).toBeUndefined();
    expect(sexOf('ЖЕН.')).toBe('female');
    expect(sexOf('мужской')).toBe('male');
  });
});

describe('places', () => {
  it('a dot OCR lost after a dotted abbreviation goes back, in the printed case', () => {
    expect(restoreAbbreviationDots('гор Киров Кировской обл')).toBe('гор. Киров Кировской обл.');
    expect(restoreAbbreviationDots('С БЕРЁЗОВКА ПЕРМСКОГО КРАЯ')).toBe('С. БЕРЁЗОВКА ПЕРМСКОГО КРАЯ');
    expect(restoreAbbreviationDots('пгт Шушенское')).toBe('пгт Шушенское');
    expect(restoreAbbreviationDots('ст-ца Вёшенская')).toBe('ст-ца Вёшенская');
    // Already dotted, or a word that only starts like an abbreviation: untouched.
    expect(restoreAbbreviationDots('г. Москва')).toBe('г. Москва');
    expect(restoreAbbreviationDots('Гродно')).toBe('Гродно');
  });
});

describe('numbers as Russian documents print them', () => {
  it('amounts: a lost thousands space is regrouped, a printed ungrouped amount kept', () => {
    expect(findAmounts('Всего к оплате 1969 094,25')).toEqual(['1 969 094,25']);
    expect(findAmounts('120 000,00 и 48350.00')).toEqual(['120 000,00', '48350.00']);
  });

  it('an ИНН printed one digit per cell, borders read as bars and as extra 1s', () => {
    const inn = inn12For('5904123456');
    expect(inn).toBe('590412345679');
    expect(findInn('и ему присвоен ИНН 519]0|4]1|2]314|5]6]7]9', true)[0]).toBe(inn);
    expect(findInn('5|9|0|4|1|2|3|4|5|6|7|9')[0]).toBe(inn);
  });
});

describe('second look at a number that fails its check digits', () => {
  it('the region is the rest of the label row (or the row under it), with a margin, inside the page', () => {
    const beside = viewPage(
      pageFromRows([
        {
          y: 400,
          words: [
            [100, 'ИНН'],
            [240, '2352093945078'],
          ],
        },
      ]),
    );
    const r = numberRegion(beside, 'inn')!;
    expect(r.x0).toBeGreaterThan(100 + 3 * 12);
    expect(r.x0).toBeLessThan(240);
    expect(r.y0).toBeLessThan(400);
    expect(r.y1).toBeGreaterThan(420);
    expect(r.x1).toBe(1000);
    const under = viewPage(
      pageFromRows([
        { y: 400, words: [[100, 'СНИЛС']] },
        { y: 440, words: [[100, '112-233-445 9']] },
      ]),
    );
    const u = numberRegion(under, 'snils')!;
    expect(u.y0).toBeGreaterThan(420);
    expect(u.y1).toBeGreaterThan(460);
    expect(
      numberRegion(viewPage(pageFromRows([{ y: 10, words: [[10, 'Фамилия']] }])), 'inn'),
    ).toBeUndefined();
  });
});

describe('labels read in Latin look-alikes', () => {
  it('«Mecmo рождения» is the «Место рождения» caption; a real Latin word is not folded', () => {
    const page = viewPage(
      pageFromRows([
        {
          y: 100,
          words: [
            [60, 'Mecmo'],
            [130, 'рождения'],
            [300, 'Г.'],
            [340, 'ОБЬ'],
          ],
        },
      ]),
    );
    expect(page.hits.map((h) => h.kind)).toEqual(['birth_place']);
    expect(viewPage(pageFromRows([{ y: 100, words: [[60, 'Name']] }])).hits).toEqual([]);
  });
});

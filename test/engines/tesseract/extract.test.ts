import { describe, expect, it } from 'vitest';
import { guessDocType } from '../../../src/engines/tesseract/doctype.js';
import { extractFromPage } from '../../../src/engines/tesseract/extract.js';
import { pageFromRows, phrase } from './pageBuilder.js';

// A СНИЛС card as Tesseract returns it: Ф.И.О. label with the name on three rows.
const snilsCard = pageFromRows([
  { y: 40, words: phrase(200, 'СТРАХОВОЕ СВИДЕТЕЛЬСТВО') },
  { y: 70, words: phrase(150, 'ОБЯЗАТЕЛЬНОГО ПЕНСИОННОГО СТРАХОВАНИЯ') },
  { y: 120, words: phrase(300, '112-233-445 95') },
  {
    y: 170,
    words: [
      [60, 'Ф.И.О.'],
      [260, 'Смирнов'],
    ],
  },
  { y: 205, words: [[260, 'Алексей']] },
  { y: 240, words: [[260, 'Петрович']] },
  { y: 290, words: [...phrase(60, 'Дата и место рождения'), [340, '14.03.1985']] },
  { y: 325, words: phrase(340, 'г. Москва') },
  {
    y: 375,
    words: [
      [60, 'Пол'],
      [340, 'мужской'],
    ],
  },
  { y: 425, words: [...phrase(60, 'Дата регистрации'), [340, '05.06.2003']] },
]);

describe('extract on a СНИЛС card', () => {
  it.each([
    ['snils', '112-233-445 95'],
    ['full_name', 'Смирнов Алексей Петрович'],
    ['surname', 'Смирнов'],
    ['name', 'Алексей'],
    ['patronymic', 'Петрович'],
    ['birth_date', '14.03.1985'],
    ['birth_place', 'г. Москва'],
    ['sex', 'мужской'],
    ['registration_date', '05.06.2003'],
  ] as const)('%s', (kind, want) => {
    expect(extractFromPage(snilsCard, kind)).toBe(want);
  });

  it('guesses the document type', () => {
    expect(guessDocType(snilsCard)).toBe('snils');
  });
});

describe('label reading tolerates OCR errors and layout', () => {
  it('label words one or two edits away still match', () => {
    const page = pageFromRows([
      {
        y: 100,
        words: [
          [60, 'Фамнлия'],
          [260, 'ВОЛКОВ'],
        ],
      },
      { y: 150, words: [...phrase(60, 'Дата рожденпя'), [300, '27.07.1978']] },
      { y: 200, words: [...phrase(60, 'Дата выдачи'), [300, '11.08.2010']] },
    ]);
    expect(extractFromPage(page, 'surname')).toBe('ВОЛКОВ');
    expect(extractFromPage(page, 'birth_date')).toBe('27.07.1978');
    expect(extractFromPage(page, 'issue_date')).toBe('11.08.2010');
  });

  it('short labels need an exact match («Имя» is not «Имл»)', () => {
    const page = pageFromRows([
      {
        y: 100,
        words: [
          [60, 'Имл'],
          [260, 'ДМИТРИЙ'],
        ],
      },
    ]);
    expect(extractFromPage(page, 'name')).toBe('');
  });

  it('reads the value under the label, and over it when the caption is under the value', () => {
    const labelOver = pageFromRows([
      { y: 100, words: phrase(60, 'Место рождения') },
      { y: 130, words: phrase(60, 'г. Тверь') },
    ]);
    expect(extractFromPage(labelOver, 'birth_place')).toBe('г. Тверь');
    const captionUnder = pageFromRows([
      { y: 100, words: [[200, 'ИВАНОВ']] },
      { y: 124, words: [[200, 'Фамилия']] },
      { y: 180, words: [[200, 'ИВАН']] },
      { y: 204, words: [[200, 'Имя']] },
    ]);
    expect(extractFromPage(captionUnder, 'surname')).toBe('ИВАНОВ');
    expect(extractFromPage(captionUnder, 'name')).toBe('ИВАН');
  });

  it('a value stops at the next label on the row', () => {
    const page = pageFromRows([
      {
        y: 100,
        words: [[60, 'Пол'], [200, 'МУЖ.'], ...phrase(400, 'Дата рождения'), [600, '01.02.1990']],
      },
    ]);
    expect(extractFromPage(page, 'sex')).toBe('МУЖ.');
    expect(extractFromPage(page, 'birth_date')).toBe('01.02.1990');
  });

  it('multi-line issuing authority, stopping at the next label row', () => {
    const page = pageFromRows([
      { y: 100, words: [...phrase(60, 'Паспорт выдан'), ...phrase(260, 'ОТДЕЛОМ УФМС РОССИИ')] },
      { y: 135, words: phrase(260, 'ПО Г. МОСКВЕ') },
      { y: 170, words: [...phrase(60, 'Дата выдачи'), [260, '11.08.2010']] },
    ]);
    expect(extractFromPage(page, 'issued_by')).toBe('ОТДЕЛОМ УФМС РОССИИ ПО Г. МОСКВЕ');
  });

  it('full name found by its patronymic when no label was read', () => {
    const page = pageFromRows([
      { y: 100, words: phrase(60, 'Настоящее свидетельство подтверждает') },
      { y: 140, words: phrase(60, 'Кузнецова Марина Игоревна') },
    ]);
    expect(extractFromPage(page, 'full_name')).toBe('Кузнецова Марина Игоревна');
    expect(extractFromPage(page, 'name')).toBe('Марина');
  });
});

describe('numbers: patterns and checksums', () => {
  it('repairs a СНИЛС with a digit read twice', () => {
    const page = pageFromRows([{ y: 100, words: phrase(300, '112-233-3445 95') }]);
    expect(extractFromPage(page, 'snils')).toBe('112-233-445 95');
  });
  it('prefers the valid СНИЛС over an invalid one', () => {
    const page = pageFromRows([
      { y: 100, words: phrase(300, '123-456-789 00') },
      { y: 150, words: phrase(300, '112-233-445 95') },
    ]);
    expect(extractFromPage(page, 'snils')).toBe('112-233-445 95');
  });
  it('fixes letter look-alikes in dates and ИНН', () => {
    const page = pageFromRows([
      { y: 100, words: [...phrase(60, 'Дата рождения'), [300, '2O.O3.199O']] },
      { y: 150, words: [...phrase(60, 'и ему присвоен ИНН'), [300, '77O7O83893']] },
    ]);
    expect(extractFromPage(page, 'birth_date')).toBe('20.03.1990');
    expect(extractFromPage(page, 'inn')).toBe('7707083893');
  });
  it('passport series, number and department code', () => {
    const page = pageFromRows([
      { y: 100, words: [...phrase(60, 'Код подразделения'), [300, '770-045']] },
      { y: 150, words: phrase(500, 'Серия 45 06 № 728193') },
    ]);
    expect(extractFromPage(page, 'department_code')).toBe('770-045');
    expect(extractFromPage(page, 'passport_series')).toBe('45 06');
    expect(extractFromPage(page, 'passport_number')).toBe('728193');
    expect(extractFromPage(page, 'passport_series_number')).toBe('45 06 728193');
  });
});

describe('invoice header', () => {
  const invoice = pageFromRows([
    { y: 40, words: phrase(60, 'СЧЁТ-ФАКТУРА № 1587 от 12 марта 2024 г.') },
    { y: 100, words: [[60, 'Продавец:'], ...phrase(360, 'ООО «Ромашка»')] },
    { y: 140, words: [[60, 'Адрес:'], ...phrase(360, 'г. Москва, ул. Лесная, д. 5')] },
    { y: 180, words: [...phrase(60, 'ИНН/КПП продавца:'), [360, '7707083893/770701001']] },
    { y: 220, words: [[60, 'Покупатель:'], ...phrase(360, 'АО «Вектор»')] },
    { y: 260, words: [[60, 'Адрес:'], ...phrase(360, 'г. Тула, пр. Ленина, д. 12')] },
    { y: 300, words: [...phrase(60, 'ИНН/КПП покупателя:'), [360, '7106543218/710201001']] },
    { y: 400, words: [...phrase(80, 'Всего к оплате'), ...phrase(900, '48 350,00')] },
  ]);
  it.each([
    ['invoice_number', '1587'],
    ['invoice_date', '12 марта 2024 г.'],
    ['seller', 'ООО «Ромашка»'],
    ['buyer', 'АО «Вектор»'],
    ['seller_address', 'г. Москва, ул. Лесная, д. 5'],
    ['buyer_address', 'г. Тула, пр. Ленина, д. 12'],
    ['seller_inn', '7707083893'],
    ['seller_kpp', '770701001'],
    ['buyer_inn_kpp', '7106543218/710201001'],
    ['total', '48 350,00'],
  ] as const)('%s', (kind, want) => {
    expect(extractFromPage(invoice, kind)).toBe(want);
  });
  it('Latin look-alikes in a Russian value go back to Cyrillic', () => {
    const page = pageFromRows([{ y: 100, words: [[60, 'Продавец:'], ...phrase(360, 'OOO «Ромашка»')] }]);
    expect(extractFromPage(page, 'seller')).toBe('ООО «Ромашка»');
  });
  it('guesses the document type', () => {
    expect(guessDocType(invoice)).toBe('invoice');
  });
});

describe('vague questions get weak strategies', () => {
  it('any_text is the longest row, any_number the first number', () => {
    expect(extractFromPage(snilsCard, 'any_text')).toBe('ОБЯЗАТЕЛЬНОГО ПЕНСИОННОГО СТРАХОВАНИЯ');
    expect(extractFromPage(snilsCard, 'any_number')).toBe('112-233-445');
    expect(extractFromPage(snilsCard, 'any_date')).toBe('14.03.1985');
  });
  it('a field the page does not show is an empty answer', () => {
    expect(extractFromPage(snilsCard, 'department_code')).toBe('');
    expect(extractFromPage(snilsCard, 'seller')).toBe('');
  });
});

describe('layouts seen on the synthetic documents', () => {
  it('a label wrapped over two rows («Дата и место / рождения»)', () => {
    const page = pageFromRows([
      { y: 100, words: [...phrase(60, 'Дата и место'), [440, '26.04.1990']] },
      { y: 122, words: [[62, 'рождения']] },
      { y: 148, words: phrase(440, 'г. Челябинск Челябинская обл.') },
      {
        y: 230,
        words: [
          [60, 'Пол'],
          [440, 'женский'],
        ],
      },
    ]);
    expect(extractFromPage(page, 'birth_date')).toBe('26.04.1990');
    expect(extractFromPage(page, 'birth_place')).toBe('г. Челябинск Челябинская обл.');
  });

  it('a value glued to its label by OCR («рожденияГ.»)', () => {
    const page = pageFromRows([
      { y: 100, words: [[60, 'место'], [140, 'рожденияГ.'], ...phrase(300, 'Россошь Воронежская обл.')] },
    ]);
    expect(extractFromPage(page, 'birth_place')).toBe('г. Россошь Воронежская обл.');
  });

  it('a centred second line of the issuing authority', () => {
    const page = pageFromRows([
      { y: 100, words: phrase(110, 'Паспорт выдан') },
      { y: 140, words: phrase(180, 'ОТДЕЛОМ УФМС РОССИИ ПО НОВОСИБИРСКОЙ ОБЛ. В') },
      { y: 175, words: phrase(350, 'КАЛИНИНСКОМ Р-НЕ') },
      { y: 300, words: [...phrase(110, 'Дата выдачи'), [300, '18.01.2006']] },
    ]);
    expect(extractFromPage(page, 'issued_by')).toBe(
      'ОТДЕЛОМ УФМС РОССИИ ПО НОВОСИБИРСКОЙ ОБЛ. В КАЛИНИНСКОМ Р-НЕ',
    );
  });

  it('ИНН certificate: caption under the value, tax code, form number', () => {
    const inn = '361184570310';
    const page = pageFromRows([
      { y: 100, words: phrase(110, 'ЛАЗАРЕВА АНЖЕЛИКА РУСЛАНОВНА') },
      { y: 124, words: phrase(500, '(фамилия, имя, отчество)') },
      { y: 200, words: [[110, '15.12.1999']] },
      { y: 224, words: phrase(130, '(дата постановки на учёт)') },
      { y: 300, words: phrase(370, 'в налоговом органе по месту жительства') },
      { y: 330, words: [[1040, 'код']] },
      {
        y: 360,
        words: [
          ...phrase(110, 'Инспекция ФНС России № 11 по Воронежской области'),
          ...phrase(1020, '3 6 1 1'),
        ],
      },
      { y: 384, words: phrase(380, '(наименование налогового органа)') },
      { y: 460, words: [[110, 'ИНН'], ...phrase(240, inn.split('').join(' '))] },
      { y: 600, words: [[110, 'серия'], ...phrase(190, '36 № 162299541')] },
    ]);
    expect(extractFromPage(page, 'full_name')).toBe('ЛАЗАРЕВА АНЖЕЛИКА РУСЛАНОВНА');
    expect(extractFromPage(page, 'registration_date')).toBe('15.12.1999');
    expect(extractFromPage(page, 'tax_authority')).toBe('Инспекция ФНС России № 11 по Воронежской области');
    expect(extractFromPage(page, 'inn')).toBe(inn);
    expect(extractFromPage(page, 'tax_authority_code')).toBe('3611');
    expect(extractFromPage(page, 'form_series_number')).toBe('36 № 162299541');
  });

  it('invoice totals row: net, VAT, total', () => {
    const page = pageFromRows([
      {
        y: 100,
        words: [
          ...phrase(60, 'Всего к оплате'),
          ...phrase(800, '2 171 915,75'),
          [1000, 'X'],
          ...phrase(1100, '434 383,15'),
          ...phrase(1300, '2 606 298,90'),
        ],
      },
    ]);
    expect(extractFromPage(page, 'total')).toBe('2 606 298,90');
    expect(extractFromPage(page, 'total_net')).toBe('2 171 915,75');
    expect(extractFromPage(page, 'tax_amount')).toBe('434 383,15');
  });

  it('closed vocabularies: sex words and first names', () => {
    const page = pageFromRows([
      {
        y: 100,
        words: [
          [60, 'Имя'],
          [260, 'АПОЛЛИНАРИИ'],
        ],
      },
      {
        y: 150,
        words: [
          [60, 'Пол'],
          [260, 'Женскии'],
        ],
      },
    ]);
    expect(extractFromPage(page, 'name')).toBe('АПОЛЛИНАРИЙ');
    // The word is fixed against the real forms; the case stays as printed (АДИ-РЕГ prints «Женский»).
    expect(extractFromPage(page, 'sex')).toBe('Женский');
  });

  it('sex forms of every document, case as printed, a lost dot put back', () => {
    const sexOn = (v: string) =>
      extractFromPage(
        pageFromRows([
          {
            y: 100,
            words: [
              [60, 'Пол'],
              [260, v],
            ],
          },
        ]),
        'sex',
      );
    expect(sexOn('МУЖ.')).toBe('МУЖ.');
    expect(sexOn('ЖЕН')).toBe('ЖЕН.');
    expect(sexOn('мужскои')).toBe('мужской');
    expect(sexOn('Ж')).toBe('Ж');
    expect(sexOn('жен.')).toBe('жен.');
    expect(sexOn('Москва')).toBe('');
  });
});

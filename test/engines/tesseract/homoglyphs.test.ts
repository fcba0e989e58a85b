import { describe, expect, it } from 'vitest';
import { endOfPlace, repairAbbreviation } from '../../../src/engines/tesseract/conventions.js';
import { extractFromPage } from '../../../src/engines/tesseract/extract.js';
import { cleanValue, harmonizeScript } from '../../../src/engines/tesseract/patterns.js';
import { foldForLabel } from '../../../src/engines/tesseract/text.js';
import { pageFromRows, phrase } from './pageBuilder.js';

describe('Latin and digit look-alikes in Cyrillic text', () => {
  it.each([
    ['o6n.', 'обл.'],
    ['o6n.,', 'обл.,'],
    ['yn.', 'ул.'],
    ['YN.', 'УЛ.'],
    ['Pecn.', 'Респ.'],
    ['rop.', 'гор.'],
    ['nom.', 'пом.'],
  ])('an address abbreviation read as %s is %s', (read, want) => {
    expect(repairAbbreviation(read)).toBe(want);
  });

  it('leaves alone what no abbreviation explains, and what is too short to tell', () => {
    expect(repairAbbreviation('обл.')).toBeUndefined();
    expect(repairAbbreviation('Sun')).toBeUndefined();
    expect(repairAbbreviation('6.')).toBeUndefined();
    expect(repairAbbreviation('c.')).toBeUndefined();
    expect(repairAbbreviation('2a')).toBeUndefined();
  });

  it('repairs whole addresses and words with a digit inside, keeping numbers', () => {
    expect(cleanValue('454336, Челябинская o6n., г. Челябинск, yn. Свободы, д. 6, оф. 30')).toBe(
      '454336, Челябинская обл., г. Челябинск, ул. Свободы, д. 6, оф. 30',
    );
    expect(harmonizeScript('Ре6ров ПЕТР0ВИЧ 6-й')).toBe('Ребров ПЕТРОВИЧ 6-й');
    // Text with no Cyrillic at all is Latin and stays.
    expect(harmonizeScript('yn. o6n.')).toBe('yn. o6n.');
  });

  it('a label read in Latin shapes still folds onto the Russian label', () => {
    expect(foldForLabel('Agpec:')).toBe('адрес');
    expect(foldForLabel('Kon')).toBe('коп');
    expect(foldForLabel('Sun')).toBe('sun');
  });

  it('finds the buyer address whose «Адрес» caption was read as «Agpec»', () => {
    const page = pageFromRows([
      { y: 100, words: [...phrase(60, 'Покупатель:'), ...phrase(200, 'ООО «Волга»')] },
      { y: 140, words: [[60, 'Agpec:'], ...phrase(160, '198158, г. Санкт-Петербург, ул. Марата, д. 67')] },
      { y: 180, words: [...phrase(60, 'ИНН/КПП покупателя:'), ...phrase(300, '7826509651 / 782601001')] },
    ]);
    expect(extractFromPage(page, 'buyer_address')).toBe('198158, г. Санкт-Петербург, ул. Марата, д. 67');
  });
});

describe('where a written place of birth ends', () => {
  it.each([
    ['г. Чапаевск Самарской обл., поставлен(а) на учёт', 'г. Чапаевск Самарской обл.'],
    ['С. ПЕСТРЕЦЫ РЕСП. ТАТАРСТАН В НАЛОГОВОМ', 'С. ПЕСТРЕЦЫ РЕСП. ТАТАРСТАН'],
    ['г. Ейск Краснодарского края, пол женский', 'г. Ейск Краснодарского края'],
    ['г. Москва', 'г. Москва'],
    ['г. Ташкент Узбекская ССР', 'г. Ташкент Узбекская ССР'],
  ])('%s → %s', (read, want) => {
    expect(endOfPlace(read)).toBe(want);
  });

  it('the birth place in running text stops after its region', () => {
    const page = pageFromRows([
      { y: 100, words: phrase(60, 'место рождения г. Чапаевск Самарской обл., зарегистрирован в системе') },
    ]);
    expect(extractFromPage(page, 'birth_place')).toBe('г. Чапаевск Самарской обл.');
  });
});

describe('letters OCR misreads by shape in places', () => {
  it('«©» opening a place is «с.», in the case of the name after it', () => {
    const place = (v: string) =>
      extractFromPage(
        pageFromRows([{ y: 100, words: [...phrase(60, 'место рождения'), ...phrase(300, v)] }]),
        'birth_place',
      );
    expect(place('©. Анна Воронежская обл.')).toBe('с. Анна Воронежская обл.');
    expect(place('© ВЕТЛУГА НИЖЕГОРОДСКОЙ ОБЛ.')).toBe('С. ВЕТЛУГА НИЖЕГОРОДСКОЙ ОБЛ.');
  });

  it('«Й» read as «И» at the end of a -ский/-ской adjective', () => {
    expect(cleanValue('ГОР. САМАРА САМАРСКОИ ОБЛ.')).toBe('ГОР. САМАРА САМАРСКОЙ ОБЛ.');
    expect(cleanValue('Кировскии район, Марии')).toBe('Кировский район, Марии');
  });
});

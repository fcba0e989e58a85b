import { describe, expect, it } from 'vitest';
import {
  authorityFromLine,
  authorityName,
  extractFromPage,
  noisyAuthorityLine,
} from '../../../src/engines/tesseract/extract.js';
import { cleanValue, findDates } from '../../../src/engines/tesseract/patterns.js';
import { viewPage } from '../../../src/engines/tesseract/values.js';
import { pageFromRows, phrase } from './pageBuilder.js';

describe('values inside running text', () => {
  it('a comma after a value belongs to the sentence', () => {
    expect(cleanValue('Ивановна,')).toBe('Ивановна');
    expect(cleanValue('г. Самара, д. 110,')).toBe('г. Самара, д. 110');
  });

  it('a date in words that wraps onto the next line after its label is read whole', () => {
    const page = pageFromRows([
      { y: 100, words: phrase(60, 'родилась 16 сентября 1990 года') },
      {
        y: 140,
        words: phrase(60, 'поставлена на учет в соответствии с Налоговым кодексом Российской Федерации «05»'),
      },
      { y: 180, words: phrase(60, 'марта 2024 г. в налоговом органе по месту жительства') },
    ]);
    expect(extractFromPage(page, 'registration_date')).toBe('«05» марта 2024 г.');
  });

  it('a date two lines on in running text, not the one over the label', () => {
    const page = pageFromRows([
      { y: 100, words: phrase(60, 'дата рождения 16.09.1990') },
      { y: 140, words: phrase(60, 'поставлен на учет в соответствии') },
      { y: 180, words: phrase(60, 'с Налоговым кодексом Российской Федерации') },
      { y: 220, words: phrase(60, '05.03.2024 в налоговом органе') },
    ]);
    expect(extractFromPage(page, 'registration_date')).toBe('05.03.2024');
  });
});

describe('numeric dates', () => {
  it('a bracket before a lone day digit is the half of its zero', () => {
    expect(findDates('Дата рождения (5.07.1989')).toEqual(['05.07.1989']);
    // A date in brackets keeps its own day.
    expect(findDates('(15.07.1989)')).toEqual(['15.07.1989']);
  });
});

describe('the tax authority’s name', () => {
  it('drops the code cells beside it and specks of the security pattern', () => {
    expect(authorityName('Инспекция ФНС России № 20 по Краснодарскому краю 2320')).toBe(
      'Инспекция ФНС России № 20 по Краснодарскому краю',
    );
    expect(authorityName('Инспекция ФНС России № 28 по Челябинской области 7 4 2 | 8')).toBe(
      'Инспекция ФНС России № 28 по Челябинской области',
    );
    expect(
      authorityName('Межрайонная инспекция ФНС России № 30 по Республике Татарстан cL shacks 1630'),
    ).toBe('Межрайонная инспекция ФНС России № 30 по Республике Татарстан');
  });

  it('a line with specks is read again; the new reading is taken only when cleaner', () => {
    const noisy = viewPage(
      pageFromRows([
        { y: 300, words: phrase(60, 'Межрайонная м ин к ФНС Росс СЫ 7п по Свердловской области') },
      ]),
    );
    const region = noisyAuthorityLine(noisy)!;
    expect(region.y0).toBeLessThan(300);
    expect(region.y1).toBeGreaterThan(320);
    const clean = viewPage(
      pageFromRows([{ y: 300, words: phrase(60, 'Инспекция ФНС России № 19 по Самарской области') }]),
    );
    expect(noisyAuthorityLine(clean)).toBeUndefined();
    const before = 'Межрайонная м ин к ФНС Росс СЫ 7п по Свердловской области';
    expect(
      authorityFromLine('Межрайонная инспекция ФНС России № 7 по Свердловской области 6607', before),
    ).toBe('Межрайонная инспекция ФНС России № 7 по Свердловской области');
    expect(authorityFromLine('Меж м ин к ФНС Росс СЫ 7п pst по ердловской', before)).toBeUndefined();
  });
});

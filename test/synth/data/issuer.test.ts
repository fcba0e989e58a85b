import { describe, expect, it } from 'vitest';
import { REGIONS } from '../../../src/synth/data/regions.js';
import { createRng } from '../../../src/synth/data/rng.js';
import { instrumental, passportIssuer } from '../../../src/synth/templates/passport.js';

describe('passport issuer wording', () => {
  it('puts a prepositional district adjective into the instrumental, with и after к/г/х and hushing consonants', () => {
    expect(instrumental('КАЛИНИНСКОМ')).toBe('КАЛИНИНСКИМ');
    expect(instrumental('ВЕРХ-ИСЕТСКОМ')).toBe('ВЕРХ-ИСЕТСКИМ');
    expect(instrumental('ЦЕНТРАЛЬНОМ')).toBe('ЦЕНТРАЛЬНЫМ');
    expect(instrumental('ЛЕВОБЕРЕЖНОМ')).toBe('ЛЕВОБЕРЕЖНЫМ');
  });

  it('names the police issuer before 2006 as «…ИМ РОВД ГОР. <city in the genitive>», and a noun district with РАЙОН', () => {
    const seen = new Set<string>();
    for (const region of REGIONS) {
      for (let seed = 0; seed < 40; seed++) {
        const issuer = passportIssuer(createRng(seed), region, { y: 2001, m: 5, d: 3 });
        seen.add(issuer);
        expect(issuer).toMatch(/^([А-Я-]+(ИМ|ЫМ) РОВД|ОВД РАЙОНА [А-Я-]+) ГОР\. [А-Я -]+$/);
        expect(issuer).toContain(`ГОР. ${region.capitalGenitive.toUpperCase()}`);
        expect(issuer).not.toMatch(/ОМ РОВД/);
      }
    }
    expect(seen).toContain('КАЛИНИНСКИМ РОВД ГОР. ЧЕЛЯБИНСКА');
    expect(seen).toContain('ОВД РАЙОНА ХАМОВНИКИ ГОР. МОСКВЫ');
  });

  it('keeps the УФМС form for 2006–2017 with «В … Р-НЕ», or «В РАЙОНЕ …» for a noun district', () => {
    const moscow = REGIONS.find((r) => r.capital === 'Москва');
    if (!moscow) throw new Error('Moscow is among the regions');
    const all = new Set(
      Array.from({ length: 60 }, (_, s) => passportIssuer(createRng(s), moscow, { y: 2010, m: 1, d: 1 })),
    );
    expect(all).toContain('ОТДЕЛОМ УФМС РОССИИ ПО Г. МОСКВЕ В ТВЕРСКОМ Р-НЕ');
    expect(all).toContain('ОТДЕЛОМ УФМС РОССИИ ПО Г. МОСКВЕ В РАЙОНЕ ЛЮБЛИНО');
    for (const issuer of all) expect(issuer).not.toMatch(/В (ХАМОВНИКИ|ЛЮБЛИНО) Р-НЕ/);
  });
});

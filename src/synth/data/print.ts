/**
 * Values the way Russian documents print them. Each form has its own conventions, and a generator that
 * always prints one of them teaches an OCR baseline a single spelling; these helpers give each template
 * style the spelling its real counterpart uses:
 * - dates as «13.09.1985» (passports, cards, forms filled by software) or «16 сентября 1990 года» /
 *   «16 сентября 1990 г.» (certificates and invoices written out in words);
 * - places as the passport desk writes them, settlement type first («ГОР.», «Г.», «С.», «ПОС.») and the
 *   region after it in the genitive («ГОР. РЫБИНСК ЯРОСЛАВСКОЙ ОБЛ.»), or the nominative short form
 *   some forms use («г. Рыбинск Ярославская обл.»);
 * - names in capitals (passports, green cards) or in title case (notices, handwritten forms).
 */
import { MONTHS_GENITIVE } from '../../dataset/dates.js';
import type { Ymd } from './dates.js';
import type { BirthPlace } from './person.js';
import type { Region } from './regions.js';

export type DateForm = 'numeric' | 'numeric-g' | 'words' | 'words-g';

export function printDate(v: Ymd, form: DateForm): string {
  const dd = String(v.d).padStart(2, '0');
  if (form === 'numeric') return `${dd}.${String(v.m).padStart(2, '0')}.${v.y}`;
  if (form === 'numeric-g') return `${dd}.${String(v.m).padStart(2, '0')}.${v.y} г.`;
  const month = MONTHS_GENITIVE[v.m - 1]!;
  return form === 'words' ? `${dd} ${month} ${v.y} года` : `${dd} ${month} ${v.y} г.`;
}

/** «Ярославская обл.» → «Ярославской обл.», «Краснодарский край» → «Краснодарского края». */
export function regionGenitive(r: Region): string {
  return r.short
    .replace(/ая обл\.$/u, 'ой обл.')
    .replace(/ий край$/u, 'ого края')
    .replace(/ая АО$/u, 'ого АО');
}

export type SettlementAbbr = 'ГОР.' | 'Г.';

/**
 * Settlement type of a birth place. Villages whose names are adjectives (Белоярский, Сокольское) are
 * workers' settlements («ПОС.») on real records; the others are villages («С.»).
 */
export function settlementType(p: BirthPlace, city: SettlementAbbr): string {
  if (!p.isVillage) return city;
  return /(?:ий|ый|ой|ское)$/u.test(p.settlement) ? 'ПОС.' : 'С.';
}

/** «ГОР. РЫБИНСК ЯРОСЛАВСКОЙ ОБЛ.» (upper) or «гор. Рыбинск Ярославской обл.» (as written by hand). */
export function placeGenitive(p: BirthPlace, city: SettlementAbbr, upper: boolean): string {
  const type = settlementType(p, city);
  const region = p.region.short ? ` ${regionGenitive(p.region)}` : '';
  const s = `${type} ${p.settlement}${region}`;
  return upper ? s.toUpperCase() : `${type.toLowerCase()}${s.slice(type.length)}`;
}

/** «Иванова», «Петрова-Водкина»: title case of a name given in any case. */
export function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[\s-])([а-яё])/gu, (_, sep: string, c: string) => sep + c.toUpperCase());
}

/**
 * The few closed vocabularies the OCR baseline needs, as real Russian documents use them (not as any
 * one generator prints them). Each list says where it comes from. Pure data plus tiny helpers.
 */

import { MONTHS_GENITIVE } from '../../dataset/dates.js';
import { CYRILLIC_READINGS, levenshtein } from './text.js';

/**
 * How the sex is written. Passport blank (Постановление Правительства РФ от 08.07.1997 № 828,
 * описание бланка; filled per Приказ МВД России № 773 of 2020): «МУЖ.» / «ЖЕН.». СНИЛС card and the
 * АДИ-РЕГ notice (the card: form АДИ-1, Постановление Правления ПФР от 31.07.2006 № 192п; the notice
 * that replaced it from 01.04.2019 under Федеральный закон № 48-ФЗ: form АДИ-РЕГ, Постановление
 * Правления ПФР от 13.06.2019 № 335п): «мужской» / «женский». ИНН certificate form
 * 2-1-Учет (Приказ ФНС России от 11.08.2011 № ЯК-7-6/488@): «муж.» / «жен.» (also written out).
 * Forms filled by hand or in tables: «М» / «Ж».
 */
export const SEX_FORMS = ['мужской', 'женский', 'муж.', 'жен.', 'м.', 'ж.', 'м', 'ж'] as const;

/** Which sex a written form names, or undefined. */
export function sexOf(word: string): 'male' | 'female' | undefined {
  const w = word.toLowerCase();
  if (/^м(уж|\.?$)/.test(w)) return 'male';
  if (/^ж(ен|\.?$)/.test(w)) return 'female';
  return undefined;
}

/**
 * An OCR'd sex word put right against SEX_FORMS (one edit for words of 4+ letters: «женскии» →
 * «женский»), keeping the case it was printed in: all capitals, a capital first letter, or lower case.
 */
export function fixSexWord(v: string): string | undefined {
  // «муж»/«жен» are abbreviations and take a dot (ГОСТ Р 7.0.12-2011); a missing one is an OCR loss.
  const lower = v.toLowerCase().replace(/^(муж|жен)$/, '$1.');
  const known =
    SEX_FORMS.find((w) => w === lower) ??
    (lower.length >= 4 ? SEX_FORMS.find((w) => w.length >= 4 && levenshtein(w, lower) === 1) : undefined);
  if (!known) return undefined;
  if (v.length > 1 && v === v.toUpperCase()) return known.toUpperCase();
  if (v[0] !== lower[0]) return known[0]!.toUpperCase() + known.slice(1);
  return known;
}

/**
 * Abbreviated settlement and region types with their required dot, per ГОСТ Р 7.0.12-2011
 * «Сокращение слов и словосочетаний на русском языке» and the address rules of Приказ Минфина России
 * от 05.11.2015 № 171н (ФИАС: «г.», «пгт», «с.», «д.», «п.», «ст-ца», «обл.», «р-н», «респ.», «край»
 * unabbreviated). The older «гор.», «пос.», «дер.» are how Soviet-era and 1990s passports print them.
 * Abbreviations written with a hyphen («р-н», «ст-ца») or as an acronym («пгт») take no dot.
 */
export const DOTTED_ABBREVIATIONS = [
  'г',
  'гор',
  'с',
  'пос',
  'п',
  'д',
  'дер',
  'ст',
  'х',
  'обл',
  'респ',
] as const;
export const UNDOTTED_ABBREVIATIONS = ['пгт', 'р-н', 'ст-ца', 'рп', 'край', 'аул'] as const;

/**
 * A dot OCR lost after a dotted abbreviation is put back (in whatever case it was printed:
 * «ГОР КИРОВ» → «ГОР. КИРОВ», «Кировской обл» → «Кировской обл.»). A word is only treated as the
 * abbreviation when it stands alone: before a capitalised name, or last on the line for a region.
 */
export function restoreAbbreviationDots(v: string): string {
  const dotted = DOTTED_ABBREVIATIONS.join('|');
  const before = new RegExp(`(^|[\\s,(])(${dotted})(?=\\s+[А-ЯЁ])`, 'giu');
  const last = /(\s)(обл|респ)$/iu;
  return v.replace(before, (_, pre: string, ab: string) => `${pre}${ab}.`).replace(last, '$1$2.');
}

/**
 * Abbreviations of address elements as addresses are written (Приказ Минфина России от 05.11.2015
 * № 171н, приложение 2 «Перечень сокращённых наименований»; ГОСТ Р 7.0.12-2011): the settlement and
 * region types above plus the street and building ones: «ул.», «пр-т», «пер.», «ш.», «наб.», «б-р»,
 * «пл.», «мкр.», «туп.», «пр-д», «д.», «корп.», «стр.», «кв.», «пом.», «оф.».
 */
export const ADDRESS_ABBREVIATIONS = [
  ...DOTTED_ABBREVIATIONS,
  ...UNDOTTED_ABBREVIATIONS,
  'ул',
  'пр-т',
  'пер',
  'ш',
  'наб',
  'б-р',
  'пл',
  'мкр',
  'туп',
  'пр-д',
  'корп',
  'стр',
  'кв',
  'пом',
  'оф',
] as const;

/**
 * A token that mixes Latin letters or digits with the shape of a known address abbreviation
 * («o6n.», «yn.», «Pecn.») read back as that abbreviation, in the case it was printed in; anything else
 * is left as it is (undefined).
 */
export function repairAbbreviation(token: string): string | undefined {
  const m = /^([A-Za-zА-Яа-яЁё0-9-]+)(\.?,?)$/.exec(token);
  if (!m || !/[A-Za-z0-9]/.test(m[1]!) || !/[A-Za-zА-Яа-яЁё]/.test(m[1]!)) return undefined;
  const word = m[1]!;
  const lower = word.toLowerCase();
  let readings = [''];
  for (const ch of lower) {
    const alts = /[а-яё-]/.test(ch) ? ch : (CYRILLIC_READINGS[ch] ?? '');
    if (alts === '') return undefined;
    readings = readings.flatMap((r) => [...alts].map((a) => r + a));
  }
  const known = readings.find((r) => (ADDRESS_ABBREVIATIONS as readonly string[]).includes(r));
  // Single letters («6.» is a house number, «c.» may be a real «с.» already harmonised) are too short
  // to tell by shape.
  if (!known || known.length < 2) return undefined;
  const dot = m[2]!;
  if (/[A-ZА-ЯЁ]/.test(word) && word === word.toUpperCase()) return known.toUpperCase() + dot;
  if (/^[A-ZА-ЯЁ]/.test(word)) return known[0]!.toUpperCase() + known.slice(1) + dot;
  return known + dot;
}

/**
 * Where a written place of birth ends. It is written from the settlement to the region, the region
 * last (Приказ МВД России от 16.11.2020 № 773: the place of birth as in the birth record; the region
 * types of Приказ Минфина № 171н: «обл.», «край», «респ.», «АО», the region name after «Респ.»), so in
 * running text («… Самарской обл., поставлен(а) на учёт …») nothing after the region type belongs to
 * the place. A place with no region type («г. Москва») is left whole.
 */
export function endOfPlace(v: string): string {
  const words = v.split(' ');
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!.toLowerCase().replace(/[,;]$/, '');
    let end = -1;
    if (/^(обл\.?|области|край|края|ао|округа|округ)$/.test(w)) end = i;
    else if (/^(респ\.?|республика|республики)$/.test(w) && i + 1 < words.length) end = i + 1;
    if (end >= 0)
      return words
        .slice(0, end + 1)
        .join(' ')
        .replace(/[,;]$/, '');
  }
  return v;
}

/**
 * Month names in the genitive, as dates are written in words in Russian documents («16 сентября 1990
 * года», «от «05» марта 2024 г.» in the счёт-фактура header of Постановление № 1137): the one list in
 * src/dataset/dates.ts. The nominative below serves month-year forms. Index = month − 1.
 */
export { MONTHS_GENITIVE };
export const MONTHS_NOMINATIVE = [
  'январь',
  'февраль',
  'март',
  'апрель',
  'май',
  'июнь',
  'июль',
  'август',
  'сентябрь',
  'октябрь',
  'ноябрь',
  'декабрь',
] as const;

/** Month number (1-12) of a month word, tolerating one OCR slip in words of 5+ letters. */
export function monthOf(word: string): number | undefined {
  const w = word.toLowerCase().replace(/ё/g, 'е');
  for (const list of [MONTHS_GENITIVE, MONTHS_NOMINATIVE]) {
    const i = list.indexOf(w as never);
    if (i >= 0) return i + 1;
  }
  if (w.length < 5) return undefined;
  const near = MONTHS_GENITIVE.findIndex((m) => m.length >= 5 && levenshtein(m, w) === 1);
  return near >= 0 ? near + 1 : undefined;
}

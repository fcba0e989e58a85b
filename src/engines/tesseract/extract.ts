/**
 * One field off an OCR'd page: find the field's label, read the value next to it, validate it against
 * the field's pattern, and fall back to a page-wide search where the label was not read. Answers keep
 * the printed form (case, punctuation). Every rule comes from how the real documents are laid out and
 * written (labels.ts: the prescribed forms; conventions.ts: sexes, places, months; mrz.ts: ICAO 9303
 * and the Russian MRZ rules; patterns.ts: number formats and check digits), never from one generator's
 * templates. Pure.
 */
import { isValidInn, isValidSnils } from '../../dataset/checksums.js';
import { DOTTED_ABBREVIATIONS, endOfPlace, fixSexWord, restoreAbbreviationDots } from './conventions.js';
import type { FieldKind, QuestionKind } from './fields.js';
import { type Row, wordsText } from './layout.js';
import {
  amountValue,
  cleanValue,
  findAmounts,
  findDates,
  findDepartmentCodes,
  findFormNumbers,
  findInn,
  findInnKpp,
  findPassportIds,
  findSnils,
  stripDates,
  yearOf,
} from './patterns.js';
import type { Box, OcrPage, OcrWord } from './tsv.js';
import {
  below,
  continuation,
  hitsFor,
  type KindHit,
  type PageView,
  rightOf,
  valueLines,
  viewPage,
} from './values.js';

const linesText = (lines: OcrWord[][]) => cleanValue(lines.map(wordsText).join(' '));

/** Text near a label, generously: right of it, and the rows under and over it. */
function around(view: PageView, hit: KindHit): string {
  const parts = [wordsText(rightOf(view, hit))];
  const next = view.rows[hit.row.index + 1];
  const prev = view.rows[hit.row.index - 1];
  if (next) parts.push(next.text);
  if (prev) parts.push(prev.text);
  return parts.join('\n');
}

const pageText = (view: PageView) => view.rows.map((r) => r.text).join('\n');

/** The first label of `kind` whose neighbourhood holds what `find` looks for. */
function nearLabel<T>(view: PageView, kind: FieldKind, find: (s: string) => T[]): T | undefined {
  for (const hit of hitsFor(view, kind)) {
    // Right of the label first: it is the likeliest place and rows around may hold other values.
    const right = find(wordsText(rightOf(view, hit)));
    if (right.length > 0) return right[0];
    const near = find(around(view, hit));
    if (near.length > 0) return near[0];
  }
  return undefined;
}

/** A text value after the first label of `kind` that passes `accept`. */
function textAfter(
  view: PageView,
  kind: FieldKind,
  maxLines: number,
  accept: (v: string) => boolean = (v) => v.length > 0,
  hits: KindHit[] = hitsFor(view, kind),
): string | undefined {
  for (const hit of hits) {
    const v = linesText(valueLines(view, hit, maxLines, true));
    if (accept(v)) return v;
  }
  return undefined;
}

// --- names -----------------------------------------------------------------------------------------

/**
 * Russian patronymics end in -ович/-евич/-ич (men) and -овна/-евна/-ична/-инична (women); Turkic ones
 * are written with «оглы»/«кызы» (Приказ МВД № 773 keeps them as part of the patronymic). This is the
 * language's morphology, not any form's: it finds the patronymic and orders a name on any layout.
 */
const PATRONYMIC = /^[А-ЯЁ][а-яёА-ЯЁ]*(?:ОВИЧ|ЕВИЧ|ЬИЧ|ИЧ|ОВНА|ЕВНА|ИЧНА|ИНИЧНА|ОГЛЫ|КЫЗЫ)$/i;
/** A name word in upper case («ИВАНОВА») or title case («Иванова», «Римский-Корсаков»). */
const NAME_WORD = /^[А-ЯЁ](?:[А-ЯЁ-]+|[а-яё]+(?:-[А-ЯЁ][а-яё]+)?)$/;

/** The words of a row that are not part of a label. */
function valueWords(view: PageView, row: Row): string[] {
  const covered = new Set<number>();
  for (const h of view.hits) if (h.row === row) for (let i = h.from; i <= h.to; i++) covered.add(i);
  return row.words.filter((_, i) => !covered.has(i)).map((w) => cleanValue(w.text));
}

/**
 * A full name found by its patronymic, whatever the labels: three name words in a row («ИВАНОВ ИВАН
 * ИВАНОВИЧ»), or one name part per row (a СНИЛС card, a passport page), labels on those rows ignored.
 */
function nameByPatronymic(view: PageView): string | undefined {
  for (const row of view.rows) {
    const words = valueWords(view, row);
    const p = words.findIndex((w) => PATRONYMIC.test(w) && w.length > 4);
    if (p < 0) continue;
    // The two name words before it, stepping over OCR specks («SS», «|») between them.
    const before: string[] = [];
    for (let i = p - 1; i >= 0 && before.length < 2; i--) {
      const w = words[i]!;
      if (NAME_WORD.test(w)) before.unshift(w);
      else if (w.length > 2) break;
    }
    if (before.length === 2) return `${before.join(' ')} ${words[p]}`;
    if (words.length !== 1) continue;
    // One part per row: the two nearest rows above that hold one name word each (label words aside,
    // rows with nothing else stepped over), each close to the next.
    const parts: string[] = [];
    let below = row;
    for (let i = row.index - 1; i >= 0 && parts.length < 2; i--) {
      const r = view.rows[i]!;
      if (r.box.y0 > below.box.y0 - 0.5 * view.h) continue;
      if (below.box.y0 - r.box.y1 > 4 * view.h) break;
      // A caption too small to read comes out as a fragment («и» for «Имя»): words of one or two
      // lower-case letters are not content.
      const ws = valueWords(view, r).filter((w) => w.length > 0 && !/^[а-яёa-z]{1,2}$/.test(w));
      if (ws.length === 0) continue;
      const last = ws[ws.length - 1]!;
      // The surname's row may still carry an unread caption («Ф.И.О,» misread) before the name.
      if (!NAME_WORD.test(last) || (ws.length > 1 && parts.length === 0)) break;
      parts.unshift(last);
      below = r;
    }
    if (parts.length === 2) return `${parts.join(' ')} ${words[0]}`;
  }
  return undefined;
}

/** Surname, name, patronymic from the MRZ, when the page has one (upper case, as the MRZ encodes them). */
function mrzName(view: PageView): string | undefined {
  const m = view.mrz;
  if (!m?.surname || !m.name) return undefined;
  return [m.surname, m.name, m.patronymic].filter(Boolean).join(' ');
}

/**
 * What a full name can be: two to five words (surname, name, patronymic; double names; «оглы»), at
 * least two of them name words, no digits. Keeps a caption's neighbour («в налоговом органе на
 * территории …») from being read as the name.
 */
function looksLikeFullName(v: string): boolean {
  const words = v.split(' ');
  return (
    words.length >= 2 &&
    words.length <= 5 &&
    !/\d/.test(v) &&
    words.filter((w) => NAME_WORD.test(w)).length >= Math.max(2, words.length - 1)
  );
}

function fullName(view: PageView): string | undefined {
  const labelled = textAfter(view, 'full_name', 3, looksLikeFullName);
  if (labelled) return labelled;
  const byPatronymic = nameByPatronymic(view);
  if (byPatronymic) return byPatronymic;
  const parts = (['surname', 'name', 'patronymic'] as const).map((k) => textAfter(view, k, 1));
  if (parts.every((p) => p !== undefined)) return parts.join(' ');
  return mrzName(view);
}

/** «ИЙ» read as «ИИ»: Russian first names end in «-ий» (Юрий, Дмитрий), never in «-ии». */
const fixIi = (v: string) => v.replace(/ии$/, 'ий').replace(/ИИ$/, 'ИЙ');

/**
 * The patronymic by the name's line order when its own label was not read: the line after the first
 * name's value, if it reads as a patronymic.
 */
function patronymicAfterName(view: PageView): string | undefined {
  for (const hit of hitsFor(view, 'name')) {
    const lines = valueLines(view, hit, 1, false);
    const first = lines[0]?.[0];
    if (!first) continue;
    const row = view.rows.find((r) => r.words.includes(first));
    const next = row ? view.rows[row.index + 1] : undefined;
    if (!next) continue;
    const words = valueWords(view, next);
    if (words.length === 1 && PATRONYMIC.test(words[0]!)) return words[0];
  }
  return undefined;
}

function namePart(view: PageView, kind: 'surname' | 'name' | 'patronymic'): string | undefined {
  const direct = textAfter(view, kind, 1, (v) => v.length > 1 && !/\d/.test(v));
  if (direct) return kind === 'name' ? fixIi(direct) : direct;
  if (kind === 'patronymic') {
    const byOrder = patronymicAfterName(view);
    if (byOrder) return byOrder;
  }
  const full = fullName(view);
  if (!full) return undefined;
  const words = full.split(' ');
  let p = words.findIndex((w) => PATRONYMIC.test(w));
  if (p < 2) p = Math.min(2, words.length - 1);
  if (kind === 'surname') return words.slice(0, Math.max(1, p - 1)).join(' ');
  if (kind === 'name') return words[p - 1] ? fixIi(words[p - 1]!) : undefined;
  return words.slice(p).join(' ');
}

// --- dates -----------------------------------------------------------------------------------------

/**
 * A date after its label in reading order: right of it, then running on into the next rows (a date in
 * words wraps like any text in running text: «… кодексом Российской Федерации «05» / марта 2024 г.»),
 * then the rows under and over it.
 */
function dateAfter(view: PageView, kind: FieldKind): string | undefined {
  for (const hit of hitsFor(view, kind)) {
    const right = wordsText(rightOf(view, hit));
    const next = view.rows[hit.row.index + hit.span];
    const afterNext = view.rows[hit.row.index + hit.span + 1];
    const close = (r: Row | undefined) => r !== undefined && r.box.y0 - hit.box.y1 < 4 * view.h;
    const reading = [right];
    if (close(next)) reading.push(`${right} ${next!.text}`);
    // Only in running text (words follow the label on its row); a caption alone on its row may have its
    // value over it, and the rows further down belong to other fields.
    if (right !== '' && close(next) && close(afterNext)) reading.push(`${next!.text} ${afterNext!.text}`);
    for (const text of reading) {
      const found = findDates(text);
      if (found.length > 0) return found[0];
    }
    const near = findDates(around(view, hit));
    if (near.length > 0) return near[0];
  }
  return undefined;
}

function dateField(
  view: PageView,
  kind: FieldKind,
  fallback: 'earliest' | 'latest',
  fromMrz?: string,
): string | undefined {
  const near = dateAfter(view, kind);
  if (near) return near;
  if (fromMrz) return fromMrz;
  const all = findDates(pageText(view)).sort((a, b) => yearOf(a) - yearOf(b));
  return fallback === 'earliest' ? all[0] : all[all.length - 1];
}

/**
 * Places as printed, with two OCR slips undone. A lost dot after a dotted abbreviation goes back
 * (conventions.ts: ГОСТ Р 7.0.12-2011, Приказ Минфина № 171н). And an initial «Г.»/«С.»/«П.» before a
 * mixed-case name is the lower-case letter: г/Г, с/С, п/П differ only in size, which Tesseract often
 * misjudges on a word's first letter, while those abbreviations are written lower case before a
 * capitalised name (ГОСТ Р 7.0.12-2011); in all-capitals text («Г. МОСКВА») nothing changes.
 */
function placeText(v: string): string {
  return restoreAbbreviationDots(endOfPlace(copyrightC(v))).replace(
    /^([ГСП])\.(\s*[А-ЯЁ][а-яё])/,
    (_, a: string, b: string) => `${a.toLowerCase()}.${b}`,
  );
}

/**
 * «©» opening a place is the settlement type «с.» (село, conventions.ts) read as the circled c it looks
 * like; in capitals, «С.».
 */
function copyrightC(v: string): string {
  return v.replace(
    /^©(\.?)(?=\s+(\S+))/u,
    (_, dot: string, next: string) => `${next === next.toUpperCase() ? 'С' : 'с'}${dot}`,
  );
}

function birthPlace(view: PageView): string | undefined {
  // Up to three lines: a long settlement name wraps on its own («ГОР. / ПЕРЕСЛАВЛЬ-ЗАЛЕССКИЙ / ЯРОСЛАВСКОЙ
  // ОБЛ.»); endOfPlace stops it after the region.
  const direct = textAfter(view, 'birth_place', 3);
  if (direct) return placeText(direct);
  // «Дата и место рождения 14.03.1985 / г. Москва»: the place is what follows the date.
  for (const hit of hitsFor(view, 'birth_date')) {
    const v = linesText(valueLines(view, hit, 3));
    const rest = cleanValue(stripDates(v));
    if (rest.length > 1 && findDates(v).length > 0) return placeText(rest);
  }
  return placeByAbbreviation(view);
}

const SETTLEMENT_START = new RegExp(
  `^(?:${[...DOTTED_ABBREVIATIONS.filter((a) => a !== 'обл' && a !== 'респ').map((a) => `${a}\\.`), 'пгт', 'рп', 'ст-ца'].join('|')})$`,
  'iu',
);

/**
 * No caption read: a birth place starts with the settlement type (conventions.ts), so the first row
 * that starts with one («гор. Киров», «С. БЕРЁЗОВКА») and the rows that continue it are the place.
 */
function placeByAbbreviation(view: PageView): string | undefined {
  for (const row of view.rows) {
    const ws = row.words.filter((w) => !/^[а-яёa-z]$/.test(w.text));
    const first = ws[0];
    if (!first || !SETTLEMENT_START.test(first.text) || ws.length < 2) continue;
    const lines = [ws, ...continuation(view, row, ws, 1)];
    return placeText(linesText(lines));
  }
  return undefined;
}

// --- invoices --------------------------------------------------------------------------------------

function invoiceHeader(view: PageView): string | undefined {
  const hit = hitsFor(view, 'invoice_number')[0];
  return hit ? wordsText(rightOf(view, hit)) : undefined;
}

function invoiceNumber(view: PageView): string | undefined {
  const rest = invoiceHeader(view);
  if (rest === undefined) return undefined;
  const m = /(?:№|N[oо°9e]?|Ne|Мо)\s*([^\s]+)/.exec(rest) ?? /(\S*\d\S*)/.exec(rest);
  return m ? cleanValue(m[1]!.replace(/от$/, '')) : undefined;
}

function invoiceDate(view: PageView): string | undefined {
  const rest = invoiceHeader(view);
  return (rest === undefined ? undefined : findDates(rest)[0]) ?? findDates(pageText(view))[0];
}

function innKpp(view: PageView, who: 'seller' | 'buyer'): { inn: string; kpp: string } | undefined {
  const near = nearLabel(view, who === 'seller' ? 'seller_inn_kpp' : 'buyer_inn_kpp', findInnKpp);
  if (near) return near;
  const all = findInnKpp(pageText(view));
  return who === 'seller' ? all[0] : all[1];
}

function partyInn(view: PageView, who: 'seller' | 'buyer'): string | undefined {
  const pair = innKpp(view, who);
  if (pair) return pair.inn;
  const near = nearLabel(view, who === 'seller' ? 'seller_inn_kpp' : 'buyer_inn_kpp', findInn);
  return near;
}

/** The «Адрес» that follows the seller's (or buyer's) line. */
function partyAddress(view: PageView, who: 'seller' | 'buyer'): string | undefined {
  const party = hitsFor(view, who)[0];
  const addresses = hitsFor(view, 'address');
  const after = party ? addresses.filter((a) => a.row.index > party.row.index) : addresses;
  const chosen = party ? after : who === 'seller' ? addresses : addresses.slice(1);
  return textAfter(view, 'address', 2, undefined, chosen);
}

/** Amounts on the «Всего к оплате» row: without tax, tax, with tax (as the invoice columns go). */
function totalsRow(view: PageView): string[] {
  for (const hit of hitsFor(view, 'total')) {
    const amounts = findAmounts(wordsText(rightOf(view, hit)));
    if (amounts.length > 0) return amounts;
  }
  return [];
}

function total(view: PageView): string | undefined {
  const row = totalsRow(view);
  if (row.length > 0) return row[row.length - 1];
  return findAmounts(pageText(view)).sort((a, b) => amountValue(b) - amountValue(a))[0];
}

function totalNet(view: PageView): string | undefined {
  const row = totalsRow(view);
  return row.length >= 2 ? row[0] : undefined;
}

function taxAmount(view: PageView): string | undefined {
  const row = totalsRow(view);
  if (row.length >= 3) return row[row.length - 2];
  return nearLabel(view, 'tax_amount', findAmounts);
}

// --- the rest --------------------------------------------------------------------------------------

/** The sex as printed (conventions.ts lists the real forms), by its label, else any full sex word. */
function sex(view: PageView): string | undefined {
  for (const hit of hitsFor(view, 'sex')) {
    const v = linesText(valueLines(view, hit, 1, true));
    const fixed = fixSexWord(v.split(' ')[0] ?? '');
    if (fixed) return fixed;
  }
  for (const row of view.rows) {
    for (const w of valueWords(view, row)) {
      // Only whole words here: a lone «М» on a page is not evidence of anything.
      const fixed = w.length >= 3 ? fixSexWord(w) : undefined;
      if (fixed) return fixed;
    }
  }
  // The MRZ's M/F, written as the passport blank writes it.
  if (view.mrz?.sex) return view.mrz.sex === 'M' ? 'МУЖ.' : 'ЖЕН.';
  return undefined;
}

const TAX = /инспекц|ифнс|фнс|межрайон/i;

/**
 * The authority's name as the ФНС register writes it («Межрайонная инспекция ФНС России № 10 по Самарской
 * области»): Russian words only, its number after «№» inside, never a number at the end. Trailing
 * digits are the authority's code from the «код» cells beside it (form 2-1-Учет), and words with Latin
 * letters are OCR specks of the security pattern.
 */
export function authorityName(v: string): string {
  const words = v.split(' ').filter((w) => !/[A-Za-z]/.test(w));
  return cleanValue(words.join(' ').replace(/(?:\s+[\d|]+)+$/, ''));
}

/** Fragments no Russian authority name has: one- or two-letter words other than its prepositions. */
function specks(text: string): number {
  return text
    .split(' ')
    .filter((w) => /[A-Za-z]/.test(w) || (/^[а-яёА-ЯЁ]{1,2}$/.test(w) && !/^(по|г|в|и|на|№)$/i.test(w)))
    .length;
}

/**
 * The authority's line, when the page reading left specks of the security pattern in it: to be read
 * again alone (engine.ts), as one text line of a binarised crop.
 */
export function noisyAuthorityLine(view: PageView): Box | undefined {
  const row = view.rows.find((r) => TAX.test(r.text));
  if (!row || specks(row.text) === 0) return undefined;
  const pad = 0.6 * view.h;
  return {
    x0: Math.max(0, row.box.x0 - pad),
    y0: Math.max(0, row.box.y0 - pad),
    x1: Math.min(view.width, row.box.x1 + 3 * pad),
    y1: Math.min(view.height, row.box.y1 + pad),
  };
}

/** The authority read off its line alone, if that reading is cleaner than `before`. */
export function authorityFromLine(text: string, before: string): string | undefined {
  const line = text.split('\n').find((l) => TAX.test(l));
  if (!line || specks(line) >= specks(before)) return undefined;
  return authorityName(line);
}

function taxAuthority(view: PageView): string | undefined {
  const labelled = textAfter(view, 'tax_authority', 2, (v) => TAX.test(v));
  if (labelled) return authorityName(labelled);
  const row = view.rows.find((r) => TAX.test(r.text));
  return row ? authorityName(row.text) : undefined;
}

/** Labelled, else the MRZ (check digits verified), else any series-and-number pattern on the page. */
function passportId(view: PageView): { series: string; number: string } | undefined {
  const m = view.mrz;
  return (
    nearLabel(view, 'passport_series', findPassportIds) ??
    nearLabel(view, 'passport_number', findPassportIds) ??
    (m?.series && m.number ? { series: m.series, number: m.number } : undefined) ??
    findPassportIds(pageText(view))[0]
  );
}

/**
 * The tax authority's 4-digit code. The first four digits of a personal ИНН are that code, and a
 * checksum-valid ИНН is the most reliable reading of them; else the digits next to «код»; else the
 * ИНН as read.
 */
function taxAuthorityCode(view: PageView): string | undefined {
  const innNear = nearLabel(view, 'inn', (t) => findInn(t, true));
  if (innNear && innNear.length === 12 && isValidInn(innNear)) return innNear.slice(0, 4);
  const four = (s: string) =>
    [...s.replace(/(\d) (?=\d)/g, '$1').matchAll(/(?<!\d)\d{4}(?!\d)/g)].map((m) => m[0]);
  for (const hit of hitsFor(view, 'tax_authority_code')) {
    const v = four(linesText(valueLines(view, hit, 1, true)));
    if (v.length > 0) return v[0];
  }
  const personal = innNear ?? findInn(pageText(view)).find((x) => x.length === 12);
  return personal?.slice(0, 4);
}

function snils(view: PageView): string | undefined {
  // A valid number next to the label first, then any valid number on the page, then whatever was read.
  const near = nearLabel(view, 'snils', findSnils);
  if (near && isValidSnils(near.replace(/\D/g, ''))) return near;
  return findSnils(pageText(view))[0] ?? near;
}

function inn(view: PageView): string | undefined {
  const twelve = personal(view);
  const near = nearLabel(view, 'inn', (t) => findInn(t, true).filter((x) => !twelve || x.length !== 10));
  if (near) return near;
  const pair = innKpp(view, 'seller');
  if (pair) return pair.inn;
  const all = findInn(pageText(view));
  // What was read, when nothing better: the engine's second look reads the cells again.
  return (
    all.find((x) => !twelve || x.length === 12) ?? nearLabel(view, 'inn', (t) => findInn(t, true)) ?? all[0]
  );
}

// --- vague questions: deliberately weak strategies -------------------------------------------------

function longestRow(view: PageView): string | undefined {
  const r = [...view.rows].sort((a, b) => b.text.length - a.text.length)[0];
  return r ? cleanValue(r.text) : undefined;
}

function firstNumber(view: PageView): string | undefined {
  for (const row of view.rows) {
    const w = row.words.find((x) => (x.text.match(/\d/g) ?? []).length >= 3);
    if (w) return cleanValue(w.text);
  }
  return undefined;
}

const EXTRACTORS: Record<QuestionKind, (v: PageView) => string | undefined> = {
  surname: (v) => namePart(v, 'surname'),
  name: (v) => namePart(v, 'name'),
  patronymic: (v) => namePart(v, 'patronymic'),
  full_name: fullName,
  birth_date: (v) => dateField(v, 'birth_date', 'earliest', v.mrz?.birthDate),
  birth_place: birthPlace,
  sex,
  registration_date: (v) => dateField(v, 'registration_date', 'latest'),
  issue_date: (v) => dateField(v, 'issue_date', 'latest', v.mrz?.issueDate),
  issued_by: (v) => textAfter(v, 'issued_by', 3, (x) => x.length > 2),
  department_code: (v) =>
    nearLabel(v, 'department_code', findDepartmentCodes) ??
    findDepartmentCodes(pageText(v))[0] ??
    v.mrz?.departmentCode,
  snils,
  inn,
  passport_series: (v) => passportId(v)?.series,
  passport_number: (v) => passportId(v)?.number,
  passport_series_number: (v) => {
    const id = passportId(v);
    return id ? `${id.series} ${id.number}` : undefined;
  },
  invoice_number: invoiceNumber,
  invoice_date: invoiceDate,
  seller: (v) => textAfter(v, 'seller', 1),
  buyer: (v) => textAfter(v, 'buyer', 1),
  seller_inn: (v) => partyInn(v, 'seller'),
  seller_kpp: (v) => innKpp(v, 'seller')?.kpp,
  seller_inn_kpp: (v) => {
    const p = innKpp(v, 'seller');
    return p ? `${p.inn}/${p.kpp}` : undefined;
  },
  buyer_inn: (v) => partyInn(v, 'buyer'),
  buyer_kpp: (v) => innKpp(v, 'buyer')?.kpp,
  buyer_inn_kpp: (v) => {
    const p = innKpp(v, 'buyer');
    return p ? `${p.inn}/${p.kpp}` : undefined;
  },
  address: (v) => textAfter(v, 'address', 2),
  seller_address: (v) => partyAddress(v, 'seller'),
  buyer_address: (v) => partyAddress(v, 'buyer'),
  total,
  total_net: totalNet,
  tax_amount: taxAmount,
  tax_authority: taxAuthority,
  tax_authority_code: taxAuthorityCode,
  form_series_number: (v) =>
    nearLabel(v, 'form_series_number', findFormNumbers) ?? findFormNumbers(pageText(v))[0],
  any_text: longestRow,
  any_number: firstNumber,
  any_date: (v) => findDates(pageText(v))[0],
};

/**
 * Whether the page is about a natural person rather than an organisation: no seller or buyer rows.
 * A person's ИНН has 12 digits, an organisation's 10 (Приказ ФНС России от 29.06.2012
 * № ММВ-7-6/435@, the ИНН's structure), so on a person's certificate a 10-digit reading that happens to
 * pass the 10-digit check is a misreading.
 */
function personal(view: PageView): boolean {
  return hitsFor(view, 'seller').length === 0 && hitsFor(view, 'buyer').length === 0;
}

/** Fields with check digits, which say when a reading is wrong. */
export const CHECKED_NUMBERS = {
  inn: {
    valid: (d: string, view?: PageView) => isValidInn(d) && (!view || !personal(view) || d.length === 12),
    find: (t: string) => findInn(t),
  },
  snils: { valid: (d: string, _view?: PageView) => isValidSnils(d), find: findSnils },
} as const;

/**
 * Where the number labelled `kind` is printed: the rest of the label's row, or the row under it (from
 * its first digits on), with `pad` word heights of margin. For a second, digits-only look when the
 * first reading fails its check digits. Boxed digits stand taller than their caption, so a caller
 * that finds nothing at the default margin may look again with a wider one.
 */
export function numberRegion(view: PageView, kind: keyof typeof CHECKED_NUMBERS, pad = 0.6): Box | undefined {
  const margin = pad * view.h;
  const band = (row: Row, x0: number): Box => ({
    x0: Math.max(0, x0),
    y0: Math.max(0, row.box.y0 - margin),
    x1: Math.min(view.width, Math.max(row.box.x1 + 4 * view.h, view.width)),
    y1: Math.min(view.height, row.box.y1 + margin),
  });
  const hits = hitsFor(view, kind);
  for (const hit of hits) {
    const right = rightOf(view, hit);
    if (right.length > 0) return band(hit.row, hit.box.x1 + 1);
    const under = below(view, hit);
    const digits = (under?.words ?? []).find((w) => (w.text.match(/\d/g) ?? []).length >= 2);
    if (under && digits) return band(under.row, digits.box.x0 - margin);
  }
  // Nothing read right of any label nor under it: the number is where a form prints it, right of its
  // caption, too large or bold for the page's first reading («Страховой номер» on the СНИЛС card).
  const hit = hits[0];
  return hit ? band(hit.row, hit.box.x1 + 1) : undefined;
}

/** The answer for `kind`, or '' when the page does not show it (a model would say nothing useful either). */
export function extractField(view: PageView, kind: QuestionKind): string {
  return EXTRACTORS[kind](view) ?? '';
}

export function extractFromPage(page: OcrPage, kind: QuestionKind): string {
  return extractField(viewPage(page), kind);
}

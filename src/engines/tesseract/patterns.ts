/**
 * Value patterns (dates, СНИЛС, ИНН, passport numbers, amounts) found in OCR text, with checksum-based
 * choice and repair, and clean-up that keeps an answer as printed. Pure.
 */

import { formatSnils, isValidInn, isValidSnils } from '../../dataset/checksums.js';
import { LATIN_TO_CYRILLIC } from '../../util/homoglyphs.js';
import { repairRepeatedDigit } from './checksum.js';
import { MONTHS_GENITIVE, MONTHS_NOMINATIVE, monthOf, repairAbbreviation } from './conventions.js';
import { fixDigits, letterOfDigit, squash } from './text.js';

/** OCR text with digit look-alikes fixed inside number-like tokens. */
export function digitText(s: string): string {
  return s.split(/(\s+)/).map(fixDigits).join('');
}

/**
 * Dates as Russian documents print them: «13.09.1985» (also with «/» or «-»), and in words, the day
 * optionally in guillemets or quotes as forms write it («16 сентября 1990 года», «от «05» марта 2024 г.»).
 * The month word is any word here and is checked against the real month names afterwards (monthOf,
 * one OCR slip allowed), so «мapта» with Latin look-alikes or «сентяоря» still make a date.
 */
const DATE_RE =
  /(?<!\d)(?:\d ?\d ?[.,/-] ?\d ?\d ?[.,/-] ?\d ?\d ?\d ?\d|[«"“<]?\d{1,2}[»"”>]?\s*([A-Za-zА-Яа-яЁё]{3,9})\s+\d{4}(?:\s*[гГ](?:ода|ОДА|\.)?)?)(?!\d)/gu;

/** The month word of a date in words, spelt right (in the case it was printed in), or undefined. */
function monthWord(word: string): string | undefined {
  const m = monthOf(harmonizeScript(`а${word}`).slice(1));
  if (m === undefined) return undefined;
  const lower = word.toLowerCase();
  if ([...MONTHS_GENITIVE, ...MONTHS_NOMINATIVE].includes(lower as never)) return word;
  const right = MONTHS_GENITIVE[m - 1]!;
  return word === word.toUpperCase() ? right.toUpperCase() : right;
}

/** A value never spans two rows: patterns run on each line of the text separately. */
function perLine<T>(s: string, find: (line: string) => T[]): T[] {
  return s.split('\n').flatMap(find);
}

/** Digits OCR confuses with each other, likeliest first. */
const CONFUSABLE: Record<string, string> = {
  '0': '869',
  '1': '74',
  '3': '58',
  '4': '1',
  '5': '36',
  '6': '58',
  '7': '1',
  '8': '306',
  '9': '0',
};

/**
 * Single confusable-digit substitutions of `digits` that pass `valid`, likeliest first. Used only
 * when what was read fails a check (checksum, calendar), so a correct reading is never changed.
 */
export function repairConfusable(digits: string, valid: (d: string) => boolean): string[] {
  const out: { d: string; rank: number }[] = [];
  for (let i = 0; i < digits.length; i++) {
    const alts = CONFUSABLE[digits[i]!] ?? '';
    for (let r = 0; r < alts.length; r++) {
      const d = digits.slice(0, i) + alts[r] + digits.slice(i + 1);
      if (valid(d)) out.push({ d, rank: r });
    }
  }
  return out.sort((a, b) => a.rank - b.rank).map((x) => x.d);
}

function validDmy(d: string): boolean {
  const day = Number(d.slice(0, 2));
  const month = Number(d.slice(2, 4));
  const year = Number(d.slice(4, 8));
  return day >= 1 && day <= 31 && month >= 1 && month <= 12 && year >= 1900 && year <= 2099;
}

/** «50.05.1959» cannot be: the one confusable-digit fix that makes it a date («30.05.1959») is taken. */
function repairDate(date: string): string {
  const digits = date.replace(/\D/g, '');
  if (validDmy(digits)) return date;
  const fixed = repairConfusable(digits, validDmy)[0];
  return fixed ? `${fixed.slice(0, 2)}.${fixed.slice(2, 4)}.${fixed.slice(4)}` : date;
}

/**
 * A numeric date's day has two digits (ГОСТ Р 7.0.97-2016, п. 5.3: «05.07.1989»); a bracket before a
 * lone day digit is the left half of its «0» («(5.07.1989»).
 */
const HALF_ZERO = /(?<![\d(])\((\d[.,]\d\d[.,]\d{4})(?!\d)/g;

/** The text with its dates taken out (as read, before any repair). */
export function stripDates(s: string): string {
  return perLine(s.replace(HALF_ZERO, '0$1'), (line) => [digitText(line).replace(DATE_RE, ' ')]).join('\n');
}

/** Dates in the text, as printed (a comma OCR'd for a dot is put back, a stray space dropped). */
export function findDates(s: string): string[] {
  const out: string[] = [];
  const text = s.replace(HALF_ZERO, '0$1');
  for (const m of perLine(text, (line) => [...digitText(line).matchAll(DATE_RE)])) {
    if (m[1] === undefined) {
      out.push(repairDate(m[0].replace(/\s/g, '').replace(/,/g, '.')));
      continue;
    }
    const month = monthWord(m[1]);
    if (!month) continue;
    // «2024г» and «2024 г» are OCR losses of the printed «2024 г.».
    out.push(
      squash(m[0].replace(m[1], month))
        .replace(/(\d{4})\s*([гГ])\.?$/, '$1 $2.')
        .replace(/^</, '«')
        .replace(/^(«?\d{1,2})>/, '$1»'),
    );
  }
  return out;
}

export function yearOf(date: string): number {
  return Number(/\d{4}/.exec(date)?.[0] ?? 0);
}

/** Runs of digits joined by separators, with their digits only. */
function digitRuns(s: string, sep: RegExp, minDigits: number, maxDigits: number): string[] {
  const out: string[] = [];
  const re = new RegExp(`\\d(?:${sep.source}|\\d)*\\d`, 'g');
  for (const m of perLine(s, (line) => [...digitText(line).matchAll(re)])) {
    const d = m[0].replace(/\D/g, '');
    if (d.length >= minDigits && d.length <= maxDigits) out.push(d);
  }
  return out;
}

/** СНИЛС candidates: valid ones first (repaired where one repeated-digit edit makes them valid). */
export function findSnils(s: string): string[] {
  const valid: string[] = [];
  const other: string[] = [];
  for (const d of digitRuns(s, /[\s\-–—.]{1,2}/, 10, 12)) {
    if (isValidSnils(d)) valid.push(formatSnils(d));
    else {
      const fixed = [...repairRepeatedDigit(d, 11, isValidSnils), ...repairConfusable(d, isValidSnils)];
      if (fixed.length > 0) valid.push(formatSnils(fixed[0]!));
      else if (d.length === 11) other.push(formatSnils(d));
    }
  }
  return [...valid, ...other];
}

/**
 * ИНН candidates (10 or 12 digits, also printed one digit per box), valid ones first, repaired where a
 * single OCR slip explains the checksum failure. `asRead` also keeps runs of 9-13 digits that no repair
 * validates, for text right next to an «ИНН» label, where a slightly wrong number beats none.
 */
export function findInn(s: string, asRead = false): string[] {
  const valid: string[] = [];
  const other: string[] = [];
  for (const d of digitRuns(s, / /, 9, 13)) {
    if (isValidInn(d)) valid.push(d);
    else {
      const fixed = innRepairs(d);
      if (fixed.length > 0 && (asRead || d.length === 10 || d.length === 12)) valid.push(fixed[0]!);
      else if (asRead || d.length === 10 || d.length === 12) other.push(d);
    }
  }
  return [...gridInns(s), ...valid, ...other];
}

/**
 * An ИНН printed one digit per cell, as the certificate forms of Приказ ФНС № ЯК-7-6/488@ print it:
 * OCR reads the cell borders as «|», «]», «[», «I», «l» and, worse, as extra «1»s. Border marks are
 * dropped; then, if the run is too long, the one set of up to two «1»s whose removal leaves a
 * checksum-valid 10- or 12-digit ИНН is removed (two check digits make a false fix unlikely).
 */
function gridInns(s: string): string[] {
  const out: string[] = [];
  for (const line of s.split('\n')) {
    for (const m of line.matchAll(/[\d|\][Il!](?:[\s|\][Il!]*[\d|\][Il!])+/g)) {
      const bars = (m[0].match(/[|\][Il!]/g) ?? []).length;
      if (bars < 3) continue;
      const d = m[0].replace(/[^\d]/g, '');
      if ((d.length === 10 || d.length === 12) && isValidInn(d)) {
        out.push(d);
        continue;
      }
      const fixed = new Set<string>();
      for (const want of [12, 10]) {
        const extra = d.length - want;
        if (extra < 1 || extra > 2) continue;
        const ones = [...d].flatMap((c, i) => (c === '1' ? [i] : []));
        const drop = (idx: number[]) => [...d].filter((_, i) => !idx.includes(i)).join('');
        for (let a = 0; a < ones.length; a++) {
          if (extra === 1) {
            const x = drop([ones[a]!]);
            if (isValidInn(x)) fixed.add(x);
            continue;
          }
          for (let b = a + 1; b < ones.length; b++) {
            const x = drop([ones[a]!, ones[b]!]);
            if (isValidInn(x)) fixed.add(x);
          }
        }
      }
      if (fixed.size === 1) out.push(...fixed);
    }
  }
  return out;
}

function innRepairs(d: string): string[] {
  return [
    ...repairRepeatedDigit(d, 10, isValidInn),
    ...repairRepeatedDigit(d, 12, isValidInn),
    ...repairConfusable(d, isValidInn),
    ...dropOneDigit(d, 12, isValidInn),
  ];
}

/** One stray digit anywhere: only trusted for 12-digit numbers, whose two check digits make a false fix rare. */
function dropOneDigit(d: string, want: number, valid: (x: string) => boolean): string[] {
  if (d.length !== want + 1) return [];
  const out = new Set<string>();
  for (let i = 0; i < d.length; i++) {
    const x = d.slice(0, i) + d.slice(i + 1);
    if (valid(x)) out.add(x);
  }
  return out.size === 1 ? [...out] : [];
}

/** Pick the ИНН from one ИНН-ish digit string: itself if valid, else a checksum repair, else as read. */
export function bestInn(d: string): string {
  if (isValidInn(d)) return d;
  return innRepairs(d)[0] ?? d;
}

/** «7701234560/770101001» pairs. */
export function findInnKpp(s: string): { inn: string; kpp: string }[] {
  const re = /(?<!\d)(\d{9,13})\s*[/|\\]\s*(\d{9})(?!\d)/g;
  return perLine(s, (line) => [...digitText(line).matchAll(re)]).map((m) => ({
    inn: bestInn(m[1]!),
    kpp: m[2]!,
  }));
}

export function findDepartmentCodes(s: string): string[] {
  const re = /(?<![\d-])(\d{3})\s*[-–—]\s*(\d{3})(?![\d-])/g;
  return perLine(s, (line) => [...digitText(line).matchAll(re)]).map((m) => `${m[1]}-${m[2]}`);
}

export interface PassportId {
  series: string;
  number: string;
}

/**
 * «45 12 031786», «4512 № 031786»: the passport's 4-digit series (region code + year of the blank) and
 * 6-digit number, as Постановление № 828 has them printed. A run glued to Latin letters or «<» is an MRZ
 * field, not a printed number, and is left to mrz.ts, which can check it.
 */
export function findPassportIds(s: string): PassportId[] {
  const re = /(?<![\d<A-Za-z-])(\d{2})\s?(\d{2})\s*(?:№|N[oо°9e]?|#)?\s*(\d{6})(?![\d<A-Za-z-])/g;
  return perLine(s, (line) => [...digitText(line).matchAll(re)]).map((m) => ({
    series: `${m[1]} ${m[2]}`,
    number: m[3]!,
  }));
}

/** «36 № 162299541»: the series and number of a certificate form. */
export function findFormNumbers(s: string): string[] {
  const re = /(?<!\d)(\d{2}) ?(?:№|N[oо°9e]?|Ne|Мо) ?(\d{9,10})(?!\d)/g;
  return perLine(s, (line) => [...digitText(line).matchAll(re)]).map((m) => `${m[1]} № ${m[2]}`);
}

/**
 * Money amounts as printed («48 350,00», «120000.00»). Russian practice groups the rubles in threes
 * with a space and puts the kopecks after a comma; «1969 094,25» — a four-digit group before triples —
 * cannot be printed, it is a group space OCR lost, and is regrouped («1 969 094,25»).
 */
export function findAmounts(s: string): string[] {
  // Not the «12.03» of a date «12.03.2024»: no digit, and no separator and digit, may follow.
  const re = /(?<![\d.,])(?:\d{1,4}(?:[  ]\d{3})*|\d{5,12})[.,]\d{2}(?!\d|[.,]\d)/g;
  return perLine(s, (line) => [...digitText(line).matchAll(re)]).map((m) => {
    const a = m[0].trim();
    const lost = /^(\d)(\d{3})((?:[  ]\d{3})+[.,]\d{2})$/.exec(a);
    return lost ? `${lost[1]} ${lost[2]}${lost[3]}` : a;
  });
}

export function amountValue(a: string): number {
  return Number(a.replace(/[\s ]/g, '').replace(',', '.'));
}

/**
 * A word OCR'd in Latin look-alikes inside Russian text («OOO Ромашка», «Cмирнов») goes back to
 * Cyrillic; words that are really Latin (with letters that have no look-alike) stay.
 */
export function harmonizeScript(s: string): string {
  if (!/[а-яё]/i.test(s)) return s;
  return s
    .split(/(\s+)/)
    .map((word) => {
      let w = word;
      const abbreviation = repairAbbreviation(w);
      if (abbreviation) return abbreviation;
      // «Й» read as «И» (the breve is lost): adjectives in -ский/-ской/-цкий/-цкой (every region and
      // district adjective: «Самарской», «Кировский») never end in -скии/-скои.
      if (/[сц]к[иоы]и[.,]?$/i.test(w)) {
        w = w.replace(
          /([сц]к[иоы])([иИ])([.,]?)$/i,
          (_, a: string, i: string, p: string) => `${a}${i === 'И' ? 'Й' : 'й'}${p}`,
        );
      }
      // A digit between Cyrillic letters is the letter of its shape («Ре6ров», «ЗО0ЛОГ»): Russian words
      // carry no digits. Only inside a word: «6-й», «д.6» keep theirs.
      if (/[а-яё][063][а-яё]/i.test(w) && !/[A-Za-z]/.test(w)) {
        const upper = w === w.toUpperCase();
        return w.replace(/(?<=[а-яё])[063](?=[а-яё])/gi, (d) => {
          const letter = letterOfDigit(d as '0' | '3' | '6');
          return upper ? letter.toUpperCase() : letter;
        });
      }
      if (!/[A-Za-z]/.test(w)) return w;
      const letters = w.replace(/[^A-Za-zА-Яа-яЁё]/g, '');
      const latinOnlyLookalikes = [...letters].every(
        (ch) => /[А-Яа-яЁё]/.test(ch) || ch in LATIN_TO_CYRILLIC,
      );
      if (!latinOnlyLookalikes) return w;
      let out = '';
      for (const ch of w) out += LATIN_TO_CYRILLIC[ch] ?? ch;
      return out;
    })
    .join('');
}

/** Noise OCR leaves around a value: leading colons and dashes, stray bars. */
export function cleanValue(s: string): string {
  return harmonizeScript(
    squash(s)
      .replace(/^[\s:;|—–_.,-]+/, '')
      // A value never ends in a comma: in running text («… Ивановна, пол …») it belongs to the sentence.
      .replace(/[\s:;,|—–_-]+$/, '')
      // Column references printed at the right edge of an invoice row: «(2)», «(6а)».
      .replace(/\s*\(\d{1,2}[а-яa-z]?\)$/, ''),
  );
}

/**
 * The machine-readable zone of the Russian internal passport, read from OCR text. Pure.
 *
 * Layout (ICAO Doc 9303 part 4, TD3: two lines of 44 characters) as the Russian passport fills it, per
 * Приказ МВД России от 16.11.2020 № 773, приложение 24 «Правила и способ формирования машиночитаемой
 * записи» (before it, Приказ ФМС России № 391 of 2012):
 *  - line 1: `PN` `RUS`, then surname `<<` name `<` patronymic, in the «модернизированный клер» letter
 *    table (one Latin letter or digit per Cyrillic letter: Ё=2, Ж=J, Й=Q, Ц=C, Ч=3, Ш=4, Щ=W, Ъ=X, Ы=Y,
 *    Ь=9, Э=6, Ю=7, Я=8), padded with `<`;
 *  - line 2: the first 3 digits of the series and the 6-digit number, check digit, `RUS`, birth date
 *    YYMMDD and check digit, sex `M`/`F`, an empty expiry `<<<<<<<`, then optional data: the 4th digit of
 *    the series, issue date YYMMDD and the 6-digit department code, its check digit, and the composite
 *    check digit over positions 1–10, 14–20 and 22–43.
 * Check digits are ICAO's (weights 7, 3, 1; `<` = 0, A–Z = 10–35). A field whose check digit fails is
 * not used (the printed or vertical reading answers instead).
 */

/** The «модернизированный клер» table, Latin → Cyrillic. */
const FROM_MRZ: Record<string, string> = {
  A: 'А', B: 'Б', V: 'В', G: 'Г', D: 'Д', E: 'Е', '2': 'Ё', J: 'Ж', Z: 'З', I: 'И', Q: 'Й', K: 'К',
  L: 'Л', M: 'М', N: 'Н', O: 'О', P: 'П', R: 'Р', S: 'С', T: 'Т', U: 'У', F: 'Ф', H: 'Х', C: 'Ц',
  '3': 'Ч', '4': 'Ш', W: 'Щ', X: 'Ъ', Y: 'Ы', '9': 'Ь', '6': 'Э', '7': 'Ю', '8': 'Я',
}; // biome-ignore format: a table

/** Cyrillic capitals Tesseract (rus+eng) returns for the Latin ones in OCR-B text. */
const CYR_TO_LAT: Record<string, string> = {
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X',
  З: '3', Ч: '4', б: '6',
}; // biome-ignore format: a table

/** Letters read in a field that holds only digits. */
const DIGIT_OF: Record<string, string> = {
  O: '0',
  Q: '0',
  D: '0',
  I: '1',
  L: '1',
  Z: '2',
  S: '5',
  B: '8',
  G: '6',
};

export interface MrzData {
  surname?: string;
  name?: string;
  patronymic?: string;
  /** «45 12» */
  series?: string;
  number?: string;
  /** DD.MM.YYYY */
  birthDate?: string;
  sex?: 'M' | 'F';
  issueDate?: string;
  /** «770-118» */
  departmentCode?: string;
}

function charValue(c: string): number {
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  if (c >= 'A' && c <= 'Z') return c.charCodeAt(0) - 55;
  return 0;
}

/** ICAO 9303 check digit of a field. */
export function mrzCheckDigit(field: string): string {
  const w = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < field.length; i++) sum += charValue(field[i]!) * w[i % 3]!;
  return String(sum % 10);
}

/** One OCR row → MRZ alphabet: no spaces, «« and ‹ back to <, Cyrillic look-alikes to Latin. */
export function mrzClean(row: string): string {
  let out = '';
  for (const ch of row.replace(/\s+/g, '').replace(/«/g, '<<').replace(/[‹〈]/g, '<')) {
    out += CYR_TO_LAT[ch] ?? ch.toUpperCase();
  }
  return out;
}

/** A row is an MRZ line when it is long and nearly all MRZ alphabet with fillers. */
export function looksLikeMrz(row: string): boolean {
  const s = mrzClean(row);
  if (s.length < 30 || !s.includes('<')) return false;
  const ok = (s.match(/[A-Z0-9<]/g) ?? []).length;
  return ok / s.length >= 0.9;
}

const digitsOnly = (s: string) => [...s].map((c) => DIGIT_OF[c] ?? c).join('');

/**
 * `value` when its check digit passes, else nothing. No repair is tried: with one mod-10 check digit,
 * a misread digit is detected but not located, and a "repair" that passes is as often wrong as right.
 */
function checked(value: string, check: string): string | undefined {
  const v = digitsOnly(value);
  const c = digitsOnly(check);
  if (!/^\d+$/.test(v) || !/^\d$/.test(c)) return undefined;
  return mrzCheckDigit(v) === c ? v : undefined;
}

function yymmdd(s: string, pivot: number): string | undefined {
  if (!/^\d{6}$/.test(s)) return undefined;
  const yy = Number(s.slice(0, 2));
  const mm = Number(s.slice(2, 4));
  const dd = Number(s.slice(4, 6));
  if (mm < 1 || mm > 12 || dd < 1 || dd > 31) return undefined;
  const year = yy > pivot ? 1900 + yy : 2000 + yy;
  return `${s.slice(4, 6)}.${s.slice(2, 4)}.${year}`;
}

function fromMrzName(s: string): string {
  return [...s.replace(/0/g, 'O').replace(/1/g, 'I')].map((c) => FROM_MRZ[c] ?? c).join('');
}

function parseLine1(s: string): Pick<MrzData, 'surname' | 'name' | 'patronymic'> {
  const m = /^P.?RUS([A-Z0-9<]+)/.exec(s);
  if (!m) return {};
  const body = m[1]!.replace(/<+$/, '');
  const [surname, given = ''] = body.split(/<<+/, 2);
  const [name, ...patronymic] = given.split('<');
  const cyr = (x: string | undefined) => (x ? fromMrzName(x) : undefined);
  return {
    surname: surname ? fromMrzName(surname.replace(/</g, '-')) : undefined,
    name: cyr(name),
    patronymic: patronymic.length > 0 ? cyr(patronymic.join(' ')) : undefined,
  };
}

function parseLine2(s: string, pivot: number): Omit<MrzData, 'surname' | 'name' | 'patronymic'> {
  // Anchor on the nationality: OCR may drop or add fillers elsewhere, but the 10 characters before RUS
  // are the number and its check digit, and the 7 after are the birth date and its check digit.
  const at = s.search(/RUS(?=[0-9OQDILZSBG]{6})/);
  if (at < 10) return {};
  const out: Omit<MrzData, 'surname' | 'name' | 'patronymic'> = {};
  const doc = checked(s.slice(at - 10, at - 1), s[at - 1]!);
  const birth = checked(s.slice(at + 3, at + 9), s[at + 9]!);
  if (birth) out.birthDate = yymmdd(birth, pivot);
  const sex = s[at + 10];
  if (sex === 'M' || sex === 'F') out.sex = sex;
  // The optional data field: 13 characters after the expiry's fillers, then its check digit.
  const opt = /<{3,}([0-9OQDILZSBG]{13})<*([0-9OQDILZSBG])[0-9OQDILZSBGT<]?$/.exec(s.slice(at + 11));
  const optional = opt ? checked(opt[1]!, opt[2]!) : undefined;
  if (doc && optional) {
    out.series = `${doc.slice(0, 2)} ${doc[2]}${optional[0]}`;
    out.number = doc.slice(3, 9);
  }
  if (optional) {
    const issued = yymmdd(optional.slice(1, 7), 99);
    if (issued) out.issueDate = issued;
    out.departmentCode = `${optional.slice(7, 10)}-${optional.slice(10, 13)}`;
  }
  return out;
}

/**
 * The MRZ data found among `rows` (OCR text, one row per line), or undefined when no MRZ is there.
 * `currentYear` decides the century of a two-digit birth year (a birth year is never in the future).
 */
export function readMrz(
  rows: readonly string[],
  currentYear = new Date().getFullYear(),
): MrzData | undefined {
  const lines = rows.filter(looksLikeMrz).map(mrzClean);
  if (lines.length === 0) return undefined;
  const pivot = currentYear % 100;
  let data: MrzData = {};
  for (const l of lines) {
    if (/^P.?RUS/.test(l) && !/RUS[0-9]{6}/.test(l)) data = { ...data, ...parseLine1(l) };
    else data = { ...parseLine2(l, pivot), ...data };
  }
  return Object.keys(data).length > 0 ? data : undefined;
}

import {
  isValidDepartmentCode,
  isValidInn,
  isValidKpp,
  isValidPassportNumber,
  isValidSex,
  isValidSnils,
  isValidTaxAuthorityCode,
} from '../dataset/checksums.js';
import { days, parseAnswerDate, type Ymd } from './dates.js';
import { DATE_KINDS, type FieldKind, maxWords } from './kinds.js';

/** Why an answer is not a valid value; stable ids for tables and JSON. */
export type InvalidReason =
  | 'empty'
  | 'refusal'
  | 'explanation'
  | 'format'
  | 'checksum'
  | 'date_unparsable'
  | 'date_implausible'
  | 'date_order';

export const INVALID_REASONS: readonly InvalidReason[] = [
  'empty',
  'refusal',
  'explanation',
  'format',
  'checksum',
  'date_unparsable',
  'date_implausible',
  'date_order',
];

export interface Verdict {
  reason: InvalidReason;
  detail: string;
}

/**
 * A model declining or hedging instead of answering. Matched on the whole answer (these phrases never
 * occur inside a document's field values), in Russian and English.
 */
const REFUSAL =
  /(извин|к сожалению|не могу|не удалось|не удаётся|не удается|невозможно|не вижу|не видно|не разобрать|нечитаем|не указан|отсутствует|нет данных|\bi cannot\b|\bi can['’]?t\b|\bi'm sorry\b|\bi am sorry\b|\bsorry\b|\bunable to\b|\bnot (?:visible|legible|readable)\b|\bas an ai\b)/i;

/** Lead-ins of a sentence about the value rather than the value itself. */
const EXPLANATION =
  /^(на изображении|на картинке|на фото|в документе|в поле|документ|это |ответ\s*:|значение\s*:|answer\s*:|the (?:image|document|field|value)|this (?:image|document))/i;

const NAME = /^[A-Za-zА-Яа-яЁё]+(?:[-' ][A-Za-zА-Яа-яЁё]+)*$/;
const MONEY = /^\d{1,3}(?:[  ]?\d{3})*(?:[.,]\d{2})?$/;
const FORM_SERIES = /^\d{2}\s*№?\s*\d{7,9}$/;
const INVOICE_NUMBER = /^[№#]?\s*[\p{L}\d][\p{L}\d/\-.]{0,29}$/u;

function words(s: string): number {
  return s.trim().split(/\s+/).filter(Boolean).length;
}

function digitsOnly(s: string): string {
  return s.replace(/[\s-]/g, '');
}

function formatOrChecksum(ok: boolean, shapeOk: boolean, what: string): Verdict | undefined {
  if (ok) return undefined;
  return shapeOk
    ? { reason: 'checksum', detail: `${what}: check digits do not match` }
    : { reason: 'format', detail: `not a ${what}` };
}

/** Plausible calendar range for a document date: not before 1900 and not after today. */
function checkDate(kind: FieldKind, d: Ymd, now: Date): Verdict | undefined {
  const today = Math.floor(now.getTime() / 86_400_000);
  if (d.y < 1900) return { reason: 'date_implausible', detail: `year ${d.y} is before 1900` };
  if (days(d) > today) return { reason: 'date_implausible', detail: 'date is in the future' };
  if (kind === 'birth_date') {
    const age = (today - days(d)) / 365.2425;
    if (age > 120) return { reason: 'date_implausible', detail: `age ${Math.floor(age)} is over 120` };
  }
  return undefined;
}

/**
 * The verdict on one answer taken alone; undefined when it is a plausible value of its kind. Checks run
 * from the coarsest (empty, refusal, prose) to the most specific (check digits, calendar).
 */
export function checkValue(kind: FieldKind, answer: string, now: Date): Verdict | undefined {
  const a = answer.trim();
  if (a === '') return { reason: 'empty', detail: 'empty answer' };
  if (REFUSAL.test(a)) return { reason: 'refusal', detail: 'a refusal or hedge instead of a value' };
  if (EXPLANATION.test(a) || words(a) > maxWords(kind) || (kind !== 'text' && a.length > 120))
    return { reason: 'explanation', detail: `a sentence instead of a ${kind} value` };
  if (DATE_KINDS.has(kind)) {
    const d = parseAnswerDate(a);
    if (!d)
      return { reason: 'date_unparsable', detail: 'not a date (dd.mm.yyyy or «16 сентября 1990 года»)' };
    return checkDate(kind, d, now);
  }
  const d = digitsOnly(a);
  switch (kind) {
    case 'snils_number':
      return formatOrChecksum(isValidSnils(a), /^\d{11}$/.test(d), 'СНИЛС (XXX-XXX-XXX YY)');
    case 'inn_personal':
      return formatOrChecksum(
        /^\d{12}$/.test(a) && isValidInn(a),
        /^\d{12}$/.test(a),
        'personal ИНН (12 digits)',
      );
    case 'inn':
      return formatOrChecksum(isValidInn(a), /^(\d{10}|\d{12})$/.test(a), 'ИНН (10 or 12 digits)');
    case 'kpp':
      return isValidKpp(a)
        ? undefined
        : { reason: 'format', detail: 'not a КПП (4 digits, 2 digits or A–Z, 3 digits)' };
    case 'passport_number':
      return isValidPassportNumber(a)
        ? undefined
        : { reason: 'format', detail: 'not a passport series and number (dd dd dddddd)' };
    case 'department_code':
      return isValidDepartmentCode(a)
        ? undefined
        : { reason: 'format', detail: 'not a department code (ddd-ddd)' };
    case 'tax_authority_code':
      return isValidTaxAuthorityCode(a)
        ? undefined
        : { reason: 'format', detail: 'not a tax office code (4 digits)' };
    case 'form_series_number':
      return FORM_SERIES.test(a)
        ? undefined
        : { reason: 'format', detail: 'not a form series and number (dd № ddddddddd)' };
    case 'invoice_number':
      return INVOICE_NUMBER.test(a) ? undefined : { reason: 'format', detail: 'not an invoice number' };
    case 'money':
      return MONEY.test(a) ? undefined : { reason: 'format', detail: 'not an amount (1 234,56)' };
    case 'sex':
      return isValidSex(a)
        ? undefined
        : { reason: 'format', detail: 'not a sex (мужской / женский / муж. / жен.)' };
    case 'last_name':
    case 'first_name':
    case 'middle_name':
      return NAME.test(a)
        ? undefined
        : { reason: 'format', detail: 'not a name (letters, hyphen, apostrophe)' };
    default:
      return undefined;
  }
}

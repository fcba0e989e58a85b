import { parsePrintedDate } from './dates.js';

/**
 * Check digits of Russian identifiers. Exposed for label-free answer checks: a model's answer
 * that fails its checksum is wrong even when no ground truth is at hand.
 */

/** Digits only; separators (spaces, hyphens) are ignored. */
function onlyDigits(s: string): string {
  return s.replace(/[\s-]/g, '');
}

function weightedSum(d: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += Number(d[i]) * (weights[i] as number);
  return sum;
}

/**
 * The two check digits of a СНИЛС from its first nine digits: weights 9..1 from the left;
 * a sum below 100 is the check number itself, 100 and 101 give 00, larger sums are taken mod 101
 * (a remainder of 100 again gives 00).
 */
export function snilsChecksum(nine: string): string {
  const d = onlyDigits(nine);
  if (!/^\d{9}$/.test(d)) throw new Error(`checksums: snilsChecksum needs 9 digits, got "${nine}"`);
  const sum = weightedSum(d, [9, 8, 7, 6, 5, 4, 3, 2, 1]);
  let check: number;
  if (sum < 100) check = sum;
  else if (sum === 100 || sum === 101) check = 0;
  else {
    check = sum % 101;
    if (check === 100) check = 0;
  }
  return String(check).padStart(2, '0');
}

/** Numbers up to 001-001-998 were issued before the checksum existed and are not checked. */
const SNILS_UNCHECKED_MAX = 1001998;

/** Accepts `XXX-XXX-XXX YY` or eleven bare digits. */
export function isValidSnils(s: string): boolean {
  const d = onlyDigits(s.trim());
  if (!/^\d{11}$/.test(d)) return false;
  const body = d.slice(0, 9);
  if (Number(body) <= SNILS_UNCHECKED_MAX) return true;
  return snilsChecksum(body) === d.slice(9);
}

/** `XXX-XXX-XXX YY`, as printed on the card. */
export function formatSnils(eleven: string): string {
  return `${eleven.slice(0, 3)}-${eleven.slice(3, 6)}-${eleven.slice(6, 9)} ${eleven.slice(9, 11)}`;
}

const INN10_W = [2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
const INN11_W = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
const INN12_W = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const;

/** The check digit of a 10-digit (organisation) ИНН from its first nine digits. */
export function innChecksum10(nine: string): string {
  if (!/^\d{9}$/.test(nine)) throw new Error(`checksums: innChecksum10 needs 9 digits, got "${nine}"`);
  return String((weightedSum(nine, INN10_W) % 11) % 10);
}

/** The two check digits of a 12-digit (personal) ИНН from its first ten digits. */
export function innChecksum12(ten: string): string {
  if (!/^\d{10}$/.test(ten)) throw new Error(`checksums: innChecksum12 needs 10 digits, got "${ten}"`);
  const c11 = (weightedSum(ten, INN11_W) % 11) % 10;
  const c12 = (weightedSum(ten + String(c11), INN12_W) % 11) % 10;
  return `${c11}${c12}`;
}

/** Check digits for a ИНН body: 9 digits → 1 check digit, 10 digits → 2 check digits. */
export function innChecksum(body: string): string {
  if (body.length === 9) return innChecksum10(body);
  if (body.length === 10) return innChecksum12(body);
  throw new Error(`checksums: innChecksum needs 9 or 10 digits, got "${body}"`);
}

/** A 10- or 12-digit ИНН with correct check digits. Separators are not allowed: a ИНН is printed bare. */
export function isValidInn(s: string): boolean {
  const d = s.trim();
  if (/^\d{10}$/.test(d)) return innChecksum10(d.slice(0, 9)) === d.slice(9);
  if (/^\d{12}$/.test(d)) return innChecksum12(d.slice(0, 10)) === d.slice(10);
  return false;
}

/** КПП: tax office code (4 digits), reason (2 digits or capital Latin letters), number (3 digits). */
export function isValidKpp(s: string): boolean {
  return /^\d{4}[\dA-Z]{2}\d{3}$/.test(s.trim());
}

/**
 * A real calendar day in any form documents print dates in: «16.09.1990», «16.09.1990 г.»,
 * «16 сентября 1990 года» (see dates.ts).
 */
export function isValidDate(s: string): boolean {
  return parsePrintedDate(s) !== null;
}

export function isValidPassportNumber(s: string): boolean {
  return /^\d{2} ?\d{2} ?№? ?\d{6}$/.test(s.trim());
}

export function isValidDepartmentCode(s: string): boolean {
  return /^\d{3}-\d{3}$/.test(s.trim());
}

export function isValidTaxAuthorityCode(s: string): boolean {
  return /^\d{4}$/.test(s.trim());
}

const SEX_VALUES = new Set(['мужской', 'женский', 'муж', 'жен', 'муж.', 'жен.']);
export function isValidSex(s: string): boolean {
  return SEX_VALUES.has(s.trim().toLowerCase());
}

/**
 * Which check applies to an answer, from the field name (question_type) alone. Undefined where
 * the field is free text. Matching is by field name so it works on any dataset using these names.
 */
export function validatorForQuestionType(qt: string): ((v: string) => boolean) | undefined {
  const q = qt.trim().toLowerCase();
  if (q === 'номер снилс' || q === 'снилс') return isValidSnils;
  if (q.startsWith('инн')) return isValidInn;
  if (q.startsWith('кпп')) return isValidKpp;
  if (q === 'серия и номер паспорта') return isValidPassportNumber;
  if (q === 'код подразделения') return isValidDepartmentCode;
  if (q === 'код налогового органа') return isValidTaxAuthorityCode;
  if (q === 'пол') return isValidSex;
  if (q.startsWith('дата')) return isValidDate;
  return undefined;
}

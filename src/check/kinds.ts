import { fieldKind } from '../synth/templates/fields.js';

/**
 * What kind of value a field holds, from its question_type: the synthetic templates' kind ids where the
 * name is one of theirs (src/synth/templates/fields.ts), else a guess from the name, so a real dataset
 * that uses the same Russian field names gets the same checks.
 */
export type FieldKind =
  | 'snils_number'
  | 'inn_personal'
  | 'inn'
  | 'kpp'
  | 'passport_number'
  | 'department_code'
  | 'tax_authority_code'
  | 'form_series_number'
  | 'invoice_number'
  | 'money'
  | 'sex'
  | 'last_name'
  | 'first_name'
  | 'middle_name'
  | 'birth_date'
  | 'registration_date'
  | 'issue_date'
  | 'invoice_date'
  | 'date'
  | 'text';

const KNOWN = new Set<string>([
  'snils_number',
  'inn_personal',
  'inn',
  'kpp',
  'passport_number',
  'department_code',
  'tax_authority_code',
  'form_series_number',
  'invoice_number',
  'money',
  'sex',
  'last_name',
  'first_name',
  'middle_name',
  'birth_date',
  'registration_date',
  'issue_date',
  'invoice_date',
]);

function guess(questionType: string): FieldKind {
  const q = questionType.trim().toLowerCase().replace(/ё/g, 'е');
  if (q.includes('снилс')) return 'snils_number';
  if (q.startsWith('инн')) return 'inn';
  if (q.startsWith('кпп')) return 'kpp';
  if (q === 'серия и номер паспорта') return 'passport_number';
  if (q === 'код подразделения') return 'department_code';
  if (q === 'код налогового органа') return 'tax_authority_code';
  if (q === 'пол') return 'sex';
  if (q === 'фамилия') return 'last_name';
  if (q === 'имя') return 'first_name';
  if (q === 'отчество') return 'middle_name';
  if (q === 'дата рождения') return 'birth_date';
  if (q === 'дата выдачи') return 'issue_date';
  if (q.startsWith('дата')) return 'date';
  return 'text';
}

export function kindOf(questionType: string): FieldKind {
  try {
    const k = fieldKind(questionType);
    if (KNOWN.has(k)) return k as FieldKind;
    return 'text';
  } catch {
    return guess(questionType);
  }
}

export const DATE_KINDS: ReadonlySet<FieldKind> = new Set([
  'birth_date',
  'registration_date',
  'issue_date',
  'invoice_date',
  'date',
]);

/** Longest plausible answer in words; more is an explanation instead of a value. */
export function maxWords(kind: FieldKind): number {
  switch (kind) {
    case 'text':
      return 40;
    case 'money':
      return 6;
    case 'passport_number':
    case 'form_series_number':
    case 'snils_number':
      return 4;
    case 'last_name':
    case 'first_name':
    case 'middle_name':
      return 3;
    default:
      return DATE_KINDS.has(kind) ? 4 : 2;
  }
}

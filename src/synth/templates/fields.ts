import type { QuestionVariants } from '../types.js';

/**
 * Every field any template prints: its question_type (Russian, as in the original datasets),
 * a stable kind id, and how to ask for it. The first Russian variant is the original project's
 * «Напиши <поле>»; the others are natural rephrasings.
 */
interface FieldSpec {
  kind: string;
  /** The field in the accusative, for «Напиши …». */
  acc: string;
  en: string;
}

const SPECS: Record<string, FieldSpec> = {
  'Номер СНИЛС': { kind: 'snils_number', acc: 'номер СНИЛС', en: 'SNILS number (insurance number)' },
  Фамилия: { kind: 'last_name', acc: 'фамилию', en: 'surname' },
  Имя: { kind: 'first_name', acc: 'имя', en: 'first name' },
  Отчество: { kind: 'middle_name', acc: 'отчество', en: 'patronymic' },
  Пол: { kind: 'sex', acc: 'пол', en: 'sex' },
  'Дата рождения': { kind: 'birth_date', acc: 'дату рождения', en: 'date of birth' },
  'Место рождения': { kind: 'birth_place', acc: 'место рождения', en: 'place of birth' },
  'Дата регистрации': { kind: 'registration_date', acc: 'дату регистрации', en: 'registration date' },
  ИНН: { kind: 'inn_personal', acc: 'ИНН', en: 'INN (taxpayer identification number)' },
  'Дата постановки на учёт': {
    kind: 'registration_date',
    acc: 'дату постановки на учёт',
    en: 'date of tax registration',
  },
  'Налоговый орган': { kind: 'tax_authority', acc: 'название налогового органа', en: 'tax authority name' },
  'Код налогового органа': {
    kind: 'tax_authority_code',
    acc: 'код налогового органа',
    en: 'tax authority code',
  },
  'Серия и номер бланка': {
    kind: 'form_series_number',
    acc: 'серию и номер бланка свидетельства',
    en: 'certificate form series and number',
  },
  'Дата выдачи': { kind: 'issue_date', acc: 'дату выдачи', en: 'date of issue' },
  'Серия и номер паспорта': {
    kind: 'passport_number',
    acc: 'серию и номер паспорта',
    en: 'passport series and number',
  },
  'Кем выдан': { kind: 'issued_by', acc: 'кем выдан паспорт', en: 'issuing authority' },
  'Код подразделения': { kind: 'department_code', acc: 'код подразделения', en: 'department code' },
  'Номер счёта-фактуры': { kind: 'invoice_number', acc: 'номер счёта-фактуры', en: 'invoice number' },
  'Дата счёта-фактуры': { kind: 'invoice_date', acc: 'дату счёта-фактуры', en: 'invoice date' },
  Продавец: { kind: 'org_name', acc: 'наименование продавца', en: 'seller name' },
  'Адрес продавца': { kind: 'address', acc: 'адрес продавца', en: 'seller address' },
  'ИНН продавца': { kind: 'inn', acc: 'ИНН продавца', en: 'seller INN' },
  'КПП продавца': { kind: 'kpp', acc: 'КПП продавца', en: 'seller KPP' },
  Покупатель: { kind: 'org_name', acc: 'наименование покупателя', en: 'buyer name' },
  'Адрес покупателя': { kind: 'address', acc: 'адрес покупателя', en: 'buyer address' },
  'ИНН покупателя': { kind: 'inn', acc: 'ИНН покупателя', en: 'buyer INN' },
  'КПП покупателя': { kind: 'kpp', acc: 'КПП покупателя', en: 'buyer KPP' },
  'Стоимость без налога': {
    kind: 'money',
    acc: 'итоговую стоимость без налога',
    en: 'total amount excluding VAT',
  },
  'Сумма налога': { kind: 'money', acc: 'итоговую сумму НДС', en: 'total VAT amount' },
  'Всего к оплате': {
    kind: 'money',
    acc: 'сумму «Всего к оплате»',
    en: 'total amount payable including VAT',
  },
};

export function fieldKind(questionType: string): string {
  const spec = SPECS[questionType];
  if (!spec) throw new Error(`synth: unknown field "${questionType}"`);
  return spec.kind;
}

export function questionsFor(questionType: string): QuestionVariants {
  const spec = SPECS[questionType];
  if (!spec) throw new Error(`synth: unknown field "${questionType}"`);
  return {
    ru: [
      `Напиши ${spec.acc}.`,
      `Укажи ${spec.acc} так, как в документе.`,
      `Что написано в поле «${questionType}»? Ответь только значением.`,
      `Найди на изображении ${spec.acc} и в ответе напиши только значение, без пояснений.`,
    ],
    en: [
      `What is the ${spec.en}?`,
      `Write the ${spec.en} exactly as printed.`,
      `Extract the ${spec.en} from the document image. Answer with the value only.`,
    ],
  };
}

export const KNOWN_QUESTION_TYPES: readonly string[] = Object.keys(SPECS);

/**
 * Labels printed on the real documents, by the field they introduce, each list from the document
 * that prescribes the wording. They are matched fuzzily (layout.ts: per-word edit distance, ё = е, case
 * and punctuation ignored, a label's last word may wrap onto the next line), so one phrase covers
 * «Фамилия», «ФАМИЛИЯ», «Фамилия:» and an OCR slip. `other` labels belong to fields we do not extract;
 * they still matter because a value ends where the next label starts.
 */
import type { FieldKind } from './fields.js';

export type LabelKind = FieldKind | 'other';

export interface LabelDef {
  kind: LabelKind;
  phrase: string;
}

type Table = [LabelKind, string[]][];

/**
 * Паспорт гражданина РФ: Постановление Правительства РФ от 08.07.1997 № 828 (образец и описание
 * бланка): page 2 «Паспорт выдан», «Дата выдачи», «Код подразделения», «Личная подпись»; page 3
 * «Фамилия», «Имя», «Отчество», «Пол», «Дата рождения», «Место рождения»; page 5 «Место жительства».
 * Series and number are printed without a caption (strip.ts, mrz.ts); «Серия»/«Номер» are how
 * copies and forms that quote a passport caption them.
 */
const PASSPORT: Table = [
  ['surname', ['Фамилия']],
  ['name', ['Имя']],
  ['patronymic', ['Отчество', 'Отчество (при наличии)']],
  ['sex', ['Пол']],
  ['birth_date', ['Дата рождения']],
  ['birth_place', ['Место рождения']],
  ['issued_by', ['Паспорт выдан', 'Кем выдан', 'Выдан']],
  ['issue_date', ['Дата выдачи']],
  ['department_code', ['Код подразделения']],
  ['passport_series', ['Серия']],
  ['passport_number', ['Номер']],
  ['other', ['Личная подпись', 'Место жительства', 'Зарегистрирован']],
];

/**
 * СНИЛС. The card (страховое свидетельство, form АДИ-1, Постановление Правления ПФР от 31.07.2006
 * № 192п): the number after «№» under the title, «Ф.И.О.» with one name part per line, «Дата и место
 * рождения» (date, then place on the next line), «Пол», «Дата регистрации». The notice that replaced
 * it from 2019 (form АДИ-РЕГ, Постановление Правления ПФР от 13.06.2019 № 335п): «Страховой номер
 * индивидуального лицевого счета», then «Фамилия», «Имя», «Отчество (при наличии)», «Дата рождения»,
 * «Место рождения», «Пол», «Дата регистрации».
 */
const SNILS: Table = [
  ['full_name', ['Ф.И.О.', 'Ф И О', 'Фамилия, имя, отчество', 'Фамилия имя отчество']],
  ['birth_date', ['Дата и место рождения', 'Дата и место']],
  ['registration_date', ['Дата регистрации']],
  ['snils', ['Страховой номер', 'Страховой номер индивидуального лицевого счета', 'СНИЛС', 'Номер СНИЛС']],
  ['other', ['Личная подпись застрахованного лица']],
];

/**
 * Свидетельство о постановке на учет физического лица в налоговом органе, form 2-1-Учет (Приказ ФНС
 * России от 11.08.2011 № ЯК-7-6/488@): «Физическое лицо» with the name on the line and «(фамилия, имя,
 * отчество)» under it, «пол», «дата рождения», «место рождения» in running text, «поставлен(а) на учет
 * … «дд» месяца гггг г. в налоговом органе по месту жительства» with the authority and its 4-digit code,
 * «и ему (ей) присвоен ИНН» (one digit per cell), the blank's «серия … №» at the foot.
 */
const INN: Table = [
  ['full_name', ['Физическое лицо']],
  ['birth_date', ['родился', 'родилась']],
  [
    'registration_date',
    [
      'Дата постановки на учет',
      'поставлен на учет',
      'поставлена на учет',
      'поставлено на учет',
      'поставлен(а) на учет',
    ],
  ],
  // «и ему (ей) присвоен ИНН»: the number's cells follow «присвоен», on its row or the next.
  ['inn', ['ИНН', 'присвоен ИНН', 'присвоен', 'Идентификационный номер налогоплательщика']],
  ['form_series_number', ['Серия бланка']],
  ['tax_authority_code', ['Код', 'Код налогового органа']],
  [
    'tax_authority',
    [
      'в налоговом органе',
      'налоговый орган',
      'Наименование налогового органа',
      'налоговом органе',
      'в налоговом органе по месту жительства',
    ],
  ],
  ['other', ['(фамилия, имя, отчество)', 'Должность уполномоченного лица налогового органа']],
];

/**
 * Счёт-фактура, Постановление Правительства РФ от 26.12.2011 № 1137, приложение 1, with the changes
 * of Постановление № 981 (19.08.2017: «Код вида товара», «Идентификатор государственного контракта,
 * договора (соглашения)») and № 534 (02.04.2021: «Документ об отгрузке № п/п … № … от …», traceability
 * columns). Header rows, each with its column number in brackets at the right: «Счет-фактура № … от …
 * (1)», «Исправление № … от … (1а)», «Продавец (2)», «Адрес (2а)», «ИНН/КПП продавца (2б)»,
 * «Грузоотправитель и его адрес (3)», «Грузополучатель и его адрес (4)», «К платежно-расчетному
 * документу № … от … (5)», «Документ об отгрузке (5а)», «Покупатель (6)», «Адрес (6а)», «ИНН/КПП
 * покупателя (6б)», «Валюта: наименование, код (7)», «Идентификатор государственного контракта (8)»;
 * the table ends with «Всего к оплате (9)»: value without tax, tax, value with tax.
 */
const INVOICE: Table = [
  ['invoice_number', ['Счет-фактура', 'Счёт-фактура', 'Счет фактура']],
  ['seller', ['Продавец']],
  ['buyer', ['Покупатель']],
  ['seller_inn_kpp', ['ИНН/КПП продавца', 'ИНН продавца']],
  ['buyer_inn_kpp', ['ИНН/КПП покупателя', 'ИНН покупателя']],
  ['address', ['Адрес']],
  ['total', ['Всего к оплате', 'Итого', 'Всего']],
  ['tax_amount', ['Сумма налога', 'Сумма НДС', 'В том числе НДС']],
  [
    'other',
    [
      'Исправление',
      'Грузоотправитель и его адрес',
      'Грузополучатель и его адрес',
      'Грузоотправитель',
      'Грузополучатель',
      'К платежно-расчетному документу',
      'Документ об отгрузке',
      'Валюта',
      'Идентификатор государственного контракта',
      'Наименование товара',
      'Стоимость',
      'Руководитель организации',
      'Главный бухгалтер',
      'Индивидуальный предприниматель',
      'Подпись',
    ],
  ],
];

const TABLE: Table = [...PASSPORT, ...SNILS, ...INN, ...INVOICE];

export const LABELS: readonly LabelDef[] = TABLE.flatMap(([kind, phrases]) =>
  phrases.map((phrase) => ({ kind, phrase })),
);

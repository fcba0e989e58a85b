/**
 * The engine on documents it was never developed against (unfamiliar-fixtures.ts): real Tesseract,
 * questions as a person asks them, answers compared with what the page prints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tesseractEngineFactory } from '../../../src/engines/tesseract/engine.js';
import type { FieldKind } from '../../../src/engines/tesseract/fields.js';
import type { Engine, EngineRequest } from '../../../src/engines/types.js';
import { type UnfamiliarDoc, unfamiliarSet } from './unfamiliar-fixtures.js';

const ASK: Partial<Record<FieldKind, string>> = {
  surname: 'Фамилия владельца?',
  name: 'Как зовут (имя)?',
  patronymic: 'Укажи отчество',
  full_name: 'ФИО полностью',
  birth_date: 'Когда родился человек? Дата рождения',
  birth_place: 'Где родился? Место рождения',
  sex: 'Пол владельца',
  registration_date: 'Дата регистрации',
  issue_date: 'Дата выдачи паспорта',
  department_code: 'Код подразделения',
  snils: 'Страховой номер (СНИЛС)',
  inn: 'ИНН физического лица',
  passport_series: 'Серия паспорта',
  passport_number: 'Номер паспорта',
  passport_series_number: 'Серия и номер паспорта',
  invoice_number: 'Номер счета-фактуры',
  invoice_date: 'Дата счета-фактуры',
  seller: 'Наименование продавца',
  buyer: 'Наименование покупателя',
  seller_inn: 'ИНН продавца',
  seller_kpp: 'КПП продавца',
  buyer_inn: 'ИНН покупателя',
  buyer_kpp: 'КПП покупателя',
  total: 'Всего к оплате',
  total_net: 'Стоимость без налога',
  tax_amount: 'Сумма налога',
  tax_authority: 'Налоговый орган',
};

function req(doc: UnfamiliarDoc, prompt: string): EngineRequest {
  return { image: { data: doc.png, mime: 'image/png' }, prompt, settings: { temperature: 0, maxTokens: 64 } };
}

let docs: UnfamiliarDoc[];
let engine: Engine;

beforeAll(async () => {
  docs = unfamiliarSet();
  engine = await tesseractEngineFactory.create({ model: '', params: {} });
  await Promise.all(docs.map((d) => engine.ask(req(d, 'ФИО'))));
});

afterAll(async () => {
  await engine.close();
});

describe('tesseract engine on layouts it was not developed against', () => {
  it('reads every printed field exactly', async () => {
    const wrong: string[] = [];
    let asked = 0;
    for (const doc of docs) {
      for (const [kind, want] of Object.entries(doc.truth) as [FieldKind, string][]) {
        const r = await engine.ask(req(doc, ASK[kind]!));
        asked++;
        expect(r.error).toBeUndefined();
        if (r.output !== want)
          wrong.push(`${doc.name} ${kind}: ${JSON.stringify(r.output)} ≠ ${JSON.stringify(want)}`);
      }
    }
    expect(asked).toBeGreaterThan(50);
    expect(wrong).toEqual([]);
  });

  it('converts a date printed in words when the question asks for digits, and only then', async () => {
    const notice = docs.find((d) => d.name === 'АДИ-РЕГ')!;
    const asked = await engine.ask(req(notice, 'Дата рождения в формате ДД.ММ.ГГГГ'));
    expect(asked.output).toBe('16.09.1990');
    const iso = await engine.ask(req(notice, 'Дата рождения (YYYY-MM-DD)'));
    expect(iso.output).toBe('1990-09-16');
    const plain = await engine.ask(req(notice, 'Дата рождения'));
    expect(plain.output).toBe('16 сентября 1990 года');
    const invoice = docs.find((d) => d.name.startsWith('счёт-фактура'))!;
    const digits = await engine.ask(req(invoice, 'Дата счета-фактуры цифрами'));
    expect(digits.output).toBe('05.03.2024');
  });
});

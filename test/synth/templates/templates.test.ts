import { describe, expect, it } from 'vitest';
import { validatorForQuestionType } from '../../../src/dataset/checksums.js';
import { parsePrintedDate } from '../../../src/dataset/dates.js';
import { addYears, compareDates, type Ymd } from '../../../src/synth/data/dates.js';
import { DOC_KINDS, templates } from '../../../src/synth/templates/index.js';
import type { FieldValue } from '../../../src/synth/types.js';

const get = (fields: FieldValue[], qt: string): string => {
  const f = fields.find((x) => x.questionType === qt);
  if (!f) throw new Error(`missing ${qt}`);
  return f.value;
};
const date = (fields: FieldValue[], qt: string): Ymd => {
  const d = parsePrintedDate(get(fields, qt));
  if (!d) throw new Error(`${qt} is not a date: ${get(fields, qt)}`);
  return d;
};

const VARIANTS = DOC_KINDS.flatMap((kind) => templates[kind].styles.map((s) => [kind, s.id] as const));

describe('template styles', () => {
  it('every kind has at least two layout families, exactly one held out, ids unique', () => {
    for (const kind of DOC_KINDS) {
      const styles = templates[kind].styles;
      expect(styles.length, kind).toBeGreaterThanOrEqual(2);
      expect(styles.filter((s) => s.heldOut).length, kind).toBe(1);
    }
    const ids = VARIANTS.map(([, id]) => id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('writes the original project lower-case doc_class ids; АДИ-РЕГ is snils too', () => {
    expect(DOC_KINDS.map((k) => templates[k].docClass)).toEqual([
      'snils',
      'snils',
      'inn',
      'passport',
      'invoice',
    ]);
  });

  it('a style changes how values are printed, not who the person is', () => {
    const card = templates.snils.sample(3, 'card');
    const hand = templates.snils.sample(3, 'card-hand');
    expect(get(hand, 'Номер СНИЛС')).toBe(get(card, 'Номер СНИЛС'));
    expect(get(hand, 'Фамилия').toUpperCase()).toBe(get(card, 'Фамилия'));
    expect(get(hand, 'Фамилия')).not.toBe(get(card, 'Фамилия'));
  });

  it('an unknown style is refused', () => {
    expect(() => templates.inn.sample(1, 'card')).toThrow(/unknown style "card"/);
  });
});

describe.each(VARIANTS)('template %s, style %s', (kind, style) => {
  const t = templates[kind];
  const seeds = Array.from({ length: 40 }, (_, i) => i * 7919 + 1);

  it('samples deterministically and differently per seed', () => {
    expect(t.sample(42, style)).toEqual(t.sample(42, style));
    const distinct = new Set(seeds.map((s) => JSON.stringify(t.sample(s, style))));
    expect(distinct.size).toBe(seeds.length);
  });

  it('samples values that pass every known field check, with questions for each field', () => {
    for (const s of seeds) {
      const fields = t.sample(s, style);
      const names = fields.map((f) => f.questionType);
      expect(new Set(names).size, 'field names are unique').toBe(names.length);
      for (const f of fields) {
        expect(f.value.trim(), f.questionType).not.toBe('');
        expect(f.value, 'one line per value').not.toMatch(/\n/);
        const check = validatorForQuestionType(f.questionType);
        if (check) expect(check(f.value), `${f.questionType}=${f.value}`).toBe(true);
        const q = t.questions(f.questionType);
        expect(q.ru[0]).toMatch(/^Напиши /);
        expect(q.ru.length).toBeGreaterThanOrEqual(3);
        expect(q.en.length).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it('renders identical pixels for the same fields and seed, with boxes inside the image', async () => {
    const fields = t.sample(5, style);
    const a = await t.render(fields, 5, style);
    const b = await t.render(fields, 5, style);
    expect(a.rgba.equals(b.rgba)).toBe(true);
    expect(a.kind).toBe(kind);
    expect(a.style).toBe(style);
    expect(Math.max(a.width, a.height)).toBeGreaterThanOrEqual(1600);
    expect(a.rgba.length).toBe(a.width * a.height * 4);
    expect(a.fields.map((f) => f.value)).toEqual(fields.map((f) => f.value));
    for (const f of a.fields) {
      const [x0, y0, x1, y1] = f.bbox;
      expect(Number.isInteger(x0) && Number.isInteger(y1)).toBe(true);
      expect(x0).toBeGreaterThanOrEqual(0);
      expect(y0).toBeGreaterThanOrEqual(0);
      expect(x1).toBeLessThanOrEqual(a.width);
      expect(y1).toBeLessThanOrEqual(a.height);
      expect(x1 - x0, f.questionType).toBeGreaterThan(8);
      expect(y1 - y0, f.questionType).toBeGreaterThan(8);
    }
    const other = await t.render(fields, 6, style);
    expect(other.rgba.equals(a.rgba), 'the render seed changes the background').toBe(false);
  });
});

describe('date consistency', () => {
  const seeds = Array.from({ length: 200 }, (_, i) => i + 1);

  it('СНИЛС card: registered after birth, from 1997, before the 2019 switch to АДИ-РЕГ', () => {
    for (const s of seeds) {
      const f = templates.snils.sample(s, 'card');
      const birth = date(f, 'Дата рождения');
      const reg = date(f, 'Дата регистрации');
      expect(compareDates(reg, birth)).toBeGreaterThan(0);
      expect(reg.y).toBeGreaterThanOrEqual(1997);
      expect(reg.y).toBeLessThanOrEqual(2018);
      // The card prints Ф.И.О. in capitals.
      expect(get(f, 'Фамилия')).toBe(get(f, 'Фамилия').toUpperCase());
    }
  });

  it('ИНН certificate: registered at 14 or later, issued on or after registration', () => {
    for (const s of seeds) {
      const f = templates.inn.sample(s, s % 2 ? 'inn-2-1' : 'inn-2020');
      const birth = date(f, 'Дата рождения');
      const reg = date(f, 'Дата постановки на учёт');
      const issued = date(f, 'Дата выдачи');
      expect(compareDates(reg, addYears(birth, 14))).toBeGreaterThan(0);
      expect(compareDates(issued, reg)).toBeGreaterThanOrEqual(0);
      expect(get(f, 'ИНН').slice(0, 4)).toBe(get(f, 'Код налогового органа'));
    }
  });

  it('passport: issued within 90 days after the 14th, 20th or 45th birthday; series year matches', () => {
    for (const s of seeds) {
      const f = templates.passport.sample(s, templates.passport.styles[s % 3]!.id);
      const birth = date(f, 'Дата рождения');
      const issued = date(f, 'Дата выдачи');
      const age = [14, 20, 45].find((a) => {
        const d = compareDates(issued, addYears(birth, a));
        return d >= 0 && d <= 90;
      });
      expect(age, `${get(f, 'Дата рождения')} → ${get(f, 'Дата выдачи')}`).toBeDefined();
      expect(get(f, 'Серия и номер паспорта').slice(3, 5)).toBe(String(issued.y % 100).padStart(2, '0'));
    }
  });

  it('invoice: totals add up', () => {
    const money = (s: string) => Math.round(Number(s.replace(/\s/g, '').replace(',', '.')) * 100);
    for (const s of seeds.slice(0, 50)) {
      const f = templates.invoice.sample(s, s % 2 ? 'sf-2017' : 'sf-2011');
      expect(money(get(f, 'Стоимость без налога')) + money(get(f, 'Сумма налога'))).toBe(
        money(get(f, 'Всего к оплате')),
      );
      expect(get(f, 'ИНН продавца')).not.toBe(get(f, 'ИНН покупателя'));
    }
  });
});

describe('values as documents print them', () => {
  const seeds = Array.from({ length: 120 }, (_, i) => i + 1);
  const all = (kind: (typeof DOC_KINDS)[number], style: string, qt: string) =>
    seeds.map((s) => get(templates[kind].sample(s, style), qt));

  it('passport birth places name the settlement type and the region in the genitive', () => {
    const places = all('passport', 'passport-print', 'Место рождения');
    for (const p of places) expect(p).toMatch(/^(ГОР\.|Г\.|С\.|ПОС\.) /);
    expect(
      places.some((p) => /ОЙ ОБЛ\.$/.test(p)),
      places.join('; '),
    ).toBe(true);
    expect(places.some((p) => /АЯ ОБЛ\.$/.test(p))).toBe(false);
    expect(new Set(places.map((p) => p.split(' ')[0])).size).toBeGreaterThanOrEqual(3);
  });

  it('dates both as 13.09.1985 and as «16 сентября 1990 года» / «… г.»', () => {
    const hand = all('snils', 'card-hand', 'Дата рождения');
    expect(
      hand.every((d) => /^\d{2} [а-я]+ \d{4} (года|г\.)$/.test(d)),
      hand.join('; '),
    ).toBe(true);
    const invoice = all('invoice', 'sf-2017', 'Дата счёта-фактуры');
    expect(invoice.some((d) => /^\d{2}\.\d{2}\.\d{4}$/.test(d))).toBe(true);
    expect(invoice.some((d) => / г\.$/.test(d))).toBe(true);
  });

  it('names in capitals on the card and passport, in title case by hand and on the 2019 notice', () => {
    for (const n of all('passport', 'passport-print', 'Фамилия')) expect(n).toBe(n.toUpperCase());
    for (const n of all('passport', 'passport-hand', 'Фамилия'))
      expect(n).toMatch(/^[А-ЯЁ][а-яё]+(-[А-ЯЁ][а-яё]+)?$/);
    for (const n of all('snils_adi_reg', 'adi-reg-table', 'Имя')) expect(n).toMatch(/^[А-ЯЁ][а-яё]/);
  });

  it('invoice amounts with spaces between thousands and a decimal comma', () => {
    const totals = all('invoice', 'sf-2017', 'Всего к оплате');
    for (const t of totals) expect(t).toMatch(/^\d{1,3}( \d{3})*,\d{2}$/);
    expect(totals.some((t) => t.includes(' '))).toBe(true);
  });
});

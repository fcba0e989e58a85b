import { formatSnils, snilsChecksum } from '../../dataset/checksums.js';
import { formatDate, fromDays, toDays, type Ymd } from '../data/dates.js';
import { formatBirthPlace, type Person, randomDate, samplePerson } from '../data/person.js';
import { placeGenitive, printDate, titleCase } from '../data/print.js';
import { createRng, type Rng, subSeed } from '../data/rng.js';
import { font } from '../render/fonts.js';
import { microtext, netting, paper, rgb, rosette, sampleStamp, waveBand } from '../render/paper.js';
import { drawText, fitSize } from '../render/text.js';
import type { DocTemplate, FieldValue, RenderOptions } from '../types.js';
import { faker, field, fieldValue, finish, newCanvas, Placed, styleOf } from './common.js';
import { questionsFor } from './fields.js';

/** A СНИЛС body above the unchecked range (≤ 001-001-998), with its check digits. */
export function sampleSnilsNumber(rng: Rng): string {
  const nine = String(rng.int(1_002_000, 199_999_999)).padStart(9, '0');
  return formatSnils(nine + snilsChecksum(nine));
}

/**
 * Registration in the pension system: not before 1997 (when personal accounts started), after
 * birth, and before 2019 (when the green card gave way to the АДИ-РЕГ notice).
 */
export function sampleSnilsRegistration(rng: Rng, birth: Ymd): Ymd {
  const floor = toDays({ y: 1997, m: 1, d: 1 });
  const latest = toDays({ y: 2018, m: 12, d: 31 });
  let earliest = Math.max(
    floor,
    toDays({ y: birth.y + rng.pick([0, 14, 16, 18]), m: birth.m, d: 1 }) + birth.d,
  );
  if (earliest > latest) earliest = Math.max(floor, toDays(birth) + 1);
  return fromDays(rng.int(earliest, Math.min(latest, earliest + 365 * 6)));
}

export function sampleSnilsPerson(
  seed: number,
  latestReg: Ymd,
): { person: Person; reg: Ymd; number: string } {
  const rng = createRng(subSeed(seed, 'values'));
  const person = samplePerson(rng, faker, { from: { y: 1950, m: 1, d: 1 }, to: { y: 2005, m: 12, d: 31 } });
  let reg = sampleSnilsRegistration(rng, person.birth);
  if (toDays(reg) > toDays(latestReg)) reg = randomDate(rng, fromDays(toDays(person.birth) + 1), latestReg);
  return { person, reg, number: sampleSnilsNumber(rng) };
}

export const SNILS_FIELDS = [
  'Номер СНИЛС',
  'Фамилия',
  'Имя',
  'Отчество',
  'Дата рождения',
  'Место рождения',
  'Пол',
  'Дата регистрации',
] as const;

export const SNILS_CARD_STYLES = [
  {
    id: 'card',
    heldOut: false,
    description: 'green laminated card, values printed (sans, Arial-like or typewriter), Ф.И.О. in capitals',
  },
  {
    id: 'card-hand',
    heldOut: true,
    description:
      'green card filled in by hand in block letters (1996–2000s): title-case names, dates in words',
  },
] as const;

function sample(seed: number, style: string): FieldValue[] {
  const st = styleOf(SNILS_CARD_STYLES, style);
  const { person, reg, number } = sampleSnilsPerson(seed, { y: 2018, m: 12, d: 31 });
  // Spelling choices come from their own stream, so a style never changes who the person is.
  const looks = createRng(subSeed(seed, 'looks'));
  if (st === 'card-hand') {
    const dateForm = looks.pick(['words', 'words-g'] as const);
    return [
      field('Номер СНИЛС', number),
      field('Фамилия', titleCase(person.lastName)),
      field('Имя', titleCase(person.firstName)),
      field('Отчество', titleCase(person.middleName)),
      field('Дата рождения', printDate(person.birth, dateForm)),
      field('Место рождения', placeGenitive(person.birthPlace, 'ГОР.', false)),
      field(
        'Пол',
        looks.pick([person.sex === 'male' ? 'муж.' : 'жен.', person.sex === 'male' ? 'мужской' : 'женский']),
      ),
      field('Дата регистрации', printDate(reg, 'numeric')),
    ];
  }
  const place = looks.chance(0.5)
    ? formatBirthPlace(person.birthPlace)
    : placeGenitive(person.birthPlace, looks.pick(['ГОР.', 'Г.'] as const), true);
  return [
    field('Номер СНИЛС', number),
    // The card prints Ф.И.О. in capitals, one word a line.
    field('Фамилия', person.lastName.toUpperCase()),
    field('Имя', person.firstName.toUpperCase()),
    field('Отчество', person.middleName.toUpperCase()),
    field('Дата рождения', formatDate(person.birth)),
    field('Место рождения', place),
    field('Пол', person.sex === 'male' ? 'мужской' : 'женский'),
    field('Дата регистрации', formatDate(reg)),
  ];
}

const W = 1600;
const H = 1100;
const GREEN: [number, number, number] = [40, 110, 60];

async function render(fields: FieldValue[], seed: number, style: string, opts: RenderOptions = {}) {
  const st = styleOf(SNILS_CARD_STYLES, style);
  const hand = st === 'card-hand';
  const rng = createRng(subSeed(seed, 'render'));
  const { canvas, ctx } = newCanvas(W, H, opts.longSide);
  const v = (qt: string) => fieldValue(fields, qt);

  // Scanner bed around a laminated card with rounded corners.
  ctx.fillStyle = '#f4f4f2';
  ctx.fillRect(0, 0, W, H);
  const m = 26;
  ctx.save();
  ctx.beginPath();
  ctx.roundRect(m, m, W - 2 * m, H - 2 * m, 48);
  ctx.clip();
  paper(ctx, W, H, [rng.int(214, 224), rng.int(236, 242), rng.int(212, 220)], rng, 5);
  netting(ctx, m, m, W - 2 * m, H - 2 * m, rgb([120, 180, 130], 0.35), 11);
  rosette(ctx, W / 2 + 140, H / 2 + 40, 430, rgb([110, 175, 120], 0.28), rng, { curves: 5, lineWidth: 1 });
  waveBand(ctx, m + 10, m + 14, W - 2 * m - 20, 34, rgb([70, 140, 90], 0.5), { lines: 7, period: 46 });
  waveBand(ctx, m + 10, H - m - 50, W - 2 * m - 20, 34, rgb([70, 140, 90], 0.5), { lines: 7, period: 46 });
  ctx.restore();
  ctx.strokeStyle = rgb([150, 190, 155]);
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.roundRect(m, m, W - 2 * m, H - 2 * m, 48);
  ctx.stroke();

  // Emblem-like rosette and the title.
  rosette(ctx, 190, 185, 115, rgb(GREEN, 0.75), rng, { curves: 7, lineWidth: 1.1 });
  const ink = rgb([25, 85, 45]);
  drawText(ctx, 'СТРАХОВОЕ СВИДЕТЕЛЬСТВО', 880, 150, {
    font: font('serif', 58, { bold: true }),
    color: ink,
    align: 'center',
  });
  drawText(ctx, 'ОБЯЗАТЕЛЬНОГО ПЕНСИОННОГО СТРАХОВАНИЯ', 880, 205, {
    font: font('serif', 36, { bold: true }),
    color: ink,
    align: 'center',
  });
  microtext(ctx, 'ПЕНСИОННЫЙ ФОНД РОССИЙСКОЙ ФЕДЕРАЦИИ', 340, 232, 1100, font('sans', 9), rgb(GREEN, 0.8));

  const placed = new Placed();
  const label = (t: string, x: number, y: number) =>
    drawText(ctx, t, x, y, { font: font('serif', 30, { italic: true }), color: ink });
  // Printers of the late 1990s typed the card on dot-matrix and daisy-wheel machines; later ones
  // printed it from software in an Arial or PT face. By hand, it was a ballpoint pen, usually blue.
  const face = hand ? 'block' : rng.pick(['mono', 'sans', 'arimo', 'cousine'] as const);
  const typewriter = face === 'mono' || face === 'cousine';
  // Each printer (and hand) sets its own size: ±7% around the form's nominal size.
  const size = createRng(subSeed(seed, 'size')).float(0.93, 1.07);
  const valueFont = (px: number) =>
    face === 'block'
      ? font('block', px * 1.1 * size)
      : typewriter
        ? font(face, px * 0.92 * size, { bold: face === 'cousine' })
        : font(face, px * (face === 'arimo' ? 0.9 : 1) * size, { bold: true });
  const black = hand
    ? rgb([rng.int(20, 40), rng.int(30, 60), rng.int(120, 170)])
    : rgb([rng.int(10, 35), rng.int(10, 30), rng.int(20, 45)]);
  const jitter = typewriter || hand ? { rng, px: hand ? 1.2 : 0.8 } : undefined;
  const dx = rng.int(-12, 12);
  const dy = rng.int(-8, 8);
  const val = (qt: string, x: number, y: number, px: number, maxW = 1000) => {
    const text = v(qt);
    const size = fitSize(ctx, text, valueFont, px, maxW, px * 0.6);
    placed.add(qt, drawText(ctx, text, x + dx, y + dy, { font: valueFont(size), color: black, jitter }));
  };

  label('Страховой номер', 120, 320);
  placed.add(
    'Номер СНИЛС',
    // The number is always printed, also on hand-filled cards (it came pre-printed on the blank).
    drawText(ctx, v('Номер СНИЛС'), 520 + dx, 322 + dy, {
      font: font(hand ? 'sans' : face === 'cousine' ? 'cousine' : 'sans', 66, { bold: true }),
      color: hand ? rgb([20, 20, 30]) : black,
    }),
  );
  label('Ф.И.О.', 120, 430);
  val('Фамилия', 440, 430, 52);
  val('Имя', 440, 500, 52);
  val('Отчество', 440, 570, 52);
  label('Дата и место', 120, 665);
  label('рождения', 120, 702);
  val('Дата рождения', 440, 670, 46, 1060);
  val('Место рождения', 440, 740, 46, 1060);
  label('Пол', 120, 830);
  val('Пол', 440, 830, 46);
  label('Дата регистрации', 120, 925);
  val('Дата регистрации', 440, 925, 46);

  ctx.strokeStyle = rgb(GREEN, 0.8);
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(980, 990);
  ctx.lineTo(1480, 990);
  ctx.stroke();
  drawText(ctx, 'Личная подпись застрахованного лица', 1230, 1020, {
    font: font('serif', 20, { italic: true }),
    color: ink,
    align: 'center',
  });
  sampleStamp(ctx, 1230, 850, 0.9, rng.float(-0.2, -0.08), [200, 30, 40], (px, bold) =>
    font('sans', px, { bold }),
  );
  return finish('snils', 'snils', st, canvas, fields, placed);
}

export const snils: DocTemplate = {
  kind: 'snils',
  docClass: 'snils',
  styles: SNILS_CARD_STYLES,
  sample,
  render,
  questions: questionsFor,
};

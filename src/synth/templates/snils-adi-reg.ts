import { formatDate } from '../data/dates.js';
import { formatBirthPlace } from '../data/person.js';
import { placeGenitive, printDate } from '../data/print.js';
import { createRng, subSeed } from '../data/rng.js';
import { font } from '../render/fonts.js';
import { microtext, paper, rgb, rosette, sampleStamp } from '../render/paper.js';
import { drawText, fitSize } from '../render/text.js';
import type { DocTemplate, FieldValue, RenderOptions } from '../types.js';
import { field, fieldValue, finish, newCanvas, Placed, styleOf } from './common.js';
import { questionsFor } from './fields.js';
import { sampleSnilsPerson } from './snils.js';

/**
 * The АДИ-РЕГ notice that replaced the green card in 2019: a plain printed form with a
 * label/value table. Same person data as the card, registration up to 2024.
 */
export const ADI_REG_STYLES = [
  {
    id: 'adi-reg-table',
    heldOut: false,
    description: 'АДИ-РЕГ notice of the Pension Fund (2019–2022): a label/value table, values in bold sans',
  },
  {
    id: 'adi-reg-lines',
    heldOut: true,
    description:
      'АДИ-РЕГ of the Social Fund (2023+) as an office prints it: Times-like text lines, Ф.И.О. on one line in capitals',
  },
] as const;

function sample(seed: number, style: string): FieldValue[] {
  const st = styleOf(ADI_REG_STYLES, style);
  const { person, reg, number } = sampleSnilsPerson(seed, { y: 2024, m: 12, d: 31 });
  const looks = createRng(subSeed(seed, 'looks'));
  if (st === 'adi-reg-lines') {
    return [
      field('Номер СНИЛС', number),
      field('Фамилия', person.lastName.toUpperCase()),
      field('Имя', person.firstName.toUpperCase()),
      field('Отчество', person.middleName.toUpperCase()),
      field('Дата рождения', printDate(person.birth, looks.pick(['numeric', 'words-g'] as const))),
      field('Место рождения', placeGenitive(person.birthPlace, looks.pick(['ГОР.', 'Г.'] as const), true)),
      field('Пол', person.sex === 'male' ? 'Мужской' : 'Женский'),
      field('Дата регистрации', printDate(reg, 'numeric')),
    ];
  }
  return [
    field('Номер СНИЛС', number),
    field('Фамилия', person.lastName),
    field('Имя', person.firstName),
    field('Отчество', person.middleName),
    field('Дата рождения', formatDate(person.birth)),
    field(
      'Место рождения',
      looks.chance(0.6) ? formatBirthPlace(person.birthPlace) : placeGenitive(person.birthPlace, 'Г.', false),
    ),
    field('Пол', person.sex === 'male' ? 'мужской' : 'женский'),
    field('Дата регистрации', formatDate(reg)),
  ];
}

const W = 1600;
const H = 1130;

async function render(fields: FieldValue[], seed: number, style: string, opts: RenderOptions = {}) {
  const st = styleOf(ADI_REG_STYLES, style);
  if (st === 'adi-reg-lines') return renderLines(fields, seed, opts);
  const rng = createRng(subSeed(seed, 'render'));
  const { canvas, ctx } = newCanvas(W, H, opts.longSide);
  const v = (qt: string) => fieldValue(fields, qt);
  paper(ctx, W, H, [rng.int(246, 252), rng.int(246, 251), rng.int(242, 248)], rng, 4);
  const ink = rgb([20, 20, 28]);
  const blue = rgb([30, 70, 140]);

  rosette(ctx, 150, 130, 70, rgb([30, 70, 140], 0.8), rng, { curves: 5 });
  drawText(ctx, 'СОЦИАЛЬНЫЙ ФОНД РОССИИ', 240, 120, { font: font('sans', 26, { bold: true }), color: blue });
  drawText(ctx, 'Клиентская служба', 240, 152, { font: font('sans', 20), color: blue });
  drawText(ctx, 'Форма АДИ-РЕГ', W - 90, 90, {
    font: font('sans', 22, { italic: true }),
    color: ink,
    align: 'right',
  });
  drawText(ctx, 'УВЕДОМЛЕНИЕ', W / 2, 250, {
    font: font('sans', 40, { bold: true }),
    color: ink,
    align: 'center',
  });
  drawText(ctx, 'о регистрации в системе индивидуального (персонифицированного) учёта', W / 2, 292, {
    font: font('sans', 28),
    color: ink,
    align: 'center',
  });
  microtext(
    ctx,
    'ОБРАЗЕЦ ФОРМЫ · СИНТЕТИЧЕСКИЕ ДАННЫЕ',
    90,
    318,
    W - 180,
    font('sans', 9),
    rgb([30, 70, 140], 0.7),
  );

  const placed = new Placed();
  const x0 = 90;
  const xv = 640;
  const x1 = W - 90;
  const rowH = 78;
  const rows: [string, string][] = [
    ['Страховой номер индивидуального лицевого счёта', 'Номер СНИЛС'],
    ['Фамилия', 'Фамилия'],
    ['Имя', 'Имя'],
    ['Отчество (при наличии)', 'Отчество'],
    ['Дата рождения', 'Дата рождения'],
    ['Место рождения', 'Место рождения'],
    ['Пол', 'Пол'],
    ['Дата регистрации', 'Дата регистрации'],
  ];
  let y = 350;
  ctx.strokeStyle = rgb([60, 60, 70]);
  ctx.lineWidth = 1.5;
  const face = createRng(subSeed(seed, 'face')).pick(['sans', 'arimo'] as const);
  const valueFont = (px: number) => font(face, px, { bold: true });
  // Office software differs in face and size: PT Sans or Arimo, ±8% around the nominal size.
  const scale = createRng(subSeed(seed, 'size')).float(0.92, 1.08);
  for (const [label, qt] of rows) {
    ctx.fillStyle = rgb([232, 236, 244], 0.7);
    ctx.fillRect(x0, y, xv - x0, rowH);
    ctx.strokeRect(x0, y, x1 - x0, rowH);
    ctx.beginPath();
    ctx.moveTo(xv, y);
    ctx.lineTo(xv, y + rowH);
    ctx.stroke();
    const lsize = fitSize(ctx, label, (px) => font('sans', px, { italic: true }), 24, xv - x0 - 30, 14);
    drawText(ctx, label, x0 + 16, y + rowH / 2 + 8, {
      font: font('sans', lsize, { italic: true }),
      color: ink,
    });
    const text = v(qt);
    const px = (qt === 'Номер СНИЛС' ? 44 : 38) * scale;
    const size = fitSize(ctx, text, valueFont, px, x1 - xv - 40, 24);
    placed.add(
      qt,
      drawText(ctx, text, xv + 24, y + rowH / 2 + size * 0.36, { font: valueFont(size), color: ink }),
    );
    y += rowH;
  }
  drawText(ctx, 'Уведомление сформировано в электронном виде и не требует подписи.', x0, y + 60, {
    font: font('sans', 22, { italic: true }),
    color: ink,
  });
  sampleStamp(ctx, 1260, y + 70, 0.85, rng.float(-0.15, 0.05), [30, 60, 170], (px, bold) =>
    font('sans', px, { bold }),
  );
  return finish('snils_adi_reg', 'snils', st, canvas, fields, placed);
}

/**
 * The Social Fund's notice as an office prints it on plain A4 landscape: a header block, then one text
 * line a field, label then value, in a Times-like face; Ф.И.О. share one line.
 */
async function renderLines(fields: FieldValue[], seed: number, opts: RenderOptions = {}) {
  const rng = createRng(subSeed(seed, 'render'));
  const { canvas, ctx } = newCanvas(W, H, opts.longSide);
  const v = (qt: string) => fieldValue(fields, qt);
  paper(ctx, W, H, [rng.int(248, 253), rng.int(248, 253), rng.int(246, 251)], rng, 3);
  const ink = rgb([rng.int(10, 30), rng.int(10, 30), rng.int(10, 30)]);
  const face = rng.pick(['tinos', 'serif'] as const);
  const f = (px: number, bold = false) => font(face, px, { bold });
  const left = rng.int(110, 150);
  const top = rng.int(110, 150);
  drawText(ctx, 'СОЦИАЛЬНЫЙ ФОНД РОССИИ', W / 2, top, { font: f(30, true), color: ink, align: 'center' });
  drawText(ctx, 'ОТДЕЛЕНИЕ ФОНДА ПЕНСИОННОГО И СОЦИАЛЬНОГО СТРАХОВАНИЯ', W / 2, top + 40, {
    font: f(22),
    color: ink,
    align: 'center',
  });
  drawText(ctx, 'УВЕДОМЛЕНИЕ', W / 2, top + 120, { font: f(34, true), color: ink, align: 'center' });
  drawText(ctx, 'о регистрации в системе индивидуального (персонифицированного) учёта', W / 2, top + 160, {
    font: f(26),
    color: ink,
    align: 'center',
  });
  drawText(ctx, 'АДИ-РЕГ', W - left, top - 40, { font: f(20), color: ink, align: 'right' });
  const placed = new Placed();
  const lineH = rng.int(70, 82);
  let y = top + 260;
  const label = (t: string, x: number) => drawText(ctx, t, x, y, { font: f(28), color: ink })[2];
  const value = (qt: string, x: number, px = 32): number => {
    const b = drawText(ctx, v(qt), x, y, { font: f(px, true), color: ink });
    placed.add(qt, b);
    return b[2];
  };
  const gap = 18;
  value('Номер СНИЛС', label('Страховой номер индивидуального лицевого счёта:', left) + gap, 36);
  y += lineH;
  let x = label('Фамилия, имя, отчество (при наличии):', left) + gap;
  for (const qt of ['Фамилия', 'Имя', 'Отчество']) x = value(qt, x) + 14;
  y += lineH;
  value('Дата рождения', label('Дата рождения:', left) + gap);
  y += lineH;
  const placeX = label('Место рождения:', left) + gap;
  const place = v('Место рождения');
  const size = fitSize(ctx, place, (px) => f(px, true), 32, W - left - placeX, 22);
  placed.add('Место рождения', drawText(ctx, place, placeX, y, { font: f(size, true), color: ink }));
  y += lineH;
  value('Пол', label('Пол:', left) + gap);
  y += lineH;
  value('Дата регистрации', label('Дата регистрации:', left) + gap);
  y += lineH + 20;
  drawText(ctx, 'Документ сформирован в электронном виде и подписи не требует.', left, y, {
    font: f(22, false),
    color: ink,
  });
  sampleStamp(ctx, W - 360, H - 140, 0.8, rng.float(-0.15, 0.05), [30, 60, 170], (px, bold) =>
    font('sans', px, { bold }),
  );
  return finish('snils_adi_reg', 'snils', 'adi-reg-lines', canvas, fields, placed);
}

export const snilsAdiReg: DocTemplate = {
  kind: 'snils_adi_reg',
  docClass: 'snils',
  styles: ADI_REG_STYLES,
  sample,
  render,
  questions: questionsFor,
};

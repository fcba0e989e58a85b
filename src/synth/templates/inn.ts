import { formatDate, fromDays, toDays } from '../data/dates.js';
import { personalInn, taxOfficeCode } from '../data/org.js';
import { formatBirthPlace, samplePerson } from '../data/person.js';
import { placeGenitive, printDate } from '../data/print.js';
import type { Region } from '../data/regions.js';
import { createRng, digits, subSeed } from '../data/rng.js';
import { font } from '../render/fonts.js';
import { microtext, netting, paper, rgb, rosette, sampleStamp, waveBand } from '../render/paper.js';
import { type Box, drawText, fitSize, textWidth, unionBox } from '../render/text.js';
import type { DocTemplate, FieldValue, RenderOptions } from '../types.js';
import { faker, field, fieldValue, finish, newCanvas, Placed, styleOf } from './common.js';
import { questionsFor } from './fields.js';

/** «Инспекция ФНС России № 15 по г. Москве» / «Межрайонная инспекция ФНС России № 3 по …». */
export function taxAuthorityName(region: Region, code: string, interdistrict: boolean): string {
  const n = Number(code.slice(2));
  return `${interdistrict ? 'Межрайонная инспекция' : 'Инспекция'} ФНС России № ${n} ${region.dative}`;
}

/**
 * The old paper certificate (form 2-1-Учёт, issued until 2020). Registration after the 14th
 * birthday and not before 1999; the certificate is issued on the day or a few weeks later.
 */
export const INN_STYLES = [
  {
    id: 'inn-2-1',
    heldOut: false,
    description:
      'certificate form 2-1-Учёт on a security blank (until 2020), values typed or printed, red blank number',
  },
  {
    id: 'inn-2020',
    heldOut: true,
    description:
      'certificate printed on plain A4 since 2020: running text with the values inline, Times-like face, dates in words',
  },
] as const;

function sample(seed: number, style: string): FieldValue[] {
  const st = styleOf(INN_STYLES, style);
  if (st === 'inn-2020') return sample2020(seed);
  const rng = createRng(subSeed(seed, 'values'));
  const looks = createRng(subSeed(seed, 'looks'));
  const person = samplePerson(rng, faker, { from: { y: 1950, m: 1, d: 1 }, to: { y: 2004, m: 12, d: 31 } });
  const earliest = Math.max(
    toDays({ y: 1999, m: 1, d: 1 }),
    toDays({ ...person.birth, y: person.birth.y + 14 }) + 1,
  );
  const latest = toDays({ y: 2019, m: 12, d: 31 });
  const regDays = rng.int(earliest, latest);
  const issued = fromDays(Math.min(latest + 30, regDays + rng.int(0, 40)));
  const office = taxOfficeCode(rng, person.home);
  const region = person.home;
  return [
    field('ИНН', personalInn(rng, office)),
    field('Фамилия', person.lastName.toUpperCase()),
    field('Имя', person.firstName.toUpperCase()),
    field('Отчество', person.middleName.toUpperCase()),
    field('Пол', person.sex === 'male' ? 'мужской' : 'женский'),
    field('Дата рождения', formatDate(person.birth)),
    field(
      'Место рождения',
      looks.chance(0.5)
        ? formatBirthPlace(person.birthPlace)
        : placeGenitive(person.birthPlace, looks.pick(['ГОР.', 'Г.'] as const), true),
    ),
    field('Дата постановки на учёт', formatDate(fromDays(regDays))),
    field('Налоговый орган', taxAuthorityName(region, office, rng.chance(0.35))),
    field('Код налогового органа', office),
    field('Серия и номер бланка', `${region.tax} № ${digits(rng, 9)}`),
    field('Дата выдачи', formatDate(issued)),
  ];
}

/**
 * Since 2020 the certificate is printed on plain paper: one paragraph names the person and the office,
 * Ф.И.О. in capitals, dates of registration written out in words («16 сентября 2021 г.»).
 */
function sample2020(seed: number): FieldValue[] {
  const rng = createRng(subSeed(seed, 'values'));
  const person = samplePerson(rng, faker, { from: { y: 1950, m: 1, d: 1 }, to: { y: 2008, m: 12, d: 31 } });
  const earliest = Math.max(
    toDays({ y: 2020, m: 1, d: 1 }),
    toDays({ ...person.birth, y: person.birth.y + 14 }) + 1,
  );
  const regDays = rng.int(earliest, toDays({ y: 2024, m: 12, d: 31 }));
  const office = taxOfficeCode(rng, person.home);
  const looks = createRng(subSeed(seed, 'looks'));
  const regDate = printDate(fromDays(regDays), looks.pick(['words-g', 'numeric'] as const));
  return [
    field('ИНН', personalInn(rng, office)),
    field('Фамилия', person.lastName.toUpperCase()),
    field('Имя', person.firstName.toUpperCase()),
    field('Отчество', person.middleName.toUpperCase()),
    field('Пол', person.sex === 'male' ? 'мужской' : 'женский'),
    field('Дата рождения', formatDate(person.birth)),
    field('Место рождения', placeGenitive(person.birthPlace, 'ГОР.', true)),
    field('Дата постановки на учёт', regDate),
    field('Налоговый орган', taxAuthorityName(person.home, office, rng.chance(0.35))),
    field('Код налогового органа', office),
    field('Дата выдачи', printDate(fromDays(regDays + rng.int(0, 3)), 'numeric')),
  ];
}

/** Plain A4: running text, the values inline after their words, wrapped like a word processor would. */
async function render2020(fields: FieldValue[], seed: number, opts: RenderOptions = {}) {
  const rng = createRng(subSeed(seed, 'render'));
  const { canvas, ctx } = newCanvas(W, H, opts.longSide);
  const v = (qt: string) => fieldValue(fields, qt);
  paper(ctx, W, H, [rng.int(248, 253), rng.int(248, 253), rng.int(246, 251)], rng, 3);
  const ink = rgb([rng.int(5, 25), rng.int(5, 25), rng.int(5, 25)]);
  const face = rng.pick(['tinos', 'serif'] as const);
  const f = (px: number, bold = false) => font(face, px, { bold });
  const L = rng.int(110, 140);
  const R = W - L;
  drawText(ctx, 'ФЕДЕРАЛЬНАЯ НАЛОГОВАЯ СЛУЖБА', W / 2, 200, {
    font: f(32, true),
    color: ink,
    align: 'center',
  });
  drawText(ctx, 'СВИДЕТЕЛЬСТВО', W / 2, 330, { font: f(46, true), color: ink, align: 'center' });
  drawText(ctx, 'о постановке на учёт физического лица в налоговом органе', W / 2, 376, {
    font: f(30),
    color: ink,
    align: 'center',
  });
  const placed = new Placed();
  // Words of the paragraph; a value is one unit with its field, drawn bold.
  const parts: [string | null, string][] = [
    [null, 'Физическое лицо'],
    ['Фамилия', v('Фамилия')],
    ['Имя', v('Имя')],
    ['Отчество', v('Отчество')],
    [null, ', пол'],
    ['Пол', v('Пол')],
    [null, ', дата рождения'],
    ['Дата рождения', v('Дата рождения')],
    [null, ', место рождения'],
    ['Место рождения', v('Место рождения')],
    [null, ', поставлено на учёт в соответствии с Налоговым кодексом Российской Федерации'],
    ['Дата постановки на учёт', v('Дата постановки на учёт')],
    [null, 'в налоговом органе'],
    ['Налоговый орган', v('Налоговый орган')],
    [null, ', код'],
    ['Код налогового органа', v('Код налогового органа')],
    [null, ', и ему (ей) присвоен ИНН'],
  ];
  const px = rng.pick([30, 32]);
  const lineH = Math.round(px * 1.9);
  let x = L;
  let y = 500;
  for (const [qt, text] of parts) {
    // A value never breaks across lines (a box per field); running text breaks between words.
    const units = qt ? [text] : text.split(' ').filter(Boolean);
    for (const u of units) {
      // Punctuation sticks to the word before it and never starts a line, as in any word processor.
      const punct = /^[,.;]$/.test(u);
      const glue = punct || x === L ? '' : ' ';
      const fnt = f(px, qt !== null);
      const w = textWidth(ctx, glue + u, { font: fnt });
      if (!punct && x + w > R && x > L) {
        x = L;
        y += lineH;
      }
      const sx = x === L ? x : x + textWidth(ctx, glue, { font: fnt });
      const b = drawText(ctx, u, sx, y, { font: fnt, color: ink });
      if (qt) placed.add(qt, b);
      x = b[2];
    }
  }
  y += lineH * 1.6;
  placed.add(
    'ИНН',
    drawText(ctx, v('ИНН'), W / 2, y, { font: f(44, true), color: ink, align: 'center', letterSpacing: 6 }),
  );
  y += lineH * 2;
  const dLabel = drawText(ctx, 'Дата выдачи', L, y, { font: f(px), color: ink });
  placed.add(
    'Дата выдачи',
    drawText(ctx, v('Дата выдачи'), dLabel[2] + 20, y, { font: f(px, true), color: ink }),
  );
  y += lineH * 2;
  drawText(ctx, 'Должностное лицо налогового органа', L, y, { font: f(26), color: ink });
  ctx.strokeStyle = ink;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(W / 2 + 100, y + 4);
  ctx.lineTo(R, y + 4);
  ctx.stroke();
  sampleStamp(ctx, W / 2 + 260, y + 140, 0.85, rng.float(-0.25, 0.05), [40, 60, 170], (p, bold) =>
    font('sans', p, { bold }),
  );
  return finish('inn', 'inn', 'inn-2020', canvas, fields, placed);
}

const W = 1240;
const H = 1754;

async function render(fields: FieldValue[], seed: number, style: string, opts: RenderOptions = {}) {
  const st = styleOf(INN_STYLES, style);
  if (st === 'inn-2020') return render2020(fields, seed, opts);
  const rng = createRng(subSeed(seed, 'render'));
  const { canvas, ctx } = newCanvas(W, H, opts.longSide);
  const v = (qt: string) => fieldValue(fields, qt);
  paper(ctx, W, H, [rng.int(246, 250), rng.int(236, 242), rng.int(222, 230)], rng, 5);
  const tint = [185, 130, 110] as [number, number, number];
  netting(ctx, 40, 40, W - 80, H - 80, rgb(tint, 0.18), 10);
  rosette(ctx, W / 2, 820, 480, rgb(tint, 0.16), rng, { curves: 5, lineWidth: 1 });
  for (const [x, y, w, h, vert] of [
    [30, 30, W - 60, 40, false],
    [30, H - 70, W - 60, 40, false],
    [30, 30, 40, H - 60, true],
    [W - 70, 30, 40, H - 60, true],
  ] as [number, number, number, number, boolean][]) {
    waveBand(ctx, x, y, w, h, rgb([160, 90, 70], 0.55), { lines: 6, period: 40, vertical: vert });
  }
  const ink = rgb([70, 40, 35]);
  const black = rgb([rng.int(10, 30), rng.int(10, 30), rng.int(25, 50)]);
  rosette(ctx, W / 2, 165, 80, rgb([150, 80, 60], 0.8), rng, { curves: 7 });
  drawText(ctx, 'РОССИЙСКАЯ ФЕДЕРАЦИЯ', W / 2, 300, {
    font: font('serif', 30, { bold: true }),
    color: ink,
    align: 'center',
  });
  drawText(ctx, 'СВИДЕТЕЛЬСТВО', W / 2, 372, {
    font: font('serif', 54, { bold: true }),
    color: ink,
    align: 'center',
  });
  drawText(ctx, 'о постановке на учёт физического лица', W / 2, 420, {
    font: font('serif', 30),
    color: ink,
    align: 'center',
  });
  drawText(ctx, 'в налоговом органе на территории Российской Федерации', W / 2, 458, {
    font: font('serif', 30),
    color: ink,
    align: 'center',
  });
  microtext(ctx, 'ФЕДЕРАЛЬНАЯ НАЛОГОВАЯ СЛУЖБА', 120, 485, W - 240, font('sans', 8), rgb([150, 80, 60], 0.8));

  const placed = new Placed();
  const face = rng.pick(['mono', 'sans', 'cousine', 'arimo'] as const);
  const typewriter = face === 'mono' || face === 'cousine';
  // Each tax office's printer sets its own size: ±7% around the form's nominal size.
  const size = createRng(subSeed(seed, 'size')).float(0.93, 1.07);
  const vf = (px: number) =>
    typewriter
      ? font(face, px * 0.9 * size, { bold: face === 'cousine' })
      : font(face, px * (face === 'arimo' ? 0.92 : 1) * size, { bold: true });
  const jitter = typewriter ? { rng, px: 0.7 } : undefined;
  const italic = (t: string, x: number, y: number, px = 26, align: 'left' | 'center' = 'left') =>
    drawText(ctx, t, x, y, { font: font('serif', px, { italic: true }), color: ink, align });
  const rule = (x0: number, x1: number, y: number) => {
    ctx.strokeStyle = rgb([90, 60, 50]);
    ctx.lineWidth = 1.2;
    ctx.beginPath();
    ctx.moveTo(x0, y);
    ctx.lineTo(x1, y);
    ctx.stroke();
  };
  const val = (qt: string, x: number, y: number, px: number, maxW: number): Box => {
    const text = v(qt);
    const size = fitSize(ctx, text, vf, px, maxW, px * 0.6);
    const b = drawText(ctx, text, x, y, { font: vf(size), color: black, jitter });
    placed.add(qt, b);
    return b;
  };

  italic('Настоящее свидетельство подтверждает, что физическое лицо', W / 2, 560, 28, 'center');
  // Ф.И.О. on one line: three fields, three boxes.
  let x = 110;
  for (const qt of ['Фамилия', 'Имя', 'Отчество']) {
    const b = val(qt, x, 640, 40, 380);
    x = b[2] + 22;
  }
  rule(100, W - 100, 652);
  italic('(фамилия, имя, отчество)', W / 2, 680, 20, 'center');
  italic('пол', 110, 750);
  val('Пол', 170, 750, 36, 260);
  rule(160, 470, 760);
  italic('дата рождения', 500, 750);
  val('Дата рождения', 720, 750, 36, 400);
  rule(710, W - 100, 760);
  italic('место рождения', 110, 830);
  val('Место рождения', 310, 830, 36, W - 420);
  rule(300, W - 100, 840);
  italic(
    'поставлен(а) на учёт в соответствии с Налоговым кодексом Российской Федерации',
    W / 2,
    910,
    24,
    'center',
  );
  val('Дата постановки на учёт', 110, 980, 36, 400);
  rule(100, 420, 990);
  italic('(дата постановки на учёт)', 260, 1016, 20, 'center');
  italic('в налоговом органе по месту жительства', W / 2, 1070, 26, 'center');
  const auth = v('Налоговый орган');
  const aSize = fitSize(ctx, auth, vf, 34, 860, 22);
  placed.add('Налоговый орган', drawText(ctx, auth, 110, 1140, { font: vf(aSize), color: black, jitter }));
  rule(100, 980, 1150);
  italic('(наименование налогового органа)', 540, 1176, 20, 'center');
  italic('код', 1040, 1092, 22);
  cells(ctx, 'Код налогового органа', v('Код налогового органа'), 1010, 1160, 34, 60);
  italic('и ему (ей) присвоен', 110, 1262, 28);
  italic('ИНН', 110, 1330, 40);
  cells(ctx, 'ИНН', v('ИНН'), 240, 1350, 46, 84);

  italic('Должностное лицо налогового органа', 110, 1460, 24);
  rule(560, 860, 1462);
  rule(900, W - 100, 1462);
  italic('(подпись)', 710, 1486, 18, 'center');
  italic('(Ф.И.О.)', 1020, 1486, 18, 'center');
  italic('Дата выдачи', 110, 1540, 24);
  val('Дата выдачи', 290, 1542, 34, 300);
  rule(280, 560, 1550);
  italic('М.П.', 720, 1600, 26);
  drawText(ctx, 'серия', 110, 1660, { font: font('sans', 24), color: ink });
  placed.add(
    'Серия и номер бланка',
    drawText(ctx, v('Серия и номер бланка'), 190, 1662, {
      font: font('serif', 38, { bold: true }),
      color: rgb([170, 30, 30]),
    }),
  );
  sampleStamp(ctx, 920, 1590, 0.85, rng.float(-0.25, -0.05), [40, 60, 170], (px, bold) =>
    font('sans', px, { bold }),
  );

  /**
   * Digits in a comb field (a base line with short ticks between positions), as FNS forms
   * print codes: each digit its own slot, yet no full cell wall to be misread as «1».
   */
  function cells(
    c: typeof ctx,
    qt: string,
    text: string,
    x0: number,
    yBottom: number,
    cw: number,
    ch: number,
  ): void {
    c.strokeStyle = rgb([150, 100, 90]);
    c.lineWidth = 1.5;
    const n = [...text].length;
    c.beginPath();
    c.moveTo(x0, yBottom);
    c.lineTo(x0 + n * cw, yBottom);
    for (let i = 0; i <= n; i++) {
      c.moveTo(x0 + i * cw, yBottom);
      c.lineTo(x0 + i * cw, yBottom - ch * 0.18);
    }
    c.stroke();
    const boxes: Box[] = [];
    [...text].forEach((d, i) => {
      boxes.push(
        drawText(c, d, x0 + i * cw + cw / 2, yBottom - ch * 0.25, {
          font: font('sans', ch * 0.66, { bold: true }),
          color: black,
          align: 'center',
        }),
      );
    });
    placed.add(qt, unionBox(boxes));
  }
  return finish('inn', 'inn', st, canvas, fields, placed);
}

export const inn: DocTemplate = {
  kind: 'inn',
  docClass: 'inn',
  styles: INN_STYLES,
  sample,
  render,
  questions: questionsFor,
};

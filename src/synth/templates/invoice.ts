import { formatMoney, sampleLineItems, sampleOrganisation, vat20 } from '../data/org.js';
import { randomDate } from '../data/person.js';
import { printDate } from '../data/print.js';
import { createRng, subSeed } from '../data/rng.js';
import { font } from '../render/fonts.js';
import { paper, rgb, sampleStamp } from '../render/paper.js';
import { type Box, drawText, fitSize, textWidth } from '../render/text.js';
import type { DocTemplate, FieldValue, RenderOptions } from '../types.js';
import { field, fieldValue, finish, newCanvas, Placed, styleOf } from './common.js';
import { questionsFor } from './fields.js';

/** Line items are part of the layout but not asked about; they are derived from the seed again. */
function items(seed: number) {
  const rng = createRng(subSeed(seed, 'items'));
  return sampleLineItems(rng, rng.int(2, 4));
}

export const INVOICE_STYLES = [
  {
    id: 'sf-2017',
    heldOut: false,
    description:
      'счёт-фактура of Decree 1137 as amended from 2017 (column «Код вида товара», VAT 20%), as accounting software prints it',
  },
  {
    id: 'sf-2011',
    heldOut: true,
    description:
      'the original 2011 form (11 columns with country of origin and customs declaration, VAT 18%), Times-like face, date in words',
  },
] as const;
type InvoiceStyle = (typeof INVOICE_STYLES)[number]['id'];

/** VAT rate of the period the style's form was in use: 18% until 2018, 20% since 2019. */
function vat(style: InvoiceStyle, kop: number): number {
  return style === 'sf-2011' ? Math.round(kop * 0.18) : vat20(kop);
}

/** Счёт-фактура (form of Government Decree № 1137): seller, buyer, a few lines, VAT. */
function sample(seed: number, style: string): FieldValue[] {
  const st = styleOf(INVOICE_STYLES, style);
  const rng = createRng(subSeed(seed, 'values'));
  const looks = createRng(subSeed(seed, 'looks'));
  const seller = sampleOrganisation(rng);
  let buyer = sampleOrganisation(rng);
  while (buyer.inn === seller.inn) buyer = sampleOrganisation(rng);
  const date =
    st === 'sf-2011'
      ? randomDate(rng, { y: 2012, m: 1, d: 1 }, { y: 2016, m: 12, d: 31 })
      : randomDate(rng, { y: 2019, m: 1, d: 1 }, { y: 2024, m: 12, d: 31 });
  const net = items(seed).reduce((s, it) => s + it.quantity * it.priceKop, 0);
  const tax = items(seed).reduce((s, it) => s + vat(st, it.quantity * it.priceKop), 0);
  // Accounting software prints the date either way («от 16.09.2024», «от 16 сентября 2024 г.»).
  const dateForm = st === 'sf-2011' ? 'words-g' : looks.pick(['numeric', 'words-g'] as const);
  return [
    field('Номер счёта-фактуры', String(rng.int(1, 4999))),
    field('Дата счёта-фактуры', printDate(date, dateForm)),
    field('Продавец', seller.name),
    field('Адрес продавца', seller.address),
    field('ИНН продавца', seller.inn),
    field('КПП продавца', seller.kpp),
    field('Покупатель', buyer.name),
    field('Адрес покупателя', buyer.address),
    field('ИНН покупателя', buyer.inn),
    field('КПП покупателя', buyer.kpp),
    field('Стоимость без налога', formatMoney(net)),
    field('Сумма налога', formatMoney(tax)),
    field('Всего к оплате', formatMoney(net + tax)),
  ];
}

const W = 2339;
const H = 1654;

/** The goods table of each form edition: column heads and widths (they sum to the table width). */
const COLUMNS: Record<InvoiceStyle, [string, number][]> = {
  'sf-2017': [
    ['Наименование товара (описание выполненных работ, оказанных услуг)', 560],
    ['Код вида товара', 120],
    ['Единица измерения: код / условное обозначение', 220],
    ['Коли-чество (объём)', 140],
    ['Цена (тариф) за единицу измерения', 200],
    ['Стоимость товаров без налога — всего', 240],
    ['Налоговая ставка', 130],
    ['Сумма налога, предъявляемая покупателю', 230],
    ['Стоимость товаров с налогом — всего', 299],
  ],
  'sf-2011': [
    ['Наименование товара', 420],
    ['Единица измерения: код / условное обозначение', 200],
    ['Коли-чество', 110],
    ['Цена за единицу', 170],
    ['Стоимость без налога — всего', 210],
    ['В том числе сумма акциза', 130],
    ['Налоговая ставка', 110],
    ['Сумма налога', 200],
    ['Стоимость с налогом — всего', 210],
    ['Страна проис-хождения', 189],
  ],
};

async function render(fields: FieldValue[], seed: number, style: string, opts: RenderOptions = {}) {
  const st = styleOf(INVOICE_STYLES, style);
  const rng = createRng(subSeed(seed, 'render'));
  const { canvas, ctx } = newCanvas(W, H, opts.longSide);
  const v = (qt: string) => fieldValue(fields, qt);
  paper(ctx, W, H, [rng.int(249, 253), rng.int(249, 253), rng.int(247, 251)], rng, 3);
  const black = rgb([rng.int(5, 25), rng.int(5, 25), rng.int(5, 25)]);
  const grey = rgb([60, 60, 60]);
  const old = st === 'sf-2011';
  const face = old ? 'tinos' : rng.pick(['sans', 'arimo'] as const);
  const f = (px: number, bold = false) => font(face, px * (face === 'arimo' ? 0.92 : 1), { bold });
  const placed = new Placed();
  const L = 100;
  const R = W - 100;

  const small = f(19);
  drawText(ctx, 'Приложение № 1', R, 70, { font: small, color: grey, align: 'right' });
  drawText(ctx, 'к постановлению Правительства Российской Федерации', R, 96, {
    font: small,
    color: grey,
    align: 'right',
  });
  drawText(ctx, 'от 26 декабря 2011 г. № 1137', R, 122, { font: small, color: grey, align: 'right' });
  if (!old)
    drawText(ctx, '(в ред. Постановления Правительства РФ от 19.08.2017 № 981)', R, 148, {
      font: small,
      color: grey,
      align: 'right',
    });

  // Title line: «СЧЁТ-ФАКТУРА № 123 от 12.03.2024 (1)» with number and date as separate fields.
  let x = L;
  const title = f(40, true);
  // 1C and most software print «Счет-фактура» without ё; the form's own text has capitals.
  const head = old ? 'СЧЕТ-ФАКТУРА №' : rng.pick(['СЧЁТ-ФАКТУРА №', 'Счет-фактура №']);
  x = drawText(ctx, head, x, 190, { font: title, color: black })[2] + 16;
  placed.add(
    'Номер счёта-фактуры',
    drawText(ctx, v('Номер счёта-фактуры'), x, 190, { font: title, color: black }),
  );
  x += textWidth(ctx, v('Номер счёта-фактуры'), { font: title }) + 16;
  x = drawText(ctx, 'от', x, 190, { font: title, color: black })[2] + 16;
  placed.add(
    'Дата счёта-фактуры',
    drawText(ctx, v('Дата счёта-фактуры'), x, 190, { font: title, color: black }),
  );
  drawText(ctx, '(1)', R, 190, { font: f(24), color: grey, align: 'right' });
  drawText(ctx, old ? 'ИСПРАВЛЕНИЕ № -- от --' : 'ИСПРАВЛЕНИЕ № ——— от ———', L, 236, {
    font: f(28),
    color: black,
  });
  drawText(ctx, '(1а)', R, 236, { font: f(24), color: grey, align: 'right' });

  const row = f(30);
  const line = (y: number, label: string, parts: [string | null, string][], code: string) => {
    let cx = drawText(ctx, label, L, y, { font: row, color: black })[2] + 14;
    for (const [qt, text] of parts) {
      const maxW = R - 80 - cx;
      const size = fitSize(ctx, text, (px) => f(px, true), 30, maxW, 20);
      const b: Box = drawText(ctx, text, cx, y, { font: f(size, true), color: black });
      if (qt) placed.add(qt, b);
      cx = b[2] + 6;
    }
    ctx.strokeStyle = grey;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(L, y + 8);
    ctx.lineTo(R - 70, y + 8);
    ctx.stroke();
    drawText(ctx, code, R, y, { font: f(24), color: grey, align: 'right' });
  };
  line(300, 'Продавец:', [['Продавец', v('Продавец')]], '(2)');
  line(346, 'Адрес:', [['Адрес продавца', v('Адрес продавца')]], '(2а)');
  line(
    392,
    'ИНН/КПП продавца:',
    [
      ['ИНН продавца', v('ИНН продавца')],
      [null, ' / '],
      ['КПП продавца', v('КПП продавца')],
    ],
    '(2б)',
  );
  line(438, 'Грузоотправитель и его адрес:', [[null, 'он же']], '(3)');
  line(484, 'Грузополучатель и его адрес:', [[null, `${v('Покупатель')}`]], '(4)');
  line(530, 'К платёжно-расчётному документу №', [[null, '——— от ———']], '(5)');
  line(576, 'Покупатель:', [['Покупатель', v('Покупатель')]], '(6)');
  line(622, 'Адрес:', [['Адрес покупателя', v('Адрес покупателя')]], '(6а)');
  line(
    668,
    'ИНН/КПП покупателя:',
    [
      ['ИНН покупателя', v('ИНН покупателя')],
      [null, ' / '],
      ['КПП покупателя', v('КПП покупателя')],
    ],
    '(6б)',
  );
  line(
    714,
    old ? 'Валюта: наименование, код' : 'Валюта: наименование, код',
    [[null, old ? 'российский рубль, 643' : 'Российский рубль, 643']],
    '(7)',
  );

  // The goods table.
  const cols = COLUMNS[st];
  const rate = old ? '18%' : '20%';
  const tax = (kop: number) => vat(st, kop);
  const top = 760;
  const headH = 130;
  const rowH = 56;
  const its = items(seed);
  ctx.strokeStyle = black;
  ctx.lineWidth = 1.5;
  let cx = L;
  const colX: number[] = [];
  for (const [name, w] of cols) {
    colX.push(cx);
    ctx.strokeRect(cx, top, w, headH);
    const words = name.split(' ');
    const lines: string[] = [];
    let cur = '';
    for (const wd of words) {
      const next = cur ? `${cur} ${wd}` : wd;
      if (cur && textWidth(ctx, next, { font: f(18) }) > w - 12) {
        lines.push(cur);
        cur = wd;
      } else cur = next;
    }
    lines.push(cur);
    lines.forEach((ln, i) => {
      drawText(ctx, ln, cx + w / 2, top + 28 + i * 22, { font: f(18), color: black, align: 'center' });
    });
    cx += w;
  }
  const cell = (
    ci: number,
    y: number,
    text: string,
    align: 'left' | 'right' | 'center',
    bold = false,
    qt?: string,
  ) => {
    const x0 = colX[ci] as number;
    const w = (cols[ci] as [string, number])[1];
    const size = fitSize(ctx, text, (px) => f(px, bold), 26, w - 16, 16);
    const tx = align === 'left' ? x0 + 8 : align === 'right' ? x0 + w - 8 : x0 + w / 2;
    const b = drawText(ctx, text, tx, y + rowH / 2 + 9, { font: f(size, bold), color: black, align });
    if (qt) placed.add(qt, b);
  };
  let y = top + headH;
  for (const it of its) {
    cols.forEach(([, w], ci) => {
      ctx.strokeRect(colX[ci] as number, y, w, rowH);
    });
    const net = it.quantity * it.priceKop;
    const values = old
      ? [
          it.name,
          `${it.unitCode} ${it.unit}`,
          String(it.quantity),
          formatMoney(it.priceKop),
          formatMoney(net),
          'без акциза',
          rate,
          formatMoney(tax(net)),
          formatMoney(net + tax(net)),
          '--',
        ]
      : [
          it.name,
          '—',
          `${it.unitCode} / ${it.unit}`,
          String(it.quantity),
          formatMoney(it.priceKop),
          formatMoney(net),
          rate,
          formatMoney(tax(net)),
          formatMoney(net + tax(net)),
        ];
    const aligns: ('left' | 'right' | 'center')[] = old
      ? ['left', 'center', 'right', 'right', 'right', 'center', 'center', 'right', 'right', 'center']
      : ['left', 'center', 'center', 'right', 'right', 'right', 'center', 'right', 'right'];
    for (const [ci, text] of values.entries()) cell(ci, y, text, aligns[ci]!);
    y += rowH;
  }
  // Columns of the totals row: net, rate/excise, tax, gross.
  const [cNet, cX, cTax, cGross] = old ? [4, 6, 7, 8] : [5, 6, 7, 8];
  // Totals row: «Всего к оплате» spans the first five columns.
  const spanW = (colX[cNet] as number) - L;
  ctx.strokeRect(L, y, spanW, rowH);
  for (const ci of old ? [4, 5, 6, 7, 8] : [5, 6, 7, 8])
    ctx.strokeRect(colX[ci] as number, y, (cols[ci] as [string, number])[1], rowH);
  drawText(ctx, 'Всего к оплате', L + 10, y + rowH / 2 + 10, { font: f(28, true), color: black });
  cell(cNet, y, v('Стоимость без налога'), 'right', true, 'Стоимость без налога');
  cell(cX, y, 'X', 'center');
  cell(cTax, y, v('Сумма налога'), 'right', true, 'Сумма налога');
  cell(cGross, y, v('Всего к оплате'), 'right', true, 'Всего к оплате');
  y += rowH + 110;

  const sig = (x0: number, label: string) => {
    const s0 = Math.max(x0 + 330, drawText(ctx, label, x0, y, { font: f(24), color: black })[2] + 20);
    ctx.beginPath();
    ctx.moveTo(s0, y + 6);
    ctx.lineTo(s0 + 230, y + 6);
    ctx.moveTo(s0 + 260, y + 6);
    ctx.lineTo(s0 + 570, y + 6);
    ctx.stroke();
    drawText(ctx, '(подпись)', s0 + 115, y + 30, { font: f(17), color: grey, align: 'center' });
    drawText(ctx, '(ф.и.о.)', s0 + 415, y + 30, { font: f(17), color: grey, align: 'center' });
  };
  ctx.lineWidth = 1;
  sig(L, 'Руководитель организации');
  sig(L + 1130, 'Главный бухгалтер');
  y += 110;
  sig(L, 'Индивидуальный предприниматель');
  sampleStamp(ctx, 1700, Math.min(H - 110, y + 20), 1, rng.float(-0.2, 0.2), [190, 30, 40], (px, bold) =>
    font('sans', px, { bold }),
  );
  return finish('invoice', 'invoice', st, canvas, fields, placed);
}

export const invoice: DocTemplate = {
  kind: 'invoice',
  docClass: 'invoice',
  styles: INVOICE_STYLES,
  sample,
  render,
  questions: questionsFor,
};

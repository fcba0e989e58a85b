import { addYears, formatDate, fromDays, toDays, type Ymd } from '../data/dates.js';
import { type BirthPlace, randomDate, samplePerson } from '../data/person.js';
import { placeGenitive, titleCase } from '../data/print.js';
import type { Region } from '../data/regions.js';
import { createRng, digits, type Rng, subSeed } from '../data/rng.js';
import { font } from '../render/fonts.js';
import { microtext, netting, paper, rgb, rosette, sampleStamp, waveBand } from '../render/paper.js';
import { type Box, drawText, fitSize, wrapWords } from '../render/text.js';
import type { DocTemplate, FieldValue, RenderOptions } from '../types.js';
import { faker, field, fieldValue, finish, newCanvas, Placed, styleOf } from './common.js';
import { questionsFor } from './fields.js';

/**
 * «ГОР. РЫБИНСК ЯРОСЛАВСКОЙ ОБЛ.»: the passport prints the birth place in capitals, settlement type
 * first and the region in the genitive (as in the old birth certificate it is copied from).
 */
export function passportBirthPlace(p: BirthPlace, city: 'ГОР.' | 'Г.' = 'ГОР.'): string {
  return placeGenitive(p, city, true);
}

export const PASSPORT_STYLES = [
  {
    id: 'passport-print',
    heldOut: false,
    description: 'pages 2–3 printed by the passport desk software: bold sans capitals, issuer centred, MRZ',
  },
  {
    id: 'passport-desk',
    heldOut: false,
    description:
      'another desk printer: Times- or Courier-like capitals, issuer left-aligned, values shifted, MRZ',
  },
  {
    id: 'passport-hand',
    heldOut: true,
    description: 'early passport filled in by hand (1997–2000s): pen cursive, title-case names, no MRZ',
  },
] as const;
type PassportStyle = (typeof PASSPORT_STYLES)[number]['id'];

/** «ОТДЕЛОМ УФМС РОССИИ ПО ЯРОСЛАВСКОЙ ОБЛ. В ДЗЕРЖИНСКОМ Р-НЕ ГОР. ЯРОСЛАВЛЯ» style issuers. */
export function passportIssuer(rng: Rng, r: Region, issued: Ymd): string {
  const district = rng.pick(r.districts);
  // Passports were issued by the police until 2006, by the migration service (УФМС) until
  // 2018, and by the interior ministry (ГУ МВД / УМВД) since. The issuer follows «Выдан», so it
  // is in the instrumental: «КАЛИНИНСКИМ РОВД ГОР. ЧЕЛЯБИНСКА»; a district named by a noun
  // («Хамовники») does not decline and takes «РАЙОН»: «ОВД РАЙОНА ХАМОВНИКИ».
  const adjective = district.endsWith('ОМ');
  const city = `ГОР. ${r.capitalGenitive.toUpperCase()}`;
  if (issued.y < 2006) {
    return adjective ? `${instrumental(district)} РОВД ${city}` : `ОВД РАЙОНА ${district} ${city}`;
  }
  if (issued.y < 2018) {
    return `ОТДЕЛОМ УФМС РОССИИ ${r.mvd} ${adjective ? `В ${district} Р-НЕ` : `В РАЙОНЕ ${district}`}`;
  }
  return `${r.tax === '77' || r.tax === '78' ? 'ГУ' : 'УМВД'} МВД РОССИИ ${r.mvd}`;
}

/** «КАЛИНИНСКОМ» → «КАЛИНИНСКИМ», «ЦЕНТРАЛЬНОМ» → «ЦЕНТРАЛЬНЫМ»: the prepositional adjective as instrumental. */
export function instrumental(prepositional: string): string {
  const stem = prepositional.slice(0, -2);
  // Russian spelling: after к, г, х and the hushing consonants «ы» is written «и».
  return `${stem}${/[КГХЖШЧЩ]$/.test(stem) ? 'ИМ' : 'ЫМ'}`;
}

/**
 * Issued on reaching 14, 20 or 45 (the latest one passed), within three months of the
 * birthday; modern passports exist since 1997, so issue years run 2000–2024.
 */
function sample(seed: number, style: string): FieldValue[] {
  const st = styleOf(PASSPORT_STYLES, style);
  const looks = createRng(subSeed(seed, 'looks'));
  const rng = createRng(subSeed(seed, 'values'));
  const age = rng.pick([14, 20, 45]);
  // Hand-filled passports are the early ones.
  const issueYear = st === 'passport-hand' ? rng.int(1998, 2008) : rng.int(2000, 2024);
  const person = samplePerson(rng, faker, {
    from: { y: issueYear - age - 1, m: 1, d: 1 },
    to: { y: issueYear - age - 1, m: 12, d: 31 },
  });
  const birthday = addYears(person.birth, age);
  const issued = randomDate(rng, birthday, fromDays(toDays(birthday) + 90));
  const r = person.home;
  const series = `${r.okato} ${String(issued.y % 100).padStart(2, '0')}`;
  const dept = `${r.tax === '77' ? '77' : r.tax}${rng.int(0, 2)}-${String(rng.int(1, 99)).padStart(3, '0')}`;
  const hand = st === 'passport-hand';
  const name = (n: string) => (hand ? titleCase(n) : n.toUpperCase());
  const male = person.sex === 'male';
  return [
    field('Серия и номер паспорта', `${series} ${digits(rng, 6)}`),
    field('Фамилия', name(person.lastName)),
    field('Имя', name(person.firstName)),
    field('Отчество', name(person.middleName)),
    field(
      'Пол',
      hand
        ? male
          ? 'муж.'
          : 'жен.'
        : st === 'passport-desk' && looks.chance(0.5)
          ? male
            ? 'МУЖ'
            : 'ЖЕН'
          : male
            ? 'МУЖ.'
            : 'ЖЕН.',
    ),
    field('Дата рождения', formatDate(person.birth)),
    field(
      'Место рождения',
      hand
        ? placeGenitive(person.birthPlace, 'ГОР.', false)
        : passportBirthPlace(person.birthPlace, looks.pick(['ГОР.', 'Г.'] as const)),
    ),
    field('Кем выдан', passportIssuer(rng, r, issued)),
    field('Дата выдачи', formatDate(issued)),
    field('Код подразделения', dept),
  ];
}

const TRANSLIT: Record<string, string> = {
  А: 'A',
  Б: 'B',
  В: 'V',
  Г: 'G',
  Д: 'D',
  Е: 'E',
  Ё: 'E',
  Ж: 'ZH',
  З: 'Z',
  И: 'I',
  Й: 'I',
  К: 'K',
  Л: 'L',
  М: 'M',
  Н: 'N',
  О: 'O',
  П: 'P',
  Р: 'R',
  С: 'S',
  Т: 'T',
  У: 'U',
  Ф: 'F',
  Х: 'KH',
  Ц: 'TS',
  Ч: 'CH',
  Ш: 'SH',
  Щ: 'SHCH',
  Ъ: 'IE',
  Ы: 'Y',
  Ь: '',
  Э: 'E',
  Ю: 'IU',
  Я: 'IA',
};

function translit(s: string): string {
  return [...s].map((c) => TRANSLIT[c] ?? '<').join('');
}

const W = 1240;
const H = 1748;
const PAGE = H / 2;

/** How one passport desk (or person) fills the blank: the pre-printed labels are the same on all. */
interface Filler {
  font: (px: number) => string;
  /** Multiplies every value size (faces differ in their width at one size). */
  scale: number;
  ink: string;
  issuerAlign: 'center' | 'left';
  /** Offset of all values from where passport-print puts them. */
  dx: number;
  dy: number;
  mrz: boolean;
  jitter?: { rng: Rng; px: number };
}

function filler(style: PassportStyle, rng: Rng): Filler {
  const black = rgb([rng.int(10, 30), rng.int(10, 25), rng.int(20, 40)]);
  if (style === 'passport-hand') {
    return {
      font: (px) => font('hand', px * 1.2, { bold: true }),
      scale: 1,
      ink: rgb([rng.int(20, 50), rng.int(30, 60), rng.int(110, 160)]),
      issuerAlign: 'left',
      dx: rng.int(0, 24),
      dy: rng.int(-6, 6),
      mrz: false,
      jitter: { rng, px: 1.2 },
    };
  }
  if (style === 'passport-desk') {
    const face = rng.pick(['tinos', 'cousine'] as const);
    return {
      font: (px) => font(face, px, { bold: face === 'cousine' }),
      scale: face === 'cousine' ? 0.8 : 0.92,
      ink: black,
      issuerAlign: 'left',
      // Only rightwards: the labels end where passport-print's values begin.
      dx: rng.int(0, 36),
      dy: rng.int(-6, 10),
      mrz: true,
    };
  }
  const face = rng.pick(['sans', 'arimo'] as const);
  return {
    font: (px) => font(face, px, { bold: true }),
    scale: face === 'arimo' ? 0.9 : 1,
    ink: black,
    issuerAlign: 'center',
    dx: rng.int(0, 10),
    dy: rng.int(-4, 4),
    mrz: true,
  };
}

async function render(fields: FieldValue[], seed: number, style: string, opts: RenderOptions = {}) {
  const st = styleOf(PASSPORT_STYLES, style);
  const rng = createRng(subSeed(seed, 'render'));
  const { canvas, ctx } = newCanvas(W, H, opts.longSide);
  const v = (qt: string) => fieldValue(fields, qt);
  paper(ctx, W, H, [rng.int(238, 246), rng.int(226, 234), rng.int(228, 236)], rng, 5);
  const tint: [number, number, number] = [190, 120, 150];
  netting(ctx, 0, 0, W, H, rgb(tint, 0.16), 9);
  rosette(ctx, W / 2, PAGE / 2 + 20, 330, rgb(tint, 0.22), rng, { curves: 5 });
  rosette(ctx, W / 2 + 150, PAGE + PAGE / 2, 330, rgb(tint, 0.22), rng, { curves: 5 });
  waveBand(ctx, 20, 20, W - 40, 30, rgb(tint, 0.5), { lines: 6, period: 36 });
  waveBand(ctx, 20, H - 50, W - 40, 30, rgb(tint, 0.5), { lines: 6, period: 36 });
  // The fold between the two pages.
  const fold = ctx.createLinearGradient(0, PAGE - 14, 0, PAGE + 14);
  fold.addColorStop(0, 'rgba(0,0,0,0)');
  fold.addColorStop(0.5, 'rgba(60,40,50,0.22)');
  fold.addColorStop(1, 'rgba(0,0,0,0)');
  ctx.fillStyle = fold;
  ctx.fillRect(0, PAGE - 14, W, 28);

  const ink = rgb([120, 60, 80]);
  const black = rgb([rng.int(10, 30), rng.int(10, 25), rng.int(20, 40)]);
  const fill = filler(st, createRng(subSeed(seed, 'filler')));
  const placed = new Placed();
  const label = (t: string, x: number, y: number, align: 'left' | 'center' | 'right' = 'left') =>
    drawText(ctx, t, x, y, { font: font('sans', 22, { italic: true }), color: ink, align });
  // Each desk sets its own size too: ±6% around the nominal one.
  const size = createRng(subSeed(seed, 'size')).float(0.94, 1.06);
  const vf = (px: number) => fill.font(px * size);
  const val = (
    qt: string,
    x: number,
    y: number,
    px: number,
    maxW: number,
    align: 'left' | 'center' = 'left',
  ): Box => {
    const text = v(qt);
    const size = fitSize(ctx, text, vf, px * fill.scale, maxW, px * 0.6);
    const b = drawText(ctx, text, x + fill.dx, y + fill.dy, {
      font: vf(size),
      color: fill.ink,
      align,
      jitter: fill.jitter,
    });
    placed.add(qt, b);
    return b;
  };

  // Page 2: issuer.
  drawText(ctx, 'РОССИЙСКАЯ ФЕДЕРАЦИЯ', W / 2, 95, {
    font: font('serif', 30, { bold: true }),
    color: ink,
    align: 'center',
  });
  microtext(ctx, 'РОССИЙСКАЯ ФЕДЕРАЦИЯ', 100, 118, W - 200, font('sans', 8), rgb(tint, 0.9));
  label('Паспорт выдан', 110, 190);
  const issuer = v('Кем выдан');
  const issuerFont = vf(36 * fill.scale);
  const lines = wrapWords(ctx, issuer, issuerFont, W - 260);
  const centred = fill.issuerAlign === 'center';
  lines.forEach((line, i) => {
    placed.add(
      'Кем выдан',
      drawText(ctx, line, centred ? W / 2 : 130 + fill.dx, 250 + fill.dy + i * 56, {
        font: issuerFont,
        color: fill.ink,
        align: fill.issuerAlign,
        jitter: fill.jitter,
      }),
    );
  });
  label('Дата выдачи', 110, 470);
  val('Дата выдачи', 300, 472, 38, 300);
  label('Код подразделения', 640, 470);
  val('Код подразделения', 870, 472, 38, 260);
  label('Личная подпись', 110, 640);
  ctx.strokeStyle = rgb([40, 40, 60]);
  ctx.lineWidth = 2.2;
  ctx.beginPath();
  ctx.moveTo(330, 650);
  for (let i = 0; i < 8; i++) ctx.quadraticCurveTo(360 + i * 30, 600 + rng.int(0, 60), 380 + i * 30, 640);
  ctx.stroke();
  sampleStamp(ctx, 860, 680, 0.9, rng.float(-0.25, -0.1), [60, 40, 150], (px, bold) =>
    font('sans', px, { bold }),
  );

  // Page 3: holder.
  ctx.fillStyle = rgb([215, 215, 220]);
  ctx.fillRect(80, PAGE + 150, 300, 400);
  ctx.fillStyle = rgb([170, 170, 180]);
  ctx.beginPath();
  ctx.ellipse(230, PAGE + 300, 70, 90, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.beginPath();
  ctx.ellipse(230, PAGE + 520, 130, 110, 0, Math.PI, Math.PI * 2);
  ctx.fill();
  const xl = 430;
  const xv = 620;
  label('Фамилия', xl, PAGE + 190);
  val('Фамилия', xv, PAGE + 192, 42, W - xv - 110);
  label('Имя', xl, PAGE + 270);
  val('Имя', xv, PAGE + 272, 42, W - xv - 110);
  label('Отчество', xl, PAGE + 350);
  val('Отчество', xv, PAGE + 352, 42, W - xv - 110);
  label('Пол', xl, PAGE + 430);
  val('Пол', 500, PAGE + 432, 38, 120);
  label('Дата рождения', 650, PAGE + 430);
  val('Дата рождения', 820, PAGE + 432, 38, 260);
  label('Место', xl, PAGE + 500);
  label('рождения', xl, PAGE + 526);
  const place = v('Место рождения');
  const placeFont = vf(36 * fill.scale);
  const plines = wrapWords(ctx, place, placeFont, W - xv - 150);
  plines.forEach((line, i) => {
    placed.add(
      'Место рождения',
      drawText(ctx, line, xv + fill.dx, PAGE + 512 + fill.dy + i * 52, {
        font: placeFont,
        color: fill.ink,
        jitter: fill.jitter,
      }),
    );
  });

  // Series and number, printed vertically in red along the outer edge.
  const number = v('Серия и номер паспорта');
  const nf = font('serif', 40, { bold: true });
  const red = rgb([190, 30, 40]);
  for (const yAnchor of [PAGE - 120, H - 260]) {
    const b = rotatedText(number, W - 70, yAnchor, nf, red);
    if (yAnchor > PAGE) placed.add('Серия и номер паспорта', b);
  }

  if (fill.mrz) mrzLines();
  function mrzLines() {
    // Machine-readable zone.
    const surname = translit(v('Фамилия').toUpperCase());
    const given = `${translit(v('Имя').toUpperCase())}<${translit(v('Отчество').toUpperCase())}`;
    const l1 = `PNRUS${surname}<<${given}`.padEnd(44, '<').slice(0, 44);
    const nb = number.replace(/\s/g, '');
    const l2 =
      `${nb.slice(0, 3)}${nb.slice(4)}<RUS${v('Дата рождения').split('.').reverse().join('').slice(2)}`.padEnd(
        44,
        '<',
      );
    const mrz = font('ptmono', 34);
    drawText(ctx, l1, W / 2, H - 150, { font: mrz, color: black, align: 'center', letterSpacing: 2 });
    drawText(ctx, l2, W / 2, H - 95, { font: mrz, color: black, align: 'center', letterSpacing: 2 });
  }

  function rotatedText(text: string, x: number, y: number, f: string, color: string): Box {
    ctx.save();
    ctx.font = f;
    ctx.fillStyle = color;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    ctx.translate(x, y);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(text, 0, 0);
    const m = ctx.measureText(text);
    ctx.restore();
    // Rotating by -90° maps text (u, v) to page (x + v, y - u).
    return [
      Math.floor(x - m.actualBoundingBoxAscent),
      Math.floor(y - m.actualBoundingBoxRight),
      Math.ceil(x + m.actualBoundingBoxDescent),
      Math.ceil(y + m.actualBoundingBoxLeft),
    ];
  }
  return finish('passport', 'passport', st, canvas, fields, placed);
}

export const passport: DocTemplate = {
  kind: 'passport',
  docClass: 'passport',
  styles: PASSPORT_STYLES,
  sample,
  render,
  questions: questionsFor,
};

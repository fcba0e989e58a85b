/**
 * Test pages laid out unlike both our generator's templates and fixtures.ts: a passport spread as the
 * blank of Постановление № 828 lays it out (small captions, centred values, title-case names, the
 * series and number only vertically in red on the right edge, an MRZ), a счёт-фактура in the 2021+
 * wording of Постановление № 1137 (numbered row captions, a competing payment document number and
 * date, the header date in words), an АДИ-РЕГ notice, an ИНН certificate of form 2-1-Учет with the
 * caption under the value. The engine has never been developed against these; they exist to catch rules
 * that only hold for one layout.
 */
import { createRequire } from 'node:module';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import type { FieldKind } from '../../../src/engines/tesseract/fields.js';
import { inn10For, inn12For, snilsFor } from './fixtures.js';

const require = createRequire(import.meta.url);
let fontsReady = false;

function ensureFonts(): void {
  if (fontsReady) return;
  const dejavu = (f: string) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`);
  GlobalFonts.registerFromPath(dejavu('DejaVuSerif.ttf'), 'DejaVu Serif');
  GlobalFonts.registerFromPath(dejavu('DejaVuSansCondensed.ttf'), 'DejaVu Sans Condensed');
  GlobalFonts.registerFromPath(dejavu('DejaVuSansMono.ttf'), 'DejaVu Sans Mono');
  GlobalFonts.registerFromPath(
    require.resolve('@fontsource/pt-serif/files/pt-serif-cyrillic-400-normal.woff2'),
    'PT Serif',
  );
  fontsReady = true;
}

export interface UnfamiliarDoc {
  name: string;
  png: Buffer;
  /** Ground truth exactly as printed. */
  truth: Partial<Record<FieldKind, string>>;
}

function page(width: number, height: number, paper = '#fbfaf5') {
  ensureFonts();
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = paper;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#1a1a1a';
  return { ctx, done: () => canvas.toBuffer('image/png') };
}

function text(
  ctx: SKRSContext2D,
  s: string,
  x: number,
  y: number,
  size: number,
  font: string,
  align: 'left' | 'center' = 'left',
): void {
  ctx.font = `${size}px "${font}"`;
  ctx.textAlign = align;
  ctx.fillText(s, x, y);
}

// --- ICAO 9303 machine-readable zone, Russian internal passport --------------------------------------

/** The Russian MRZ letter table (Cyrillic → the one Latin letter or digit each is written as). */
const MRZ_LETTERS: Record<string, string> = {
  А: 'A', Б: 'B', В: 'V', Г: 'G', Д: 'D', Е: 'E', Ё: '2', Ж: 'J', З: 'Z', И: 'I', Й: 'Q', К: 'K',
  Л: 'L', М: 'M', Н: 'N', О: 'O', П: 'P', Р: 'R', С: 'S', Т: 'T', У: 'U', Ф: 'F', Х: 'H', Ц: 'C',
  Ч: '3', Ш: '4', Щ: 'W', Ъ: 'X', Ы: 'Y', Ь: '9', Э: '6', Ю: '7', Я: '8',
}; // biome-ignore format: a table

function mrzName(s: string): string {
  return [...s.toUpperCase()].map((c) => MRZ_LETTERS[c] ?? (c === ' ' || c === '-' ? '<' : c)).join('');
}

/** ICAO 9303 check digit: weights 7, 3, 1; digits as themselves, A–Z as 10–35, «<» as 0. */
function check(s: string): string {
  const w = [7, 3, 1];
  let sum = 0;
  [...s].forEach((c, i) => {
    const v = /\d/.test(c) ? Number(c) : c === '<' ? 0 : c.charCodeAt(0) - 55;
    sum += v * w[i % 3]!;
  });
  return String(sum % 10);
}

const pad = (s: string, n: number) => (s + '<'.repeat(n)).slice(0, n);

/** Two 44-character lines of the Russian internal passport's MRZ. */
export function passportMrz(p: {
  surname: string;
  name: string;
  patronymic: string;
  series: string;
  number: string;
  birth: string;
  sex: 'M' | 'F';
  issued: string;
  code: string;
}): [string, string] {
  const l1 = pad(`PNRUS${mrzName(p.surname)}<<${mrzName(p.name)}<${mrzName(p.patronymic)}`, 44);
  const series = p.series.replace(/\D/g, '');
  const doc = series.slice(0, 3) + p.number;
  const ymd = (dmy: string) => `${dmy.slice(8, 10)}${dmy.slice(3, 5)}${dmy.slice(0, 2)}`;
  const birth = ymd(p.birth);
  const optional = pad(series[3]! + ymd(p.issued) + p.code.replace('-', ''), 14);
  const docPart = doc + check(doc);
  const birthPart = birth + check(birth);
  const expiry = '<<<<<<<';
  const optPart = optional + check(optional);
  const composite = check(docPart + birthPart + expiry + optPart);
  return [l1, `${docPart}RUS${birthPart}${p.sex}${expiry}${optPart}${composite}`];
}

function verticalRed(
  ctx: SKRSContext2D,
  s: string,
  x: number,
  y: number,
  size: number,
  dir: 'up' | 'down',
): void {
  ctx.save();
  ctx.fillStyle = '#c62828';
  ctx.translate(x, y);
  ctx.rotate(dir === 'up' ? -Math.PI / 2 : Math.PI / 2);
  text(ctx, s, 0, 0, size, 'DejaVu Sans Mono');
  ctx.restore();
}

/**
 * A passport spread: page 2 (issuing authority) over page 3 (the holder), captions small and left,
 * values centred, names in title case, the series and number printed only vertically on the right edge
 * (once per page) and in the MRZ.
 */
export function passportSpread(opts: { dir: 'up' | 'down'; mrz: boolean; caption?: number }): UnfamiliarDoc {
  const cap = opts.caption ?? 17;
  const W = 1100;
  const H = 1560;
  const { ctx, done } = page(W, H, '#f6f1f4');
  const serif = 'PT Serif';
  const person = {
    surname: 'Ершова',
    name: 'Анна',
    patronymic: 'Викторовна',
    series: '33 15',
    number: '482913',
    birth: '03.02.1990',
    sex: 'F' as const,
    issued: '16.09.2015',
    code: '430-002',
  };
  // Page 2.
  text(ctx, 'Паспорт выдан', 70, 90, cap, serif);
  text(ctx, 'Отделением УФМС России', 520, 90, 27, serif, 'center');
  text(ctx, 'по Кировской области в гор. Кирове', 520, 130, 27, serif, 'center');
  text(ctx, 'Дата выдачи', 70, 210, cap, serif);
  text(ctx, person.issued, 250, 210, 27, serif);
  text(ctx, 'Код подразделения', 500, 210, cap, serif);
  text(ctx, person.code, 720, 210, 27, serif);
  text(ctx, 'Личная подпись', 70, 300, cap, serif);
  ctx.strokeStyle = '#b08aa0';
  ctx.beginPath();
  ctx.moveTo(30, 700);
  ctx.lineTo(W - 130, 700);
  ctx.stroke();
  // Page 3.
  const rows: [string, string, number][] = [
    ['Фамилия', person.surname, 800],
    ['Имя', person.name, 880],
    ['Отчество', person.patronymic, 960],
  ];
  for (const [label, value, y] of rows) {
    text(ctx, label, 70, y, cap, serif);
    text(ctx, value, 520, y, 32, serif, 'center');
  }
  text(ctx, 'Пол', 70, 1040, cap, serif);
  text(ctx, 'Жен.', 180, 1040, 29, serif);
  text(ctx, 'Дата рождения', 430, 1040, cap, serif);
  text(ctx, person.birth, 640, 1040, 29, serif);
  text(ctx, 'Место рождения', 70, 1120, cap, serif);
  text(ctx, 'гор. Киров', 520, 1120, 29, serif, 'center');
  text(ctx, 'Кировской обл.', 520, 1160, 29, serif, 'center');
  const id = `${person.series} ${person.number}`;
  const x = opts.dir === 'up' ? W - 50 : W - 80;
  verticalRed(ctx, id, x, opts.dir === 'up' ? 560 : 130, 34, opts.dir);
  verticalRed(ctx, id, x, opts.dir === 'up' ? 1220 : 790, 34, opts.dir);
  if (opts.mrz) {
    const [l1, l2] = passportMrz(person);
    text(ctx, l1, 40, 1380, 30, 'DejaVu Sans Mono');
    text(ctx, l2, 40, 1440, 30, 'DejaVu Sans Mono');
  }
  return {
    name: `passport spread (number ${opts.dir}${opts.mrz ? ', MRZ' : ''}, captions ${cap} px)`,
    png: done(),
    truth: {
      surname: person.surname,
      name: person.name,
      patronymic: person.patronymic,
      full_name: `${person.surname} ${person.name} ${person.patronymic}`,
      sex: 'Жен.',
      birth_date: person.birth,
      birth_place: 'гор. Киров Кировской обл.',
      issue_date: person.issued,
      department_code: person.code,
      passport_series: person.series,
      passport_number: person.number,
      passport_series_number: id,
    },
  };
}

/** A passport whose vertical number is unreadable and whose page text carries no number: only the MRZ has it. */
export function passportMrzOnly(): UnfamiliarDoc {
  const { ctx, done } = page(1100, 520, '#ffffff');
  const person = {
    surname: 'Щукин',
    name: 'Юрий',
    patronymic: 'Олегович',
    series: '45 12',
    number: '031786',
    birth: '29.11.1974',
    sex: 'M' as const,
    issued: '05.04.2019',
    code: '770-118',
  };
  text(ctx, 'РОССИЙСКАЯ ФЕДЕРАЦИЯ', 550, 60, 26, 'PT Serif', 'center');
  const [l1, l2] = passportMrz(person);
  text(ctx, l1, 40, 380, 30, 'DejaVu Sans Mono');
  text(ctx, l2, 40, 440, 30, 'DejaVu Sans Mono');
  return {
    name: 'passport MRZ only',
    png: done(),
    truth: {
      passport_series: person.series,
      passport_number: person.number,
      passport_series_number: `${person.series} ${person.number}`,
      surname: 'ЩУКИН',
      name: 'ЮРИЙ',
      patronymic: 'ОЛЕГОВИЧ',
      birth_date: person.birth,
    },
  };
}

/** Счёт-фактура, the 2021+ row captions of Постановление № 1137, date in words in the header. */
export function invoice2021(): UnfamiliarDoc {
  const { ctx, done } = page(1600, 1000, '#ffffff');
  const f = 'DejaVu Sans Condensed';
  const sellerInn = inn10For('434501234');
  const buyerInn = inn10For('590187654');
  text(ctx, 'Приложение № 1 к постановлению Правительства Российской Федерации', 1000, 30, 14, f);
  const header = 'Счет-фактура № 1234 от 5 марта 2024 г.';
  text(ctx, header, 40, 90, 30, f);
  text(ctx, '(1)', 1500, 90, 16, f);
  const rows: [string, string, string][] = [
    ['Исправление №', '— от —', '(1а)'],
    ['Продавец:', 'ООО «Северный путь»', '(2)'],
    ['Адрес:', '610000, Кировская обл., г. Киров, ул. Ленина, д. 1', '(2а)'],
    ['ИНН/КПП продавца:', `${sellerInn}/434501001`, '(2б)'],
    ['Грузоотправитель и его адрес:', 'он же', '(3)'],
    ['Грузополучатель и его адрес:', 'АО «Уралхим», г. Пермь, ул. Мира, д. 7', '(4)'],
    ['К платежно-расчетному документу №', '77 от 01.03.2024', '(5)'],
    ['Документ об отгрузке № п/п', '1 № 12 от 05.03.2024', '(5а)'],
    ['Покупатель:', 'АО «Уралхим»', '(6)'],
    ['Адрес:', '614000, Пермский край, г. Пермь, ул. Мира, д. 7', '(6а)'],
    ['ИНН/КПП покупателя:', `${buyerInn}/590101001`, '(6б)'],
    ['Валюта: наименование, код', 'Российский рубль, 643', '(7)'],
  ];
  let y = 150;
  for (const [label, value, ref] of rows) {
    text(ctx, label, 40, y, 19, f);
    text(ctx, value, 520, y, 21, f);
    text(ctx, ref, 1500, y, 16, f);
    y += 40;
  }
  y += 20;
  ctx.strokeStyle = '#222';
  ctx.strokeRect(40, y, 1520, 190);
  text(ctx, 'Наименование товара', 60, y + 35, 17, f);
  text(ctx, 'Стоимость без налога', 820, y + 35, 17, f);
  text(ctx, 'Сумма налога', 1080, y + 35, 17, f);
  text(ctx, 'Стоимость с налогом', 1300, y + 35, 17, f);
  text(ctx, 'Аммиачная селитра, т', 60, y + 95, 19, f);
  text(ctx, '100 000,00', 820, y + 95, 19, f);
  text(ctx, '20 000,00', 1080, y + 95, 19, f);
  text(ctx, '120 000,00', 1300, y + 95, 19, f);
  text(ctx, 'Всего к оплате (9)', 60, y + 160, 21, f);
  text(ctx, '100 000,00', 820, y + 160, 21, f);
  text(ctx, '20 000,00', 1080, y + 160, 21, f);
  text(ctx, '120 000,00', 1300, y + 160, 21, f);
  return {
    name: 'счёт-фактура 2021+',
    png: done(),
    truth: {
      invoice_number: '1234',
      invoice_date: '5 марта 2024 г.',
      seller: 'ООО «Северный путь»',
      seller_inn: sellerInn,
      seller_kpp: '434501001',
      buyer: 'АО «Уралхим»',
      buyer_inn: buyerInn,
      buyer_kpp: '590101001',
      total: '120 000,00',
      total_net: '100 000,00',
      tax_amount: '20 000,00',
    },
  };
}

/** АДИ-РЕГ: the notice that replaced the green card in 2019, one field per line, title-case values. */
export function adiReg(): UnfamiliarDoc {
  const { ctx, done } = page(1240, 900, '#ffffff');
  const f = 'DejaVu Serif';
  const snils = snilsFor('154628937');
  text(ctx, 'УВЕДОМЛЕНИЕ', 620, 70, 26, f, 'center');
  text(
    ctx,
    'о регистрации в системе индивидуального (персонифицированного) учета',
    620,
    110,
    17,
    f,
    'center',
  );
  text(ctx, 'Страховой номер индивидуального лицевого счета', 60, 200, 19, f);
  text(ctx, snils, 700, 200, 26, f);
  const rows: [string, string][] = [
    ['Фамилия', 'Белоусов'],
    ['Имя', 'Григорий'],
    ['Отчество', 'Ильич'],
    ['Дата рождения', '16 сентября 1990 года'],
    ['Место рождения', 'пос. Восточный Омской обл.'],
    ['Пол', 'Мужской'],
    ['Дата регистрации', '20.03.2008'],
  ];
  let y = 290;
  for (const [label, value] of rows) {
    text(ctx, label, 60, y, 19, f);
    text(ctx, value, 420, y, 24, f);
    y += 60;
  }
  return {
    name: 'АДИ-РЕГ',
    png: done(),
    truth: {
      snils,
      surname: 'Белоусов',
      name: 'Григорий',
      patronymic: 'Ильич',
      full_name: 'Белоусов Григорий Ильич',
      birth_date: '16 сентября 1990 года',
      birth_place: 'пос. Восточный Омской обл.',
      sex: 'Мужской',
      registration_date: '20.03.2008',
    },
  };
}

/**
 * Свидетельство о постановке на учёт физического лица (form 2-1-Учет): the value on a line with its
 * caption in brackets underneath, sex and birth date on one line, the ИНН printed one digit per cell.
 */
export function innCertificate(): UnfamiliarDoc {
  const { ctx, done } = page(1240, 1000, '#fdfdf8');
  const f = 'PT Serif';
  const inn = inn12For('5904123456');
  text(ctx, 'Федеральная налоговая служба', 620, 60, 20, f, 'center');
  text(ctx, 'СВИДЕТЕЛЬСТВО', 620, 130, 34, f, 'center');
  text(ctx, 'о постановке на учет физического лица в налоговом органе', 620, 170, 20, f, 'center');
  text(ctx, 'Физическое лицо', 60, 250, 19, f);
  text(ctx, 'ПЕТРОВ СЕРГЕЙ НИКОЛАЕВИЧ', 620, 250, 27, f, 'center');
  text(ctx, '(фамилия, имя, отчество)', 620, 280, 14, f, 'center');
  text(ctx, 'пол', 60, 340, 19, f);
  text(ctx, 'муж.', 130, 340, 25, f);
  text(ctx, 'дата рождения', 330, 340, 19, f);
  text(ctx, '07.07.1977', 510, 340, 25, f);
  text(ctx, 'место рождения', 60, 400, 19, f);
  text(ctx, 'с. Берёзовка Пермского края', 260, 400, 25, f);
  text(ctx, 'поставлен на учет в соответствии с Налоговым кодексом Российской Федерации', 60, 470, 19, f);
  text(ctx, '«12» мая 2008 г.', 60, 520, 25, f);
  text(ctx, 'в налоговом органе по месту жительства', 60, 580, 19, f);
  text(ctx, 'Инспекция ФНС России по Ленинскому району г. Перми', 60, 630, 25, f);
  text(ctx, 'и ему присвоен ИНН', 60, 710, 21, f);
  [...inn].forEach((d, i) => {
    ctx.strokeStyle = '#555';
    ctx.strokeRect(330 + i * 34, 680, 32, 42);
    text(ctx, d, 337 + i * 34, 712, 27, 'DejaVu Sans Mono');
  });
  return {
    name: 'ИНН 2-1-Учет',
    png: done(),
    truth: {
      full_name: 'ПЕТРОВ СЕРГЕЙ НИКОЛАЕВИЧ',
      surname: 'ПЕТРОВ',
      name: 'СЕРГЕЙ',
      patronymic: 'НИКОЛАЕВИЧ',
      sex: 'муж.',
      birth_date: '07.07.1977',
      birth_place: 'с. Берёзовка Пермского края',
      registration_date: '«12» мая 2008 г.',
      tax_authority: 'Инспекция ФНС России по Ленинскому району г. Перми',
      inn,
    },
  };
}

/** An ИНН letter-spaced across the line over tick marks, as a filled-in certificate may print it. */
export function spacedInn(): UnfamiliarDoc {
  const { ctx, done } = page(1240, 420, '#f7f3ea');
  const inn = inn12For('2320999450');
  text(ctx, 'и ему (ей) присвоен', 60, 120, 26, 'PT Serif');
  text(ctx, 'ИНН', 60, 240, 40, 'PT Serif');
  ctx.strokeStyle = '#a08070';
  [...inn].forEach((d, i) => {
    text(ctx, d, 250 + i * 64, 240, 58, 'DejaVu Sans Condensed');
    ctx.beginPath();
    ctx.moveTo(244 + i * 64, 262);
    ctx.lineTo(244 + i * 64, 276);
    ctx.stroke();
  });
  return { name: 'ИНН spaced digits', png: done(), truth: { inn } };
}

export function unfamiliarSet(): UnfamiliarDoc[] {
  return [
    passportSpread({ dir: 'up', mrz: true }),
    passportSpread({ dir: 'down', mrz: false }),
    // Captions too small to read: the names must come from their order and the patronymic's ending.
    passportSpread({ dir: 'up', mrz: false, caption: 9 }),
    passportMrzOnly(),
    invoice2021(),
    adiReg(),
    innCertificate(),
    spacedInn(),
  ];
}

/**
 * Output-format instructions a prompt or system prompt may carry («ответь заглавными буквами», "only
 * digits", «в формате ДД.ММ.ГГГГ»), and applying them to an answer. Everything else in a system prompt
 * is ignored: the OCR baseline has no use for persona or tone. An answer keeps its printed form unless
 * the question asks for another. Pure.
 */
import { monthOf } from './conventions.js';

export interface AnswerFormat {
  letterCase?: 'upper' | 'lower' | 'capitalized';
  digitsOnly?: boolean;
  date?: 'dmy' | 'iso';
}

export function parseFormat(...texts: (string | undefined)[]): AnswerFormat {
  const t = texts.filter(Boolean).join('\n');
  const f: AnswerFormat = {};
  if (
    /заглавными|прописными|больш\S* буквами|верхн\S* регистр|капсом|upper\s*-?\s*case|capital letters|all caps|in capitals/i.test(
      t,
    )
  ) {
    f.letterCase = 'upper';
  } else if (/строчн\S* букв|маленьк\S* букв|нижн\S* регистр|lower\s*-?\s*case|small letters/i.test(t)) {
    f.letterCase = 'lower';
  } else if (/с (заглавной|прописной|большой) буквы|capitali[sz]e/i.test(t)) {
    f.letterCase = 'capitalized';
  }
  if (
    /только цифр|лишь цифр|одни цифры|only (the )?digits|digits only|only numbers|без пробелов и (дефисов|тире)|without (spaces|dashes|hyphens|separators)/i.test(
      t,
    )
  ) {
    f.digitsOnly = true;
  }
  // «цифрами» only changes an answer that is a date (applyFormat parses it first).
  if (/ДД\.ММ\.ГГГГ|DD\.MM\.YYYY|цифрами|in (digits|numbers)|numeric(al)? (date|form)/i.test(t))
    f.date = 'dmy';
  else if (/ГГГГ-ММ-ДД|YYYY-MM-DD/i.test(t)) f.date = 'iso';
  return f;
}

/** «12 марта 2024 г.», ««05» марта 2024», «12.03.2024» → day, month, year; undefined when it is no date. */
export function parseDate(s: string): { d: number; m: number; y: number } | undefined {
  const num = /(\d{1,2})[./-](\d{1,2})[./-](\d{4})/.exec(s);
  if (num) return { d: Number(num[1]), m: Number(num[2]), y: Number(num[3]) };
  const words = /(\d{1,2})\s*[»"”>]?\s+([а-яё]+)\s+(\d{4})/i.exec(s);
  if (!words) return undefined;
  const m = monthOf(words[2]!);
  return m === undefined ? undefined : { d: Number(words[1]), m, y: Number(words[3]) };
}

const pad = (n: number) => String(n).padStart(2, '0');

export function applyFormat(answer: string, f: AnswerFormat): string {
  let out = answer;
  if (f.date) {
    const d = parseDate(out);
    if (d) out = f.date === 'dmy' ? `${pad(d.d)}.${pad(d.m)}.${d.y}` : `${d.y}-${pad(d.m)}-${pad(d.d)}`;
  }
  if (f.digitsOnly && /\d/.test(out)) out = out.replace(/\D/g, '');
  if (f.letterCase === 'upper') out = out.toUpperCase();
  else if (f.letterCase === 'lower') out = out.toLowerCase();
  else if (f.letterCase === 'capitalized') {
    out = out
      .toLowerCase()
      .replace(/(^|[\s-])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());
  }
  return out;
}

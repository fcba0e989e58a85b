/**
 * Dates as Russian documents print them: «16.09.1990», «16.09.1990 г.», «16 сентября 1990 года»,
 * «16 сентября 1990 г.», «"16" сентября 1990 г.» (forms with a quoted day). The month names are the
 * genitive forms used after a day number; both «года» and «г.» follow the year on real forms.
 */
export interface CalendarDay {
  y: number;
  m: number;
  d: number;
}

/** Month names in the genitive, as printed after the day: «16 сентября». */
export const MONTHS_GENITIVE = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
] as const;

const NUMERIC = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*(?:г\.|года?))?$/u;
const WORDS = /^[«"„']?(\d{1,2})[»"“']?\s+([а-яё]+)\s+(\d{4})(?:\s*(?:г\.|года?))?$/u;

/** The calendar day a printed date names, or null when it is not one of the printed forms or no real day. */
export function parsePrintedDate(s: string): CalendarDay | null {
  const t = s.trim().toLowerCase().replace(/\s+/g, ' ');
  let day: CalendarDay | null = null;
  const n = NUMERIC.exec(t);
  if (n) day = { d: Number(n[1]), m: Number(n[2]), y: Number(n[3]) };
  else {
    const w = WORDS.exec(t);
    const month = w
      ? MONTHS_GENITIVE.indexOf(w[2]!.replaceAll('ё', 'е') as (typeof MONTHS_GENITIVE)[number])
      : -1;
    if (w && month >= 0) day = { d: Number(w[1]), m: month + 1, y: Number(w[3]) };
  }
  if (!day) return null;
  const dt = new Date(Date.UTC(day.y, day.m - 1, day.d));
  const real = dt.getUTCFullYear() === day.y && dt.getUTCMonth() === day.m - 1 && dt.getUTCDate() === day.d;
  return real ? day : null;
}

import { MONTHS_GENITIVE } from '../dataset/dates.js';

/** Calendar dates as answers write them: 16.09.1990, 16/09/1990, 1990-09-16, «16 сентября 1990 года». */
export interface Ymd {
  y: number;
  m: number;
  d: number;
}

const MONTHS: Record<string, number> = Object.fromEntries(MONTHS_GENITIVE.map((name, i) => [name, i + 1]));

function real(y: number, m: number, d: number): Ymd | undefined {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return undefined;
  return { y, m, d };
}

/** The date an answer names, or undefined when it is not a real calendar date in a known format. */
export function parseAnswerDate(s: string): Ymd | undefined {
  const t = s
    .trim()
    .replace(/[.\s]+$/, '')
    .toLowerCase();
  let m = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(t);
  if (m) return real(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (m) return real(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\s+([а-я]+)\s+(\d{4})(?:\s*(?:года|г))?$/.exec(t);
  if (m) {
    const month = MONTHS[m[2] as string];
    return month === undefined ? undefined : real(Number(m[3]), month, Number(m[1]));
  }
  return undefined;
}

export function days(v: Ymd): number {
  return Math.floor(Date.UTC(v.y, v.m - 1, v.d) / 86_400_000);
}

export function formatYmd(v: Ymd): string {
  return `${String(v.d).padStart(2, '0')}.${String(v.m).padStart(2, '0')}.${v.y}`;
}

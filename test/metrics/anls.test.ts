import { describe, expect, it } from 'vitest';
import { ANLS_THRESHOLD, anls, anlsScore } from '../../src/metrics/anls.js';
import { exactMatch } from '../../src/metrics/exact-match.js';

describe('anls', () => {
  it("a similarity of exactly 0.5 is kept, as DocVQA's evaluation script keeps it; below it scores 0", () => {
    expect(ANLS_THRESHOLD).toBe(0.5);
    // "Иван" vs "Ив": 2 deletions / max(4, 2) = 0.5 → 1 − 0.5 = 0.5, not < 0.5 → 0.5. "12" vs "13" too.
    expect(anls('Иван', 'Ив')).toBe(0.5);
    expect(anls('12', '13')).toBe(0.5);
    // 3 of 5: NL 0.6 → similarity 0.4 < 0.5 → 0.
    expect(anls('12345', '12abc')).toBe(0);
    // "Иван" vs "Ива": 1/4 = 0.25 → 0.75.
    expect(anls('Иван', 'Ива')).toBe(0.75);
    // "Иванов" vs "Ивано": 1/6 → 5/6. "абв" vs "аб": 1/3 → 2/3 (NL 0.333 < 0.5).
    expect(anls('Иванов', 'Ивано')).toBeCloseTo(5 / 6, 15);
    expect(anls('абв', 'аб')).toBeCloseTo(2 / 3, 15);
    // 4 of 7 wrong: NL 0.571 → 0.
    expect(anls('1234567', '1230000')).toBe(0);
  });

  it('divides by the longer string as given, before trimming and collapsing, as the script does', () => {
    // 'total: 4217' vs 'total 4217': 1 edit; the prediction as given has 13 characters → 12/13.
    expect(anls('total 4217', 'Total:  4217 ')).toBeCloseTo(12 / 13, 15);
    expect(anlsScore('total 4217', 'total: 4217')).toBeCloseTo(10 / 11, 15);
  });

  it('divides by the longer string, so it is symmetric', () => {
    expect(anls('Ива', 'Иван')).toBe(anls('Иван', 'Ива'));
  });

  it('lower-cases, trims and collapses inner whitespace like the DocVQA script', () => {
    expect(anls('ЖЕНСКИЙ', 'женский')).toBe(1);
    expect(anls('г.  Москва', ' г. москва\n')).toBe(1);
    // anlsScore itself does no preprocessing.
    expect(anlsScore('ЖЕНСКИЙ', 'женский')).toBe(0);
  });

  it('empty strings', () => {
    expect(anls('', '')).toBe(1);
    expect(anls('', 'x')).toBe(0);
    expect(anls('Сидорова', '')).toBe(0);
    expect(anls('  ', '')).toBe(1);
  });
});

describe('exact match', () => {
  it('is strict equality of what it is given', () => {
    expect(exactMatch('7707083893', '7707083893')).toBe(1);
    expect(exactMatch('7707083893', '7707083893 ')).toBe(0);
    expect(exactMatch('', '')).toBe(1);
  });
});

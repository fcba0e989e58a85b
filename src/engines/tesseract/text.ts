/** String helpers shared by question understanding and extraction. Pure. */

/**
 * Glyphs Tesseract's Latin and digit models (with `rus+eng`) return for Cyrillic letters of the same
 * shape, with every reading each can stand for, the usual one first: «o6n.» is «обл.», «yn.» is «ул.»
 * (the sans «л» and the Latin «n» differ by a serif), «Agpec» is «Адрес», «Kon» is «Код», «rop.» is
 * «гор.» (serif and italic faces).
 */
export const CYRILLIC_READINGS: Readonly<Record<string, string>> = {
  a: 'а',
  b: 'вь',
  c: 'с',
  e: 'е',
  g: 'д',
  h: 'н',
  k: 'к',
  m: 'м',
  n: 'пл',
  o: 'о',
  p: 'р',
  r: 'г',
  t: 'т',
  u: 'и',
  x: 'х',
  y: 'у',
  '0': 'о',
  '3': 'з',
  '6': 'б',
};

/** One letter per look-alike, its usual reading: what label words are folded with. */
const LATIN_TO_CYRILLIC: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(CYRILLIC_READINGS).map(([glyph, readings]) => [glyph, readings[0]!]),
);

/** The Cyrillic letter a digit read inside a Cyrillic word stands for («Ре6ров»: «б»). */
export function letterOfDigit(d: '0' | '3' | '6'): string {
  return LATIN_TO_CYRILLIC[d]!;
}

/** Lower case, ё→е, punctuation dropped: the form labels and questions are compared in. */
export function normalizeWord(w: string): string {
  return w
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Normalised, then Latin look-alikes folded onto Cyrillic, for matching OCR words against Russian
 * labels only; values are never folded because the answer must stay as printed.
 */
export function foldForLabel(w: string): string {
  const n = normalizeWord(w);
  // A word read wholly in Latin look-alikes («Mecmo» for «Место») is folded too; one with any letter
  // that has no Cyrillic twin is really Latin and stays.
  if (!/[а-я]/.test(n) && !(/[a-z]/.test(n) && [...n].every((ch) => ch in LATIN_TO_CYRILLIC))) return n;
  let out = '';
  for (const ch of n) out += LATIN_TO_CYRILLIC[ch] ?? ch;
  return out;
}

/** Words of a sentence, normalised, empty ones dropped. */
export function tokenize(s: string): string[] {
  return s
    .split(/[\s/\\,;:!?()«»"'“”„[\]{}]+/u)
    .map(normalizeWord)
    .filter((w) => w.length > 0);
}

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Edits tolerated when matching a label word of this length: short words must match exactly. */
export function allowedEdits(len: number): number {
  if (len <= 3) return 0;
  if (len <= 6) return 1;
  return 2;
}

/** Whether an OCR word (already folded) reads as the label word, within the OCR error budget. */
export function fuzzyEquals(ocr: string, label: string): boolean {
  if (ocr === label) return true;
  const d = levenshtein(ocr, label);
  // Two slips are only taken on a word whose first letter was read right: a value word two edits from
  // a caption word (the name «ЭМИЛИЯ», «фамилия») is a different word, not a misread caption.
  return d <= allowedEdits(label.length) && (d < 2 || ocr[0] === label[0]);
}

/** Characters OCR confuses with digits inside a number-like token. */
const DIGIT_LOOKALIKES: Record<string, string> = {
  O: '0',
  o: '0',
  О: '0',
  о: '0',
  D: '0',
  l: '1',
  I: '1',
  '|': '1',
  і: '1',
  З: '3',
  з: '3',
  б: '6',
  S: '5',
  B: '8',
  В: '8',
};

/**
 * Replace letter look-alikes with digits in tokens that are mostly digits already, so `2O.O3.199O`
 * becomes a date; tokens that are mostly letters are left alone.
 */
export function fixDigits(token: string): string {
  const digits = (token.match(/\d/g) ?? []).length;
  const alnum = (token.match(/[\p{L}\p{N}|]/gu) ?? []).length;
  if (digits === 0 || digits * 2 < alnum) return token;
  let out = '';
  for (const ch of token) out += DIGIT_LOOKALIKES[ch] ?? ch;
  return out;
}

/** Collapse runs of whitespace and trim. */
export function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

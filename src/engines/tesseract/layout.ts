/**
 * Page geometry: Tesseract's lines merged into visual rows (Tesseract often puts a label and its value
 * in different blocks), and fuzzy label search on those rows. Pure.
 */

import { foldForLabel, fuzzyEquals } from './text.js';
import type { Box, OcrPage, OcrWord } from './tsv.js';
import { unionBox } from './tsv.js';

export interface Row {
  /** Position in reading order (top to bottom). */
  index: number;
  words: OcrWord[];
  box: Box;
  text: string;
}

const height = (b: Box) => b.y1 - b.y0;

function verticalOverlap(a: Box, b: Box): number {
  return Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
}

const cx = (b: Box) => (b.x0 + b.x1) / 2;
const cy = (b: Box) => (b.y0 + b.y1) / 2;

/**
 * The page's skew as dy/dx, the median over Tesseract's own multi-word lines (each line's words share
 * a baseline). A scan tilted by 3° moves a value 50 px off its label's row across an A4 page.
 */
export function estimateSlope(page: OcrPage): number {
  const slopes: number[] = [];
  for (const l of page.lines) {
    if (l.words.length < 3) continue;
    const a = l.words[0]!.box;
    const b = l.words[l.words.length - 1]!.box;
    const dx = cx(b) - cx(a);
    if (dx > 3 * height(l.box) || dx > 200) slopes.push((cy(b) - cy(a)) / dx);
  }
  if (slopes.length < 3) return 0;
  slopes.sort((x, y) => x - y);
  return slopes[Math.floor(slopes.length / 2)]!;
}

/** Word boxes with the skew taken out (y shifted by slope·x), so rows can be found by overlap. */
export function deskew(page: OcrPage): OcrPage {
  const slope = estimateSlope(page);
  if (Math.abs(slope) < 0.004) return page;
  const fix = (b: Box): Box => {
    const dy = slope * cx(b);
    return { x0: b.x0, y0: b.y0 - dy, x1: b.x1, y1: b.y1 - dy };
  };
  return {
    ...page,
    lines: page.lines.map((l) => {
      const words = l.words.map((w) => ({ ...w, box: fix(w.box) }));
      return { ...l, words, box: unionBox(words.map((w) => w.box)) };
    }),
  };
}

/**
 * Left to right, except for words stacked in one column (a two-line caption «Место / рождения» beside
 * its value joins the value's row): those read top to bottom.
 */
function readingOrder(a: OcrWord, b: OcrWord): number {
  const overlap = Math.min(a.box.x1, b.box.x1) - Math.max(a.box.x0, b.box.x0);
  const narrower = Math.min(a.box.x1 - a.box.x0, b.box.x1 - b.box.x0);
  // Only real words: OCR specks of a background pattern also overlap their neighbours.
  const word = (w: OcrWord) => (w.text.match(/\p{L}/gu) ?? []).length >= 3;
  if (overlap > 0.5 * narrower && Math.abs(a.box.y0 - b.box.y0) > 0.5 * height(a.box) && word(a) && word(b)) {
    return a.box.y0 - b.box.y0;
  }
  return a.box.x0 - b.box.x0;
}

/** Lines whose vertical extents overlap by half the smaller height form one row. */
export function buildRows(page: OcrPage): Row[] {
  const lines = [...page.lines].sort((a, b) => a.box.y0 + a.box.y1 - (b.box.y0 + b.box.y1));
  const rows: { words: OcrWord[]; box: Box }[] = [];
  for (const line of lines) {
    const row = rows.find(
      (r) => verticalOverlap(r.box, line.box) >= 0.5 * Math.min(height(r.box), height(line.box)),
    );
    if (row) {
      row.words.push(...line.words);
      row.box = unionBox([row.box, line.box]);
    } else {
      rows.push({ words: [...line.words], box: line.box });
    }
  }
  rows.sort((a, b) => a.box.y0 - b.box.y0);
  return rows.map((r, index) => {
    const words = [...r.words].sort(readingOrder);
    return { index, words, box: r.box, text: words.map((w) => w.text).join(' ') };
  });
}

/** Text of a run of words. */
export function wordsText(words: readonly OcrWord[]): string {
  return words.map((w) => w.text).join(' ');
}

export interface LabelHit {
  /** Index into the label list the hit came from. */
  label: number;
  row: Row;
  /** First and last word of the row covered by the label (inclusive). */
  from: number;
  to: number;
  box: Box;
  /** Number of label tokens: longer labels win overlaps. */
  size: number;
  /** Rows the label spans: 2 when its last word wrapped onto the next row («Дата и место / рождения»). */
  span: number;
  /** The label's last token, folded: a longer last word («рожденияГ.») carries the start of the value. */
  lastToken: string;
  /** Where the wrapped last word is, when `span` is 2: the next row's index and its word there. */
  tail?: { row: number; word: number };
}

/** A row's words split further on «/» (ИНН/КПП), each piece remembering its word. */
interface Token {
  text: string;
  word: number;
}

function rowTokens(row: Row): Token[] {
  const out: Token[] = [];
  row.words.forEach((w, i) => {
    for (const piece of w.text.split(/[/\\|]/)) {
      const t = foldForLabel(piece);
      if (t.length > 0) out.push({ text: t, word: i });
    }
  });
  return out;
}

/** Label phrase → folded tokens, e.g. «ИНН/КПП продавца» → инн, кпп, продавца. */
export function labelTokens(label: string): string[] {
  return label
    .split(/[\s/]+/)
    .map(foldForLabel)
    .filter((t) => t.length > 0);
}

/**
 * Every place any of `labels` occurs, as consecutive fuzzy-equal tokens, also when the label's last
 * word wrapped onto the next row. Where hits overlap, the longer label wins, so «Дата и место рождения»
 * is not also read as «место рождения».
 */
export function findLabels(rows: readonly Row[], labels: readonly string[]): LabelHit[] {
  const tokenized = labels.map(labelTokens);
  const h = typicalHeight(rows);
  const toks = rows.map(rowTokens);
  const perRow: LabelHit[][] = rows.map(() => []);
  /** Row index → words used as the wrapped tail of a label on the row above. */
  const tails = new Map<number, Set<number>>();
  const splitTails = new Map<LabelHit, { row: number; word: number }>();

  rows.forEach((row, ri) => {
    const rt = toks[ri]!;
    tokenized.forEach((lt, li) => {
      const n = lt.length;
      if (n === 0) return;
      const hit = (from: number, to: number, boxes: Box[], span: number): LabelHit => ({
        label: li,
        row,
        from,
        to,
        box: unionBox(boxes),
        size: n,
        span,
        lastToken: lt[n - 1]!,
      });
      for (let s = 0; s + n <= rt.length; s++) {
        let ok = true;
        for (let k = 0; k < n && ok; k++) ok = fuzzyEquals(rt[s + k]!.text, lt[k]!);
        if (!ok) continue;
        const from = rt[s]!.word;
        const to = rt[s + n - 1]!.word;
        perRow[ri]!.push(
          hit(
            from,
            to,
            row.words.slice(from, to + 1).map((w) => w.box),
            1,
          ),
        );
      }
      // The last word wrapped: the prefix ends its column, the next row starts under it with the tail.
      const next = rows[ri + 1];
      if (n < 2 || !next || next.box.y0 - row.box.y1 > h) return;
      for (let s = 0; s + n - 1 <= rt.length; s++) {
        let ok = true;
        for (let k = 0; k < n - 1 && ok; k++) ok = fuzzyEquals(rt[s + k]!.text, lt[k]!);
        if (!ok) continue;
        const from = rt[s]!.word;
        const to = rt[s + n - 2]!.word;
        const after = row.words[to + 1];
        if (after && after.box.x0 - row.words[to]!.box.x1 <= 1.5 * h) continue;
        const x0 = row.words[from]!.box.x0;
        const tailWord = next.words.findIndex((w) => Math.abs(w.box.x0 - x0) <= 2 * h);
        const tailTok = toks[ri + 1]!.find((t) => t.word === tailWord);
        if (tailWord < 0 || !tailTok || !fuzzyEquals(tailTok.text, lt[n - 1]!)) continue;
        const boxes = [...row.words.slice(from, to + 1).map((w) => w.box), next.words[tailWord]!.box];
        const split = { ...hit(from, to, boxes, 2), tail: { row: ri + 1, word: tailWord } };
        perRow[ri]!.push(split);
        splitTails.set(split, { row: ri + 1, word: tailWord });
      }
    });
  });

  const hits: LabelHit[] = [];
  perRow.forEach((rowHits, ri) => {
    rowHits.sort((a, b) => b.size - a.size || a.span - b.span || a.from - b.from);
    const kept: LabelHit[] = [];
    for (const hit of rowHits) {
      if (tails.get(ri)?.has(hit.from) || tails.get(ri)?.has(hit.to)) continue;
      if (kept.some((k) => hit.from <= k.to && k.from <= hit.to)) continue;
      kept.push(hit);
      const tail = splitTails.get(hit);
      if (tail) {
        const set = tails.get(tail.row) ?? new Set<number>();
        set.add(tail.word);
        tails.set(tail.row, set);
      }
    }
    hits.push(...kept.sort((a, b) => a.from - b.from));
  });
  return hits;
}

/** Median word height on the page: the unit for "near" and "a big gap". */
export function typicalHeight(rows: readonly Row[]): number {
  const hs = rows.flatMap((r) => r.words.map((w) => height(w.box))).sort((a, b) => a - b);
  return hs.length === 0 ? 20 : hs[Math.floor(hs.length / 2)]!;
}

/**
 * Reading the value that belongs to a label: to its right on the same row, else on the row directly
 * below (or above, for layouts with the caption under the value), plus continuation rows aligned with
 * the value's first line. Pure.
 */
import type { FieldKind } from './fields.js';
import { LABELS, type LabelKind } from './labels.js';
import { buildRows, deskew, findLabels, type LabelHit, type Row, typicalHeight } from './layout.js';
import { looksLikeMrz, type MrzData, readMrz } from './mrz.js';
import { foldForLabel } from './text.js';
import type { OcrPage, OcrWord } from './tsv.js';

export interface KindHit extends LabelHit {
  kind: LabelKind;
}

/** A page prepared once for all questions about it. */
export interface PageView {
  /** The printed rows, MRZ lines excluded (their digit runs are no printed values). */
  rows: Row[];
  hits: KindHit[];
  /** Median word height, the unit of distance. */
  h: number;
  /** What the machine-readable zone says, check digits verified; undefined when the page has none. */
  mrz: MrzData | undefined;
  /** The OCR'd image's size. */
  width: number;
  height: number;
}

export function viewPage(page: OcrPage): PageView {
  const all = buildRows(deskew(page));
  const mrzRows = all.filter((r) => looksLikeMrz(r.text));
  const rows = all.filter((r) => !mrzRows.includes(r)).map((r, index) => ({ ...r, index }));
  const hits = findLabels(
    rows,
    LABELS.map((l) => l.phrase),
  ).map((hit) => ({ ...hit, kind: LABELS[hit.label]!.kind }));
  return {
    rows,
    hits,
    h: typicalHeight(rows),
    mrz: readMrz(mrzRows.map((r) => r.text)),
    width: page.width,
    height: page.height,
  };
}

export function hitsFor(view: PageView, kind: FieldKind): KindHit[] {
  return view.hits.filter((h) => h.kind === kind);
}

/** Words of a row split where the horizontal gap is large: columns of a form. */
export function segments(row: Row, h: number): OcrWord[][] {
  const out: OcrWord[][] = [];
  let cur: OcrWord[] = [];
  for (const w of row.words) {
    const prev = cur[cur.length - 1];
    if (prev && w.box.x0 - prev.box.x1 > 2.5 * h) {
      out.push(cur);
      cur = [];
    }
    cur.push(w);
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

function hitsInRow(view: PageView, row: Row): KindHit[] {
  return view.hits.filter((h) => h.row === row);
}

function containsLabel(view: PageView, row: Row, words: readonly OcrWord[]): boolean {
  return hitsInRow(view, row).some((h) => words.includes(row.words[h.from]!));
}

/** The start of the value glued to the label's last word by OCR («рожденияГ.» → «Г.»). */
function gluedValue(hit: LabelHit): OcrWord | undefined {
  const w = hit.row.words[hit.to];
  if (!w) return undefined;
  const letters = w.text.replace(/^[^\p{L}]+/u, '');
  const folded = foldForLabel(letters);
  if (folded.length <= hit.lastToken.length + 0 || !folded.startsWith(hit.lastToken)) return undefined;
  const rest = letters.slice(hit.lastToken.length);
  return /[\p{L}\p{N}]/u.test(rest) ? { ...w, text: rest } : undefined;
}

/**
 * Words right of the label up to the next label on that row. With `oneColumn`, also up to the first
 * wide gap after the value starts: form rows end in column notes like «(2а)».
 */
export function rightOf(view: PageView, hit: LabelHit, oneColumn = false): OcrWord[] {
  const next = hitsInRow(view, hit.row)
    .filter((h) => h.from > hit.to)
    .sort((a, b) => a.from - b.from)[0];
  const words = hit.row.words.slice(hit.to + 1, next ? next.from : undefined);
  const glued = gluedValue(hit);
  if (glued) words.unshift(glued);
  if (!oneColumn) return words;
  const out: OcrWord[] = [];
  for (const w of words) {
    const prev = out[out.length - 1];
    if (prev && w.box.x0 - prev.box.x1 > 2.5 * view.h) break;
    out.push(w);
  }
  return out;
}

/** Words right of word `word` of `row`, up to the next label on the row or a wide gap inside the value. */
function tailOf(view: PageView, row: Row, word: number): OcrWord[] {
  const next = hitsInRow(view, row)
    .filter((h) => h.from > word)
    .sort((a, b) => a.from - b.from)[0];
  const out: OcrWord[] = [];
  for (const w of row.words.slice(word + 1, next ? next.from : undefined)) {
    const prev = out[out.length - 1];
    if (prev && w.box.x0 - prev.box.x1 > 2.5 * view.h) break;
    out.push(w);
  }
  return out;
}

interface Adjacent {
  row: Row;
  words: OcrWord[];
  gap: number;
}

/** The column segment of a nearby row that sits under (or over) the label. */
function adjacent(view: PageView, hit: LabelHit, dir: 1 | -1): Adjacent | undefined {
  const { h } = view;
  const row = view.rows[hit.row.index + (dir === 1 ? hit.span : -1)];
  if (!row) return undefined;
  const gap = dir === 1 ? row.box.y0 - hit.box.y1 : hit.box.y0 - row.box.y1;
  if (gap > 2.5 * h) return undefined;
  const lo = hit.box.x0 - h;
  const hi = Math.max(hit.box.x1, hit.box.x0 + 8 * h);
  const segs = segments(row, h);
  // A row that is one segment is one value even when it does not start under the caption: a
  // centred line (the issuing authority under «Паспорт выдан», Постановление № 828).
  const seg =
    segs.find((s) => s[0]!.box.x0 <= hi && s[s.length - 1]!.box.x1 >= lo) ??
    (dir === 1 && segs.length === 1 ? segs[0] : undefined);
  if (!seg || containsLabel(view, row, seg)) return undefined;
  return { row, words: seg, gap };
}

export function below(view: PageView, hit: LabelHit): Adjacent | undefined {
  return adjacent(view, hit, 1);
}

export function above(view: PageView, hit: LabelHit): Adjacent | undefined {
  return adjacent(view, hit, -1);
}

/**
 * Rows after `first` that continue the value: starting where it started, or centred under it (a
 * centred issuing authority), and close below. Rows with nothing under the value (the wrapped tail of
 * a label) are stepped over; any row holding a label ends the value.
 */
export function continuation(view: PageView, first: Row, value: OcrWord[], maxLines: number): OcrWord[][] {
  const { h } = view;
  const x0 = value[0]!.box.x0;
  const x1 = value[value.length - 1]!.box.x1;
  const out: OcrWord[][] = [];
  let prev = first;
  for (let i = first.index + 1; i < view.rows.length && out.length < maxLines; i++) {
    const row = view.rows[i]!;
    if (row.box.y0 - prev.box.y1 > 1.8 * h) break;
    // A label anywhere on the row starts another field, even in another column.
    if (hitsInRow(view, row).length > 0) break;
    const seg = segments(row, h).find((s) => {
      const s0 = s[0]!.box.x0;
      const s1 = s[s.length - 1]!.box.x1;
      // Centred values (a passport's place of birth, an issuing authority) wrap onto a line of any
      // width whose centre stays put.
      const centred = Math.abs((s0 + s1) / 2 - (x0 + x1) / 2) <= 1.5 * h;
      return Math.abs(s0 - x0) <= 1.5 * h || centred;
    });
    if (!seg) continue;
    out.push(seg);
    prev = row;
  }
  return out;
}

/**
 * The value lines of a label: first line right of it (or under it, or over it when `allowAbove`),
 * then up to `maxLines - 1` continuation lines.
 */
export function valueLines(view: PageView, hit: LabelHit, maxLines: number, allowAbove = false): OcrWord[][] {
  let firstRow = hit.row;
  let first = rightOf(view, hit, true);
  const tailRow = hit.tail ? view.rows[hit.tail.row] : undefined;
  if (first.length === 0 && hit.tail && tailRow) {
    // The label's last word wrapped onto the next line («Место / рождения Г. РЫБИНСК»): the value
    // starts right of that word, up to the next label or a wide gap.
    const after = tailOf(view, tailRow, hit.tail.word);
    if (after.length > 0) {
      firstRow = tailRow;
      first = after;
    }
  }
  if (first.length === 0) {
    // Caption under the value (passport style) or label over it: the closer row is the value.
    const down = below(view, hit);
    const up = allowAbove ? above(view, hit) : undefined;
    const next = down && up ? (up.gap < down.gap ? up : down) : (down ?? up);
    if (!next) return [];
    firstRow = next.row;
    first = next.words;
  }
  const lines = [first];
  if (maxLines > 1) lines.push(...continuation(view, firstRow, first, maxLines - 1));
  return lines;
}

/**
 * `vlmhb dataset preview DIR --out sheet.png`: a contact sheet of a dataset's images, each labelled
 * with its document id and split, optionally with the answer boxes drawn on, so a person can check
 * realism and box placement at a glance.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { parse } from 'csv-parse/sync';
import sharp from 'sharp';
import { VlmhbError } from '../errors.js';
import { ensureFonts, font } from './render/fonts.js';

export interface ContactSheetOptions {
  /** Thumbnails per row. @default 4 */
  columns?: number;
  /** Each thumbnail fits a square of this many pixels. @default 360 */
  cell?: number;
  /** At most this many images a sheet, in annotation order. @default 24 */
  max?: number;
  /** Which sheet of `max` images (1-based): sheet 2 shows images max+1 … 2·max. @default 1 */
  page?: number;
  /** Draw each field's answer_bbox. @default true */
  boxes?: boolean;
  /** Only images of these splits (e.g. ['clean', 'blur:2']). */
  splits?: string[];
  /** Only these documents (data_index values). */
  ids?: string[];
}

/** Gap between cells and the label strip under each thumbnail, in pixels. */
export const SHEET_GAP = 12;
export const SHEET_LABEL = 22;

/** Sheet size for `n` images, so callers (and tests) know what to expect. */
export function sheetSize(n: number, columns: number, cell: number): { width: number; height: number } {
  const cols = Math.max(1, Math.min(columns, n));
  const rows = Math.max(1, Math.ceil(n / cols));
  return {
    width: cols * cell + (cols + 1) * SHEET_GAP,
    height: rows * (cell + SHEET_LABEL) + (rows + 1) * SHEET_GAP,
  };
}

interface SheetItem {
  imagePath: string;
  label: string;
  boxes: [number, number, number, number][];
}

/** What one sheet shows, so the caller can say it (and never imply a sheet is the whole dataset). */
export interface SheetInfo {
  /** 1-based positions of the first and last image shown, among all matching images. */
  from: number;
  to: number;
  /** Images matching the filters, over all sheets. */
  total: number;
  page: number;
  pages: number;
}

/** `sheet.png`, 2 → `sheet-2.png`. */
export function sheetFileName(out: string, page: number): string {
  const ext = path.extname(out);
  return `${out.slice(0, out.length - ext.length)}-${page}${ext || '.png'}`;
}

export async function contactSheet(
  datasetDir: string,
  out: string,
  opts: ContactSheetOptions = {},
): Promise<SheetInfo> {
  const columns = opts.columns ?? 4;
  const cell = opts.cell ?? 360;
  const max = opts.max ?? 24;
  const page = opts.page ?? 1;
  const all = await readItems(path.resolve(datasetDir), opts);
  const pages = Math.max(1, Math.ceil(all.length / max));
  if (all.length > 0 && page > pages) {
    throw new VlmhbError(
      'VLMHB_USAGE',
      `--page ${page} is past the end: ${all.length} images make ${pages} sheet(s) of ${max}`,
      { where: { key: '--page' } },
    );
  }
  const items = all.slice((page - 1) * max, page * max);
  if (items.length === 0) {
    throw new VlmhbError(
      'VLMHB_DATASET_INVALID',
      'no images to preview (empty dataset or no rows in the chosen splits)',
      {
        where: { file: path.join(datasetDir, 'annotation.csv') },
      },
    );
  }
  const { width, height } = sheetSize(items.length, columns, cell);
  const cols = Math.max(1, Math.min(columns, items.length));
  ensureFonts();
  const canvas = createCanvas(width, height);
  const g = canvas.getContext('2d');
  g.fillStyle = '#3a3d42';
  g.fillRect(0, 0, width, height);
  for (const [i, item] of items.entries()) {
    const x = SHEET_GAP + (i % cols) * (cell + SHEET_GAP);
    const y = SHEET_GAP + Math.floor(i / cols) * (cell + SHEET_LABEL + SHEET_GAP);
    const abs = path.resolve(datasetDir, item.imagePath);
    const thumb = await sharp(abs)
      .resize(cell, cell, { fit: 'inside' })
      .png()
      .toBuffer({ resolveWithObject: true })
      .catch(() => null);
    if (thumb) {
      const meta = await sharp(abs).metadata();
      const img = await loadImage(thumb.data);
      const ox = x + Math.floor((cell - thumb.info.width) / 2);
      // Bottom-aligned, so every thumbnail sits right above its label.
      const oy = y + cell - thumb.info.height;
      g.drawImage(img, ox, oy);
      if (opts.boxes ?? true) {
        const s = thumb.info.width / (meta.width ?? thumb.info.width);
        g.strokeStyle = 'rgba(230, 30, 40, 0.9)';
        g.lineWidth = 2;
        for (const [x0, y0, x1, y1] of item.boxes)
          g.strokeRect(ox + x0 * s, oy + y0 * s, (x1 - x0) * s, (y1 - y0) * s);
      }
    } else {
      g.fillStyle = '#7a2020';
      g.fillRect(x, y, cell, cell);
    }
    g.fillStyle = '#e8e8e8';
    g.font = font('sans', 14);
    g.textBaseline = 'middle';
    const label = thumb ? item.label : `${item.label} (unreadable)`;
    g.fillText(label, x + 2, y + cell + SHEET_LABEL / 2, cell - 4);
  }
  await writeFile(out, await canvas.encode('png'));
  const from = (page - 1) * max + 1;
  return { from, to: from + items.length - 1, total: all.length, page, pages };
}

async function readItems(dir: string, opts: ContactSheetOptions): Promise<SheetItem[]> {
  const file = path.join(dir, 'annotation.csv');
  const text = await readFile(file, 'utf8').catch((e: unknown) => {
    throw new VlmhbError('VLMHB_FILE_NOT_FOUND', `cannot read ${file}`, { cause: e });
  });
  const rows = parse(text, { delimiter: ';', columns: true, bom: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
  const byImage = new Map<string, SheetItem>();
  for (const r of rows) {
    const split = r['split'] ?? '';
    if (opts.splits && !opts.splits.includes(split)) continue;
    if (opts.ids && !opts.ids.includes(r['data_index'] ?? '')) continue;
    const imagePath = r['image_path'] ?? '';
    let item = byImage.get(imagePath);
    if (!item) {
      const style = r['style'] ? ` · ${r['style']}` : '';
      item = { imagePath, label: `${r['data_index'] ?? ''} · ${split}${style}`, boxes: [] };
      byImage.set(imagePath, item);
    }
    const box = parseBox(r['answer_bbox']);
    if (box) item.boxes.push(box);
  }
  return [...byImage.values()];
}

function parseBox(raw: string | undefined): [number, number, number, number] | null {
  if (!raw) return null;
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) && v.length === 4 && v.every((n) => typeof n === 'number')
      ? (v as [number, number, number, number])
      : null;
  } catch {
    return null;
  }
}

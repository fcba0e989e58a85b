import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';
import { parse } from 'csv-parse';
import { VlmhbError } from '../../errors.js';
import { imageExtension } from './image-kind.js';
import { parsePythonList } from './py-literal.js';
import type { ImportedDoc, ImportedImage, Importer, ImportOptions, ImportPlan } from './types.js';

const OPTION_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
/** Columns that become the standard annotation fields; every other one is kept as its own column. */
const MAPPED = new Set(['index', 'image', 'image_path', 'question', 'answer', 'category', 'split']);
/** VLMEvalKit's convention: an `image` value this short names the row whose picture it shares. */
const REFERENCE_MAX = 64;

interface Rec {
  /** 1-based record number in the TSV, header = 1. */
  row: number;
  /** Every cell but a base64 `image`, which is read again only when its page is written. */
  v: Record<string, string>;
  /** The row has its own base64 image (not a reference to another row's, not image_path). */
  ownImage: boolean;
}

/**
 * VLMEvalKit's dataset TSV: `index`, `image` (base64, or for a row sharing another row's picture that
 * row's index — VLMEvalKit's own convention for values of at most 64 characters) or `image_path`,
 * `question`, `answer` (a Python list literal when several answers are acceptable), `category`, and
 * optionally `split`, `l2-category`, `hint` and options `A`…`H`, which build the prompt the way
 * VLMEvalKit's multiple-choice datasets do; every other column is kept as a column of its own.
 * The file is streamed twice (once for the questions, once for the images): VLMEvalKit's TSVs of
 * document sets run to gigabytes of base64, more than a JavaScript string holds.
 */
export const vlmevalkitTsv: Importer = {
  name: 'vlmevalkit-tsv',
  description:
    'VLMEvalKit TSV: index, image (base64) or image_path, question, answer (list allowed), category',
  async open(src: string, opts: ImportOptions): Promise<ImportPlan> {
    const file = resolve(src);
    await access(file).catch((e: unknown) => {
      throw new VlmhbError('VLMHB_FILE_NOT_FOUND', 'TSV not found', { where: { file }, cause: e });
    });
    const recs = await readQuestions(file);
    const byIndex = new Map(recs.map((r) => [r.v['index'] ?? '', r]));
    // One image per owner row; rows that point at another row's image join that owner.
    const groups = new Map<Rec, Rec[]>();
    for (const r of recs) groups.set(r, []);
    for (const r of recs) groups.get(imageOwner(r, byIndex, file))?.push(r);
    for (const [owner, rows] of groups) if (rows.length === 0) groups.delete(owner);
    const docClass = opts.docClass;
    const fallbackClass = basename(file, extname(file));
    const toDoc = (owner: Rec, rows: Rec[], image: ImportedImage): ImportedDoc => {
      const ext = 'bytes' in image ? imageExtension(image.bytes) : extname(image.file);
      if (!ext) {
        throw new VlmhbError('VLMHB_IMAGE_UNREADABLE', 'image is not JPEG, PNG, WebP, TIFF or BMP', {
          where: { file, row: owner.row, column: 'image' },
        });
      }
      return {
        imageName: `${safeId(owner.v['index'] ?? '')}${ext}`,
        image,
        source: { file, row: owner.row, column: 'bytes' in image ? 'image' : 'image_path' },
        rows: rows.map((r) => ({
          docId: r.v['index'] ?? '',
          split: r.v['split'] ?? '',
          question: prompt(r),
          answers: answersOf(r.v['answer'] ?? ''),
          docClass: docClass ?? (r.v['l2-category'] || fallbackClass),
          questionType: r.v['category'] || 'default',
          bboxes: [],
          extra: Object.fromEntries(Object.entries(r.v).filter(([k]) => !MAPPED.has(k))),
        })),
      };
    };
    async function* docs(): AsyncGenerator<ImportedDoc> {
      const byRow = new Map([...groups].map(([owner, rows]) => [owner.row, { owner, rows }]));
      // Pages come in the file order of the rows that hold them; the second pass reads only images.
      for await (const { row, cells } of records(file)) {
        const g = byRow.get(row);
        if (g) yield toDoc(g.owner, g.rows, imageOf(g.owner, cells.image, file));
      }
    }
    return { total: groups.size, docs: docs() };
  },
};

interface RawRecord {
  row: number;
  header: string[];
  cells: { image: string; all: string[] };
}

/** The TSV's records one at a time, as pandas' to_csv(sep='\t') writes them (cells with tabs, quotes or newlines quoted with '"'). */
async function* records(file: string): AsyncGenerator<RawRecord> {
  const parser = createReadStream(file).pipe(
    parse({ delimiter: '\t', bom: true, relax_column_count: false, skip_empty_lines: true }),
  );
  let header: string[] | undefined;
  let imageAt = -1;
  let n = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      n++;
      if (!header) {
        header = cells.map((c) => c.trim());
        imageAt = header.indexOf('image');
        continue;
      }
      yield { row: n, header, cells: { image: imageAt >= 0 ? (cells[imageAt] ?? '') : '', all: cells } };
    }
  } catch (e) {
    const err = e as { lines?: number; message: string };
    throw new VlmhbError('VLMHB_CSV_PARSE', err.message, {
      where: { file, ...(err.lines ? { row: err.lines } : {}) },
      cause: e,
    });
  }
  if (!header) throw new VlmhbError('VLMHB_FILE_EMPTY', 'TSV is empty', { where: { file } });
}

/** First pass: every record's cells except a base64 image, checked. */
async function readQuestions(file: string): Promise<Rec[]> {
  const recs: Rec[] = [];
  const seen = new Set<string>();
  let checked = false;
  for await (const { row, header, cells } of records(file)) {
    if (!checked) {
      checkHeader(header, file);
      checked = true;
    }
    const v: Record<string, string> = {};
    header.forEach((c, j) => {
      v[c] = cells.all[j] ?? '';
    });
    const img = v['image'] ?? '';
    const ownImage = img.length > REFERENCE_MAX;
    if (ownImage) v['image'] = '';
    const index = v['index'] ?? '';
    if (index.trim() === '') {
      throw new VlmhbError('VLMHB_DATASET_INVALID', 'empty index', { where: { file, row, column: 'index' } });
    }
    if (seen.has(index)) {
      throw new VlmhbError('VLMHB_DATASET_DUPLICATE_ID', `index "${index}" repeats`, {
        where: { file, row, column: 'index' },
      });
    }
    seen.add(index);
    if ((v['question'] ?? '').trim() === '') {
      throw new VlmhbError('VLMHB_DATASET_INVALID', 'empty question', {
        where: { file, row, column: 'question' },
      });
    }
    recs.push({ row, v, ownImage });
  }
  // A TSV with a header only: checked here, since the loop never ran.
  if (!checked) throw new VlmhbError('VLMHB_FILE_EMPTY', 'TSV has a header but no rows', { where: { file } });
  return recs;
}

function checkHeader(columns: string[], file: string): void {
  const missing = ['index', 'question', 'answer'].filter((c) => !columns.includes(c));
  if (!columns.includes('image') && !columns.includes('image_path')) missing.push('image or image_path');
  if (missing.length > 0) {
    throw new VlmhbError('VLMHB_CSV_MISSING_COLUMN', `missing column(s) ${missing.join(', ')}`, {
      where: { file, row: 1 },
    });
  }
}

function imageOwner(r: Rec, byIndex: Map<string, Rec>, file: string): Rec {
  const img = r.v['image'] ?? '';
  if (r.ownImage || img === '') return r;
  const owner = byIndex.get(img);
  if (!owner?.ownImage) {
    throw new VlmhbError(
      'VLMHB_DATASET_INVALID',
      `image refers to index "${img}", which has no image of its own`,
      {
        where: { file, row: r.row, column: 'image' },
      },
    );
  }
  return owner;
}

function imageOf(r: Rec, cell: string, file: string): ImportedImage {
  const img = r.ownImage ? cell.trim() : '';
  if (img !== '') {
    if (img.startsWith('[')) {
      throw new VlmhbError('VLMHB_DATASET_INVALID', 'several images per question are not supported', {
        where: { file, row: r.row, column: 'image' },
      });
    }
    if (!/^[A-Za-z0-9+/=\s]+$/.test(img)) {
      throw new VlmhbError('VLMHB_IMAGE_UNREADABLE', 'image is not base64', {
        where: { file, row: r.row, column: 'image' },
      });
    }
    return { bytes: Buffer.from(img, 'base64') };
  }
  const p = (r.v['image_path'] ?? '').trim();
  if (p === '') {
    throw new VlmhbError('VLMHB_DATASET_INVALID', 'neither image nor image_path is set', {
      where: { file, row: r.row, column: 'image_path' },
    });
  }
  return { file: isAbsolute(p) ? p : resolve(dirname(file), p) };
}

function answersOf(cell: string): string[] {
  return parsePythonList(cell) ?? [cell];
}

/** The multiple-choice prompt VLMEvalKit's ImageMCQDataset builds; plain VQA rows keep their question. */
function prompt(r: Rec): string {
  const options = OPTION_LETTERS.filter((l) => (r.v[l] ?? '').trim() !== '' && r.v[l] !== 'nan');
  const hint = r.v['hint'] ?? '';
  const question = r.v['question'] ?? '';
  if (options.length === 0 && (hint === '' || hint === 'nan')) return question;
  let p = hint !== '' && hint !== 'nan' ? `Hint: ${hint}\n` : '';
  p += `Question: ${question}\n`;
  if (options.length > 0) {
    p += `Options:\n${options.map((l) => `${l}. ${r.v[l]}\n`).join('')}`;
    p += 'Please select the correct answer from the options above. \n';
  }
  return p.trimEnd();
}

function safeId(id: string): string {
  return id.replace(/[^\p{L}\p{N}._-]+/gu, '_');
}

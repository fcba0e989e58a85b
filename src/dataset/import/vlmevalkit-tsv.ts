import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { VlmhbError } from '../../errors.js';
import { imageExtension } from './image-kind.js';
import { parsePythonList } from './py-literal.js';
import type { ImportedDoc, ImportedImage, Importer, ImportOptions, ImportPlan } from './types.js';

const OPTION_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];

interface Rec {
  /** 1-based line of the record in the TSV, header = 1. */
  row: number;
  v: Record<string, string>;
}

/**
 * VLMEvalKit's dataset TSV: `index`, `image` (base64, or for a row sharing another row's picture that
 * row's index — VLMEvalKit's own convention for values of at most 64 characters) or `image_path`,
 * `question`, `answer` (a Python list literal when several answers are acceptable), `category`, and
 * optionally `split`, `l2-category`, `hint` and options `A`…`H`, which build the prompt the way
 * VLMEvalKit's multiple-choice datasets do.
 */
export const vlmevalkitTsv: Importer = {
  name: 'vlmevalkit-tsv',
  description:
    'VLMEvalKit TSV: index, image (base64) or image_path, question, answer (list allowed), category',
  async open(src: string, opts: ImportOptions): Promise<ImportPlan> {
    const file = resolve(src);
    const text = await readFile(file, 'utf8').catch((e: unknown) => {
      throw new VlmhbError('VLMHB_FILE_NOT_FOUND', 'TSV not found', { where: { file }, cause: e });
    });
    const recs = parseTsv(text.replace(/^\uFEFF/, ''), file);
    const byIndex = new Map(recs.map((r) => [r.v['index'] ?? '', r]));
    // One image per owner row; rows that point at another row's image join that owner.
    const groups = new Map<Rec, Rec[]>();
    for (const r of recs) {
      const owner = imageOwner(r, byIndex, file);
      const list = groups.get(owner) ?? [];
      list.push(r);
      groups.set(owner, list);
    }
    const docClass = opts.docClass;
    const fallbackClass = basename(file, extname(file));
    async function* docs(): AsyncGenerator<ImportedDoc> {
      for (const [owner, rows] of groups) {
        const image = imageOf(owner, file);
        const ext = 'bytes' in image ? imageExtension(image.bytes) : extname(image.file);
        if (!ext) {
          throw new VlmhbError('VLMHB_IMAGE_UNREADABLE', 'image is not JPEG, PNG, WebP, TIFF or BMP', {
            where: { file, row: owner.row, column: 'image' },
          });
        }
        yield {
          imageName: `${safeId(owner.v['index'] ?? '')}${ext}`,
          image,
          rows: rows.map((r) => ({
            docId: r.v['index'] ?? '',
            split: r.v['split'] ?? '',
            question: prompt(r),
            answers: answersOf(r.v['answer'] ?? ''),
            docClass: docClass ?? (r.v['l2-category'] || fallbackClass),
            questionType: r.v['category'] || 'default',
            bboxes: [],
          })),
        };
      }
    }
    return { total: groups.size, docs: docs() };
  },
};

function parseTsv(text: string, file: string): Rec[] {
  let table: string[][];
  try {
    // pandas' to_csv(sep='\t') quotes cells holding tabs, quotes or newlines with '"'.
    table = parse(text, { delimiter: '\t', relax_column_count: false, skip_empty_lines: true });
  } catch (e) {
    const err = e as { lines?: number; message: string };
    throw new VlmhbError('VLMHB_CSV_PARSE', err.message, {
      where: { file, ...(err.lines ? { row: err.lines } : {}) },
      cause: e,
    });
  }
  const [header, ...body] = table;
  if (!header) throw new VlmhbError('VLMHB_FILE_EMPTY', 'TSV is empty', { where: { file } });
  const columns = header.map((c) => c.trim());
  const missing = ['index', 'question', 'answer'].filter((c) => !columns.includes(c));
  if (!columns.includes('image') && !columns.includes('image_path')) missing.push('image or image_path');
  if (missing.length > 0) {
    throw new VlmhbError('VLMHB_CSV_MISSING_COLUMN', `missing column(s) ${missing.join(', ')}`, {
      where: { file, row: 1 },
    });
  }
  const seen = new Set<string>();
  return body.map((cells, i) => {
    const v: Record<string, string> = {};
    columns.forEach((c, j) => {
      v[c] = cells[j] ?? '';
    });
    const row = i + 2;
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
    return { row, v };
  });
}

function imageOwner(r: Rec, byIndex: Map<string, Rec>, file: string): Rec {
  const img = r.v['image'] ?? '';
  if (img === '' || img.length > 64) return r;
  const owner = byIndex.get(img);
  if (!owner || (owner.v['image'] ?? '').length <= 64) {
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

function imageOf(r: Rec, file: string): ImportedImage {
  const img = (r.v['image'] ?? '').trim();
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

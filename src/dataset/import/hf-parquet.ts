import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import { VlmhbError } from '../../errors.js';
import { imageExtension } from './image-kind.js';
import type { ImportedDoc, Importer, ImportOptions, ImportPlan } from './types.js';

/** Rows decoded at a time: page images are large, a whole file of them would not fit in memory. */
const CHUNK = 64;

/** Columns that become the standard annotation fields; every other column is kept as its own. */
const MAPPED = new Set([
  'image',
  'question',
  'answers',
  'answer',
  'questionId',
  'question_id',
  'id',
  'question_types',
  'question_type',
  'data_split',
  'split',
  'doc_class',
]);

/**
 * A Hugging Face dataset saved as Parquet (`datasets`' `to_parquet` or the Hub's parquet branch),
 * DocVQA-style (lmms-lab/DocVQA): `image` as a struct with `bytes`, `question`, `answers` (list of
 * acceptable answers, or a single `answer`; null in a test split without public answers), `questionId`,
 * `docId`, `question_types`, `ucsf_document_id`, `ucsf_document_page_no`, `data_split`. Each question
 * becomes one row whose data_index is its questionId, since DocVQA asks several questions of one type
 * about one page and a data_index + question_type must be unique; `docId` and every other column stay
 * as columns of their own, and a page asked about several times is one image, named by its docId.
 */
export const hfParquet: Importer = {
  name: 'hf-parquet',
  description: 'Hugging Face Parquet (DocVQA-style: image.bytes, question, answers, questionId, docId)',
  async open(src: string, opts: ImportOptions): Promise<ImportPlan> {
    const files = await parquetFiles(resolve(src));
    let total = 0;
    const sizes: number[] = [];
    for (const f of files) {
      const meta = await parquetMetadataAsync(await asyncBufferFromFile(f)).catch((e: unknown) => {
        throw new VlmhbError(
          'VLMHB_DATASET_INVALID',
          `not a readable Parquet file: ${(e as Error).message}`,
          {
            where: { file: f },
            cause: e,
          },
        );
      });
      const columns = parquetSchema(meta).children.map((c) => c.element.name);
      const missing = ['image', 'question'].filter((c) => !columns.includes(c));
      if (!columns.includes('answers') && !columns.includes('answer')) missing.push('answers or answer');
      if (missing.length > 0) {
        throw new VlmhbError(
          'VLMHB_CSV_MISSING_COLUMN',
          `missing column(s) ${missing.join(', ')} (has ${columns.join(', ')})`,
          { where: { file: f } },
        );
      }
      sizes.push(Number(meta.num_rows));
      total += Number(meta.num_rows);
    }
    async function* docs(): AsyncGenerator<ImportedDoc> {
      for (const [fi, file] of files.entries()) {
        const buffer = await asyncBufferFromFile(file);
        const n = sizes[fi] ?? 0;
        for (let start = 0; start < n; start += CHUNK) {
          const end = Math.min(n, start + CHUNK);
          const rows = await parquetReadObjects({
            file: buffer,
            rowStart: start,
            rowEnd: end,
            utf8: false,
          }).catch((e: unknown) => {
            throw new VlmhbError(
              'VLMHB_DATASET_INVALID',
              `rows ${start + 1}–${end} cannot be decoded: ${(e as Error).message}`,
              { where: { file, row: start + 1 }, cause: e },
            );
          });
          for (const [k, r] of rows.entries()) yield toDoc(r, file, start + k, opts);
        }
      }
    }
    return { total, docs: docs() };
  },
};

function toDoc(r: Record<string, unknown>, file: string, index: number, opts: ImportOptions): ImportedDoc {
  // Parquet has no lines: `row` is the 1-based record number in the file (pandas' index + 1).
  const where = (column: string) => ({ file, row: index + 1, column });
  const bytes = imageBytes(r['image']);
  if (!bytes) {
    throw new VlmhbError('VLMHB_IMAGE_UNREADABLE', 'image has no bytes (expected a struct {bytes, path})', {
      where: where('image'),
    });
  }
  const ext = imageExtension(bytes);
  if (!ext) {
    throw new VlmhbError('VLMHB_IMAGE_UNREADABLE', 'image bytes are not JPEG, PNG, WebP, TIFF or BMP', {
      where: where('image'),
    });
  }
  const question = text(r['question']);
  if (!question)
    throw new VlmhbError('VLMHB_DATASET_INVALID', 'empty question', { where: where('question') });
  // A null answer (DocVQA's test split) is an unanswered row, counted and reported by the writer.
  const answers =
    list(r['answers']) ?? (r['answer'] !== undefined && r['answer'] !== null ? [text(r['answer'])] : []);
  const qid =
    text(r['questionId'] ?? r['question_id'] ?? r['id']) || `${basename(file, '.parquet')}_${index}`;
  const types =
    list(r['question_types']) ??
    (r['question_type'] !== undefined && r['question_type'] !== null ? [text(r['question_type'])] : []);
  const page = text(r['docId'] ?? r['doc_id']) || qid;
  return {
    imageName: `${safeName(page)}${ext}`,
    image: { bytes },
    source: where('image'),
    rows: [
      {
        docId: qid,
        split: text(r['data_split'] ?? r['split']) || splitFromName(file),
        question,
        answers,
        docClass: opts.docClass ?? (text(r['doc_class']) || 'document'),
        questionType: types.join(',') || 'default',
        bboxes: [],
        extra: extraFields(r),
      },
    ],
  };
}

function safeName(id: string): string {
  return id.replace(/[^\p{L}\p{N}._-]+/gu, '_');
}

/** Every column not mapped to a standard field, as text; lists and structs as JSON; binary left out. */
function extraFields(r: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) {
    if (MAPPED.has(k) || v instanceof Uint8Array) continue;
    out[k] = v !== null && typeof v === 'object' ? json(v) : text(v);
  }
  // The image's own file name in the source (`datasets` keeps it beside the bytes).
  const img = r['image'];
  if (img && typeof img === 'object' && 'path' in img && typeof img.path === 'string' && img.path !== '') {
    out['source_image_path'] = img.path;
  }
  return out;
}

function json(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'bigint'
      ? Number.isSafeInteger(Number(x))
        ? Number(x)
        : String(x)
      : x instanceof Uint8Array
        ? undefined
        : x,
  );
}

function imageBytes(v: unknown): Uint8Array | undefined {
  if (v instanceof Uint8Array) return v;
  if (v && typeof v === 'object' && 'bytes' in v) {
    const b = (v as { bytes: unknown }).bytes;
    if (b instanceof Uint8Array) return b;
    if (typeof b === 'string') return Buffer.from(b, 'latin1');
  }
  return undefined;
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  return String(v);
}

function list(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.map(item);
}

/** A list item: text, or of a struct (VQAv2's `{answer, answer_confidence}`) its answer or text. */
function item(v: unknown): string {
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return text(v);
  const o = v as Record<string, unknown>;
  const inner = o['answer'] ?? o['text'];
  return inner !== undefined && inner !== null && typeof inner !== 'object' ? text(inner) : json(v);
}

/** `validation-00000-of-00001.parquet` → `validation`, as the Hub names split files. */
function splitFromName(file: string): string {
  return basename(file, '.parquet').replace(/-\d{5}-of-\d{5}$/, '');
}

async function parquetFiles(src: string): Promise<string[]> {
  const st = await stat(src).catch((e: unknown) => {
    throw new VlmhbError('VLMHB_FILE_NOT_FOUND', 'Parquet file or folder not found', {
      where: { file: src },
      cause: e,
    });
  });
  if (st.isFile()) return [src];
  const files = (await readdir(src, { recursive: true }))
    .filter((f) => f.endsWith('.parquet'))
    .sort()
    .map((f) => join(src, f));
  if (files.length === 0) {
    throw new VlmhbError('VLMHB_FILE_NOT_FOUND', 'no .parquet files in this folder', {
      where: { file: src },
    });
  }
  return files;
}

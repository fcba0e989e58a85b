import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { VlmhbError } from '../../errors.js';
import { imageExtension } from './image-kind.js';
import type { ImportedDoc, Importer, ImportOptions, ImportPlan } from './types.js';

/** Rows decoded at a time: page images are large, a whole file of them would not fit in memory. */
const CHUNK = 64;

/**
 * A Hugging Face dataset saved as Parquet (`datasets`' `to_parquet` or the Hub's parquet branch),
 * DocVQA-style: `image` as a struct with `bytes`, `question`, `answers` (list of acceptable answers,
 * or a single `answer`), `questionId`, `docId`, `question_types`, optionally `data_split` / `split`.
 * Each question becomes one row whose data_index is its questionId, since DocVQA asks several
 * questions of one type about one page and a data_index + question_type must be unique.
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
      sizes.push(Number(meta.num_rows));
      total += Number(meta.num_rows);
    }
    async function* docs(): AsyncGenerator<ImportedDoc> {
      for (const [fi, file] of files.entries()) {
        const buffer = await asyncBufferFromFile(file);
        const n = sizes[fi] ?? 0;
        for (let start = 0; start < n; start += CHUNK) {
          const rows = await parquetReadObjects({
            file: buffer,
            rowStart: start,
            rowEnd: Math.min(n, start + CHUNK),
            utf8: false,
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
  const answers = list(r['answers']) ?? (r['answer'] !== undefined ? [text(r['answer'])] : undefined);
  if (!answers) {
    throw new VlmhbError('VLMHB_CSV_MISSING_COLUMN', 'neither answers nor answer is present', {
      where: where('answers'),
    });
  }
  const qid =
    text(r['questionId'] ?? r['question_id'] ?? r['id']) || `${basename(file, '.parquet')}_${index}`;
  const types =
    list(r['question_types']) ?? (r['question_type'] !== undefined ? [text(r['question_type'])] : []);
  return {
    imageName: `${qid.replace(/[^\p{L}\p{N}._-]+/gu, '_')}${ext}`,
    image: { bytes },
    rows: [
      {
        docId: qid,
        split: text(r['data_split'] ?? r['split']) || splitFromName(file),
        question,
        answers,
        docClass: opts.docClass ?? (text(r['doc_class']) || 'document'),
        questionType: types.join(',') || 'default',
        bboxes: [],
      },
    ],
  };
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
  return v.map(text);
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

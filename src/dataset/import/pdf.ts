import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { execa } from 'execa';
import { z } from 'zod';
import { type ErrorLocation, VlmhbError } from '../../errors.js';
import { detectDelimiter } from '../../util/csv.js';
import type { ImportedDoc, ImportedRow, Importer, ImportOptions, ImportPlan } from './types.js';

export const DEFAULT_DPI = 150;

/** Asked of a page when no --questions file is given; its answer is left empty for a person to fill. */
export const SKELETON_QUESTION = 'Перепиши весь текст на странице';
export const SKELETON_TYPE = 'page_text';

const questionSchema = z.object({
  /** PDF file name (with or without .pdf); may be empty when the source is one PDF. */
  file: z.string().optional(),
  /** 1-based page; empty = every page of the file. */
  page: z.union([z.number().int().positive(), z.string()]).optional(),
  question: z.string().min(1),
  answer: z.string().optional(),
  /** Several acceptable answers, a JSON list in CSV. */
  answers: z.union([z.array(z.string()), z.string()]).optional(),
  question_type: z.string().optional(),
});
type Question = z.infer<typeof questionSchema> & { at: ErrorLocation; refs: string[] };

interface Page {
  pdf: string;
  page: number;
}

/**
 * PDF files, every page rendered at `--dpi` by poppler's `pdftoppm` (argv, no shell), with questions
 * from `--questions` (CSV or JSON: file, page, question, answer[s], question_type) or, without one,
 * one transcription question per page whose answer is left empty: an annotation skeleton.
 */
export const pdf: Importer = {
  name: 'pdf',
  description: 'PDF pages rendered with pdftoppm at --dpi; questions from --questions or an empty skeleton',
  async open(src: string, opts: ImportOptions): Promise<ImportPlan> {
    const pdfs = await pdfFiles(resolve(src));
    const dpi = opts.dpi ?? DEFAULT_DPI;
    const questions = opts.questions ? await readQuestions(resolve(opts.questions)) : undefined;
    const pages: Page[] = [];
    for (const f of pdfs) {
      const n = await pageCount(f);
      for (let p = 1; p <= n; p++) pages.push({ pdf: f, page: p });
    }
    if (questions) checkQuestionsMatch(questions, pdfs, pages);
    async function* docs(): AsyncGenerator<ImportedDoc> {
      const work = await mkdtemp(join(tmpdir(), 'vlmhb-pdf-'));
      try {
        for (const p of pages) {
          const stem = basename(p.pdf, extname(p.pdf));
          const docId = `${stem}_p${p.page}`;
          const bytes = await renderPage(p, dpi, join(work, docId));
          yield {
            imageName: `${stem}/page-${p.page}.png`,
            image: { bytes },
            source: { file: p.pdf, key: `page ${p.page}` },
            rows: rowsFor(p, docId, stem, questions, opts.docClass ?? 'document'),
          };
        }
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    }
    return { total: pages.length, docs: docs() };
  },
};

function rowsFor(
  p: Page,
  docId: string,
  stem: string,
  questions: Question[] | undefined,
  docClass: string,
): ImportedRow[] {
  const base = { docId, split: '', docClass, bboxes: [] };
  if (!questions) return [{ ...base, question: SKELETON_QUESTION, answers: [], questionType: SKELETON_TYPE }];
  return questions
    .filter((q) => matchesFile(q, stem) && (pageOf(q) === undefined || pageOf(q) === p.page))
    .map((q, k) => ({
      ...base,
      question: q.question,
      answers: q.refs,
      questionType: q.question_type || `q${k + 1}`,
    }));
}

function matchesFile(q: Question, stem: string): boolean {
  const f = (q.file ?? '').trim();
  return f === '' || f === stem || basename(f, extname(f)) === stem;
}

function pageOf(q: Question): number | undefined {
  if (q.page === undefined || q.page === '') return undefined;
  return typeof q.page === 'number' ? q.page : Number(q.page);
}

/** `answers` as a list (JSON, or a JSON list in a CSV cell), or one plain answer; else `answer`. */
function answersOf(q: z.infer<typeof questionSchema>, at: ErrorLocation): string[] {
  if (Array.isArray(q.answers)) return q.answers;
  const cell = (q.answers ?? '').trim();
  if (cell.startsWith('[')) {
    let v: unknown;
    try {
      v = JSON.parse(cell);
    } catch (e) {
      throw new VlmhbError(
        'VLMHB_DATASET_INVALID',
        `answers is not a JSON list of strings: ${(e as Error).message}`,
        { where: at },
      );
    }
    if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) {
      return v.map(String);
    }
    throw new VlmhbError('VLMHB_DATASET_INVALID', 'answers is not a JSON list of strings', { where: at });
  }
  if (cell !== '') return [cell];
  return q.answer !== undefined && q.answer !== '' ? [q.answer] : [];
}

/** Every question must land on a page: a typo in a file name or page number would silently drop it. */
function checkQuestionsMatch(questions: Question[], pdfs: string[], pages: Page[]): void {
  const stems = pdfs.map((f) => basename(f, extname(f)));
  for (const q of questions) {
    const stem = stems.find((s) => matchesFile(q, s));
    const page = pageOf(q);
    const ok =
      stem !== undefined &&
      (page === undefined ||
        (Number.isInteger(page) &&
          pages.some((p) => basename(p.pdf, extname(p.pdf)) === stem && p.page === page)));
    if (!ok) {
      throw new VlmhbError(
        'VLMHB_DATASET_INVALID',
        `question refers to file "${q.file ?? ''}" page "${q.page ?? ''}", which is not among the PDF pages (${stems.join(', ')})`,
        { where: q.at },
      );
    }
  }
}

async function readQuestions(file: string): Promise<Question[]> {
  const text = (
    await readFile(file, 'utf8').catch((e: unknown) => {
      throw new VlmhbError('VLMHB_FILE_NOT_FOUND', 'questions file not found', { where: { file }, cause: e });
    })
  ).replace(/^\uFEFF/, '');
  let raw: { value: unknown; row: number }[];
  if (extname(file).toLowerCase() === '.json') {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      throw new VlmhbError('VLMHB_DATASET_INVALID', `not valid JSON: ${(e as Error).message}`, {
        where: { file },
      });
    }
    if (!Array.isArray(v)) {
      throw new VlmhbError(
        'VLMHB_DATASET_INVALID',
        'expected a JSON list of {file, page, question, answer}',
        {
          where: { file },
        },
      );
    }
    raw = v.map((value, i) => ({ value, row: i }));
  } else {
    let records: { record: Record<string, string>; info: { lines: number } }[];
    try {
      // relax_quotes: a JSON list typed into a cell (`["a","b"]`) keeps its quotes without CSV quoting.
      records = parse(text, {
        delimiter: detectDelimiter(text),
        columns: true,
        skip_empty_lines: true,
        relax_quotes: true,
        info: true,
      }) as { record: Record<string, string>; info: { lines: number } }[];
    } catch (e) {
      const err = e as { lines?: number; message: string };
      throw new VlmhbError('VLMHB_CSV_PARSE', err.message, {
        where: { file, ...(err.lines ? { row: err.lines } : {}) },
        cause: e,
      });
    }
    raw = records.map(({ record, info }) => ({ value: record, row: info.lines }));
  }
  const isJson = extname(file).toLowerCase() === '.json';
  return raw.map(({ value, row }) => {
    const parsed = questionSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const column = String(issue?.path[0] ?? '');
      throw new VlmhbError('VLMHB_DATASET_INVALID', issue?.message ?? 'invalid question', {
        where: isJson ? { file, key: `[${row}].${column}` } : { file, row, column },
      });
    }
    const at: ErrorLocation = isJson ? { file, key: `[${row}]` } : { file, row };
    const answersAt: ErrorLocation = isJson
      ? { file, key: `[${row}].answers` }
      : { file, row, column: 'answers' };
    return { ...parsed.data, at, refs: answersOf(parsed.data, answersAt) };
  });
}

async function pageCount(file: string): Promise<number> {
  const r = await execa('pdfinfo', [file], { reject: false });
  const m = /^Pages:\s+(\d+)/m.exec(r.stdout);
  if (r.exitCode !== 0 || !m) {
    throw new VlmhbError('VLMHB_DATASET_INVALID', `not a readable PDF: ${(r.stderr || r.stdout).trim()}`, {
      where: { file },
      cause: r,
    });
  }
  return Number(m[1]);
}

async function renderPage(p: Page, dpi: number, prefix: string): Promise<Buffer> {
  const page = String(p.page);
  const r = await execa(
    'pdftoppm',
    ['-r', String(dpi), '-png', '-f', page, '-l', page, '-singlefile', p.pdf, prefix],
    { reject: false },
  );
  if (r.exitCode !== 0) {
    throw new VlmhbError(
      'VLMHB_IMAGE_UNREADABLE',
      `pdftoppm could not render page ${p.page}: ${r.stderr.trim()}`,
      {
        where: { file: p.pdf, key: `page ${p.page}` },
      },
    );
  }
  return readFile(`${prefix}.png`);
}

async function pdfFiles(src: string): Promise<string[]> {
  const st = await stat(src).catch((e: unknown) => {
    throw new VlmhbError('VLMHB_FILE_NOT_FOUND', 'PDF file or folder not found', {
      where: { file: src },
      cause: e,
    });
  });
  if (st.isFile()) return [src];
  const files = (await readdir(src))
    .filter((f) => extname(f).toLowerCase() === '.pdf')
    .sort()
    .map((f) => join(src, f));
  if (files.length === 0)
    throw new VlmhbError('VLMHB_FILE_NOT_FOUND', 'no .pdf files in this folder', { where: { file: src } });
  return files;
}

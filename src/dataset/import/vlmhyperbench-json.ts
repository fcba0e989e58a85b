import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { z } from 'zod';
import { VlmhbError } from '../../errors.js';
import type { Bbox, ImportedDoc, Importer, ImportOptions, ImportPlan } from './types.js';

const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png', '.tif', '.tiff', '.webp', '.bmp']);

const boxSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]);
const fieldSchema = z.looseObject({
  value: z.unknown(),
  bboxes: z.array(boxSchema).nullish(),
});
const docSchema = z.looseObject({
  fields: z.record(z.string(), fieldSchema),
  doc_class: z.string().optional(),
  type: z.string().optional(),
});

interface Page {
  subset: string;
  id: string;
  file: string;
}

/**
 * The original team's structured set: `images/<subset>/<id>.<ext>` and `jsons/<id>.json`. Every subset
 * (a scan condition) becomes a `split`; every field a question_type with the question the original
 * scripts asked, «Напиши <поле>».
 */
export const vlmhyperbenchJson: Importer = {
  name: 'vlmhyperbench-json',
  description: 'images/<subset>/<id>.jpg + jsons/<id>.json with {"fields": {name: {value, bboxes}}}',
  async open(src: string, opts: ImportOptions): Promise<ImportPlan> {
    const root = resolve(src);
    const imagesDir = join(root, 'images');
    const subsets = await listDirs(imagesDir);
    const pages: Page[] = [];
    for (const subset of subsets) {
      for (const f of (await readdir(join(imagesDir, subset))).sort()) {
        if (!IMAGE_EXT.has(extname(f).toLowerCase())) continue;
        pages.push({ subset, id: basename(f, extname(f)), file: join(imagesDir, subset, f) });
      }
    }
    if (pages.length === 0) {
      throw new VlmhbError('VLMHB_DATASET_INVALID', 'no images under images/<subset>/', {
        where: { file: imagesDir },
      });
    }
    // The same document scanned in several subsets is several documents: its id gets the subset.
    const subsetsOf = new Map<string, number>();
    for (const p of pages) subsetsOf.set(p.id, (subsetsOf.get(p.id) ?? 0) + 1);
    return {
      total: pages.length,
      docs: docs(root, pages, subsetsOf, opts),
    };
  },
};

async function* docs(
  root: string,
  pages: Page[],
  subsetsOf: Map<string, number>,
  opts: ImportOptions,
): AsyncGenerator<ImportedDoc> {
  const cache = new Map<string, z.infer<typeof docSchema>>();
  for (const p of pages) {
    let doc = cache.get(p.id);
    if (!doc) {
      doc = await readJson(join(root, 'jsons', `${p.id}.json`));
      cache.set(p.id, doc);
    }
    const docClass = opts.docClass ?? doc.doc_class ?? doc.type ?? basename(root);
    const docId = (subsetsOf.get(p.id) ?? 0) > 1 ? `${p.id}_${p.subset}` : p.id;
    // The key doc_class came from is not repeated; one --doc-class replaced stays as a column.
    const classKey = opts.docClass ? '' : doc.doc_class !== undefined ? 'doc_class' : 'type';
    const docExtra = cells(doc, new Set(['fields', classKey]));
    yield {
      imageName: `${p.subset}/${basename(p.file)}`,
      image: { file: p.file },
      source: { file: p.file },
      rows: Object.entries(doc.fields).map(([field, f]) => ({
        docId,
        split: p.subset,
        question: `Напиши ${field}`,
        answers: answersOf(f.value),
        docClass,
        questionType: field,
        bboxes: (f.bboxes ?? []) as Bbox[],
        extra: { ...docExtra, ...fieldExtra(f) },
      })),
    };
  }
}

/** A JSON object's other keys as cells: text as it is, anything else as JSON. */
function cells(o: Record<string, unknown>, skip: Set<string>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) {
    if (skip.has(k) || v === undefined) continue;
    out[`${prefix}${k}`] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

/** A field's keys besides value and bboxes (a confidence, a source), as `field.<key>` columns. */
function fieldExtra(f: z.infer<typeof fieldSchema>): Record<string, string> {
  return cells(f, new Set(['value', 'bboxes']), 'field.');
}

/** A list value is several acceptable answers; null is an empty one. */
function answersOf(value: unknown): string[] {
  if (value === null || value === undefined) return [''];
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return [typeof value === 'string' ? value : String(value)];
}

async function readJson(file: string): Promise<z.infer<typeof docSchema>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new VlmhbError('VLMHB_FILE_NOT_FOUND', 'annotation JSON of this image not found', {
      where: { file },
      cause: e,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new VlmhbError('VLMHB_DATASET_INVALID', `not valid JSON: ${(e as Error).message}`, {
      where: { file },
      cause: e,
    });
  }
  const parsed = docSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new VlmhbError(
      'VLMHB_DATASET_INVALID',
      `${issue?.message ?? 'invalid'} at ${(issue?.path ?? []).join('.') || '(root)'}`,
      { where: { file, key: (issue?.path ?? []).join('.') } },
    );
  }
  return parsed.data;
}

async function listDirs(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch (e) {
    throw new VlmhbError('VLMHB_FILE_NOT_FOUND', 'expected an images/ folder with one folder per subset', {
      where: { file: dir },
      cause: e,
    });
  }
}

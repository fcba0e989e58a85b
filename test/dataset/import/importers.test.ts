import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import {
  IMPORT_FORMATS,
  type ImportFormat,
  importers,
  writeImport,
} from '../../../src/dataset/import/index.js';
import { loadDataset } from '../../../src/dataset/load.js';
import { validateDataset } from '../../../src/dataset/validate.js';
import { testdir } from '../../helpers/testdir.js';
import {
  type Fixture,
  hfParquetFixture,
  pdfFixture,
  vlmevalkitTsvFixture,
  vlmhyperbenchJsonFixture,
} from './fixtures.js';

const fixtures: Record<ImportFormat, () => Promise<Fixture>> = {
  'vlmhyperbench-json': vlmhyperbenchJsonFixture,
  'vlmevalkit-tsv': vlmevalkitTsvFixture,
  pdf: pdfFixture,
  'hf-parquet': hfParquetFixture,
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function outDir(): Promise<string> {
  const t = await testdir({});
  cleanups.push(t.cleanup);
  return join(t.dir, 'out');
}

describe('every importer has a fixture', () => {
  it('covers the registry', () => {
    expect(Object.keys(fixtures).sort()).toEqual([...IMPORT_FORMATS].sort());
  });
});

describe.each(IMPORT_FORMATS)('importer %s', (format) => {
  it('writes a dataset that loads and validates with every field kept', async () => {
    const fx = await fixtures[format]();
    cleanups.push(fx.cleanup);
    const out = await outDir();
    const plan = await importers[format].open(fx.src, fx.opts);
    expect(plan.total).toBe(fx.pages);
    let ticks = 0;
    const result = await writeImport(plan, out, () => ticks++);
    expect(ticks).toBe(fx.pages);
    expect(result.images).toBe(fx.images ?? fx.pages);
    expect(result.rows).toBe(fx.expected.length);

    const validation = await validateDataset(out);
    expect(validation.problems).toEqual([]);
    const ds = await loadDataset(out);
    expect(
      ds.samples.map((s) => ({
        docId: s.docId,
        split: s.split,
        question: s.question,
        answers: s.references,
        docClass: s.docClass,
        questionType: s.questionType,
        answerBbox: s.answerBbox,
      })),
    ).toEqual(fx.expected);
    expect(ds.samples.map((s) => s.answer)).toEqual(fx.expected.map((e) => e.answers[0]));
    for (const s of ds.samples) {
      const meta = await sharp(s.imageAbsPath).metadata();
      expect({ width: meta.width, height: meta.height }).toEqual(fx.imageSize);
    }
  });

  it('refuses an output folder that already holds files', async () => {
    const fx = await fixtures[format]();
    cleanups.push(fx.cleanup);
    const t = await testdir({ 'keep.txt': 'mine' });
    cleanups.push(t.cleanup);
    const plan = await importers[format].open(fx.src, fx.opts);
    await expect(writeImport(plan, t.dir)).rejects.toMatchObject({ code: 'VLMHB_USAGE' });
    expect(await readdir(t.dir)).toEqual(['keep.txt']);
  });

  it('names the source in the error for a missing source', async () => {
    const missing = join(await outDir(), 'nope');
    await expect(importers[format].open(missing, {})).rejects.toMatchObject({
      code: 'VLMHB_FILE_NOT_FOUND',
      where: { file: expect.stringContaining('nope') },
    });
  });
});

describe('several references in annotation.csv', () => {
  it('writes an answers column only for rows with several answers; answer keeps the first', async () => {
    const fx = await vlmevalkitTsvFixture();
    cleanups.push(fx.cleanup);
    const out = await outDir();
    const result = await writeImport(await importers['vlmevalkit-tsv'].open(fx.src, {}), out);
    expect(result.multiAnswer).toBe(2);
    const text = (await readFile(join(out, 'annotation.csv'), 'utf8')).replace(/^\uFEFF/, '');
    const rows = parse(text, { delimiter: ';', columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r['answer'], r['answers']])).toEqual([
      ['42', '["42","42.00"]'],
      ["O'Neil", '["O\'Neil","Smith"]'],
      ['A', ''],
    ]);
    // The shared image of index 11 is written once, under its owner's index.
    expect((await readdir(join(out, 'images'))).sort()).toEqual(['10.jpg', '12.jpg']);
    expect(rows[1]?.['image_path']).toBe('images/10.jpg');
  });

  it('hf-parquet keeps docId and every other column, and writes a page asked about twice once', async () => {
    const fx = await hfParquetFixture();
    cleanups.push(fx.cleanup);
    const out = await outDir();
    const result = await writeImport(await importers['hf-parquet'].open(fx.src, {}), out);
    expect([result.images, result.rows]).toEqual([2, 3]);
    expect((await readdir(join(out, 'images'))).sort()).toEqual(['14465.jpg', '14470.jpg']);
    const text = (await readFile(join(out, 'annotation.csv'), 'utf8')).replace(/^\uFEFF/, '');
    const rows = parse(text, { delimiter: ';', columns: true }) as Record<string, string>[];
    expect(
      rows.map((r) => [
        r['data_index'],
        r['image_path'],
        r['docId'],
        r['ucsf_document_id'],
        r['ucsf_document_page_no'],
        r['source_image_path'],
      ]),
    ).toEqual([
      ['49153', 'images/14465.jpg', '14465', 'txpp0227', '10', 'documents/txpp0227_10.png'],
      ['49154', 'images/14465.jpg', '14465', 'txpp0227', '10', ''],
      ['57349', 'images/14470.jpg', '14470', 'doc14470', '1', ''],
    ]);
    expect((await validateDataset(out)).problems).toEqual([]);
  });

  it('keeps every bbox of the vlmhyperbench-json fields', async () => {
    const fx = await vlmhyperbenchJsonFixture();
    cleanups.push(fx.cleanup);
    const out = await outDir();
    await writeImport(await importers['vlmhyperbench-json'].open(fx.src, {}), out);
    const ds = await loadDataset(out);
    const number = ds.samples.find((s) => s.questionType === 'номер');
    expect(number?.answerBboxes).toEqual([
      [2, 12, 30, 20],
      [2, 21, 30, 28],
    ]);
  });
});

import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { execa } from 'execa';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateDataset } from '../../src/dataset/validate.js';
import { isVlmhbError } from '../../src/errors.js';
import { generateDataset } from '../../src/synth/generate.js';
import { parseAugmentSpec } from '../../src/synth/spec.js';

const root = await mkdtemp(path.join(tmpdir(), 'vlmhb-generate-'));
afterAll(() => rm(root, { recursive: true, force: true }));

type Row = Record<string, string>;
const readRows = async (dir: string): Promise<Row[]> =>
  parse(await readFile(path.join(dir, 'annotation.csv')), {
    delimiter: ';',
    columns: true,
    bom: true,
  }) as Row[];

/** Every file under a folder, path → bytes, to compare whole datasets. */
async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const abs = path.join(e.parentPath, e.name);
    out.set(path.relative(dir, abs), await readFile(abs));
  }
  return out;
}

const base = {
  docs: ['snils', 'inn'] as const,
  count: 2,
  seed: 42,
  augment: parseAugmentSpec('clean,rotated:2,jpeg:2'),
};

describe('generateDataset', () => {
  const inline = path.join(root, 'inline');
  const threaded = path.join(root, 'threaded');
  const progress: [number, number][] = [];
  let inlineResult: Awaited<ReturnType<typeof generateDataset>>;

  beforeAll(async () => {
    inlineResult = await generateDataset({ ...base, docs: [...base.docs], out: inline, workers: 0 });
    await generateDataset({
      ...base,
      docs: [...base.docs],
      out: threaded,
      workers: 2,
      onProgress: (d, t) => progress.push([d, t]),
    });
  });

  it('writes the same bytes in the calling thread and in 2 worker threads', async () => {
    const a = await snapshot(inline);
    const b = await snapshot(threaded);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [k, v] of a) expect(b.get(k)?.equals(v), k).toBe(true);
    expect(a.size).toBe(2 * 2 * 3 + 2); // 4 documents × 3 subsets, annotation.csv, generator.json
  });

  it('reports progress per document up to the total', () => {
    expect(progress[0]).toEqual([0, 4]);
    expect(progress.at(-1)).toEqual([4, 4]);
    expect(progress).toHaveLength(5);
  });

  it('writes annotation.csv in the dataset format, sorted by subset, document, field', async () => {
    const text = await readFile(path.join(inline, 'annotation.csv'), 'utf8');
    expect(
      text.startsWith(
        '\uFEFFdata_index;split;image_path;question;answer;doc_class;question_type;answer_bbox;style\n',
      ),
    ).toBe(true);
    const rows = await readRows(inline);
    expect(inlineResult.datasets).toEqual([
      { dir: inline, documents: 4, subsets: 3, images: 12, rows: rows.length },
    ]);
    const order = [...new Set(rows.map((r) => `${r['split']} ${r['data_index']}`))];
    expect(order).toEqual(
      // Each augmented copy is a document of its own: the clean scan keeps the plain id.
      [
        ['clean', ''],
        ['rotated:2', '_rotated_2'],
        ['jpeg:2', '_jpeg_2'],
      ].flatMap(([s, suffix]) =>
        ['snils_000001', 'snils_000002', 'inn_000001', 'inn_000002'].map((d) => `${s} ${d}${suffix}`),
      ),
    );
    const snils = rows.filter((r) => r['data_index'] === 'snils_000001' && r['split'] === 'clean');
    // The original project's lower-case Latin ids, the words --doc takes.
    expect(snils.map((r) => r['doc_class'])).toEqual(snils.map(() => 'snils'));
    expect(new Set(rows.map((r) => r['doc_class']))).toEqual(new Set(['snils', 'inn']));
    expect(snils.map((r) => r['question_type'])).toContain('Номер СНИЛС');
    // Pages are JPEG by default, as scanners write them; the path's extension says so.
    expect(snils[0]!['image_path']).toBe('images/clean/snils_000001.jpg');
    const page = await readFile(path.join(inline, snils[0]!['image_path']!));
    expect(page.subarray(0, 2).toString('hex')).toBe('ffd8');
    // Each document records its layout family; every row of one document the same.
    expect(['card', 'card-hand']).toContain(snils[0]!['style']);
    expect(new Set(snils.map((r) => r['style'])).size).toBe(1);
    const jpegRow = rows.find((r) => r['split'] === 'jpeg:2')!;
    expect(jpegRow['image_path']).toMatch(/^images\/jpeg_2\/.*\.jpg$/);
    const jpg = await readFile(path.join(inline, jpegRow['image_path']!));
    expect(jpg.subarray(0, 2).toString('hex')).toBe('ffd8');
    // The same document asks the same question in every subset.
    const q = (split: string) =>
      rows
        .filter((r) => r['data_index']?.startsWith('inn_000002') && r['split'] === split)
        .map((r) => r['question']);
    expect(q('rotated:2')).toEqual(q('clean'));
  });

  it('passes validate: images exist, boxes inside, checksums valid', async () => {
    expect(await validateDataset(inline)).toEqual({ ok: true, problems: [] });
  });

  it('gives other documents for another seed', async () => {
    const other = path.join(root, 'seed43');
    await generateDataset({
      ...base,
      docs: ['snils'],
      count: 1,
      seed: 43,
      augment: [],
      out: other,
      workers: 0,
    });
    const a = (await readRows(inline)).find((r) => r['question_type'] === 'Номер СНИЛС')!;
    const b = (await readRows(other)).find((r) => r['question_type'] === 'Номер СНИЛС')!;
    expect(b['split']).toBe('clean');
    expect(b['answer']).not.toBe(a['answer']);
  });

  it('writes one dataset per long side, images resized and boxes scaled with them', async () => {
    const out = path.join(root, 'sizes');
    const r = await generateDataset({
      ...base,
      docs: ['snils'],
      count: 1,
      augment: parseAugmentSpec('clean'),
      longSides: [1024, 512],
      out,
      workers: 0,
    });
    expect(r.datasets.map((d) => [path.basename(d.dir), d.longSide])).toEqual([
      ['sizes_1024', 1024],
      ['sizes_512', 512],
    ]);
    const native = (await readRows(inline)).filter(
      (x) => x['data_index'] === 'snils_000001' && x['split'] === 'clean',
    );
    const nativeMeta = await sharp(path.join(inline, native[0]!['image_path']!)).metadata();
    for (const d of r.datasets) {
      const rows = await readRows(d.dir);
      const meta = await sharp(path.join(d.dir, rows[0]!['image_path']!)).metadata();
      expect(Math.max(meta.width!, meta.height!)).toBe(d.longSide);
      const s = d.longSide! / Math.max(nativeMeta.width!, nativeMeta.height!);
      expect(rows.map((x) => x['answer'])).toEqual(native.map((x) => x['answer']));
      for (const [i, row] of rows.entries()) {
        const got = JSON.parse(row['answer_bbox']!) as number[];
        const want = (JSON.parse(native[i]!['answer_bbox']!) as number[]).map((v) => v * s);
        for (const k of [0, 1, 2, 3]) expect(Math.abs(got[k]! - want[k]!)).toBeLessThanOrEqual(1.5);
      }
      expect((await validateDataset(d.dir)).ok).toBe(true);
    }
  });

  it('boxes follow rotation: Tesseract reads the СНИЛС number inside the rotated, resized box', async () => {
    const out = path.join(root, 'ocr');
    await generateDataset({
      ...base,
      docs: ['snils'],
      count: 1,
      augment: parseAugmentSpec('rotated'),
      longSides: [1400],
      out,
      workers: 0,
    });
    const dir = path.join(out, 'ocr_1400');
    const row = (await readRows(dir)).find((r) => r['question_type'] === 'Номер СНИЛС')!;
    const [x0, y0, x1, y1] = JSON.parse(row['answer_bbox']!) as number[];
    // Rotation by up to 2° makes the box taller than the line; deskew is not needed for one line.
    const crop = await sharp(path.join(dir, row['image_path']!))
      .extract({ left: x0!, top: y0!, width: x1! - x0!, height: y1! - y0! })
      .extend({ top: 20, bottom: 20, left: 20, right: 20, background: '#ffffff' })
      .png()
      .toBuffer();
    const cropFile = path.join(root, 'crop.png');
    await writeFile(cropFile, crop);
    const { stdout } = await execa('tesseract', [cropFile, 'stdout', '-l', 'eng', '--psm', '7'], {
      env: { OMP_THREAD_LIMIT: '1' },
    });
    const digits = (s: string) => s.replace(/\D/g, '');
    expect(digits(stdout)).toBe(digits(row['answer']!));
  });

  it('regenerates over its own output but refuses a folder it did not write', async () => {
    await generateDataset({ ...base, docs: ['snils'], count: 1, augment: [], out: inline, workers: 0 });
    expect(existsSync(path.join(inline, 'images', 'rotated_2'))).toBe(false);
    expect((await readRows(inline)).every((r) => r['split'] === 'clean')).toBe(true);
    const foreign = path.join(root, 'foreign');
    await rm(foreign, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(foreign));
    await writeFile(path.join(foreign, 'notes.txt'), 'mine');
    const err = await generateDataset({
      ...base,
      docs: ['snils'],
      count: 1,
      augment: [],
      out: foreign,
      workers: 0,
    }).catch((e: unknown) => e);
    expect(isVlmhbError(err) && err.code).toBe('VLMHB_USAGE');
    const sized = await generateDataset({
      ...base,
      docs: ['snils'],
      count: 1,
      augment: [],
      longSides: [512],
      out: foreign,
      workers: 0,
    }).catch((e: unknown) => e);
    expect(isVlmhbError(sized) && sized.code).toBe('VLMHB_USAGE');
    expect(await readdir(foreign)).toEqual(['notes.txt']);
    expect(await readFile(path.join(foreign, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('3 documents on 2 workers holding two jobs each: every document comes back, none is cut off', async () => {
    const r = await generateDataset({
      docs: ['snils'],
      count: 3,
      seed: 5,
      augment: [],
      longSides: [400],
      out: path.join(root, 'odd'),
      workers: 2,
    });
    const rows = await readRows(r.datasets[0]!.dir);
    expect(new Set(rows.map((x) => x['data_index']))).toEqual(
      new Set(['snils_000001', 'snils_000002', 'snils_000003']),
    );
  });

  it('drawn straight at a long side: the same bytes inline and in 2 workers, long side exact', async () => {
    const opts = {
      ...base,
      docs: ['passport', 'invoice'] as ('passport' | 'invoice')[],
      count: 2,
      augment: parseAugmentSpec('clean,perspective'),
      longSides: [900],
    };
    const a = await generateDataset({ ...opts, out: path.join(root, 'ls-a'), workers: 0 });
    const b = await generateDataset({ ...opts, out: path.join(root, 'ls-b'), workers: 2 });
    const sa = await snapshot(a.datasets[0]!.dir);
    const sb = await snapshot(b.datasets[0]!.dir);
    expect([...sb.keys()].sort()).toEqual([...sa.keys()].sort());
    for (const [k, v] of sa) expect(sb.get(k)?.equals(v), k).toBe(true);
    const rows = await readRows(a.datasets[0]!.dir);
    for (const r of rows.filter((x) => x['split'] === 'clean')) {
      const meta = await sharp(path.join(a.datasets[0]!.dir, r['image_path']!)).metadata();
      expect(Math.max(meta.width!, meta.height!)).toBe(900);
      const [x0, y0, x1, y1] = JSON.parse(r['answer_bbox']!) as number[];
      expect(x1!).toBeLessThanOrEqual(meta.width!);
      expect(y1!).toBeLessThanOrEqual(meta.height!);
      expect(x0! < x1! && y0! < y1!).toBe(true);
    }
  });

  it('writes PNG with --format png, and picks styles by seed within --style', async () => {
    const out = path.join(root, 'png');
    const r = await generateDataset({
      ...base,
      docs: ['passport'],
      count: 6,
      augment: parseAugmentSpec('clean'),
      format: 'png',
      style: 'familiar',
      out,
      workers: 0,
    });
    expect(r.datasets[0]).toMatchObject({ documents: 6, subsets: 1, images: 6 });
    const rows = await readRows(out);
    expect(rows.every((x) => x['image_path']!.endsWith('.png'))).toBe(true);
    const png = await readFile(path.join(out, rows[0]!['image_path']!));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const styles = new Set(rows.map((x) => x['style']));
    // 'familiar' never draws the held-out passport-hand; 6 documents reach both familiar styles.
    expect(styles).toEqual(new Set(['passport-print', 'passport-desk']));
    const held = path.join(root, 'held');
    await generateDataset({
      ...base,
      docs: ['passport', 'inn'],
      count: 2,
      augment: [],
      style: 'held-out',
      out: held,
      workers: 0,
    });
    expect(new Set((await readRows(held)).map((x) => x['style']))).toEqual(
      new Set(['passport-hand', 'inn-2020']),
    );
    expect((await validateDataset(held)).ok).toBe(true);
    const manifest = JSON.parse(await readFile(path.join(held, 'generator.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest).toMatchObject({ format: 'jpeg', style: 'held-out' });
  });

  it('rejects bad options with usage errors', async () => {
    const bad = [
      { docs: ['driving_licence' as never] },
      { count: 0 },
      { longSides: [10] },
      { workers: -1 },
      { docs: [] },
      { style: 'nope' },
      { style: 'card', docs: ['inn' as const] },
    ];
    for (const b of bad) {
      const err = await generateDataset({
        ...base,
        docs: [...base.docs],
        out: path.join(root, 'bad'),
        ...b,
      }).catch((e: unknown) => e);
      expect(isVlmhbError(err) && err.code, JSON.stringify(b)).toBe('VLMHB_USAGE');
    }
  });
});

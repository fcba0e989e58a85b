import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { vlmhb } from '../../helpers/cli.js';
import { testdir } from '../../helpers/testdir.js';
import { jpeg, pdfBytes } from './fixtures.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('vlmhb dataset import', () => {
  it('imports a TSV, reports on stdout, progress on stderr, and dataset validate accepts the result', async () => {
    const b64 = (await jpeg(12, 10)).toString('base64');
    const t = await testdir({
      'MME.tsv': `index\timage\tquestion\tanswer\tcategory\n1\t${b64}\tQ?\t"['a', 'b']"\tocr\n`,
    });
    cleanups.push(t.cleanup);
    const out = t.path('out');
    const r = await vlmhb([
      'dataset',
      'import',
      '--from',
      'vlmevalkit-tsv',
      t.path('MME.tsv'),
      '--out',
      out,
      '--json',
    ]);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(String(r.stdout))).toMatchObject({ images: 1, rows: 1, multiAnswer: 1, unanswered: 0 });
    expect(String(r.stderr)).toContain('importing vlmevalkit-tsv 1/1');
    expect(await readFile(join(out, 'annotation.csv'), 'utf8')).toContain('"[""a"",""b""]"');
    const v = await vlmhb(['dataset', 'validate', out]);
    expect([v.exitCode, String(v.stdout).trim()]).toEqual([0, `${out}: ok`]);
  });

  it('imports a PDF at --dpi with --questions, and refuses --dpi for another format', async () => {
    const t = await testdir({
      'a.pdf': await pdfBytes(['TOTAL 4217']),
      'q.csv': 'file;page;question;answers\na;1;Итого?;["4217","4 217"]\n',
    });
    cleanups.push(t.cleanup);
    const r = await vlmhb([
      'dataset',
      'import',
      '--from',
      'pdf',
      t.path('a.pdf'),
      '--dpi',
      '36',
      '--questions',
      t.path('q.csv'),
      '--out',
      t.path('out'),
      '--json',
    ]);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(String(r.stdout))).toMatchObject({ images: 1, rows: 1, multiAnswer: 1 });
    expect(String(r.stderr)).toContain('importing pdf 1/1');
    const meta = await sharp(t.path('out', 'images', 'a', 'page-1.png')).metadata();
    expect([meta.width, meta.height]).toEqual([144, 72]); // 288×144 pt at 36 dpi
    const bad = await vlmhb([
      'dataset',
      'import',
      '--from',
      'hf-parquet',
      t.path('a.pdf'),
      '--dpi',
      '36',
      '--out',
      t.path('o2'),
    ]);
    expect(bad.exitCode).toBe(2);
    expect(String(bad.stderr)).toContain('--dpi and --questions apply to --from pdf only');
  });

  it('exits 2 naming the file and row of a bad record, and 2 for an unknown format', async () => {
    const t = await testdir({ 'x.tsv': 'index\timage\tquestion\tanswer\tcategory\n1\t\t\tA\tc\n' });
    cleanups.push(t.cleanup);
    const bad = await vlmhb([
      'dataset',
      'import',
      '--from',
      'vlmevalkit-tsv',
      t.path('x.tsv'),
      '--out',
      t.path('o'),
    ]);
    expect(bad.exitCode).toBe(2);
    expect(String(bad.stderr)).toContain(`${t.path('x.tsv')}, row 2, column "question": empty question`);
    const unknown = await vlmhb([
      'dataset',
      'import',
      '--from',
      'csv',
      t.path('x.tsv'),
      '--out',
      t.path('o'),
    ]);
    expect(unknown.exitCode).toBe(2);
    expect(String(unknown.stderr)).toContain(
      'unknown format "csv"; known: vlmhyperbench-json, vlmevalkit-tsv, pdf, hf-parquet',
    );
  });
});

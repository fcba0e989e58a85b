import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { vlmhb } from '../../helpers/cli.js';
import { testdir } from '../../helpers/testdir.js';
import { jpeg } from './fixtures.js';

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

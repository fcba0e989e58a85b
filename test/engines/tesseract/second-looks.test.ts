/**
 * The engine's second looks, with a stand-in for the `tesseract` binary (a shell script that answers
 * TSV as Tesseract does): the page reading and the digits-only line reading are chosen per call by the
 * page segmentation mode, so the test decides what each look "sees".
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tesseractEngineFactory } from '../../../src/engines/tesseract/engine.js';
import { inn12For } from './fixtures.js';

const INN = inn12For('5213599977');

/** TSV lines: a page of 1000×1000, then words `[x, y, text]` on rows of 20 px. */
function tsv(words: [number, number, string][]): string {
  const head =
    'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext';
  const page = '1\t1\t0\t0\t0\t0\t0\t0\t1000\t1000\t-1\t';
  const rows = words.map(
    ([x, y, t], i) => `5\t1\t${i + 1}\t1\t1\t1\t${x}\t${y}\t${t.length * 12}\t20\t90\t${t}`,
  );
  return [head, page, ...rows].join('\n');
}

const pageTsv = tsv([
  [60, 100, 'Настоящее'],
  [180, 100, 'свидетельство'],
  [360, 100, 'физическое'],
  [500, 100, 'лицо'],
  [60, 400, 'код'],
  // The code cells read with a 3 taken for a 5; the ИНН cells not read at all.
  [160, 400, `${INN.slice(0, 3)}5`],
  [60, 500, 'ИНН'],
  [160, 500, 'БИ'],
]);
const lineTsv = tsv([[10, 10, INN]]);

let dir: string;
let binary: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vlmhb-second-look-'));
  await writeFile(join(dir, 'page.tsv'), pageTsv);
  await writeFile(join(dir, 'line.tsv'), lineTsv);
  binary = join(dir, 'tesseract-stand-in');
  // Not Tesseract: a stand-in that prints a recorded page for --psm 11 and a recorded line otherwise.
  await writeFile(
    binary,
    `#!/bin/sh\ncat > /dev/null\ncase " $* " in *" --psm 11 "*) cat "${dir}/page.tsv" ;; *) cat "${dir}/line.tsv" ;; esac\n`,
  );
  await chmod(binary, 0o755);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('second looks of the tesseract engine', () => {
  it('the authority code is the first four digits of the ИНН as its second look read it', async () => {
    const engine = await tesseractEngineFactory.create({ model: '', params: { binary } });
    const png = await sharp({ create: { width: 1000, height: 1000, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    const ask = (prompt: string) =>
      engine.ask({
        image: { data: png, mime: 'image/png' },
        prompt,
        settings: { temperature: 0, maxTokens: 64 },
      });
    const inn = await ask('Какой ИНН?');
    expect(inn.output).toBe(INN);
    expect(inn.extra?.['secondLooks']).toEqual(['line:7']);
    // The page reading says «5215» beside «код»; the checked ИНН says 5213.
    const code = await ask('Код налогового органа');
    expect(code.output).toBe(INN.slice(0, 4));
    await engine.close();
  });
});

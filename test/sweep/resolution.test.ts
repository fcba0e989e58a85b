import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickSize } from '../../src/sweep/pick.js';
import { startFaultServer } from '../fixtures/fault-server.js';
import { vlmhb } from '../helpers/cli.js';

const require = createRequire(import.meta.url);
GlobalFonts.registerFromPath(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), 'SweepSans');

const root = await mkdtemp(path.join(tmpdir(), 'vlmhb-sweep-'));
afterAll(() => rm(root, { recursive: true, force: true }));

/**
 * Two document types on the same 1000 px page: one printed large (readable when shrunk to 300 px), one
 * printed small (14 px text: unreadable at 700 px and below). The sweep must keep the second at full size
 * and shrink the first.
 */
function writeDataset(dir: string): void {
  const people = [
    ['Иванов', 'Иван'],
    ['Петрова', 'Анна'],
    ['Сидоров', 'Пётр'],
  ];
  mkdirSync(path.join(dir, 'images'), { recursive: true });
  const rows = ['data_index;split;image_path;question;answer;doc_class;question_type;answer_bbox'];
  for (const [docClass, px] of [
    ['Крупный', 40],
    ['Мелкий', 14],
  ] as const) {
    people.forEach(([surname, name], i) => {
      const c = createCanvas(1000, 600);
      const g = c.getContext('2d');
      g.fillStyle = '#fff';
      g.fillRect(0, 0, 1000, 600);
      g.fillStyle = '#000';
      g.font = `bold ${px + 4}px SweepSans`;
      g.fillText(docClass, 40, 40 + px);
      g.font = `${px}px SweepSans`;
      g.fillText(`Фамилия: ${surname}`, 40, 100 + px);
      g.fillText(`Имя: ${name}`, 40, 100 + 3 * px);
      const img = `images/${docClass}_${i}.png`;
      writeFileSync(path.join(dir, img), c.toBuffer('image/png'));
      const id = `${docClass}_${i}`;
      rows.push([id, 'clean', img, 'Напиши фамилию', surname, docClass, 'Фамилия', ''].join(';'));
      rows.push([id, 'clean', img, 'Напиши имя', name, docClass, 'Имя', ''].join(';'));
    });
  }
  writeFileSync(path.join(dir, 'annotation.csv'), `\ufeff${rows.join('\n')}\n`);
}

describe('pickSize', () => {
  const p = (longSide: number, cer: number, ms: number) => ({
    longSide,
    cer,
    docLatencyMs: ms,
    gpuMemoryPeakMb: null,
  });
  it('takes the smallest size within the tolerance of the best and reports the saving', () => {
    const c = pickSize([p(1600, 0.05, 900), p(1024, 0.055, 500), p(768, 0.07, 300), p(512, 0.3, 200)], 0.01);
    expect(c).toMatchObject({ longSide: 1024, bestCer: 0.05, bestLongSide: 1600, savedDocLatencyMs: 400 });
    expect(pickSize([p(1600, 0.05, 900), p(768, 0.07, 300)], 0.02).longSide).toBe(768);
    expect(pickSize([p(1600, 0.1, 900), p(768, 0.2, 300)], 0).longSide).toBe(1600);
    // GPU memory, where measured, is saved against the largest size as well.
    const withMem = pickSize(
      [
        { ...p(1600, 0.05, 900), gpuMemoryPeakMb: 18_000 },
        { ...p(1024, 0.052, 500), gpuMemoryPeakMb: 15_500 },
        { ...p(512, 0.2, 200), gpuMemoryPeakMb: 14_000 },
      ],
      0.01,
    );
    expect(withMem).toMatchObject({ longSide: 1024, savedDocLatencyMs: 400, savedGpuMemoryMb: 2_500 });
  });
});

describe('vlmhb sweep resolution', () => {
  const config = path.join(root, 'sweep.yaml');
  const args = (out: string) => [
    'sweep',
    'resolution',
    config,
    '--sizes',
    '1000,700,300,200',
    '--tolerance',
    '0.01',
    '--out',
    out,
    '--cache-file',
    path.join(root, 'cache.jsonl'),
    '--json',
  ];
  beforeAll(() => {
    writeDataset(path.join(root, 'data'));
    writeFileSync(config, 'tasks:\n  - { dataset: data, framework: tesseract }\n');
  });

  it('picks per document type the smallest readable long side, on the real engine', async () => {
    const r = await vlmhb(args(path.join(root, 'out')));
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const [sweep] = JSON.parse(String(r.stdout));
    const big = sweep.by_doc_type['Крупный'];
    const small = sweep.by_doc_type['Мелкий'];
    // Truly unreadable small sizes: the small print is lost by 300 px, the large print by 200 px.
    expect(small.points.find((x: { longSide: number }) => x.longSide === 300).cer).toBeGreaterThan(0.5);
    expect(big.points.find((x: { longSide: number }) => x.longSide === 200).cer).toBeGreaterThan(0.3);
    expect(big.choice.longSide).toBe(300);
    expect(small.choice.longSide).toBe(1000);
    expect(big.choice.cer).toBeLessThanOrEqual(big.choice.bestCer + 0.01);
    const md = await readFile(path.join(root, 'out', 'sweep.md'), 'utf8');
    expect(md).toMatch(/\| Крупный \|.*\| \*\*300\*\* \|/);
  }, 300_000);

  it('a second sweep answers from the shared cache and chooses the same', async () => {
    const r = await vlmhb(args(path.join(root, 'again')));
    expect(r.exitCode).toBe(0);
    const [sweep] = JSON.parse(String(r.stdout));
    expect(sweep.by_doc_type['Крупный'].choice.longSide).toBe(300);
    expect(sweep.by_doc_type['Мелкий'].choice.longSide).toBe(1000);
    for (const run of sweep.runs as { runDir: string }[]) {
      const lines = (await readFile(path.join(run.runDir, 'answers.jsonl'), 'utf8'))
        .split('\n')
        .filter(Boolean);
      expect(lines.every((l) => JSON.parse(l).extra?.cache === 'hit')).toBe(true);
    }
  }, 120_000);

  it('its per-type choice is a setting a run takes: long_side_by_doc_class sends each type at its chosen side', async () => {
    const r = await vlmhb(args(path.join(root, 'choose')));
    expect(r.exitCode).toBe(0);
    const [sweep] = JSON.parse(String(r.stdout));
    expect(sweep.long_side_by_doc_class).toEqual({ Крупный: 300, Мелкий: 1000 });
    const md = await readFile(path.join(root, 'choose', 'sweep.md'), 'utf8');
    expect(md).toContain('long_side_by_doc_class: {"Крупный": 300, "Мелкий": 1000}');
    // The snippet pasted into the task: a run asks each type at its side, so every answer is the one the
    // sweep already cached for that type and side (the cache key holds the sent size), and CER per type is
    // the sweep's choice.
    const applied = path.join(root, 'applied.yaml');
    writeFileSync(
      applied,
      'tasks:\n  - { dataset: data, framework: tesseract, long_side_by_doc_class: {"Крупный": 300, "Мелкий": 1000} }\n',
    );
    const run = await vlmhb([
      'run',
      applied,
      '--out',
      path.join(root, 'applied-run'),
      '--cache-file',
      path.join(root, 'cache.jsonl'),
      '--json',
    ]);
    expect(run.exitCode, String(run.stderr)).toBe(0);
    const runDir: string = JSON.parse(String(run.stdout)).tasks[0].run_dir;
    const answers = (await readFile(path.join(runDir, 'answers.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((a) => a.extra?.cache === 'hit')).toBe(true);
    const metrics = JSON.parse(await readFile(path.join(runDir, 'metrics.json'), 'utf8'));
    expect(metrics.by_doc_type['Крупный'].cer).toBeCloseTo(sweep.by_doc_type['Крупный'].choice.cer, 9);
    expect(metrics.by_doc_type['Мелкий'].cer).toBeCloseTo(sweep.by_doc_type['Мелкий'].choice.cer, 9);
    // A type the dataset does not have is a typo, refused by name.
    writeFileSync(
      applied,
      'tasks:\n  - { dataset: data, framework: tesseract, long_side_by_doc_class: {Kрупный: 300} }\n',
    );
    const typo = await vlmhb(['run', applied, '--out', path.join(root, 'typo-run')]);
    expect(typo.exitCode).toBe(2);
    expect(String(typo.stderr)).toMatch(/long_side_by_doc_class: no document of type "Kрупный"/);
  }, 300_000);

  it('never takes a failed request for the answer: says the choice is not final, exits 1, retries on rerun', async () => {
    // The FAKE OpenAI-compatible server (not a model) first answers with a body of the wrong shape.
    const server = await startFaultServer({ mode: 'wrong-shape' });
    try {
      const failing = path.join(root, 'failing.yaml');
      writeFileSync(
        failing,
        `tasks:\n  - { dataset: data, framework: openai, model: fake, base_url: "${server.baseUrl}" }\n`,
      );
      const run = (out: string) =>
        vlmhb(['sweep', 'resolution', failing, '--sizes', '1000,300', '--out', out, '--no-cache', '--json']);
      const out = path.join(root, 'failing-out');
      const bad = await run(out);
      expect(bad.exitCode).toBe(1);
      expect(String(bad.stderr)).toMatch(/24 request\(s\) failed; the choice is not final/);
      const [sweep] = JSON.parse(String(bad.stdout));
      expect(sweep.failed).toBe(24);
      expect(sweep.by_doc_type['Мелкий'].points.map((x: { failed: number }) => x.failed)).toEqual([6, 6]);
      expect(await readFile(path.join(out, 'sweep.md'), 'utf8')).toMatch(/\*\*Not final:\*\* 24 request/);
      server.set({ mode: 'ok', answer: 'Иванов' });
      const good = await run(out);
      expect(good.exitCode, String(good.stderr)).toBe(0);
      expect(JSON.parse(String(good.stdout))[0].failed).toBe(0);
      expect(server.requests.filter((q) => q.path.endsWith('/chat/completions'))).toHaveLength(24);
    } finally {
      await server.close();
    }
  }, 120_000);

  it('starts the server of a task whose executor starts one, once for every size', async () => {
    // executor local: the real `vlmhb serve` process for the embedded engine, asked over HTTP.
    const served = path.join(root, 'served.yaml');
    writeFileSync(served, 'tasks:\n  - { dataset: data, framework: tesseract, executor: local }\n');
    const out = path.join(root, 'served-out');
    const r = await vlmhb([
      'sweep',
      'resolution',
      served,
      '--sizes',
      '1000,300',
      '--out',
      out,
      '--no-cache',
      '--json',
    ]);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stderr).match(/starting tesseract · \S+ with executor local/g)).toHaveLength(1);
    const [sweep] = JSON.parse(String(r.stdout));
    expect(sweep.failed).toBe(0);
    const metrics = await Promise.all(
      (sweep.runs as { runDir: string }[]).map(async (x) =>
        JSON.parse(await readFile(path.join(x.runDir, 'metrics.json'), 'utf8')),
      ),
    );
    for (const m of metrics) expect(m.run.executor).toBe('local');
    // The model load is counted once, in the first run; the second reused the server.
    expect(metrics[0].timing.model_load_s).toBeGreaterThan(0);
    expect(metrics[1].timing.model_load_s).toBe(0);
    expect(sweep.by_doc_type['Мелкий'].choice.longSide).toBe(1000);
  }, 300_000);
});

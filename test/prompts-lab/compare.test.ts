import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPromptCollection } from '../../src/prompts/collection.js';
import { startFaultServer } from '../fixtures/fault-server.js';
import { BIN, ROOT, vlmhb } from '../helpers/cli.js';
import { type MiniDoc, SNILS_DOCS, writeMiniDataset } from '../helpers/mini-dataset.js';

const root = await mkdtemp(path.join(tmpdir(), 'vlmhb-prompts-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const EXTRA: MiniDoc[] = [
  ['Кузнецова', 'Мария', '156-201-337 12'],
  ['Смирнов', 'Олег', '201-334-455 80'],
  ['Волкова', 'Елена', '318-402-119 47'],
  ['Морозов', 'Денис', '442-517-630 05'],
  ['Лебедева', 'Ольга', '523-118-764 91'],
].map(([surname, name, number], i) => ({
  docId: `snils_${String(i + 4).padStart(3, '0')}`,
  docClass: 'СНИЛС',
  fields: [
    { questionType: 'Фамилия', label: 'Фамилия', value: surname as string, question: 'Напиши фамилию' },
    { questionType: 'Имя', label: 'Имя', value: name as string, question: 'Напиши имя' },
    { questionType: 'Номер СНИЛС', label: 'Номер', value: number as string, question: 'Напиши номер СНИЛС' },
  ],
}));

const FIELDS = ['СНИЛС Фамилия', 'СНИЛС Имя', 'СНИЛС Номер СНИЛС'];
const collection = (prompts: string[]) =>
  `\ufeffprompt;doc_class_question_type\n${prompts.map((p, i) => `${p};${FIELDS[i]}`).join('\n')}\n`;

// The embedded engine answers by the wording: precise questions name the field, a vague one does not.
const COLLECTIONS = {
  precise: ['Напиши фамилию', 'Напиши имя', 'Напиши номер СНИЛС'],
  vague: ['Что написано?', 'Что написано?', 'Что написано?'],
  mixed: ['Что написано?', 'Какое имя указано в документе?', 'Напиши номер СНИЛС'],
};

const dataset = path.join(root, 'data');
const out = path.join(root, 'compare');
const cacheFile = path.join(root, 'cache', 'answers.jsonl');
const files: string[] = [];
let result: {
  collections: {
    name: string;
    runDir: string;
    overall: { cer: { estimate: number; lo: number; hi: number } };
  }[];
  ranking: {
    by_field: Record<
      string,
      { entries: { index: number; rank: number; cer: number }[]; best: { p: number | null } }
    >;
  };
};

interface RunMetrics {
  overall: { cer: number };
  by_doc_question: Record<string, { cer: number }>;
}
const metricsOf = async (runDir: string) =>
  JSON.parse(await readFile(path.join(runDir, 'metrics.json'), 'utf8')) as RunMetrics;
const answersOf = async (runDir: string) =>
  (await readFile(path.join(runDir, 'answers.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { extra?: { cache?: string } });

beforeAll(async () => {
  writeMiniDataset(dataset, [...SNILS_DOCS, ...EXTRA]);
  for (const [name, prompts] of Object.entries(COLLECTIONS)) {
    const f = path.join(root, `${name}.csv`);
    await writeFile(f, collection(prompts));
    files.push(f);
  }
  const r = await vlmhb([
    'prompts',
    'compare',
    '--dataset',
    dataset,
    '--framework',
    'tesseract',
    '--collections',
    ...files,
    '--out',
    out,
    '--cache-file',
    cacheFile,
    '--resamples',
    '500',
    '--json',
  ]);
  if (r.exitCode !== 0) throw new Error(`compare failed: ${r.stderr}`);
  result = JSON.parse(String(r.stdout));
}, 240_000);

describe('vlmhb prompts compare', () => {
  it('scores each collection as the runner does, with a CI around the corpus CER', async () => {
    expect(result.collections.map((c) => c.name)).toEqual(['precise', 'vague', 'mixed']);
    for (const c of result.collections) {
      const m = await metricsOf(c.runDir);
      expect(c.overall.cer.estimate).toBeCloseTo(m.overall.cer, 12);
      expect(c.overall.cer.lo).toBeLessThanOrEqual(c.overall.cer.estimate);
      expect(c.overall.cer.hi).toBeGreaterThanOrEqual(c.overall.cer.estimate);
    }
    // The vague wording really is worse for the engine, so there is something to choose.
    const [precise, vague] = result.collections;
    expect(vague?.overall.cer.estimate).toBeGreaterThan((precise?.overall.cer.estimate ?? 0) + 0.1);
  });

  it('writes compare.md: per field and overall, intervals and the paired test with its p-value', async () => {
    const md = await readFile(path.join(out, 'compare.md'), 'utf8');
    expect(md).toContain('## Overall');
    for (const f of FIELDS) expect(md).toContain(`## ${f}`);
    expect(md).toMatch(/\| 1 \| precise \| \d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\] \|/);
    const p = result.ranking.by_field['СНИЛС Фамилия']?.best.p as number;
    expect(md).toContain(`paired permutation test over documents, p = ${p.toFixed(4)}`);
  });

  it('lets identical prompts tie: same answers, p = 1, one shared rank', () => {
    const r = result.ranking.by_field['СНИЛС Номер СНИЛС'];
    const rankOf = (i: number) => r?.entries.find((e) => e.index === i)?.rank;
    expect(rankOf(0)).toBe(rankOf(2));
    expect(r?.entries.find((e) => e.index === 0)?.cer).toBe(r?.entries.find((e) => e.index === 2)?.cer);
  });

  it('select writes, per field, the prompt that scored best, in the original format with its provenance', async () => {
    const best = path.join(root, 'best.csv');
    const s = await vlmhb(['prompts', 'select', '--from', path.join(out, 'compare.json'), '--out', best]);
    expect(s.exitCode).toBe(0);
    // The original's format, byte for byte at the top: BOM, `;`, the three columns.
    expect((await readFile(best, 'utf8')).split('\n')[0]).toBe('\ufeffprompt;doc_class_question_type;cer');
    const chosen = await loadPromptCollection(best);
    // Independently: per field, the lowest CER in each run's own metrics.json.
    const perRun = await Promise.all(result.collections.map((c) => metricsOf(c.runDir)));
    for (const field of FIELDS) {
      const cers = perRun.map((m) => m.by_doc_question[field]?.cer as number);
      const min = Math.min(...cers);
      const winners = Object.values(COLLECTIONS)
        .map((p) => p[FIELDS.indexOf(field)] as string)
        .filter((_, i) => cers[i] === min);
      expect(winners, field).toContain(chosen.prompts.get(field));
      expect(chosen.cer.get(field)).toBeCloseTo(min, 5);
    }
    expect(chosen.prompts.get('СНИЛС Фамилия')).toBe('Напиши фамилию');
    const sidecar = JSON.parse(await readFile(path.join(root, 'best.source.json'), 'utf8'));
    const snils = sidecar.prompts.find((p: { field: string }) => p.field === 'СНИЛС Номер СНИЛС');
    expect(snils.source.collection).toBe('precise');
    const compared = JSON.parse(await readFile(path.join(out, 'compare.json'), 'utf8'));
    expect(snils.source).toMatchObject({
      dataset: compared.dataset.dir,
      dataset_sha256: compared.dataset.annotation_sha256,
      date: compared.created_at,
    });
    expect(snils.tied_with).toEqual(['mixed']);
    expect(sidecar.dataset.items).toBe(24);
    const surname = sidecar.prompts.find((p: { field: string }) => p.field === 'СНИЛС Фамилия');
    // 8 documents all favouring the precise prompt: the exact permutation p-value is 2 / 2^8.
    expect(surname).toMatchObject({ significant: true, tied_with: [] });
    expect(surname.p_vs_runner_up).toBeCloseTo(2 / 256, 12);

    // The selected collection, run for real (answers from the cache), scores the best CER of every field.
    const run = await vlmhb([
      'run',
      '--dataset',
      dataset,
      '--framework',
      'tesseract',
      '--prompts',
      best,
      '--out',
      path.join(root, 'best-run'),
      '--json',
    ]);
    expect(run.exitCode).toBe(0);
    const m = await metricsOf(path.join(root, 'best-run'));
    for (const field of FIELDS)
      expect(m.by_doc_question[field]?.cer).toBeCloseTo(
        Math.min(...perRun.map((x) => x.by_doc_question[field]?.cer as number)),
        12,
      );
  }, 120_000);

  it('reuses the shared cache: a second compare asks nothing, --no-cache asks again', async () => {
    const again = path.join(root, 'again');
    const args = [
      'prompts',
      'compare',
      '--dataset',
      dataset,
      '--framework',
      'tesseract',
      '--collections',
      ...files,
    ];
    const r = await vlmhb([
      ...args,
      '--out',
      again,
      '--cache-file',
      cacheFile,
      '--resamples',
      '200',
      '--json',
    ]);
    expect(r.exitCode).toBe(0);
    for (const c of JSON.parse(String(r.stdout)).collections as { runDir: string }[]) {
      const caches = (await answersOf(c.runDir)).map((a) => a.extra?.cache);
      expect(new Set(caches)).toEqual(new Set(['hit']));
    }
    const fresh = await vlmhb([
      ...args.slice(0, -3),
      files[0] as string,
      files[1] as string,
      '--out',
      path.join(root, 'fresh'),
      '--no-cache',
      '--resamples',
      '200',
      '--json',
    ]);
    expect(fresh.exitCode).toBe(0);
    for (const c of JSON.parse(String(fresh.stdout)).collections as { runDir: string }[]) {
      expect((await answersOf(c.runDir)).every((a) => a.extra?.cache === undefined)).toBe(true);
    }
  }, 240_000);

  it('rejects a single collection and a file that is not a compare result', async () => {
    const one = await vlmhb([
      'prompts',
      'compare',
      '--dataset',
      dataset,
      '--framework',
      'tesseract',
      '--collections',
      files[0] as string,
    ]);
    expect(one.exitCode).toBe(2);
    expect(String(one.stderr)).toMatch(/at least two/);
    const bad = await vlmhb([
      'prompts',
      'select',
      '--from',
      files[0] as string,
      '--out',
      path.join(root, 'x.csv'),
    ]);
    expect(bad.exitCode).toBe(2);
  });
});

describe('vlmhb prompts compare CONFIG', () => {
  it('compares the collections of a config whose tasks differ only in prompt collection', async () => {
    const cfg = path.join(root, 'compare.yaml');
    await writeFile(
      cfg,
      [
        'data_root: .',
        'tasks:',
        `  - { dataset: ${dataset}, framework: tesseract, prompt_collection: ${files[0]} }`,
        `  - { dataset: ${dataset}, framework: tesseract, prompt_collection: ${files[1]} }`,
        '',
      ].join('\n'),
    );
    const r = await vlmhb([
      'prompts',
      'compare',
      cfg,
      '--out',
      path.join(root, 'from-config'),
      '--cache-file',
      cacheFile,
      '--resamples',
      '200',
      '--json',
    ]);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const got = JSON.parse(String(r.stdout)) as typeof result;
    expect(got.collections.map((c) => c.name)).toEqual(['precise', 'vague']);
    // The same prompts on the same data: the flags form's numbers, served from the shared cache.
    expect(got.collections[0]?.overall.cer.estimate).toBeCloseTo(
      result.collections[0]?.overall.cer.estimate as number,
      12,
    );
    expect(got.collections[1]?.overall.cer.estimate).toBeCloseTo(
      result.collections[1]?.overall.cer.estimate as number,
      12,
    );
  }, 120_000);

  it('takes the collections from a list cell of a CSV config', async () => {
    const cfg = path.join(root, 'compare.csv');
    await writeFile(
      cfg,
      `dataset;framework;prompt_collection\n${dataset};tesseract;[${files[0]}, ${files[2]}]\n`,
    );
    const r = await vlmhb([
      'prompts',
      'compare',
      cfg,
      '--out',
      path.join(root, 'from-csv'),
      '--cache-file',
      cacheFile,
      '--resamples',
      '200',
      '--json',
    ]);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const got = JSON.parse(String(r.stdout)) as typeof result;
    expect(got.collections.map((c) => c.name)).toEqual(['precise', 'mixed']);
    expect(got.collections[1]?.overall.cer.estimate).toBeCloseTo(
      result.collections[2]?.overall.cer.estimate as number,
      12,
    );
  }, 120_000);

  it('runs the config as written: a task whose executor starts a server gets it started once', async () => {
    const cfg = path.join(root, 'served.yaml');
    await writeFile(
      cfg,
      `tasks:\n  - { dataset: ${dataset}, framework: tesseract, executor: local, prompt_collection: [${files[0]}, ${files[1]}] }\n`,
    );
    const r = await vlmhb([
      'prompts',
      'compare',
      cfg,
      '--out',
      path.join(root, 'served'),
      '--no-cache',
      '--resamples',
      '200',
      '--json',
    ]);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stderr).match(/starting tesseract · \S+ with executor local/g)).toHaveLength(1);
    const got = JSON.parse(String(r.stdout)) as typeof result;
    for (const c of got.collections) {
      const m = JSON.parse(await readFile(path.join(c.runDir, 'metrics.json'), 'utf8'));
      expect(m.run.executor).toBe('local');
    }
    // The served engine reads as the in-process one: the same CERs.
    expect(got.collections.map((c) => c.overall.cer.estimate)).toEqual(
      result.collections.slice(0, 2).map((c) => c.overall.cer.estimate),
    );
  }, 180_000);

  it('refuses tasks that differ in more than the prompts, naming the cell, and flags and config missing', async () => {
    const cfg = path.join(root, 'mixed.yaml');
    await writeFile(
      cfg,
      [
        'tasks:',
        `  - { dataset: ${dataset}, framework: tesseract, prompt_collection: ${files[0]} }`,
        `  - { dataset: ${dataset}, framework: tesseract, model: other, prompt_collection: ${files[1]} }`,
        '',
      ].join('\n'),
    );
    const r = await vlmhb(['prompts', 'compare', cfg]);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(/column "model"/);
    expect(String(r.stderr)).toMatch(/one model on one dataset/);
    const sized = path.join(root, 'sized.yaml');
    await writeFile(
      sized,
      [
        'tasks:',
        `  - { dataset: ${dataset}, framework: tesseract, prompt_collection: ${files[0]} }`,
        `  - { dataset: ${dataset}, framework: tesseract, long_side: 800, prompt_collection: ${files[1]} }`,
        '',
      ].join('\n'),
    );
    const s2 = await vlmhb(['prompts', 'compare', sized]);
    expect(s2.exitCode).toBe(2);
    expect(String(s2.stderr)).toMatch(/varies the prompts only: this task's long_side differs/);
    expect(String(s2.stderr)).toMatch(/column "long_side"/);
    const none = await vlmhb(['prompts', 'compare', '--framework', 'tesseract']);
    expect(none.exitCode).toBe(2);
    expect(String(none.stderr)).toMatch(/--dataset, --collections/);
  });
});

describe('vlmhb prompts compare over a failing server', () => {
  it('never scores a failed request: exits 1 naming the failures, and the rerun asks only those again', async () => {
    // The FAKE OpenAI-compatible server (not a model) answers with a body of the wrong shape: every
    // request fails, without retries.
    const server = await startFaultServer({ mode: 'wrong-shape' });
    try {
      const out = path.join(root, 'failing');
      const args = [
        'prompts',
        'compare',
        '--dataset',
        dataset,
        '--framework',
        'openai',
        '--model',
        'fake',
        '--base-url',
        server.baseUrl,
        '--collections',
        files[0] as string,
        files[1] as string,
        '--out',
        out,
        '--no-cache',
        '--resamples',
        '100',
        '--json',
      ];
      const bad = await vlmhb(args);
      expect(bad.exitCode).toBe(1);
      expect(String(bad.stderr)).toMatch(/precise: 24 failed request\(s\) \(bad_response ×24\)/);
      expect(String(bad.stderr)).toMatch(/vague: 24 failed request\(s\)/);
      expect(String(bad.stderr)).toMatch(/rerun the same command/);
      expect(bad.stdout).toBe('');
      expect(existsSync(path.join(out, 'compare.json'))).toBe(false);

      server.set({ mode: 'ok', answer: 'Иванов' });
      const good = await vlmhb(args);
      expect(good.exitCode, String(good.stderr)).toBe(0);
      // Both collections' failed items, and nothing else, were asked again.
      expect(server.requests.filter((q) => q.path.endsWith('/chat/completions'))).toHaveLength(48);
      const r = JSON.parse(String(good.stdout)) as {
        collections: { overall: { failed: number; n: number } }[];
      };
      for (const c of r.collections) expect(c.overall).toMatchObject({ failed: 0, n: 24 });
    } finally {
      await server.close();
    }
  }, 120_000);

  it('stops on Ctrl-C with exit 130 and resumes on rerun', async () => {
    // FAKE server again, now slow: the interrupt lands while requests are in flight.
    const server = await startFaultServer({ mode: 'slow', delayMs: 2000, answer: 'Иванов' });
    try {
      const out = path.join(root, 'interrupted');
      const args = [
        'prompts',
        'compare',
        '--dataset',
        dataset,
        '--framework',
        'openai',
        '--model',
        'fake',
        '--base-url',
        server.baseUrl,
        '--collections',
        files[0] as string,
        files[1] as string,
        '--out',
        out,
        '--no-cache',
        '--resamples',
        '100',
      ];
      const child = execa(process.execPath, [BIN, ...args], { cwd: ROOT, reject: false });
      await new Promise<void>((resolve, reject) => {
        const t = setInterval(() => {
          if (server.requests.some((q) => q.path.endsWith('/chat/completions'))) {
            clearInterval(t);
            resolve();
          }
        }, 50);
        child.on('exit', () => {
          clearInterval(t);
          reject(new Error('compare ended before it was interrupted'));
        });
      });
      child.kill('SIGINT');
      const r = await child;
      expect(r.exitCode).toBe(130);
      expect(String(r.stderr)).toMatch(/interrupted; rerun the same command to resume/);
      server.set({ mode: 'ok', answer: 'Иванов' });
      const again = await vlmhb([...args, '--json']);
      expect(again.exitCode, String(again.stderr)).toBe(0);
      expect(JSON.parse(String(again.stdout)).collections).toHaveLength(2);
    } finally {
      await server.close();
    }
  }, 120_000);
});

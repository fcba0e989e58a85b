/**
 * The Tesseract engine's throughput next to the raw `tesseract` CLI on the same images, with the same
 * languages, page segmentation, OMP_THREAD_LIMIT=1 and the same parallelism (one process per core).
 * The gap is what the engine adds: image checks, the per-field second look (passport edge strip),
 * extraction. A warm-cache pass shows the cost of a question once its page is OCR'd.
 * `npx tsx bench/engine.ts` prints the table; bench/run.ts collects the rows.
 */
import { realpathSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import PQueue from 'p-queue';
import { tesseractEngineFactory } from '../src/engines/tesseract/engine.js';
import type { EngineRequest } from '../src/engines/types.js';

export interface Row {
  bench: string;
  case: string;
  value: number;
  unit: string;
}

interface BenchDoc {
  png: Buffer;
  questions: string[];
}

const LANGUAGES = 'rus+eng';
const PSM = 11;

/** Synthetic documents from src/synth when it is there (real page sizes), else the test fixtures. */
async function documents(perKind: number): Promise<{ docs: BenchDoc[]; source: string }> {
  try {
    const { templates } = await import('../src/synth/templates/index.js');
    const { pagePng } = await import('../src/synth/render/page.js');
    const docs: BenchDoc[] = [];
    for (const t of Object.values(templates)) {
      for (let seed = 1; seed <= perKind; seed++) {
        const style = t.styles[seed % t.styles.length]!.id;
        const rendered = await t.render(t.sample(seed, style), seed, style);
        docs.push({
          png: await pagePng(rendered),
          questions: rendered.fields.map((f) => t.questions(f.questionType).ru[0]!),
        });
      }
    }
    return { docs, source: 'synth' };
  } catch {
    const { fixtureSet } = await import('../test/engines/tesseract/fixtures.js');
    const docs = fixtureSet().map((d) => ({
      png: d.png,
      questions: Object.keys(d.truth).map((k) => `Напиши ${k}`),
    }));
    return { docs, source: 'fixtures' };
  }
}

async function timeAll<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<unknown>,
): Promise<{ wallMs: number; meanMs: number }> {
  const queue = new PQueue({ concurrency });
  const each: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    items.map((item) =>
      queue.add(async () => {
        const t = performance.now();
        await work(item);
        each.push(performance.now() - t);
      }),
    ),
  );
  const wallMs = performance.now() - t0;
  return { wallMs, meanMs: each.reduce((s, x) => s + x, 0) / Math.max(1, each.length) };
}

export interface BenchEngineOptions {
  /** Documents per synthetic template. @default 2 */
  perKind?: number;
  /** Parallel tesseract processes. @default os.availableParallelism() */
  concurrency?: number;
}

export async function benchEngine(opts: BenchEngineOptions = {}): Promise<Row[]> {
  const concurrency = opts.concurrency ?? availableParallelism();
  const { docs, source } = await documents(opts.perKind ?? 2);
  const rows: Row[] = [];
  const n = docs.length;
  const questions = docs.reduce((s, d) => s + d.questions.length, 0);
  const tag = `${n} ${source} docs, ${concurrency} procs`;

  const raw = await timeAll(docs, concurrency, (d) =>
    execa('tesseract', ['stdin', 'stdout', '-l', LANGUAGES, '--psm', String(PSM), 'tsv'], {
      input: d.png,
      env: { OMP_THREAD_LIMIT: '1' },
    }),
  );
  rows.push(
    { bench: 'engine', case: `tesseract CLI, tsv (${tag})`, value: (n / raw.wallMs) * 1000, unit: 'docs/s' },
    { bench: 'engine', case: 'tesseract CLI, tsv: time per doc', value: raw.meanMs, unit: 'ms/doc' },
  );

  const engine = await tesseractEngineFactory.create({
    model: 'tesseract-5',
    params: { languages: LANGUAGES, psm: PSM, concurrency },
  });
  const req = (d: BenchDoc, prompt: string): EngineRequest => ({
    image: { data: d.png, mime: 'image/png' },
    prompt,
    settings: { temperature: 0, maxTokens: 64 },
  });
  // All of a document's questions at once, as the runner sends them: one OCR, shared.
  const cold = await timeAll(docs, concurrency, (d) =>
    Promise.all(d.questions.map((q) => engine.ask(req(d, q)))).then((rs) => {
      const failed = rs.find((r) => r.error);
      if (failed) throw new Error(`benchEngine: ${failed.error?.message}`);
    }),
  );
  rows.push(
    {
      bench: 'engine',
      case: `engine, cold: OCR + ${questions} questions`,
      value: (n / cold.wallMs) * 1000,
      unit: 'docs/s',
    },
    { bench: 'engine', case: 'engine, cold: time per doc', value: cold.meanMs, unit: 'ms/doc' },
    {
      bench: 'engine',
      case: 'engine/CLI throughput',
      value: raw.wallMs / cold.wallMs,
      unit: 'ratio',
    },
  );

  const pairs = docs.flatMap((d) => d.questions.map((q) => ({ d, q })));
  const warm = await timeAll(pairs, concurrency, ({ d, q }) => engine.ask(req(d, q)));
  rows.push({
    bench: 'engine',
    case: 'engine, warm cache: questions',
    value: (pairs.length / warm.wallMs) * 1000,
    unit: 'questions/s',
  });
  await engine.close();
  return rows;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  // No top-level await: the module must also load where it is compiled to CommonJS.
  benchEngine().then(
    (rows) => console.table(rows.map((r) => ({ ...r, value: Number(r.value.toPrecision(4)) }))),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}

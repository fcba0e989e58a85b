import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { scoreItems } from '../../src/metrics/aggregate.js';
import { speedStats } from '../../src/metrics/speed.js';
import { mulberry32 } from '../../src/util/rng.js';

/**
 * Run folders written directly (no model, no OCR) for scale and for content a real engine would not
 * produce (hostile answers, contract fields, thousands of documents). The dataset is real files, and
 * metrics.json is computed by the project's own scoring from the same answers, so the report reads
 * exactly what a run would have written.
 */
export interface SynthDoc {
  docId: string;
  docClass: string;
  split: string;
  image: string;
  fields: {
    questionType: string;
    question: string;
    answer: string;
    /** Every acceptable answer (`answer` first) when the dataset lists several. */
    references?: string[];
    bbox: [number, number, number, number];
  }[];
}

export interface SynthDataset {
  dir: string;
  docs: SynthDoc[];
}

const CLASSES: [string, string[]][] = [
  ['СНИЛС', ['Фамилия', 'Имя', 'Отчество', 'Номер СНИЛС', 'Дата рождения']],
  ['ИНН', ['Фамилия', 'Имя', 'ИНН', 'Дата выдачи', 'Код органа']],
];
const SPLITS = ['clean', 'blur:2', 'noise:3'];
const WORDS = ['ИВАНОВ', 'ПЕТРОВА', 'СИДОРОВ', 'АННА', 'ПЁТР', '112-233-445 95', '01.02.1990', '7701'];

/** A dataset of `docs` documents with 5 fields each over `images` distinct images (reused when fewer). */
export async function writeSynthDataset(
  dir: string,
  opts: {
    docs: number;
    images?: number;
    width?: number;
    height?: number;
    seed?: number;
    /** Further acceptable answers of a value (written to the `answers` column). */
    alternatives?: Record<string, string[]>;
  },
): Promise<SynthDataset> {
  const rand = mulberry32(opts.seed ?? 7);
  const nImages = Math.min(opts.images ?? opts.docs, opts.docs);
  const w = opts.width ?? 800;
  const h = opts.height ?? 560;
  mkdirSync(join(dir, 'images'), { recursive: true });
  for (let i = 0; i < nImages; i++) {
    const hue = Math.floor(rand() * 40);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="rgb(${220 + (hue % 30)},${235 - hue},${220})"/>${[
      0, 1, 2, 3, 4,
    ]
      .map(
        (k) =>
          `<rect x="${60}" y="${80 + k * 90}" width="${300 + ((i * 37 + k * 53) % 300)}" height="44" fill="none" stroke="#333" stroke-width="2"/><text x="70" y="${112 + k * 90}" font-size="28" font-family="sans-serif">ПОЛЕ ${k + 1} · ${i}</text>`,
      )
      .join('')}</svg>`;
    await sharp(Buffer.from(svg))
      .png()
      .toFile(join(dir, 'images', `doc_${i}.png`));
  }
  const docs: SynthDoc[] = [];
  const alt = opts.alternatives ?? {};
  const multi = Object.keys(alt).length > 0;
  const rows = [
    `data_index;split;image_path;question;answer;doc_class;question_type;answer_bbox${multi ? ';answers' : ''}`,
  ];
  const csvQuoted = (v: string) => `"${v.replace(/"/g, '""')}"`;
  for (let d = 0; d < opts.docs; d++) {
    const [docClass, fieldNames] = CLASSES[d % CLASSES.length]!;
    const doc: SynthDoc = {
      docId: `doc_${String(d).padStart(6, '0')}`,
      docClass,
      split: SPLITS[d % SPLITS.length]!,
      image: `images/doc_${d % nImages}.png`,
      fields: fieldNames.map((q, k) => {
        const answer = WORDS[(d + k) % WORDS.length]!;
        return {
          questionType: q,
          question: `Напиши поле «${q}».`,
          answer,
          ...(alt[answer] ? { references: [answer, ...alt[answer]] } : {}),
          bbox: [60, 80 + k * 90, 360 + ((d * 37 + k * 53) % 300), 124 + k * 90] as [
            number,
            number,
            number,
            number,
          ],
        };
      }),
    };
    docs.push(doc);
    for (const f of doc.fields) {
      rows.push(
        [
          doc.docId,
          doc.split,
          doc.image,
          f.question,
          f.answer,
          docClass,
          f.questionType,
          JSON.stringify(f.bbox),
          ...(multi ? [f.references ? csvQuoted(JSON.stringify(f.references)) : ''] : []),
        ].join(';'),
      );
    }
  }
  writeFileSync(join(dir, 'annotation.csv'), `\ufeff${rows.join('\n')}\n`);
  return { dir, docs };
}

export interface SynthTaskOptions {
  framework: string;
  model: string;
  /** Probability a field is answered wrongly (one character changed). @default 0.2 */
  errorRate?: number;
  /** Probability a request fails (an error record). @default 0 */
  failRate?: number;
  /** Mean model milliseconds per field. @default 100 */
  latencyMs?: number;
  longSide?: number;
  promptCollection?: string;
  /** Replace the answer of item `id` (e.g. a hostile string). */
  answers?: Record<number, string>;
  /** Items answered from the answer cache (`extra.cache: 'hit'`, the original request's latency). */
  cached?: number[];
  /** Extra keys merged into metrics.json (the result contract's newer fields). */
  contract?: Record<string, unknown>;
  seed?: number;
}

function mutate(s: string, r: number): string {
  const i = Math.floor(r * s.length);
  return `${s.slice(0, i)}${s[i] === 'О' ? '0' : 'О'}${s.slice(i + 1)}`;
}

/** One task's run folder over a synthesised dataset: task.json, answers.jsonl, metrics.json, sessions.json. */
export function writeSynthRun(runDir: string, ds: SynthDataset, o: SynthTaskOptions): void {
  const rand = mulberry32(o.seed ?? 11);
  mkdirSync(runDir, { recursive: true });
  const metrics = ['cer', 'wer', 'bleu', 'anls', 'exact_match', 'doc_all_correct'];
  const aggregators = ['by_doc_question', 'by_doc_type', 'by_split', 'overall'];
  const task = {
    index: 0,
    source: { file: 'synth' },
    datasetDir: ds.dir,
    dataset: 'synth',
    task: 'VQA',
    framework: o.framework,
    model: o.model,
    metrics,
    onlyEvaluateMetrics: false,
    aggregators,
    ...(o.longSide !== undefined ? { longSide: o.longSide } : {}),
    ...(o.promptCollection ? { promptCollectionFile: `/prompts/${o.promptCollection}` } : {}),
    dataRoot: runDir,
    answersDir: join(runDir, 'ModelsAnswers'),
    metricsDir: join(runDir, 'ModelsMetrics'),
    reportsDir: join(runDir, 'Reports'),
    runDir,
    fingerprint: 'synth',
  };
  writeFileSync(join(runDir, 'task.json'), `${JSON.stringify(task, null, 2)}\n`);
  const lines: string[] = [];
  const items = [];
  const speed = [];
  let id = 0;
  const start = Date.parse('2026-11-30T10:00:00Z');
  for (const doc of ds.docs) {
    for (const f of doc.fields) {
      const failed = rand() < (o.failRate ?? 0) && o.answers?.[id] === undefined && !o.cached?.includes(id);
      const wrong = rand() < (o.errorRate ?? 0.2);
      const answer = failed ? null : (o.answers?.[id] ?? (wrong ? mutate(f.answer, rand()) : f.answer));
      const latencyMs = Math.round((o.latencyMs ?? 100) * (0.3 + 1.4 * rand()) * 10) / 10;
      const rec = {
        id,
        docId: doc.docId,
        docClass: doc.docClass,
        questionType: f.questionType,
        prompt: f.question,
        answer,
        error: failed ? { code: 'timeout', message: 'request timed out after 60 s' } : null,
        latencyMs,
        framework: o.framework,
        model: o.model,
        settings: {
          temperature: 0,
          maxTokens: 256,
          seed: 0,
          ...(o.longSide ? { longSide: o.longSide } : {}),
        },
        at: new Date(start + id * 100).toISOString(),
        attempt: 1,
        ...(o.cached?.includes(id)
          ? { extra: { cache: 'hit', cachedAt: new Date(start).toISOString() } }
          : {}),
      };
      lines.push(JSON.stringify(rec));
      items.push({
        id,
        docId: doc.docId,
        docClass: doc.docClass,
        questionType: f.questionType,
        reference: f.answer,
        ...(f.references ? { references: f.references } : {}),
        prediction: answer,
        split: doc.split,
      });
      speed.push({ docId: doc.docId, latencyMs, failed });
      id++;
    }
  }
  writeFileSync(join(runDir, 'answers.jsonl'), `${lines.join('\n')}\n`);
  const scored = scoreItems(items, { metrics, aggregators });
  const stats = speedStats(speed, (id * (o.latencyMs ?? 100)) / 1000 / 4);
  const json = {
    task: { dataset: 'synth', framework: o.framework, model: o.model, metrics, aggregators },
    ...scored.groups,
    normalization: scored.normalization,
    speed: stats,
    server: { url: 'http://127.0.0.1:8000/v1', version: `${o.framework}-synth-1.0`, models: [o.model] },
    ...(o.contract ?? {}),
  };
  writeFileSync(join(runDir, 'metrics.json'), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(
    join(runDir, 'sessions.json'),
    `${JSON.stringify({ sessions: [{ startedAt: new Date(start).toISOString(), endedAt: new Date(start + id * 100).toISOString(), asked: id, seconds: id / 10 }] })}\n`,
  );
}

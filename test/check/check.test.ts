import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAnswerDate } from '../../src/check/dates.js';
import { checkAnswers, validityRates } from '../../src/check/validity.js';
import { loadDataset } from '../../src/dataset/load.js';
import type { Sample } from '../../src/dataset/types.js';
import { generateDataset } from '../../src/synth/generate.js';
import { vlmhb } from '../helpers/cli.js';

const root = await mkdtemp(path.join(tmpdir(), 'vlmhb-check-'));
afterAll(() => rm(root, { recursive: true, force: true }));
const datasetDir = path.join(root, 'synth');
let samples: Sample[] = [];

/** A valid answer turned into an invalid one of a given reason: what a bad model would write. */
interface Injection {
  questionType: string;
  value: (truth: string, s: Sample) => string;
  reason: string;
}

const MONTHS = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
];
const breakLastDigit = (v: string) => v.slice(0, -1) + String((Number(v.at(-1)) + 1) % 10);

const INJECTIONS: Injection[] = [
  { questionType: 'Номер СНИЛС', value: breakLastDigit, reason: 'checksum' },
  { questionType: 'Номер СНИЛС', value: (v) => v.slice(0, 9), reason: 'format' },
  { questionType: 'ИНН', value: breakLastDigit, reason: 'checksum' },
  { questionType: 'ИНН', value: (v) => v.slice(0, 7), reason: 'format' },
  { questionType: 'ИНН продавца', value: breakLastDigit, reason: 'checksum' },
  { questionType: 'КПП продавца', value: (v) => `${v}1`, reason: 'format' },
  { questionType: 'КПП покупателя', value: () => '77-01-001', reason: 'format' },
  { questionType: 'Дата рождения', value: () => '31.02.1990', reason: 'date_unparsable' },
  { questionType: 'Дата рождения', value: () => '12.05.1850', reason: 'date_implausible' },
  { questionType: 'Дата счёта-фактуры', value: () => '01.01.2999', reason: 'date_implausible' },
  { questionType: 'Дата выдачи', value: () => '01.01.1901', reason: 'date_order' },
  { questionType: 'Дата регистрации', value: () => '02.01.1901', reason: 'date_order' },
  { questionType: 'Серия и номер паспорта', value: (v) => v.replace(/ /g, '').slice(0, 8), reason: 'format' },
  { questionType: 'Код подразделения', value: (v) => v.replace('-', ''), reason: 'format' },
  { questionType: 'Код налогового органа', value: () => '77A', reason: 'format' },
  { questionType: 'Фамилия', value: () => '', reason: 'empty' },
  {
    questionType: 'Имя',
    value: () => 'Извините, я не могу прочитать имя на этом изображении.',
    reason: 'refusal',
  },
  { questionType: 'Отчество', value: () => 'I cannot read this field.', reason: 'refusal' },
  {
    questionType: 'Номер СНИЛС',
    value: (v) => `Номер страхового свидетельства, указанный в документе, выглядит так: ${v}`,
    reason: 'explanation',
  },
  { questionType: 'Фамилия', value: () => 'Ив4нов', reason: 'format' },
  { questionType: 'Пол', value: () => 'мужчина', reason: 'format' },
  { questionType: 'Всего к оплате', value: () => '12 34,5 руб', reason: 'format' },
  {
    questionType: 'Место рождения',
    value: () => 'На изображении указано место рождения: г. Москва',
    reason: 'explanation',
  },
  { questionType: 'Серия и номер бланка', value: () => '77 12345', reason: 'format' },
];

interface Line {
  id: number;
  docId: string;
  docClass: string;
  questionType: string;
  prompt: string;
  answer: string | null;
  error: { code: string; message: string } | null;
  latencyMs: number;
}

let lines: Line[] = [];
const injected = new Map<number, string>();
let failedId = -1;
const reformatted = new Set<number>();

beforeAll(async () => {
  await generateDataset({
    docs: ['snils', 'snils_adi_reg', 'inn', 'passport', 'invoice'],
    count: 2,
    seed: 5,
    augment: [],
    out: datasetDir,
    workers: 0,
  });
  samples = (await loadDataset(datasetDir)).samples;
  lines = samples.map((s) => ({
    id: s.id,
    docId: s.docId,
    docClass: s.docClass,
    questionType: s.questionType,
    prompt: s.question,
    answer: s.answer,
    error: null,
    latencyMs: 1,
  }));
  // A date-order injection needs its document's birth date intact, so it avoids documents whose birth
  // date was broken; otherwise any not-yet-injected line of the field will do.
  const brokenBirth = new Set<string>();
  for (const inj of INJECTIONS) {
    const line = lines.find(
      (l) =>
        l.questionType === inj.questionType &&
        !injected.has(l.id) &&
        (inj.reason !== 'date_order' || !brokenBirth.has(l.docId)),
    );
    if (!line) throw new Error(`no free line with field ${inj.questionType}`);
    if (inj.questionType === 'Дата рождения') brokenBirth.add(line.docId);
    line.answer = inj.value(line.answer as string, samples[line.id] as Sample);
    injected.set(line.id, inj.reason);
  }
  // Valid answers in other spellings stay valid: «16 сентября 1990 года», a bare 11-digit СНИЛС.
  for (const l of lines) {
    if (injected.has(l.id)) continue;
    if (l.questionType === 'Дата рождения' && reformatted.size < 3) {
      const [d, m, y] = (l.answer as string).split('.').map(Number) as [number, number, number];
      l.answer = `${d} ${MONTHS[m - 1]} ${y} года`;
      reformatted.add(l.id);
    }
  }
  const ok = lines.find((l) => !injected.has(l.id) && !reformatted.has(l.id)) as Line;
  ok.answer = null;
  ok.error = { code: 'timeout', message: 'fake timeout' };
  failedId = ok.id;
  await writeFile(path.join(root, 'answers.jsonl'), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  await writeFile(
    path.join(root, 'answers.csv'),
    `\ufeffid;model_answer\n${lines
      .filter((l) => l.error === null)
      .map((l) => `${l.id};"${(l.answer as string).replace(/"/g, '""')}"`)
      .join('\n')}\n`,
  );
}, 120_000);

describe('label-free answer checks', () => {
  it('finds every injected invalid value with its reason and flags none of the valid ones', () => {
    const report = checkAnswers(
      lines.map((l) => ({ ...l })),
      { now: new Date() },
    );
    const found = new Map(report.invalid.map((x) => [Number(x.id), x.reason]));
    expect(found).toEqual(injected);
    expect(report.overall.failed).toBe(1);
    expect(report.overall.checked).toBe(lines.length - 1);
    expect(report.overall.invalid).toBe(INJECTIONS.length);
    expect(report.overall.rate).toBeCloseTo((lines.length - 1 - INJECTIONS.length) / (lines.length - 1), 12);
    // Every reason the checks know was exercised.
    expect(new Set(found.values())).toEqual(
      new Set([
        'empty',
        'refusal',
        'explanation',
        'format',
        'checksum',
        'date_unparsable',
        'date_implausible',
        'date_order',
      ]),
    );
  });

  it('validityRates gives the same numbers from a run’s records and the dataset', () => {
    const r = validityRates(lines, samples);
    expect(r.overall.invalid).toBe(INJECTIONS.length);
    expect(r.by_field['snils Номер СНИЛС']?.by_reason.checksum).toBe(1);
    expect(r.overall.failed).toBe(1);
    expect(r.invalid.some((x) => x.id === failedId)).toBe(false);
  });

  it('parses Russian long dates and rejects impossible ones', () => {
    expect(parseAnswerDate('16 сентября 1990 года')).toEqual({ y: 1990, m: 9, d: 16 });
    expect(parseAnswerDate('1 мая 2001 г.')).toEqual({ y: 2001, m: 5, d: 1 });
    expect(parseAnswerDate('16.09.1990')).toEqual({ y: 1990, m: 9, d: 16 });
    expect(parseAnswerDate('30 февраля 1990')).toBeUndefined();
    expect(parseAnswerDate('16 сентебря 1990')).toBeUndefined();
  });

  it('vlmhb check reads answers.jsonl and prints per-field rates with the failing examples', async () => {
    const r = await vlmhb(['check', '--answers', path.join(root, 'answers.jsonl'), '--json']);
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(String(r.stdout));
    expect(new Set(report.invalid.map((x: { id: number }) => x.id))).toEqual(new Set(injected.keys()));
    const md = await vlmhb(['check', '--answers', path.join(root, 'answers.jsonl')]);
    expect(String(md.stdout)).toContain('| **overall** |');
    expect(String(md.stdout)).toContain('Извините');
  });

  it('vlmhb check reads the original id;model_answer CSV with --dataset, and needs it', async () => {
    const r = await vlmhb([
      'check',
      '--answers',
      path.join(root, 'answers.csv'),
      '--dataset',
      datasetDir,
      '--json',
    ]);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(String(r.stdout)).overall.invalid).toBe(INJECTIONS.length);
    const bad = await vlmhb(['check', '--answers', path.join(root, 'answers.csv')]);
    expect(bad.exitCode).toBe(2);
    expect(String(bad.stderr)).toMatch(/needs --dataset/);
  });

  it('names the row of a broken line in answers.jsonl and tolerates a torn last line', async () => {
    const text = await readFile(path.join(root, 'answers.jsonl'), 'utf8');
    const torn = path.join(root, 'torn.jsonl');
    await writeFile(torn, `${text}{"id": 9999, "answ`);
    const ok = await vlmhb(['check', '--answers', torn, '--json']);
    expect(ok.exitCode).toBe(0);
    const broken = path.join(root, 'broken.jsonl');
    await writeFile(broken, `${text.split('\n').slice(0, 2).join('\n')}\nnot json\n`);
    const bad = await vlmhb(['check', '--answers', broken]);
    expect(bad.exitCode).toBe(2);
    expect(String(bad.stderr)).toMatch(/broken\.jsonl, row 3/);
  });
});

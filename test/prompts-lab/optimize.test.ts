import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPromptCollection } from '../../src/prompts/collection.js';
import { startFaultServer } from '../fixtures/fault-server.js';
import { type ScriptedGenerator, startScriptedGenerator } from '../fixtures/scripted-generator.js';
import { BIN, ROOT, vlmhb } from '../helpers/cli.js';
import { SNILS_DOCS, writeMiniDataset } from '../helpers/mini-dataset.js';

const root = await mkdtemp(path.join(tmpdir(), 'vlmhb-optimize-'));
const FIELDS = ['СНИЛС Фамилия', 'СНИЛС Имя', 'СНИЛС Номер СНИЛС'];
// Vague wordings first: the embedded engine answers them badly, so the loop has to keep searching.
const SCRIPT: Record<string, string[]> = {
  'СНИЛС Фамилия': ['Что тут?', 'Прочитай текст', 'Напиши фамилию', 'Какая фамилия?'],
  'СНИЛС Имя': ['Что видно?', 'Назови слово', 'Прочитай'],
  'СНИЛС Номер СНИЛС': ['Напиши номер СНИЛС'],
};
let gen: ScriptedGenerator;
const dataset = path.join(root, 'data');
const start = path.join(root, 'start.csv');

beforeAll(async () => {
  writeMiniDataset(dataset, SNILS_DOCS);
  await writeFile(
    start,
    `\ufeffprompt;doc_class_question_type\n${FIELDS.map((f) => `Что написано?;${f}`).join('\n')}\n`,
  );
  gen = await startScriptedGenerator(SCRIPT);
});
afterAll(async () => {
  await gen.close();
  await rm(root, { recursive: true, force: true });
});

const args = (out: string, extra: string[] = []) => [
  'prompts',
  'optimize',
  '--dataset',
  dataset,
  '--framework',
  'tesseract',
  '--generator-url',
  gen.url,
  '--generator-model',
  'scripted-stand-in',
  '--start',
  start,
  '--attempts',
  '3',
  '--threshold',
  '0.3',
  '--out',
  out,
  '--cache-file',
  path.join(root, 'cache.jsonl'),
  ...extra,
];

interface Attempt {
  field: string;
  attempt: number;
  prompt: string;
  cer: number;
  elapsed_s: number;
  wrong: { expected: string; got: string }[];
}
const attemptsOf = async (out: string): Promise<Attempt[]> =>
  (await readFile(path.join(out, 'attempts.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Attempt);

describe('vlmhb prompts optimize', () => {
  it('searches per field until the threshold or the attempt limit, logs every attempt, keeps the best', async () => {
    const out = path.join(root, 'run1');
    const r = await vlmhb([...args(out), '--json']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const res = JSON.parse(String(r.stdout));
    expect(res.complete).toBe(true);
    // Фамилия: vague, vague, then «Напиши фамилию» gets under the threshold: early stop, the 4th is never asked.
    expect(res.fields['СНИЛС Фамилия']).toMatchObject({ stop: 'threshold', attempts: 3 });
    expect(res.fields['СНИЛС Фамилия'].best.prompt).toBe('Напиши фамилию');
    // Имя: three vague proposals, none under the threshold: stops at the limit with the best of them.
    expect(res.fields['СНИЛС Имя']).toMatchObject({ stop: 'attempts', attempts: 3 });
    expect(res.fields['СНИЛС Номер СНИЛС']).toMatchObject({ stop: 'threshold', attempts: 1 });
    const log = await attemptsOf(out);
    expect(log).toHaveLength(1 + 3 + 1 + 3 + 1 + 1);
    // The chosen prompt per field is the lowest-CER attempt of that field.
    const chosen = await loadPromptCollection(path.join(out, 'best.csv'));
    for (const f of FIELDS) {
      const mine = log.filter((a) => a.field === f);
      const min = Math.min(...mine.map((a) => a.cer));
      expect(mine.find((a) => a.prompt === chosen.prompts.get(f))?.cer, f).toBe(min);
    }
    // The generator saw the wrong answers with the expected values.
    const first = gen.requests.find((q) => q.field === 'СНИЛС Фамилия');
    expect(first?.user).toMatch(/expected «Иванов», got «/);
    // The merged system prompt was tried and scored against the per-field prompts.
    // The per-field run's corpus CER is the fields' best CERs weighted by their reference lengths.
    const refLen = (qt: string) =>
      SNILS_DOCS.flatMap((d) => d.fields.filter((x) => x.questionType === qt)).reduce(
        (t, x) => t + [...x.value].length,
        0,
      );
    const lens = FIELDS.map((f) => refLen(f.slice('СНИЛС '.length)));
    const expected =
      FIELDS.reduce((t, f, i) => t + res.fields[f].best.cer * (lens[i] as number), 0) /
      lens.reduce((a, b) => a + b, 0);
    expect(res.merged.perFieldCer).toBeCloseTo(expected, 12);
    // The merged prompt's CER is its own run's, over every field; the system prompt holds each best prompt.
    const mergedRun = JSON.parse(await readFile(path.join(res.merged.runDir, 'metrics.json'), 'utf8'));
    expect(res.merged.cer).toBeCloseTo(mergedRun.overall.cer, 12);
    expect(mergedRun.status).toMatchObject({ complete: true, total: 9 });
    const system = await readFile(res.merged.systemPromptFile, 'utf8');
    for (const f of FIELDS) expect(system).toContain(`- ${f}: ${res.fields[f].best.prompt}`);
    const text = await vlmhb(args(out));
    expect(String(text.stdout)).toMatch(/merged system prompt: CER \d\.\d{4} vs per-field prompts \d\.\d{4}/);
    // Wrong answers are those the CER counts as wrong, each with its expected value.
    for (const a of log)
      for (const w of a.wrong)
        expect(w.got.trim().toLowerCase(), a.prompt).not.toBe(w.expected.toLowerCase());
  }, 300_000);

  it('respects the request budget and resumes from the log after kill -9', async () => {
    const out = path.join(root, 'run2');
    // A budget of 2 generator requests: stops incomplete, and says so.
    const b = await vlmhb([...args(out, ['--max-requests', '2']), '--json']);
    expect(b.exitCode).toBe(0);
    expect(JSON.parse(String(b.stdout))).toMatchObject({
      complete: false,
      stopped: 'requests',
      generatorRequests: 2,
    });
    // Continue without a budget, and kill it with SIGKILL once a new attempt is logged.
    const before = (await attemptsOf(out)).length;
    const child = execa(process.execPath, [BIN, ...args(out)], { cwd: ROOT, reject: false });
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(async () => {
        const n = existsSync(path.join(out, 'attempts.jsonl')) ? (await attemptsOf(out)).length : 0;
        if (n >= before + 2) {
          clearInterval(t);
          resolve();
        }
      }, 100);
      child.on('exit', () => {
        clearInterval(t);
        reject(new Error('optimize ended before it was killed'));
      });
    });
    child.kill('SIGKILL');
    expect((await child).signal).toBe('SIGKILL');
    const r = await vlmhb([...args(out), '--json']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const res = JSON.parse(String(r.stdout));
    expect(res.complete).toBe(true);
    // Resumed, not restarted: every (field, attempt) once, the same attempts as the uninterrupted run.
    const log = await attemptsOf(out);
    // The time budget's clock runs on over the sessions: it never goes back at a resume.
    for (let i = 1; i < log.length; i++)
      expect(log[i]?.elapsed_s).toBeGreaterThanOrEqual(log[i - 1]?.elapsed_s as number);
    const keys = log.map((a) => `${a.field}#${a.attempt}`);
    expect(new Set(keys).size).toBe(keys.length);
    const full = await attemptsOf(path.join(root, 'run1'));
    expect(log.map((a) => [a.field, a.attempt, a.prompt])).toEqual(
      full.map((a) => [a.field, a.attempt, a.prompt]),
    );
    expect(res.fields['СНИЛС Фамилия'].best.prompt).toBe('Напиши фамилию');
    // The first test asked these same prompts with the same cache file: every answer here came from it.
    for (const a of log as (Attempt & { runDir: string })[]) {
      const answers = (await readFile(path.join(a.runDir, 'answers.jsonl'), 'utf8'))
        .split('\n')
        .filter(Boolean);
      expect(answers.length, a.runDir).toBeGreaterThan(0);
      for (const l of answers) expect(JSON.parse(l).extra?.cache, a.runDir).toBe('hit');
    }
  }, 300_000);

  it('respects the time budget over every session, and says so', async () => {
    const out = path.join(root, 'run3');
    const r = await vlmhb([...args(out, ['--max-minutes', '0']), '--json']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const res = JSON.parse(String(r.stdout));
    // The starting prompt of the first field is scored; then the budget is spent before any proposal.
    expect(res).toMatchObject({ complete: false, stopped: 'time', generatorRequests: 0, merged: null });
    expect(res.fields['СНИЛС Фамилия']).toMatchObject({ stop: 'budget', attempts: 0 });
    expect(await attemptsOf(out)).toHaveLength(1);
    expect(String(r.stderr)).toMatch(/stopped by the time budget; rerun the same command to continue/);
    // A second session with a budget smaller than the time already spent stops at once, asking nothing.
    const spent = (await attemptsOf(out))[0]?.elapsed_s as number;
    expect(spent).toBeGreaterThan(0);
    const again = await vlmhb([...args(out, ['--max-minutes', String(spent / 60 / 2)]), '--json']);
    expect(JSON.parse(String(again.stdout))).toMatchObject({ stopped: 'time', generatorRequests: 0 });
    expect(await attemptsOf(out)).toHaveLength(1);
  }, 120_000);

  it('defaults to 20 proposals per field and an early stop below CER 0.3', async () => {
    const out = path.join(root, 'defaults');
    const a = args(out);
    for (const flag of ['--attempts', '--threshold']) a.splice(a.indexOf(flag), 2);
    const r = await vlmhb([...a, '--json']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const res = JSON.parse(String(r.stdout));
    // Имя never gets under 0.3 with the scripted wordings: it uses all 20 proposals.
    expect(res.fields['СНИЛС Имя']).toMatchObject({ stop: 'attempts', attempts: 20 });
    expect(res.fields['СНИЛС Имя'].best.cer).toBeGreaterThanOrEqual(0.3);
    // Фамилия stops at the first proposal under 0.3, as with --threshold 0.3 above.
    expect(res.fields['СНИЛС Фамилия']).toMatchObject({ stop: 'threshold', attempts: 3 });
    expect(res.fields['СНИЛС Фамилия'].best.cer).toBeLessThan(0.3);
    expect((await attemptsOf(out)).filter((x) => x.field === 'СНИЛС Имя')).toHaveLength(21);
  }, 300_000);

  it('takes a failed generator call for an error, never a prompt, and keeps what was scored', async () => {
    const out = path.join(root, 'no-generator');
    const a = args(out);
    // Nothing listens on port 9 of 127.0.0.1.
    a[a.indexOf('--generator-url') + 1] = 'http://127.0.0.1:9/v1';
    const r = await vlmhb(a);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toMatch(
      /prompt generator at http:\/\/127\.0\.0\.1:9\/v1\/chat\/completions unreachable/,
    );
    const log = await attemptsOf(out);
    expect(log.map((x) => [x.field, x.attempt])).toEqual([['СНИЛС Фамилия', 0]]);
    expect(existsSync(path.join(out, 'optimize.json'))).toBe(false);
  }, 120_000);

  it('does not log an attempt whose answering requests failed; the rerun scores it again', async () => {
    // A FAKE OpenAI-compatible answering server (not a model), failing at first with a wrong-shaped body.
    const server = await startFaultServer({ mode: 'wrong-shape' });
    try {
      const out = path.join(root, 'failing-answers');
      const a = args(out, ['--attempts', '1', '--no-cache']);
      a.splice(a.indexOf('--cache-file'), 2);
      a.splice(a.indexOf('tesseract'), 1, 'openai', '--model', 'fake', '--base-url', server.baseUrl);
      const bad = await vlmhb(a);
      expect(bad.exitCode).toBe(1);
      expect(String(bad.stderr)).toMatch(/СНИЛС Фамилия: 3 failed request\(s\) \(bad_response ×3\)/);
      expect(existsSync(path.join(out, 'attempts.jsonl')) ? await attemptsOf(out) : []).toEqual([]);
      server.set({ mode: 'ok', answer: 'Иванов' });
      const good = await vlmhb([...a, '--json']);
      expect(good.exitCode, String(good.stderr)).toBe(0);
      const log = await attemptsOf(out);
      expect(log[0]).toMatchObject({ field: 'СНИЛС Фамилия', attempt: 0, prompt: 'Что написано?' });
      // Scored on real answers: «Иванов» is right for one of the three documents.
      expect(log[0]?.wrong).toHaveLength(2);
    } finally {
      await server.close();
    }
  }, 120_000);

  it('pays for a proposal once: one whose scoring failed is scored on rerun without asking again', async () => {
    const server = await startFaultServer({ mode: 'ok', answer: 'Иванов' });
    // The answering server (FAKE, not a model) breaks the moment the generator is first asked, once.
    let broken = false;
    const breaking = await startScriptedGenerator(SCRIPT, () => {
      if (!broken) server.set({ mode: 'wrong-shape' });
      broken = true;
    });
    try {
      const out = path.join(root, 'paid-once');
      const a = args(out, ['--attempts', '1', '--no-cache']);
      a.splice(a.indexOf('--cache-file'), 2);
      a.splice(a.indexOf('tesseract'), 1, 'openai', '--model', 'fake', '--base-url', server.baseUrl);
      a[a.indexOf('--generator-url') + 1] = breaking.url;
      const bad = await vlmhb(a);
      expect(bad.exitCode).toBe(1);
      expect(String(bad.stderr)).toMatch(
        /СНИЛС Фамилия, attempt 1\) needs every item answered.*3 failed request/,
      );
      expect(breaking.requests).toHaveLength(1);
      expect((await attemptsOf(out)).map((x) => x.attempt)).toEqual([0]);
      server.set({ mode: 'ok', answer: 'Иванов' });
      const good = await vlmhb([...a, '--max-requests', '3', '--json']);
      expect(good.exitCode, String(good.stderr)).toBe(0);
      const res = JSON.parse(String(good.stdout));
      // Фамилия's proposal was paid for in the first session and scored now; Имя and Номер cost one each.
      expect(breaking.requests.map((q) => q.field)).toEqual([
        'СНИЛС Фамилия',
        'СНИЛС Имя',
        'СНИЛС Номер СНИЛС',
      ]);
      expect(res).toMatchObject({ complete: true, generatorRequests: 3 });
      const log = await attemptsOf(out);
      expect(log.find((x) => x.field === 'СНИЛС Фамилия' && x.attempt === 1)?.prompt).toBe('Что тут?');
    } finally {
      await breaking.close();
      await server.close();
    }
  }, 120_000);
});

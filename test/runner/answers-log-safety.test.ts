import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { type AnswerRecord, AnswersLog } from '../../src/runner/answers-log.js';
import { startFaultServer } from '../fixtures/fault-server.js';
import { BIN, ROOT } from '../helpers/cli.js';
import { type MiniDoc, writeMiniDataset } from '../helpers/mini-dataset.js';

function rec(id: number, answer: string): AnswerRecord {
  return {
    id,
    docId: `d${id}`,
    docClass: 'snils',
    questionType: 'Фамилия',
    prompt: 'Напиши фамилию',
    answer,
    error: null,
    latencyMs: 5,
    framework: 'fake',
    model: 'm',
    settings: {},
    at: new Date(0).toISOString(),
    attempt: 1,
  };
}

const docs: MiniDoc[] = Array.from({ length: 10 }, (_, i) => ({
  docId: `doc_${i}`,
  docClass: 'СНИЛС',
  fields: [
    { questionType: 'Фамилия', label: 'Фамилия', value: 'Иванов', question: 'Напиши фамилию' },
    { questionType: 'Имя', label: 'Имя', value: 'Пётр', question: 'Напиши имя' },
  ],
}));

const parsed = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as AnswerRecord);

describe('answers.jsonl survives bad lines', () => {
  it('keeps every valid line after an unparsable one and moves the bad line aside', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vlmhb-log-'));
    const file = join(dir, 'answers.jsonl');
    const lines = [rec(0, 'А'), rec(1, 'Б')].map((r) => JSON.stringify(r));
    const garbage = '{"id":2,"docId":"d2","answ'; // a torn write another writer followed
    const later = [rec(3, 'В'), rec(4, 'Г')].map((r) => JSON.stringify(r));
    writeFileSync(file, `${[...lines, garbage, 'not json at all', ...later].join('\n')}\n`);
    const notices: string[] = [];
    const log = AnswersLog.open(file, { onNotice: (m) => notices.push(m) });
    expect(log.records().map((r) => r.id)).toEqual([0, 1, 3, 4]);
    expect(log.quarantined).toBe(2);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/2 unreadable lines moved to .*answers\.jsonl\.bad; 4 answers kept/);
    log.append(rec(2, 'Д'));
    log.close();
    expect(readFileSync(`${file}.bad`, 'utf8')).toBe(`${garbage}\nnot json at all\n`);
    expect(parsed(file).map((r) => r.id)).toEqual([0, 1, 3, 4, 2]);
    const again = AnswersLog.open(file);
    expect(again.quarantined).toBe(0);
    expect(again.records()).toHaveLength(5);
    again.close();
  });

  it('moves a torn last line (no newline) aside instead of dropping it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vlmhb-log-')), 'answers.jsonl');
    writeFileSync(file, `${JSON.stringify(rec(0, 'А'))}\n{"id":1,"do`);
    const log = AnswersLog.open(file);
    expect(log.records().map((r) => r.id)).toEqual([0]);
    expect(log.quarantined).toBe(1);
    log.close();
    expect(readFileSync(`${file}.bad`, 'utf8')).toBe('{"id":1,"do\n');
  });

  it('refuses a second open of the same run folder while the first holds it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vlmhb-log-')), 'answers.jsonl');
    const a = AnswersLog.open(file);
    expect(() => AnswersLog.open(file)).toThrow(
      expect.objectContaining({
        code: 'VLMHB_RUN_LOCKED',
        message: expect.stringMatching(/process \d+ on /),
      }),
    );
    a.close();
    AnswersLog.open(file).close();
  });
});

describe('answers.jsonl with real processes', () => {
  it('a failed append (file-size limit, as disk full) fails the run with exit 1 and keeps what was written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vlmhb-full-'));
    const dataset = writeMiniDataset(join(dir, 'ds'), docs);
    const out = join(dir, 'run');
    // `ulimit -f 3`: any file past 3 KiB fails with EFBIG, as a full disk fails with ENOSPC.
    const cmd = `trap '' XFSZ; ulimit -f 3; exec "${process.execPath}" "${BIN}" run --dataset "${dataset}" --framework tesseract --out "${out}" --concurrency 1`;
    const r = await execa('bash', ['-c', cmd], { cwd: ROOT, reject: false });
    expect(r.exitCode, String(r.stderr)).toBe(1);
    expect(r.stderr).toMatch(/VLMHB_ANSWERS_WRITE_FAILED.*answers\.jsonl \(EFBIG\)/);
    expect(existsSync(join(out, 'metrics.json'))).toBe(false);
    const written = readFileSync(join(out, 'answers.jsonl'), 'utf8').split('\n');
    const whole = written.slice(0, -1).map((l) => JSON.parse(l) as AnswerRecord);
    expect(whole.length).toBeGreaterThan(0);
    expect(whole.length).toBeLessThan(20);
    // A rerun without the limit keeps them and asks only the rest.
    const rerun = await execa(
      process.execPath,
      [BIN, 'run', '--dataset', dataset, '--framework', 'tesseract', '--out', out, '--json'],
      { cwd: ROOT, reject: false },
    );
    expect(rerun.exitCode, String(rerun.stderr)).toBe(0);
    expect(JSON.parse(String(rerun.stdout)).tasks[0].asked).toBe(20 - whole.length);
    const ids = parsed(join(out, 'answers.jsonl')).map((x) => x.id);
    expect(new Set(ids).size).toBe(20);
    expect(ids).toHaveLength(20);
  }, 120_000);

  it('a second run into the same --out fails at once and names the first process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vlmhb-lock-'));
    const dataset = writeMiniDataset(join(dir, 'ds'), docs);
    const out = join(dir, 'run');
    // A slow server keeps the first run busy for seconds, whatever the machine's load.
    const server = await startFaultServer({ mode: 'slow', delayMs: 80, answer: 'Иванов' });
    try {
      const args = [
        BIN,
        'run',
        '--dataset',
        dataset,
        '--framework',
        'vllm',
        '--model',
        'm',
        '--base-url',
        server.baseUrl,
        '--out',
        out,
        '--concurrency',
        '1',
        // The ten pages are identical images: the answer cache would rightly serve all but the first two
        // questions; this test counts that every item is asked once, so it asks the server each time.
        '--no-cache',
      ];
      const first = execa(process.execPath, args, { cwd: ROOT, reject: false });
      const deadline = Date.now() + 60_000;
      while (!existsSync(join(out, 'run.lock.json')) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      const second = await execa(process.execPath, args, { cwd: ROOT, reject: false });
      const firstDone = await first;
      expect(firstDone.exitCode, String(firstDone.stderr)).toBe(0);
      expect(second.exitCode, String(second.stderr)).toBe(2);
      expect(second.stderr).toContain('VLMHB_RUN_LOCKED');
      expect(second.stderr).toMatch(new RegExp(`in use by process ${first.pid} on \\S+, started \\d{4}-`));
      const ids = parsed(join(out, 'answers.jsonl')).map((x) => x.id);
      expect(ids).toHaveLength(20);
      expect(new Set(ids).size).toBe(20);
      expect(server.requests.filter((q) => q.path.endsWith('/chat/completions'))).toHaveLength(20);
      expect(existsSync(join(out, 'run.lock'))).toBe(false);
    } finally {
      await server.close();
    }
  }, 120_000);
});

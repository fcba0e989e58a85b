import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vlmhb } from '../helpers/cli.js';
import { writeMiniDataset } from '../helpers/mini-dataset.js';

describe('vlmhb eval', () => {
  it("scores the original's answers file against an annotation whose images are absent", async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-eval-'));
    const full = writeMiniDataset(join(root, 'full'));
    // Only the annotation travels: no images at all, as when a colleague sends results to re-score.
    const bare = join(root, 'bare');
    mkdirSync(bare);
    copyFileSync(join(full, 'annotation.csv'), join(bare, 'annotation.csv'));
    expect(readdirSync(bare)).toEqual(['annotation.csv']);
    const answers = join(root, 'answers.csv');
    writeFileSync(answers, '\ufeffid;model_answer\n0;Иванов\n1;Пётр\n2;112-233-445 95\n');
    const r = await vlmhb(['eval', '--dataset', bare, '--answers', answers, '--json']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const out = JSON.parse(String(r.stdout));
    expect(out.overall.n).toBeGreaterThan(0);
    expect(typeof out.overall.cer).toBe('number');
  });

  it("scores the tool's own answers.jsonl (the same numbers as the run's original-format CSV)", async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-eval-'));
    const dataset = writeMiniDataset(join(root, 'ds'));
    const out = join(root, 'run');
    const run = await vlmhb(['run', '--dataset', dataset, '--framework', 'tesseract', '--out', out]);
    expect(run.exitCode, String(run.stderr)).toBe(0);
    const fromLog = await vlmhb([
      'eval',
      '--dataset',
      dataset,
      '--answers',
      join(out, 'answers.jsonl'),
      '--json',
    ]);
    expect(fromLog.exitCode, String(fromLog.stderr)).toBe(0);
    expect(fromLog.stderr).not.toMatch(/Quote/);
    const csv = readdirSync(join(out, 'ModelsAnswers'))[0] as string;
    const fromCsv = await vlmhb([
      'eval',
      '--dataset',
      dataset,
      '--answers',
      join(out, 'ModelsAnswers', csv),
      '--json',
    ]);
    const a = JSON.parse(String(fromLog.stdout)).overall;
    const b = JSON.parse(String(fromCsv.stdout)).overall;
    expect(a.n).toBe(b.n);
    expect(a.cer).toBeCloseTo(b.cer, 12);
  }, 60_000);
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { questionKind } from '../../src/engines/tesseract/question.js';
import { generateDataset } from '../../src/synth/generate.js';
import { parseAugmentSpec } from '../../src/synth/spec.js';
import { KNOWN_QUESTION_TYPES, questionsFor } from '../../src/synth/templates/fields.js';
import { templates } from '../../src/synth/templates/index.js';

function questions(dir: string): { qt: string; q: string }[] {
  return readFileSync(join(dir, 'annotation.csv'), 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(';'))
    .map((c) => ({ q: c[3] as string, qt: c[6] as string }));
}

describe('question language of generated datasets', () => {
  it('asks in Russian by default and in English with questions: en, from the template variants', async () => {
    const opts = {
      docs: ['snils' as const],
      count: 1,
      seed: 3,
      augment: parseAugmentSpec('clean'),
      workers: 0,
    };
    const ru = mkdtempSync(join(tmpdir(), 'vlmhb-q-'));
    const en = mkdtempSync(join(tmpdir(), 'vlmhb-q-'));
    await generateDataset({ ...opts, out: ru });
    await generateDataset({ ...opts, out: en, questions: 'en' });
    for (const { q, qt } of questions(ru)) expect(templates.snils.questions(qt).ru).toContain(q);
    for (const { q, qt } of questions(en)) {
      expect(templates.snils.questions(qt).en).toContain(q);
      expect(q).not.toMatch(/[А-Яа-яЁё]{4,}/);
    }
  });

  it('words every variant of a question so a reader takes all of them for the same field', () => {
    for (const qt of KNOWN_QUESTION_TYPES) {
      const { ru, en } = questionsFor(qt);
      // The accusative may be feminine («дату рождения»): no variant may refer back to it with «им».
      for (const q of ru) expect(q).not.toMatch(/только им\b/);
      expect(new Set([...ru, ...en].map(questionKind)).size, qt).toBe(1);
    }
  });
});

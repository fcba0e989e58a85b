import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importers, writeImport } from '../../src/dataset/import/index.js';
import { loadDataset } from '../../src/dataset/load.js';
import { scoreItems } from '../../src/metrics/aggregate.js';
import { anlsScore } from '../../src/metrics/anls.js';
import { codePointLength } from '../../src/metrics/levenshtein.js';
import { scoreInput } from '../../src/task/score-input.js';
import { jpeg, writeDocvqaParquet } from '../dataset/import/fixtures.js';
import { testdir } from '../helpers/testdir.js';

/**
 * ANLS against values computed outside the project: docvqa-anls.json is the output of
 * docvqa-anls.py, a Python transcription of DocVQA's own evaluation script (preprocessing, distance,
 * threshold, max over answers, mean over questions), on a DocVQA-style set with several answers per
 * question, ties at the threshold, case differences and Cyrillic.
 */
interface Row {
  id: string;
  answers: string[];
  prediction: string;
  anls: number;
  best_answer: number;
}
const official = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'docvqa-anls.json'), 'utf8'),
) as { anls: number; rows: Row[] };

/** Edit distances from an independent Levenshtein (test/fixtures/metric-reference: shared test data computed outside the project). */
const pairs = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'metric-reference', 'expected.json'), 'utf8'),
) as { rows: { reference: string; prediction: string; char_edits: number }[] };

describe("ANLS as DocVQA's evaluation script computes it", () => {
  it('scores every question and the set as the script does', () => {
    const items = official.rows.map((r, i) => ({
      id: i,
      docId: r.id,
      docClass: 'docvqa',
      questionType: 'q',
      reference: r.answers[0] ?? '',
      references: r.answers,
      prediction: r.prediction,
    }));
    const scored = scoreItems(items, { metrics: ['anls'], aggregators: ['overall', 'by_id'] });
    expect(scored.groups.overall?.anls).toBeCloseTo(official.anls, 12);
    const byId = Object.values(scored.groups.by_id ?? {});
    expect(byId.map((g) => g.anls)).toEqual(official.rows.map((r) => expect.closeTo(r.anls, 12)));
    // The reference reported as matched is the one the script's min() picks.
    expect(byId.map((g) => g['matched_reference'] ?? 0)).toEqual(official.rows.map((r) => r.best_answer));
  });

  it('agrees with an independent edit distance on every shared reference pair', () => {
    for (const p of pairs.rows) {
      const len = Math.max(codePointLength(p.reference), codePointLength(p.prediction));
      const similarity = len === 0 ? 1 : 1 - p.char_edits / len;
      expect(anlsScore(p.reference, p.prediction)).toBeCloseTo(similarity < 0.5 ? 0 : similarity, 12);
    }
  });

  it("end to end: the set as Hub Parquet, imported, loaded and scored, gives the script's ANLS", async () => {
    const t = await testdir({});
    try {
      const image = await jpeg(16, 16);
      await writeDocvqaParquet(
        t.path('validation-00000-of-00001.parquet'),
        official.rows.map((r, i) => ({
          questionId: String(50000 + i),
          question: `Question ${r.id}?`,
          answers: r.answers,
          types: ['form'],
          docId: 900 + (i % 3),
          image,
        })),
      );
      const out = join(t.dir, 'ds');
      await writeImport(
        await importers['hf-parquet'].open(t.path('validation-00000-of-00001.parquet'), {}),
        out,
      );
      const ds = await loadDataset(out);
      const predictions = new Map(official.rows.map((r, i) => [String(50000 + i), r.prediction]));
      const scored = scoreItems(
        ds.samples.map((s) => scoreInput(s, predictions.get(s.docId) ?? null)),
        { metrics: ['anls'], aggregators: ['overall'] },
      );
      expect(scored.groups.overall?.anls).toBeCloseTo(official.anls, 12);
    } finally {
      await t.cleanup();
    }
  });
});

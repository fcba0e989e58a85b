import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/dataset/types.js';
import { scoreItems } from '../../src/metrics/aggregate.js';
import { itemScores } from '../../src/runs/item-scores.js';
import { scoreInput } from '../../src/task/score-input.js';

const sample = (id: number, references: string[]): Sample => ({
  id,
  docId: `d${id}`,
  split: '',
  imagePath: 'x.png',
  imageAbsPath: '/x.png',
  question: 'q',
  answer: references[0] ?? '',
  references,
  docClass: 'form',
  questionType: 'date',
  answerBbox: null,
});

describe('itemScores with several acceptable answers', () => {
  const samples = [
    sample(0, ['1/8/93', '1/8/1993']),
    sample(1, ['R. Brown', 'Robert Brown']),
    sample(2, ['AB', 'xy']),
    sample(3, ['4217']),
  ];
  const answers = ['1/8/1993', 'Robert Browne', 'XY', '4271'];
  const scores = itemScores(samples, (id) => ({ answer: answers[id] ?? null, error: null }));

  it('scores each metric against the reference metrics.json uses', () => {
    // An answer equal to the second reference is right, as in the results.
    expect(scores[0]).toMatchObject({ edits: 0, wordEdits: 0, anls: 1, exactMatch: 1 });
    expect(scores[1]).toMatchObject({ edits: 1, refLen: 12, reference: 'Robert Brown' });
    // The reference the CER used is the one the optimiser shows as expected: the closest, not the first.
    expect(scores[0]?.reference).toBe('1/8/1993');
    expect(scores[3]?.reference).toBe('4217');
    // ANLS lower-cases and matches 'xy'; CER keeps case and finds both 2 edits away.
    expect(scores[2]).toMatchObject({ edits: 2, anls: 1, exactMatch: 0 });
  });

  it("agrees with by_id of the run's metrics item by item", () => {
    const r = scoreItems(
      samples.map((s) => scoreInput(s, answers[s.id] ?? null)),
      { metrics: ['cer', 'wer', 'anls', 'exact_match'], aggregators: ['by_id'] },
    );
    const byId = Object.values(r.groups.by_id ?? {});
    expect(scores.map((s) => [s.edits / s.refLen, s.wordEdits / s.wordRefLen, s.anls, s.exactMatch])).toEqual(
      byId.map((g) => [g.cer, g.wer, g.anls, g.exact_match]),
    );
  });
});

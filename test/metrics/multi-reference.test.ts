import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importers, writeImport } from '../../src/dataset/import/index.js';
import { loadDataset } from '../../src/dataset/load.js';
import { type ScoreInput, scoreItems } from '../../src/metrics/aggregate.js';
import { pickReference } from '../../src/metrics/references.js';
import { scoreInput } from '../../src/task/score-input.js';
import { jpeg, writeDocvqaParquet } from '../dataset/import/fixtures.js';
import { testdir } from '../helpers/testdir.js';

/**
 * Five DocVQA-style questions. Expected ANLS by DocVQA's definition, worked out by hand: per question
 * the max over references of (1 − NL) when NL = lev / max(len) < 0.5, else 0, after lower-casing and
 * trimming; then the mean over questions.
 *   q1 '1/8/1993' vs ['1/8/93', '1/8/1993']         → equal to the 2nd: 1
 *   q2 'r. brown' vs ['R. Brown', 'Robert Brown']    → equal to the 1st after lower-casing: 1
 *   q3 'Totals'   vs ['Total', 'Grand total']        → 'total': lev 1 / 6 → 5/6; 'grand total': NL ≥ 6/11 → 0
 *   q4 'abcd'     vs ['4217']                        → lev 4 / 4 → 0
 *   q5 'I.T.C'    vs ['ITC', 'I.T.C.']               → 'itc': 2/5 → 0.6; 'i.t.c.': 1/6 → 5/6; max 5/6
 * ANLS = (1 + 1 + 5/6 + 0 + 5/6) / 5 = 22/30.
 */
const QUESTIONS = [
  { refs: ['1/8/93', '1/8/1993'], pred: '1/8/1993' },
  { refs: ['R. Brown', 'Robert Brown'], pred: 'r. brown' },
  { refs: ['Total', 'Grand total'], pred: 'Totals' },
  { refs: ['4217'], pred: 'abcd' },
  { refs: ['ITC', 'I.T.C.'], pred: 'I.T.C' },
];

function items(): ScoreInput[] {
  return QUESTIONS.map((q, i) => ({
    id: i,
    docId: `d${i}`,
    docClass: 'form',
    questionType: 'q',
    reference: q.refs[0] ?? '',
    references: q.refs,
    prediction: q.pred,
  }));
}

describe('several acceptable answers', () => {
  it('ANLS is the mean over questions of the best reference, as DocVQA defines it', () => {
    const r = scoreItems(items(), { metrics: ['anls'], aggregators: ['overall', 'by_id'] });
    expect(r.groups.overall?.anls).toBeCloseTo(22 / 30, 12);
    const byId = r.groups.by_id ?? {};
    expect(Object.values(byId).map((g) => g.anls)).toEqual(
      [1, 1, 5 / 6, 0, 5 / 6].map((x) => expect.closeTo(x, 12)),
    );
    // Which reference scored: by index, only where there were several.
    expect(Object.values(byId).map((g) => g['matched_reference'])).toEqual([1, 0, 0, undefined, 1]);
  });

  it('exact match and CER use the closest reference (fewest character edits)', () => {
    const r = scoreItems(items(), { metrics: ['cer', 'exact_match'], aggregators: ['by_id'] });
    const byId = Object.values(r.groups.by_id ?? {});
    // q1 equals its 2nd reference; q2 differs in case from both under the default 'none' preset.
    expect(byId.map((g) => g.exact_match)).toEqual([1, 0, 0, 0, 0]);
    // q2: 'r. brown' vs 'R. Brown' = 2 edits over 8; q5: 'I.T.C' vs 'I.T.C.' = 1 edit over 6.
    expect(byId.map((g) => g.cer)).toEqual([0, 2 / 8, 1 / 5, 1, 1 / 6].map((x) => expect.closeTo(x, 12)));
  });

  it('by_id names every metric that scored against another reference than the first metric', () => {
    // CER (no normalisation) finds 'AB' and 'xy' equally far from 'XY' and keeps the first; ANLS
    // lower-cases and matches 'xy'. Exact match follows CER.
    const r = scoreItems(
      [
        {
          id: 0,
          docId: 'd',
          docClass: 'form',
          questionType: 'q',
          reference: 'AB',
          references: ['AB', 'xy'],
          prediction: 'XY',
        },
      ],
      { metrics: ['cer', 'anls', 'exact_match'], aggregators: ['by_id'] },
    );
    const item = r.groups.by_id?.['0'];
    expect(item).toMatchObject({ cer: 1, anls: 1, exact_match: 0, matched_reference: 0 });
    expect(item?.['matched_reference_anls']).toBe(1);
    expect(Object.keys(item ?? {}).filter((k) => k.startsWith('matched_reference'))).toEqual([
      'matched_reference',
      'matched_reference_anls',
    ]);
  });

  it('ANLS names the nearest reference even when every one scores 0', () => {
    // 'zzzzz': similarity 0; 'abzzz': 1 − 3/5 = 0.4, below the threshold, but nearer.
    expect(pickReference(['zzzzz', 'abzzz'], 'abcde', 'best_anls')).toBe(1);
  });

  it('WER takes the reference with the fewest word edits', () => {
    expect(pickReference(['grand total due', 'total'], 'total due', 'fewest_word_edits')).toBe(0);
    expect(pickReference(['grand total due', 'total'], 'total due', 'fewest_char_edits')).toBe(1);
  });

  it('a single reference scores exactly as before: same numbers, same keys', () => {
    const single = items().map(({ references: _r, ...it }) => it);
    const listed = items().map((it) => ({ ...it, references: [it.reference] }));
    const opts = {
      metrics: ['cer', 'wer', 'bleu', 'anls', 'exact_match', 'doc_all_correct'],
      aggregators: ['overall', 'by_id'],
    };
    expect(JSON.stringify(scoreItems(listed, opts))).toBe(JSON.stringify(scoreItems(single, opts)));
    expect(
      scoreInput(
        {
          id: 0,
          docId: 'a',
          split: '',
          imagePath: 'x',
          imageAbsPath: '/x',
          question: 'q',
          answer: 'A',
          references: ['A'],
          docClass: 'c',
          questionType: 't',
          answerBbox: null,
        },
        'A',
      ),
    ).not.toHaveProperty('references');
  });

  it('end to end: a DocVQA Parquet imported, loaded and scored keeps every answer', async () => {
    const t = await testdir({});
    try {
      const image = await jpeg(16, 16);
      await writeDocvqaParquet(
        t.path('validation.parquet'),
        QUESTIONS.map((q, i) => ({
          questionId: String(100 + i),
          question: `Q${i}?`,
          answers: q.refs,
          types: ['form'],
          docId: 7,
          image,
        })),
      );
      const out = join(t.dir, 'ds');
      await writeImport(await importers['hf-parquet'].open(t.path('validation.parquet'), {}), out);
      const ds = await loadDataset(out);
      const scored = scoreItems(
        ds.samples.map((s, i) => scoreInput(s, QUESTIONS[i]?.pred ?? null)),
        { metrics: ['anls'], aggregators: ['overall'] },
      );
      expect(scored.groups.overall?.anls).toBeCloseTo(22 / 30, 12);
    } finally {
      await t.cleanup();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { looseScores, type ScoreInput, scoreItems } from '../../src/metrics/aggregate.js';
import { markdownGroups, markdownSummary } from '../../src/report/markdown.js';

const item = (id: number, docClass: string, reference: string, prediction: string | null): ScoreInput => ({
  id,
  docId: `d${id}`,
  docClass,
  questionType: 'Фамилия',
  reference,
  prediction,
});

const items = [
  item(0, 'passport', 'ИВАНОВА', 'Иванова'),
  item(1, 'passport', 'Королёв', 'Королев'),
  item(2, 'invoice', '5 марта 2024 г.', '5 марта 2024 г'),
  item(3, 'invoice', '1234', '1235'),
];

describe('loose scores beside the raw ones', () => {
  // Loose references lose their punctuation too: «5 марта 2024 г.» counts 14 characters, not 15.
  it('right answer, other case / ё / punctuation: wrong raw, right loose; a wrong reading stays wrong', () => {
    const r = scoreItems(items, { metrics: ['cer', 'exact_match'], aggregators: ['overall', 'by_doc_type'] });
    expect(r.groups.overall?.exact_match).toBe(0);
    expect(r.loose?.preset).toBe('loose');
    expect(r.loose?.overall).toEqual({ n: 4, cer: 1 / (7 + 7 + 14 + 4), exact_match: 0.75 });
    expect(r.loose?.by_doc_type['passport']).toEqual({ n: 2, cer: 0, exact_match: 1 });
    expect(r.loose?.by_doc_type['invoice']?.exact_match).toBe(0.5);
    expect(r.groups.by_doc_type?.['passport']?.cer).toBeGreaterThan(0.3);
  });

  it('a failed item is an empty answer under loose too', () => {
    expect(looseScores([item(0, 'inn', 'abc', null)]).overall).toEqual({ n: 1, cer: 1, exact_match: 0 });
  });

  it('tables show the loose columns next to the raw ones', () => {
    const r = scoreItems(items, { metrics: ['cer', 'exact_match'], aggregators: ['overall', 'by_doc_type'] });
    expect(
      markdownGroups('Document type', r.groups.by_doc_type!, r.loose?.by_doc_type),
    ).toMatchInlineSnapshot(`
      "| Document type | n | CER | EM | CER loose | EM loose |
      |---|---|---|---|---|---|
      | invoice | 2 | 0.1053 | 0.0000 | 0.0556 | 0.5000 |
      | passport | 2 | 0.5000 | 0.0000 | 0.0000 | 1.0000 |
      "
    `);
    const summary = markdownSummary([
      {
        dataset: 'ds',
        framework: 'tesseract',
        model: 'tesseract-5',
        promptCollection: '',
        mode: 'field',
        overall: { ...r.groups.overall },
        overallLoose: { ...r.loose!.overall },
        errors: 0,
        n: 4,
      },
    ]);
    expect(summary.split('\n')[0]).toBe(
      '| Dataset | Framework | Model | Prompts | Mode | n | CER | EM | CER loose | EM loose | Errors | p50 ms/doc | p95 ms/doc | docs/s |',
    );
    expect(summary).toContain('| 0.0313 | 0.7500 |');
  });
});

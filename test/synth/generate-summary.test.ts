import { describe, expect, it } from 'vitest';
import { generatedSummary } from '../../src/cli/commands/dataset.js';

describe('generate summary line', () => {
  it('counts images the way the run counts them: documents × subsets', () => {
    expect(generatedSummary({ documents: 12, subsets: 2, images: 24, rows: 216 })).toBe(
      '12 documents × 2 subsets = 24 images, 216 rows',
    );
    expect(generatedSummary({ documents: 3, subsets: 1, images: 3, rows: 27 })).toBe(
      '3 documents × 1 subset = 3 images, 27 rows',
    );
  });
});

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shJoin, shQuote } from '../../src/slurm/quote.js';

// Each word is quoted, handed to a real bash and printed back: what the shell sees must be the value itself.
function throughBash(words: string[]): string[] {
  const out = execFileSync('bash', ['-c', `printf '%s\\0' ${shJoin(words)}`]);
  return out.toString('utf8').split('\0').slice(0, -1);
}

describe('shQuote', () => {
  const hostile = [
    '',
    'plain',
    'with space',
    "it's",
    "''",
    '$(touch /tmp/vlmhb-pwned)',
    '`id`',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion the quoting must neutralise
    '${HOME}',
    'a\nb',
    'tab\there',
    '\\back\\slash',
    '"double"',
    'Qwen/Qwen2-VL-2B-Instruct',
    'Модель «тест»',
    '--flag=value;rm -rf /',
    '*',
    '~root',
    '!event',
  ];

  it('every value reaches bash unchanged, never expanded or run', () => {
    expect(throughBash(hostile)).toEqual(hostile);
  });

  it('leaves safe words readable and quotes the rest', () => {
    expect(shQuote('/runs/a_b-1.json')).toBe('/runs/a_b-1.json');
    expect(shQuote('a b')).toBe("'a b'");
    expect(shQuote("it's")).toBe("'it'\\''s'");
    expect(shQuote('')).toBe("''");
  });

  it('refuses a NUL, which no shell word can hold', () => {
    expect(() => shQuote('a\0b')).toThrow(/NUL/);
  });
});

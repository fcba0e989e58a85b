import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../src/engines/openai/errors.js';
import { targetSize } from '../../../src/engines/openai/image.js';
import { DEFAULT_RETRY, retryDelayMs } from '../../../src/engines/openai/retry.js';
import {
  buildExtractionSchema,
  checkAgainstSchema,
  splitExtraction,
} from '../../../src/prompts/extraction.js';

const fields = [{ questionType: 'snils' }, { questionType: 'surname' }, { questionType: 'snils' }];

describe('per-document extraction', () => {
  it('builds a closed object schema with each question type once', () => {
    expect(buildExtractionSchema(fields)).toEqual({
      type: 'object',
      properties: { snils: { type: 'string' }, surname: { type: 'string' } },
      required: ['snils', 'surname'],
      additionalProperties: false,
    });
  });

  it('splits a fenced JSON answer into per-field answers, stringifying numbers and nulls', () => {
    const r = splitExtraction('Вот ответ:\n```json\n{"snils": 12345678900, "surname": null}\n```', fields);
    expect(r.ok).toBe(true);
    if (r.ok)
      expect([...r.answers]).toEqual([
        ['snils', '12345678900'],
        ['surname', ''],
      ]);
  });

  it('reports missing fields as schema_mismatch and keeps the fields it found', () => {
    const r = splitExtraction('{"snils": "123"}', fields);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('schema_mismatch');
      expect(r.error.message).toContain('"surname"');
      expect(r.partial.get('snils')).toBe('123');
    }
  });

  it('reports prose as bad_json and arrays as schema_mismatch', () => {
    const prose = splitExtraction('no idea', fields);
    expect(!prose.ok && prose.error.code).toBe('bad_json');
    const arr = splitExtraction('[1, 2]', fields);
    expect(!arr.ok && arr.error.code).toBe('schema_mismatch');
  });

  it('checkAgainstSchema flags wrong types and missing keys', () => {
    const schema = buildExtractionSchema(fields);
    expect(checkAgainstSchema('{"snils": "1", "surname": "Иванова"}', schema)).toBeUndefined();
    expect(checkAgainstSchema('{"snils": 1, "surname": "x"}', schema)).toContain('not of type string');
    expect(checkAgainstSchema('{"snils": "1"}', schema)).toContain('surname');
  });
});

describe('helpers', () => {
  it('targetSize honours long side and max pixels and never upscales', () => {
    expect(targetSize(2000, 1000, { longSide: 1000 })).toEqual({ width: 1000, height: 500 });
    expect(targetSize(2000, 1000, { maxPixels: 500_000 })).toEqual({ width: 1000, height: 500 });
    expect(targetSize(300, 200, { longSide: 1000, maxPixels: 10_000_000 })).toEqual({
      width: 300,
      height: 200,
    });
    const t = targetSize(1519, 1069, { maxPixels: 1_000_000 });
    expect(t.width * t.height).toBeLessThanOrEqual(1_000_000);
  });

  it('parseRetryAfter reads seconds, HTTP dates and retry-after-ms', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '3' }))).toBe(3000);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250' }))).toBe(250);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }), now)).toBe(5000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfter(new Headers())).toBeUndefined();
  });

  it('retryDelayMs prefers Retry-After (capped) and otherwise backs off exponentially with jitter', () => {
    expect(retryDelayMs(0, 2000, DEFAULT_RETRY)).toBe(2000);
    expect(retryDelayMs(0, 10 * 60_000, DEFAULT_RETRY)).toBe(60_000);
    expect(retryDelayMs(0, undefined, DEFAULT_RETRY, () => 0)).toBe(250);
    expect(retryDelayMs(2, undefined, DEFAULT_RETRY, () => 1)).toBe(2000);
    expect(retryDelayMs(10, undefined, DEFAULT_RETRY, () => 1)).toBe(8000);
  });
});

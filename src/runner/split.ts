import type { EngineErrorInfo, EngineResponse } from '../engines/types.js';
import { splitExtraction } from '../prompts/extraction.js';
import type { AskUnit } from './units.js';

export interface FieldAnswer {
  answer: string | null;
  error: EngineErrorInfo | null;
}

/**
 * Splits one response into per-sample answers. In document mode the JSON is validated and split by
 * question type; fields it lacks get the validation error, fields it has keep their answer, so one
 * malformed key does not void a whole document.
 */
export function answersFor(unit: AskUnit, res: EngineResponse): Map<number, FieldAnswer> {
  const out = new Map<number, FieldAnswer>();
  if (res.error) {
    for (const s of unit.samples) out.set(s.id, { answer: null, error: res.error });
    return out;
  }
  if (!unit.fields) {
    for (const s of unit.samples) out.set(s.id, { answer: res.output ?? '', error: null });
    return out;
  }
  const split = splitExtraction(res.output ?? '', unit.fields);
  const answers = split.ok ? split.answers : split.partial;
  for (const s of unit.samples) {
    const a = answers.get(s.questionType);
    if (a !== undefined) out.set(s.id, { answer: a, error: null });
    else
      out.set(s.id, {
        answer: null,
        error: split.ok ? { code: 'schema_mismatch', message: `"${s.questionType}" missing` } : split.error,
      });
  }
  return out;
}

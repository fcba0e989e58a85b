import { z } from 'zod';

/**
 * Per-document extraction: one request asks for every field of a document as one JSON object whose keys are
 * the fields' question types (e.g. {"snils_number": "...", "surname": "..."}). The schema goes to the
 * framework's constrained-decoding field; the answer is validated here either way, because servers without
 * constrained decoding (and some with it) still return prose, fences or missing keys.
 */
export interface ExtractionField {
  questionType: string;
}

export function buildExtractionSchema(fields: readonly ExtractionField[]): Record<string, unknown> {
  const keys = [...new Set(fields.map((f) => f.questionType))];
  return {
    type: 'object',
    properties: Object.fromEntries(keys.map((k) => [k, { type: 'string' }])),
    required: keys,
    additionalProperties: false,
  };
}

/** Why an answer could not be split; the same shape as an engine error, so it lands in the answers log as one. */
export interface ExtractionError {
  code: string;
  message: string;
  retryable: boolean;
}

export type ExtractionResult =
  | { ok: true; answers: Map<string, string> }
  | { ok: false; error: ExtractionError; partial: Map<string, string> };

// Models often print numbers unquoted ("inn": 7707083893) or null for an absent field.
const valueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Parses the model's JSON, checks every field is present, and returns one answer per question type. */
export function splitExtraction(output: string, fields: readonly ExtractionField[]): ExtractionResult {
  const json = extractJsonText(output);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    return fail('bad_json', `answer is not JSON: ${(e as Error).message}`, new Map());
  }
  const obj = z.record(z.string(), z.unknown()).safeParse(parsed);
  if (!obj.success || Array.isArray(parsed)) {
    return fail('schema_mismatch', 'answer is JSON but not an object', new Map());
  }
  const answers = new Map<string, string>();
  const problems: string[] = [];
  for (const { questionType } of fields) {
    if (answers.has(questionType)) continue;
    if (!(questionType in obj.data)) {
      problems.push(`missing "${questionType}"`);
      continue;
    }
    const v = valueSchema.safeParse(obj.data[questionType]);
    if (!v.success) {
      problems.push(`"${questionType}" is not a scalar`);
      continue;
    }
    answers.set(questionType, v.data === null ? '' : String(v.data));
  }
  if (problems.length > 0) return fail('schema_mismatch', problems.join('; '), answers);
  return { ok: true, answers };
}

function fail(code: string, message: string, partial: Map<string, string>): ExtractionResult {
  return { ok: false, error: { code, message, retryable: false }, partial };
}

/** The JSON inside a reply: a ```json fence if present, else from the first '{' to the last '}'. */
export function extractJsonText(output: string): string {
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(output);
  if (fence?.[1]) return fence[1].trim();
  const start = output.indexOf('{');
  const end = output.lastIndexOf('}');
  if (start >= 0 && end > start) return output.slice(start, end + 1);
  return output.trim();
}

/**
 * Checks a reply against the subset of JSON Schema we generate (object, properties with scalar types,
 * required). Returns a problem description or undefined when it conforms.
 */
export function checkAgainstSchema(output: string, schema: Record<string, unknown>): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(extractJsonText(output));
  } catch (e) {
    return `answer is not JSON: ${(e as Error).message}`;
  }
  if (schema['type'] === 'object') {
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      return 'answer is not a JSON object';
    const obj = parsed as Record<string, unknown>;
    const required = Array.isArray(schema['required']) ? (schema['required'] as string[]) : [];
    const missing = required.filter((k) => !(k in obj));
    if (missing.length > 0) return `missing required keys: ${missing.join(', ')}`;
    const props = (schema['properties'] ?? {}) as Record<string, { type?: string }>;
    for (const [k, p] of Object.entries(props)) {
      if (k in obj && p.type && !matchesType(obj[k], p.type)) return `"${k}" is not of type ${p.type}`;
    }
  }
  return undefined;
}

function matchesType(v: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number';
    case 'integer':
      return Number.isInteger(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    default:
      return true;
  }
}

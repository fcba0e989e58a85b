import type { ErrorLocation, VlmhbIssue } from '../errors.js';
import { VlmhbError } from '../errors.js';
import { detectDelimiter } from '../util/csv.js';
import { AXES, type Axis, combinationCount, expandAxes, MAX_EXPANDED_TASKS } from './axes.js';
import { isListCell, parseBoolCell, parseListCell, parseNumberCell, parseTextCell } from './cells.js';
import { DialectError, splitConfigCsv } from './csv-dialect.js';
import type { RawConfig, RawTask } from './raw.js';

type Kind = 'text' | 'list' | 'filter' | 'bool' | 'number';

interface ColumnSpec {
  /** Field path in the YAML/task schema. */
  field: string;
  kind: Kind;
  /** Header spellings, lower case: the original's, the seed's (typo `system_promt` included), ours. */
  names: string[];
}

const COLUMNS: ColumnSpec[] = [
  { field: 'dataset', kind: 'text', names: ['dataset'] },
  { field: 'task', kind: 'text', names: ['task', 'task_name'] },
  { field: 'framework', kind: 'text', names: ['framework'] },
  { field: 'model', kind: 'text', names: ['model_name', 'model'] },
  { field: 'docker_image', kind: 'text', names: ['docker_image'] },
  { field: 'system_prompt', kind: 'text', names: ['system_prompt', 'system_promt'] },
  { field: 'prompt_collection', kind: 'text', names: ['prompt_collection'] },
  { field: 'metrics', kind: 'list', names: ['metrics'] },
  { field: 'only_evaluate_metrics', kind: 'bool', names: ['only_evaluate_metrics'] },
  { field: 'aggregators', kind: 'list', names: ['metrics_aggregators', 'aggregators'] },
  { field: 'filter.doc_class', kind: 'filter', names: ['filter_doc_class'] },
  { field: 'filter.question_type', kind: 'filter', names: ['filter_question_type'] },
  { field: 'base_url', kind: 'text', names: ['base_url'] },
  { field: 'api_key_env', kind: 'text', names: ['api_key_env'] },
  { field: 'concurrency', kind: 'number', names: ['concurrency'] },
  { field: 'long_side', kind: 'number', names: ['long_side'] },
  { field: 'max_pixels', kind: 'number', names: ['max_pixels'] },
  { field: 'max_image_pixels', kind: 'number', names: ['max_image_pixels'] },
  { field: 'max_tokens', kind: 'number', names: ['max_tokens'] },
  { field: 'mode', kind: 'text', names: ['mode'] },
  { field: 'timeout_s', kind: 'number', names: ['timeout_s'] },
  { field: 'max_retries', kind: 'number', names: ['max_retries'] },
];

const REQUIRED_FIELDS = ['dataset', 'framework'];

/**
 * Parse step for CSV configs, both the original project's (`;`, BOM, Python list literals) and the
 * seed's (`,`, JSON lists, `system_promt`). Maps each row onto task fields and remembers which
 * cell each field came from.
 */
export function parseCsvConfig(text: string, file: string): RawConfig {
  const delimiter = detectDelimiter(text);
  let records: ReturnType<typeof splitConfigCsv>;
  try {
    records = splitConfigCsv(text, delimiter);
  } catch (e) {
    if (e instanceof DialectError) {
      throw new VlmhbError('VLMHB_CSV_PARSE', `cannot parse config CSV: ${e.message}`, {
        where: { file, row: e.row },
      });
    }
    throw e;
  }
  const header = records[0];
  if (!header) throw new VlmhbError('VLMHB_FILE_EMPTY', 'config has no header row', { where: { file } });

  const issues: VlmhbIssue[] = [];
  const headerNames = header.cells.map((c) => c.trim());
  // column index → spec, and field → header name as the user wrote it (for locations).
  const specAt: (ColumnSpec | undefined)[] = [];
  const columnOf = new Map<string, string>();
  headerNames.forEach((name) => {
    const spec = COLUMNS.find((c) => c.names.includes(name.toLowerCase()));
    if (!spec) {
      if (name !== '') {
        issues.push({
          code: 'VLMHB_CONFIG_INVALID',
          message: `unknown column "${name}"; known columns: ${COLUMNS.flatMap((c) => c.names).join(', ')}`,
          where: { file, row: header.row, column: name },
        });
      }
      specAt.push(undefined);
      return;
    }
    if (columnOf.has(spec.field)) {
      issues.push({
        code: 'VLMHB_CONFIG_INVALID',
        message: `column "${name}" repeats "${columnOf.get(spec.field)}"`,
        where: { file, row: header.row, column: name },
      });
      specAt.push(undefined);
      return;
    }
    columnOf.set(spec.field, name);
    specAt.push(spec);
  });
  const missing = REQUIRED_FIELDS.filter((f) => !columnOf.has(f));
  if (missing.length > 0) {
    throw new VlmhbError(
      'VLMHB_CSV_MISSING_COLUMN',
      `missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}; header has ${headerNames
        .map((h) => `"${h}"`)
        .join(', ')} (separator ${JSON.stringify(delimiter)})`,
      { where: { file, row: header.row, column: missing[0] } },
    );
  }

  const tasks: RawTask[] = [];
  let total = 0;
  for (const rec of records.slice(1)) {
    if (rec.cells.every((c) => c.trim() === '')) continue;
    const at = (field: string): ErrorLocation => {
      const column = columnOf.get(field) ?? columnOf.get(field.split('.')[0] ?? '');
      return column ? { file, row: rec.row, column } : { file, row: rec.row };
    };
    if (rec.cells.length > headerNames.length) {
      issues.push({
        code: 'VLMHB_CSV_PARSE',
        message: `row has ${rec.cells.length} cells but the header has ${headerNames.length}; a list cell with the separator inside needs quotes`,
        where: { file, row: rec.row },
      });
      continue;
    }
    const input: Record<string, unknown> = {};
    rec.cells.forEach((cell, j) => {
      const spec = specAt[j];
      if (!spec) return;
      const value = readCell(spec, cell);
      if (value && 'error' in value) {
        issues.push({ code: 'VLMHB_CONFIG_INVALID', message: value.error, where: at(spec.field) });
        return;
      }
      if (value?.value === undefined) return;
      setPath(input, spec.field, value.value);
    });
    // Count before expanding, so a runaway product is refused without being built.
    total += combinationCount(input);
    if (total > MAX_EXPANDED_TASKS) {
      issues.push({
        code: 'VLMHB_CONFIG_INVALID',
        message: `the list cells expand into more than ${MAX_EXPANDED_TASKS} tasks (at most ${MAX_EXPANDED_TASKS} are allowed)`,
        where: { file, row: rec.row },
      });
      break;
    }
    for (const { input: one, picks } of expandAxes(input)) {
      // A field taken from a list cell is located at its element: row 3, column "model_name", model_name[1].
      const where = (field: string): ErrorLocation => {
        const loc = at(field);
        const pick = picks.find((p) => p.axis === field);
        return pick && loc.column ? { ...loc, key: `${loc.column}[${pick.index}]` } : loc;
      };
      const label = picks.map((p) => `${columnOf.get(p.axis) ?? p.axis}[${p.index}]`).join(', ');
      tasks.push({
        index: tasks.length,
        source: label ? { file, row: rec.row, key: `row ${rec.row} (${label})` } : { file, row: rec.row },
        input: one,
        where,
      });
    }
  }
  return { file, tasks, issues };
}

const AXIS_FIELDS: ReadonlySet<string> = new Set(AXES);

function readCell(spec: ColumnSpec, cell: string): { value: unknown } | { error: string } | undefined {
  if (AXIS_FIELDS.has(spec.field as Axis) && isListCell(cell)) return readAxisList(spec, cell);
  switch (spec.kind) {
    case 'text':
      return { value: parseTextCell(cell) };
    case 'number':
      return { value: parseNumberCell(cell) };
    case 'bool':
      return parseBoolCell(cell);
    case 'list':
      return parseListCell(cell);
    case 'filter':
      return parseListCell(cell, true);
  }
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (tail === undefined) {
    obj[head] = value;
    return;
  }
  const inner = (obj[head] ?? {}) as Record<string, unknown>;
  inner[tail] = value;
  obj[head] = inner;
}

/**
 * A sweep axis written as a list literal, as the original writes its metrics cells (`['a', 'b']`,
 * `[1600, 800]`): one task per element. No model name, framework, file name, size or mode starts with
 * `[`, so a bracketed cell in these columns is never a single value.
 */
function readAxisList(spec: ColumnSpec, cell: string): { value: unknown[] } | { error: string } {
  const r = parseListCell(cell);
  if ('error' in r) return r;
  if (r.value === undefined || r.value.length === 0)
    return {
      error: `an empty list in ${JSON.stringify(cell)}: give at least one value, or leave the cell empty`,
    };
  return { value: spec.kind === 'number' ? r.value.map((v) => parseNumberCell(v) ?? v) : r.value };
}

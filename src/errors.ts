/**
 * One error type with stable codes. Retry and exit-code decisions read `code`, never message text.
 * Where an error comes from a file, `where` names the file, row (1-based, as an editor shows it,
 * header = row 1) and column, so the user can jump straight to the cell.
 */
export type ErrorCode =
  | 'VLMHB_CONFIG_INVALID'
  | 'VLMHB_CONFIG_UNKNOWN_FRAMEWORK'
  | 'VLMHB_CONFIG_UNKNOWN_METRIC'
  | 'VLMHB_CONFIG_UNKNOWN_AGGREGATOR'
  | 'VLMHB_CSV_SEPARATOR'
  | 'VLMHB_CSV_MISSING_COLUMN'
  | 'VLMHB_CSV_PARSE'
  | 'VLMHB_FILE_EMPTY'
  | 'VLMHB_FILE_NOT_FOUND'
  | 'VLMHB_FILE_NOT_UTF8'
  | 'VLMHB_DATASET_INVALID'
  | 'VLMHB_DATASET_DUPLICATE_ID'
  | 'VLMHB_IMAGE_OUTSIDE_DATASET'
  | 'VLMHB_IMAGE_UNREADABLE'
  | 'VLMHB_PROMPT_KEY_MISSING'
  | 'VLMHB_ANSWERS_INVALID'
  | 'VLMHB_RUN_INVALID'
  | 'VLMHB_ANSWERS_WRITE_FAILED'
  | 'VLMHB_RUN_LOCKED'
  | 'VLMHB_ENGINE_FAILED'
  | 'VLMHB_SERVER_FAILED'
  | 'VLMHB_EXECUTOR_FAILED'
  | 'VLMHB_SYNTH_FAILED'
  | 'VLMHB_USAGE';

export interface ErrorLocation {
  file?: string;
  /** 1-based line/row as shown in an editor; the header row is row 1. */
  row?: number;
  column?: string;
  /** Config key path, e.g. `tasks[2].metrics`. */
  key?: string;
}

export function formatLocation(where: ErrorLocation | undefined): string {
  if (!where) return '';
  const parts: string[] = [];
  if (where.file) parts.push(where.file);
  if (where.row !== undefined) parts.push(`row ${where.row}`);
  if (where.column) parts.push(`column "${where.column}"`);
  if (where.key) parts.push(`key ${where.key}`);
  return parts.join(', ');
}

export class VlmhbError extends Error {
  readonly code: ErrorCode;
  readonly where: ErrorLocation | undefined;
  /** Several problems found at once (e.g. every missing prompt key), each with its own location. */
  readonly issues: readonly VlmhbIssue[];

  constructor(
    code: ErrorCode,
    message: string,
    opts: { where?: ErrorLocation; cause?: unknown; issues?: VlmhbIssue[] } = {},
  ) {
    const loc = formatLocation(opts.where);
    super(loc ? `${loc}: ${message}` : message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'VlmhbError';
    this.code = code;
    this.where = opts.where;
    this.issues = opts.issues ?? [];
  }
}

export interface VlmhbIssue {
  code: ErrorCode;
  message: string;
  where?: ErrorLocation;
}

export function isVlmhbError(e: unknown): e is VlmhbError {
  return e instanceof VlmhbError;
}

/** Throws one error listing every issue, so the user fixes them all in one pass. */
export function throwIssues(code: ErrorCode, headline: string, issues: VlmhbIssue[]): never {
  const lines = issues.map((i) => {
    const loc = formatLocation(i.where);
    return `  - ${loc ? `${loc}: ` : ''}${i.message}`;
  });
  throw new VlmhbError(code, `${headline}\n${lines.join('\n')}`, { issues });
}

/**
 * Cell readers for CSV configs. Each returns data: a value, `undefined` for "use the default", or
 * `{ error }` for the caller to turn into a located issue.
 */
export type CellResult<T> = { value: T | undefined } | { error: string };

/**
 * A list cell: a Python list literal as the original writes it (`['CER', 'WER']`, `["by_id"]`),
 * JSON, or the seed's JSON wrapped in single quotes (`'["WER", "CER"]'`). Empty, `""`, `''` and `[]`
 * mean "default". With `allowScalar`, a bare value is a one-element list (the original's filters).
 */
export function parseListCell(cell: string, allowScalar = false): CellResult<string[]> {
  let s = cell.trim();
  if (isWrapped(s, "'") && s.slice(1, -1).trim().startsWith('[')) s = s.slice(1, -1).trim();
  if (s === '' || s === '""' || s === "''" || s === 'None' || s === 'nan') return { value: undefined };
  if (!s.startsWith('[')) {
    if (allowScalar) return { value: [unquote(s)] };
    return { error: `expected a list such as ['CER', 'WER'], got ${JSON.stringify(cell)}` };
  }
  const items = parseListLiteral(s);
  if (items === undefined)
    return { error: `cannot read list ${JSON.stringify(cell)}; write it as ['CER', 'WER']` };
  return { value: items.length === 0 ? undefined : items };
}

/** True for a cell written as a list literal: `[...]`, or the seed's `'[...]'`. */
export function isListCell(cell: string): boolean {
  let s = cell.trim();
  if (isWrapped(s, "'")) s = s.slice(1, -1).trim();
  return s.startsWith('[') && s.endsWith(']');
}

/** Parses `[item, item, ...]` where items are '…' or "…" strings (backslash escapes) or bare words. */
function parseListLiteral(s: string): string[] | undefined {
  if (!s.endsWith(']')) return undefined;
  const body = s.slice(1, -1);
  const items: string[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < body.length && /\s/.test(body[i]!)) i++;
  };
  skipSpace();
  if (i === body.length) return items;
  for (;;) {
    skipSpace();
    const q = body[i];
    let item = '';
    if (q === '"' || q === "'") {
      i++;
      for (;;) {
        if (i >= body.length) return undefined;
        const c = body[i]!;
        if (c === '\\' && i + 1 < body.length) {
          item += body[i + 1];
          i += 2;
          continue;
        }
        if (c === q) {
          i++;
          break;
        }
        item += c;
        i++;
      }
    } else {
      while (i < body.length && body[i] !== ',') item += body[i++];
      item = item.trim();
      if (item === '' || /["'[\]]/.test(item)) return undefined;
    }
    items.push(item);
    skipSpace();
    if (i === body.length) return items;
    if (body[i] !== ',') return undefined;
    i++;
    skipSpace();
    // Python allows a trailing comma.
    if (i === body.length) return items;
  }
}

/**
 * A boolean cell: True/False in any case, 1/0, yes/no. `Fasle` is read as False because the seed's
 * own example config has that typo and a config copied from it must mean what its author meant.
 */
export function parseBoolCell(cell: string): CellResult<boolean> {
  const s = unquote(cell.trim()).toLowerCase();
  if (s === '') return { value: undefined };
  if (['true', '1', 'yes'].includes(s)) return { value: true };
  if (['false', 'fasle', '0', 'no'].includes(s)) return { value: false };
  return { error: `expected True or False, got ${JSON.stringify(cell)}` };
}

/** A text cell; the seed writes file names as `"sys_prompt_3.txt"` inside an unquoted cell. */
export function parseTextCell(cell: string): string | undefined {
  const s = unquote(cell.trim()).trim();
  return s === '' ? undefined : s;
}

/** A number cell; a non-number is passed on as text so the schema reports it at its column. */
export function parseNumberCell(cell: string): number | string | undefined {
  const s = unquote(cell.trim()).trim();
  if (s === '') return undefined;
  return /^[+-]?\d+(\.\d+)?$/.test(s) ? Number(s) : s;
}

function isWrapped(s: string, q: string): boolean {
  return s.length >= 2 && s.startsWith(q) && s.endsWith(q);
}

function unquote(s: string): string {
  if (isWrapped(s, '"') || isWrapped(s, "'")) return s.slice(1, -1);
  return s;
}

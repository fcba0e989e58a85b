/**
 * Reads a Python list literal of strings (and numbers), as VLMEvalKit writes a list of acceptable
 * answers into a TSV cell: `['42', "it's", 7]`. VLMEvalKit reads it back with Python's `eval`; we never
 * evaluate anything — this scanner accepts only string and number items. Returns undefined for text
 * that is not such a list, so a plain answer that merely starts with `[` stays one answer.
 */
export function parsePythonList(cell: string): string[] | undefined {
  const s = cell.trim();
  if (!s.startsWith('[') || !s.endsWith(']')) return undefined;
  const out: string[] = [];
  let i = 1;
  const skipSpace = () => {
    while (i < s.length && /\s/.test(s[i] ?? '')) i++;
  };
  skipSpace();
  if (s[i] === ']') return i === s.length - 1 ? [] : undefined;
  for (;;) {
    skipSpace();
    const c = s[i];
    if (c === "'" || c === '"') {
      const item = readString(s, i);
      if (!item) return undefined;
      out.push(item.value);
      i = item.end;
    } else {
      const m = /^-?\d+(\.\d+)?/.exec(s.slice(i));
      if (!m) return undefined;
      out.push(m[0]);
      i += m[0].length;
    }
    skipSpace();
    if (s[i] === ',') {
      i++;
      skipSpace();
      if (s[i] === ']') return i === s.length - 1 ? out : undefined;
      continue;
    }
    if (s[i] === ']') return i === s.length - 1 ? out : undefined;
    return undefined;
  }
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '0': '\0',
};

function readString(s: string, start: number): { value: string; end: number } | undefined {
  const quote = s[start];
  let value = '';
  for (let i = start + 1; i < s.length; i++) {
    const c = s[i] as string;
    if (c === quote) return { value, end: i + 1 };
    if (c !== '\\') {
      value += c;
      continue;
    }
    const next = s[i + 1];
    if (next === undefined) return undefined;
    if (next === 'u' || next === 'x') {
      const len = next === 'u' ? 4 : 2;
      const hex = s.slice(i + 2, i + 2 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) return undefined;
      value += String.fromCodePoint(Number.parseInt(hex, 16));
      i += 1 + len;
      continue;
    }
    // Python keeps an unknown escape as written, backslash included.
    value += ESCAPES[next] ?? `\\${next}`;
    i++;
  }
  return undefined;
}

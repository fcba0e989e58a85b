/** Text for HTML element content and quoted attribute values: model output, prompts and paths are untrusted. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * JSON for a `<script type="application/json">` block: `<` becomes \u003c so no string in it can close
 * the element (`</script>`) or open a comment; U+2028/2029 are escaped for older parsers reading it as JS.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Number for a table cell; null/undefined/NaN show as n/a. */
export function fmt(v: number | null | undefined, digits = 4): string {
  return v === null || v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(digits);
}

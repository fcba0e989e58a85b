/**
 * Secrets never reach a result, a log or the terminal. The engine registers each API key it reads; every
 * sink (the answers log, error reports, server-supplied messages) passes its text through `redact`, which
 * replaces registered values and any `Bearer <token>` with a marker. A server that echoes the request's
 * Authorization header in an error body is the case this exists for.
 */
const secrets = new Set<string>();

export const REDACTED = '[REDACTED]';

/** Placeholders local servers accept are not secrets; anything shorter would redact ordinary words. */
const MIN_SECRET_LENGTH = 6;

export function registerSecret(value: string | undefined): void {
  if (value && value.length >= MIN_SECRET_LENGTH && value !== 'EMPTY') secrets.add(value);
}

const BEARER = /\b(Bearer)\s+[^\s"'\\,;]+/gi;

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join(REDACTED);
    // The same value as it appears inside JSON text (quotes and backslashes escaped).
    const escaped = JSON.stringify(s).slice(1, -1);
    if (escaped !== s && out.includes(escaped)) out = out.split(escaped).join(REDACTED);
  }
  return out.replace(BEARER, (_m, word: string) => `${word} ${REDACTED}`);
}

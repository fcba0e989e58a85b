/**
 * POSIX shell quoting for the generated job scripts: every config value (paths, model names, environment
 * values) goes through here, so nothing from a config is ever parsed by the shell. Single quotes keep
 * everything literal; a single quote itself is closed, escaped and reopened (`'\''`). NUL cannot be in a
 * shell word at all, so it is refused rather than silently cut.
 */
export function shQuote(value: string): string {
  if (value.includes('\0')) throw new Error('a shell word cannot contain a NUL character');
  if (value !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** An argv as one shell command line, each word quoted. */
export function shJoin(argv: readonly string[]): string {
  return argv.map(shQuote).join(' ');
}

/** Environment variable names a shell accepts in `export NAME=...`. */
export function isEnvName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

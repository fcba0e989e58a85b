import { InvalidArgumentError } from 'commander';

/**
 * Flag value parsers shared by every command's declaration, so one flag kind gets one wording whatever
 * the bad value: `--concurrency 0`, `-1`, `abc` and `1.5` all read "must be a positive integer".
 * Commander turns the thrown InvalidArgumentError into a usage error (exit 2, see main.ts).
 */

/** Whole numbers ≥ 1: counts, sizes, concurrency. */
export function positiveInt(flag: string) {
  return (v: string): number => {
    const n = Number(v.trim());
    if (v.trim() === '' || !Number.isInteger(n) || n < 1)
      throw new InvalidArgumentError(`${flag} must be a positive integer (got "${v}")`);
    return n;
  };
}

/** Whole numbers ≥ 0 where 0 means something (a seed, "any free port"). */
export function nonNegativeInt(flag: string) {
  return (v: string): number => {
    const n = Number(v.trim());
    if (v.trim() === '' || !Number.isInteger(n) || n < 0)
      throw new InvalidArgumentError(`${flag} must be a non-negative integer (got "${v}")`);
    return n;
  };
}

/** Finite numbers > 0 (rates, shapes). */
export function positiveNumber(flag: string) {
  return (v: string): number => {
    const n = Number(v.trim());
    if (v.trim() === '' || !Number.isFinite(n) || n <= 0)
      throw new InvalidArgumentError(`${flag} must be a positive number (got "${v}")`);
    return n;
  };
}

/** A share from 0 to 1 (an error rate). */
export function share(flag: string) {
  return (v: string): number => {
    const n = Number(v.trim());
    if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
      throw new InvalidArgumentError(`${flag} must be a number from 0 to 1 (got "${v}")`);
    return n;
  };
}

/** Comma separated values, blanks dropped. */
export function list(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A comma separated list whose every item passes `item`; the error names the bad item. */
export function listOf<T>(item: (v: string) => T) {
  return (v: string): T[] => list(v).map(item);
}

/** Request rates as `vllm bench serve` spells them: positive numbers or `inf` (all at once). */
export function requestRates(flag: string) {
  const num = positiveNumber(flag);
  return (v: string): string[] =>
    list(v).map((r) => {
      if (r.toLowerCase() === 'inf') return 'inf';
      try {
        num(r);
      } catch {
        throw new InvalidArgumentError(`${flag} must be positive numbers or inf (got "${r}")`);
      }
      return r;
    });
}

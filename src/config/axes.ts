/**
 * Sweeps: a YAML task (or `defaults`) may give a list for an axis, and the task is expanded into one
 * task per combination. Pure: works on the raw, defaults-merged task object before normalisation, so
 * every expanded task is validated by the same code as a hand-written one.
 */

/** The axes a list may be given for, in expansion order: the first varies slowest. */
export const AXES = [
  'model',
  'framework',
  'prompt_collection',
  'system_prompt',
  'long_side',
  'max_pixels',
  'mode',
] as const;

export type Axis = (typeof AXES)[number];

/** Most tasks one config may expand into; a bigger product is almost surely a typo, and unrunnable. */
export const MAX_EXPANDED_TASKS = 10_000;

/** Which list element an expanded task took, per axis given as a list. */
export interface AxisPick {
  axis: Axis;
  index: number;
}

export interface Combination {
  input: Record<string, unknown>;
  /** Empty when the task had no lists: the task as written. */
  picks: AxisPick[];
}

/** Axes of `input` written as lists, with their values, in AXES order. */
export function listAxes(input: Record<string, unknown>): { axis: Axis; values: unknown[] }[] {
  const out: { axis: Axis; values: unknown[] }[] = [];
  for (const axis of AXES) {
    const v = input[axis];
    if (Array.isArray(v)) out.push({ axis, values: v });
  }
  return out;
}

/** How many tasks `input` expands into. */
export function combinationCount(input: Record<string, unknown>): number {
  return listAxes(input).reduce((n, a) => n * a.values.length, 1);
}

/**
 * The cartesian product over the list axes: axes in AXES order, values in the order written, the
 * first axis varying slowest. A task without lists comes back as itself.
 */
export function expandAxes(input: Record<string, unknown>): Combination[] {
  let combos: Combination[] = [{ input: { ...input }, picks: [] }];
  for (const { axis, values } of listAxes(input)) {
    combos = combos.flatMap((c) =>
      values.map((value, index) => ({
        input: { ...c.input, [axis]: value },
        picks: [...c.picks, { axis, index }],
      })),
    );
  }
  return combos;
}

/** `model[0], long_side[1]`: names a combination in source keys. */
export function picksLabel(picks: AxisPick[]): string {
  return picks.map((p) => `${p.axis}[${p.index}]`).join(', ');
}

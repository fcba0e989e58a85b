import { isNode, LineCounter, parseDocument } from 'yaml';
import type { ErrorLocation, VlmhbIssue } from '../errors.js';
import { combinationCount, expandAxes, MAX_EXPANDED_TASKS, picksLabel } from './axes.js';
import type { RawConfig, RawTask } from './raw.js';
import { ConfigFileSchema } from './schema.js';

/**
 * Parse step for YAML (and JSON, a YAML subset) configs: structure checked with the schema, then
 * `defaults` merged into every task. Locations carry both the key path and the editor line.
 */
export function parseYamlConfig(text: string, file: string): RawConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      file,
      tasks: [],
      issues: doc.errors.map((e) => ({
        code: 'VLMHB_CONFIG_INVALID' as const,
        message: `YAML syntax: ${e.message.split('\n')[0]}`,
        where: { file, row: lineCounter.linePos(e.pos[0]).line },
      })),
    };
  }

  /** Editor line of the node at `path`, or of its nearest existing parent. */
  const lineOf = (path: (string | number)[]): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const locate = (path: (string | number)[]): ErrorLocation => {
    const key = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
    const row = lineOf(path);
    return row === undefined ? { file, key } : { file, row, key };
  };

  const data = doc.toJS() as unknown;
  const parsed = ConfigFileSchema.safeParse(data);
  if (!parsed.success) {
    const issues: VlmhbIssue[] = parsed.error.issues.map((i) => {
      const path = i.path.filter((p): p is string | number => typeof p !== 'symbol');
      return { code: 'VLMHB_CONFIG_INVALID', message: i.message, where: locate(path) };
    });
    return { file, tasks: [], issues };
  }

  // The raw objects, not parsed.data: zod fills defaults, which would hide what a task left to `defaults`.
  type RawObject = { filter?: object; slurm?: object; [key: string]: unknown };
  const root = data as { defaults?: RawObject; tasks: RawObject[] };
  const defaults = root.defaults ?? {};
  const merged = root.tasks.map((task) => {
    const input: RawObject = { ...defaults, ...task };
    if (defaults.filter !== undefined || task.filter !== undefined) {
      input.filter = { ...defaults.filter, ...task.filter };
    }
    // Cluster-wide settings (partition, account) in defaults, per-task ones (gres, time) beside the task.
    if (defaults.slurm !== undefined || task.slurm !== undefined) {
      input.slurm = { ...defaults.slurm, ...task.slurm };
    }
    return input;
  });

  // Count before expanding, so a runaway product is refused without being built.
  const counts = merged.map(combinationCount);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total > MAX_EXPANDED_TASKS) {
    const parts = counts.flatMap((n, i) => (n > 1 ? [`tasks[${i}]: ${n}`] : []));
    return {
      file,
      tasks: [],
      issues: [
        {
          code: 'VLMHB_CONFIG_INVALID',
          message: `the lists expand into ${total} tasks (${parts.join(', ')}); at most ${MAX_EXPANDED_TASKS} are allowed`,
          where: locate(['tasks']),
        },
      ],
    };
  }

  const tasks: RawTask[] = [];
  merged.forEach((written, index) => {
    const row = lineOf(['tasks', index]);
    for (const { input, picks } of expandAxes(written)) {
      const where = (field: string): ErrorLocation => {
        const fieldPath = field.split('.');
        const own = doc.getIn(['tasks', index, ...fieldPath], true);
        // A field taken from a list is located at its element, e.g. tasks[1].model[2].
        const pick = picks.find((p) => p.axis === field);
        const parts: (string | number)[] = pick ? [...fieldPath, pick.index] : fieldPath;
        const fromDefaults = own === undefined && doc.getIn(['defaults', ...parts], true) !== undefined;
        const loc = locate(fromDefaults ? ['defaults', ...parts] : ['tasks', index, ...parts]);
        // Name the task even when the value came from defaults, so the user knows which task failed.
        return fromDefaults ? { ...loc, key: `tasks[${index}] (from ${loc.key})` } : loc;
      };
      // Which combination this is, so two expanded tasks never share a name in messages.
      const key = picks.length > 0 ? `tasks[${index}] (${picksLabel(picks)})` : `tasks[${index}]`;
      tasks.push({
        index: tasks.length,
        source: row === undefined ? { file, key } : { file, row, key },
        input,
        where,
      });
    }
  });
  const out: RawConfig = { file, tasks, issues: [] };
  if (parsed.data.data_root !== undefined) out.dataRoot = parsed.data.data_root;
  if (parsed.data.dirs) out.dirs = parsed.data.dirs;
  return out;
}

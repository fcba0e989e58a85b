import { isNode, LineCounter, parseDocument } from 'yaml';
import type { ErrorLocation, VlmhbIssue } from '../errors.js';
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
  const tasks: RawTask[] = root.tasks.map((task, index) => {
    const input: RawObject = { ...defaults, ...task };
    if (defaults.filter !== undefined || task.filter !== undefined) {
      input.filter = { ...defaults.filter, ...task.filter };
    }
    // Cluster-wide settings (partition, account) in defaults, per-task ones (gres, time) beside the task.
    if (defaults.slurm !== undefined || task.slurm !== undefined) {
      input.slurm = { ...defaults.slurm, ...task.slurm };
    }
    const where = (field: string): ErrorLocation => {
      const parts = field.split('.');
      const own = doc.getIn(['tasks', index, ...parts], true);
      const fromDefaults = own === undefined && doc.getIn(['defaults', ...parts], true) !== undefined;
      const loc = locate(fromDefaults ? ['defaults', ...parts] : ['tasks', index, ...parts]);
      // Name the task even when the value came from defaults, so the user knows which task failed.
      return fromDefaults ? { ...loc, key: `tasks[${index}] (from ${loc.key})` } : loc;
    };
    const row = lineOf(['tasks', index]);
    return {
      index,
      source: row === undefined ? { file, key: `tasks[${index}]` } : { file, row, key: `tasks[${index}]` },
      input,
      where,
    };
  });
  const out: RawConfig = { file, tasks, issues: [] };
  if (parsed.data.data_root !== undefined) out.dataRoot = parsed.data.data_root;
  if (parsed.data.dirs) out.dirs = parsed.data.dirs;
  return out;
}

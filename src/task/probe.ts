import type { PlannedTask } from '../config/types.js';
import type { Engine, ServerInfo } from '../engines/types.js';
import { VlmhbError } from '../errors.js';

/**
 * A remote server is probed once before the first question: unreachable, unhealthy or not serving the
 * configured model stops the task with one error that names the config cell to fix.
 */
export async function checkServer(
  task: PlannedTask,
  engine: Engine,
  signal: AbortSignal | undefined,
): Promise<ServerInfo | undefined> {
  if (!engine.probe) return undefined;
  const info = await engine.probe(signal);
  const at = (column: string) => ({
    where: { file: task.source.file, ...(task.source.row ? { row: task.source.row } : {}), column },
  });
  if (!info.healthy) {
    throw new VlmhbError(
      'VLMHB_SERVER_FAILED',
      `${task.framework} server at ${info.url} is not ready: ${info.problem ?? 'unknown problem'}`,
      at('base_url'),
    );
  }
  if (info.models.length > 0 && !info.models.includes(task.model)) {
    throw new VlmhbError(
      'VLMHB_CONFIG_INVALID',
      `model "${task.model}" is not served at ${info.url}; it serves: ${info.models.slice(0, 20).join(', ')}`,
      at('model'),
    );
  }
  return info;
}

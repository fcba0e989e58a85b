import { withAnswerCache } from '../cache/engine.js';
import { AnswerCache } from '../cache/store.js';
import type { PlannedTask } from '../config/types.js';
import { loadEngineFactory } from '../engines/registry.js';
import type { Engine } from '../engines/types.js';

/**
 * The engine a task asks, created as the runner would and wrapped in the shared answer cache unless
 * `cache` is false (`--no-cache`). Passing it to runTask as `engine` makes every answer cache-backed
 * without touching the runner; the caller closes it.
 */
export async function createTaskEngine(
  task: PlannedTask,
  cache: AnswerCache | false | undefined = AnswerCache.open(),
): Promise<Engine> {
  const factory = await loadEngineFactory(task.framework);
  const engine = await factory.create({
    model: task.model,
    ...(task.baseUrl ? { baseUrl: task.baseUrl } : {}),
    ...(task.apiKeyEnv ? { apiKeyEnv: task.apiKeyEnv } : {}),
    ...(task.timeoutMs !== undefined ? { timeoutMs: task.timeoutMs } : {}),
    ...(task.maxRetries !== undefined ? { maxRetries: task.maxRetries } : {}),
    ...(task.params ? { params: task.params } : {}),
  });
  return withAnswerCache(engine, cache || undefined);
}

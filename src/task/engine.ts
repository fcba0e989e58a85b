import type { PlannedTask } from '../config/types.js';
import { loadEngineFactory } from '../engines/registry.js';
import type { Engine } from '../engines/types.js';

/** The engine that asks this task's questions; `baseUrl` is the started server's when an executor started one. */
export async function createEngine(task: PlannedTask, baseUrl: string | undefined): Promise<Engine> {
  const factory = await loadEngineFactory(task.framework);
  return factory.create({
    model: task.model,
    ...(baseUrl ? { baseUrl } : {}),
    ...(task.apiKeyEnv ? { apiKeyEnv: task.apiKeyEnv } : {}),
    ...(task.timeoutMs !== undefined ? { timeoutMs: task.timeoutMs } : {}),
    ...(task.maxRetries !== undefined ? { maxRetries: task.maxRetries } : {}),
    ...(task.params ? { params: task.params } : {}),
  });
}

import type { PlannedTask } from '../config/types.js';
import { loadEngineFactory } from '../engines/registry.js';
import type { Engine, EngineOptions } from '../engines/types.js';

/**
 * The engine that asks this task's questions. `server` is the base URL of a server an executor started:
 * then every framework, the embedded OCR engine included (served by `vlmhb serve`), is asked over HTTP
 * through the OpenAI-compatible client, as a user's own server would be.
 */
export async function createEngine(
  task: PlannedTask,
  baseUrl: string | undefined,
  opts: { startedServer?: boolean } = {},
): Promise<Engine> {
  const engineOpts: EngineOptions = {
    model: task.model,
    ...(baseUrl ? { baseUrl } : {}),
    ...(task.apiKeyEnv ? { apiKeyEnv: task.apiKeyEnv } : {}),
    ...(task.timeoutMs !== undefined ? { timeoutMs: task.timeoutMs } : {}),
    ...(task.maxRetries !== undefined ? { maxRetries: task.maxRetries } : {}),
    ...(task.params ? { params: task.params } : {}),
  };
  if (opts.startedServer) {
    const { createOpenAICompatibleEngine } = await import('../engines/openai/engine.js');
    return createOpenAICompatibleEngine(task.framework, engineOpts);
  }
  const factory = await loadEngineFactory(task.framework);
  return factory.create(engineOpts);
}

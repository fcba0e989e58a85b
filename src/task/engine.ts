import type { PlannedTask } from '../config/types.js';
import { loadEngineFactory } from '../engines/registry.js';
import type { Engine } from '../engines/types.js';
import { startsServer } from './server.js';

/** The engine that asks this task's questions; `baseUrl` is the started server's when an executor started one. */
export async function createEngine(task: PlannedTask, baseUrl: string | undefined): Promise<Engine> {
  // A server an executor started is asked over HTTP like any model server, the embedded engine included
  // (its own factory runs Tesseract in-process and would leave the started `vlmhb serve` idle).
  const factory =
    startsServer(task) && baseUrl
      ? (await import('../engines/openai/engine.js')).openAICompatibleFactory(task.framework)
      : await loadEngineFactory(task.framework);
  return factory.create({
    model: task.model,
    ...(baseUrl ? { baseUrl } : {}),
    ...(task.apiKeyEnv ? { apiKeyEnv: task.apiKeyEnv } : {}),
    ...(task.timeoutMs !== undefined ? { timeoutMs: task.timeoutMs } : {}),
    ...(task.maxRetries !== undefined ? { maxRetries: task.maxRetries } : {}),
    ...(task.params ? { params: task.params } : {}),
  });
}

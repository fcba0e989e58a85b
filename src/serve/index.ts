import { loadEngineFactory } from '../engines/registry.js';
import type { EngineOptions } from '../engines/types.js';
import { VlmhbError } from '../errors.js';
import { type RunningServer, startServer } from './server.js';

export { type RunningServer, type ServeOptions, startServer } from './server.js';

export interface ServeCommandOptions {
  framework: string;
  /** @default 'tesseract-5' for tesseract; the engine's model id otherwise. */
  model?: string;
  host?: string;
  port?: number;
  params?: Record<string, unknown>;
  /** OpenAI-compatible URL a remote framework (vllm, sglang, ...) is proxied to; required for those. */
  upstream?: string;
  /** Environment variable holding the upstream's API key. */
  apiKeyEnv?: string;
}

/**
 * `vlmhb serve --framework tesseract --port P`: builds the engine from the registry and serves it until
 * `close()` (the CLI closes on SIGINT/SIGTERM).
 */
export async function serveFramework(
  opts: ServeCommandOptions,
): Promise<RunningServer & { close(): Promise<void> }> {
  const factory = await loadEngineFactory(opts.framework);
  // A remote framework served here is a proxy: guessing its address (127.0.0.1:8000) would serve
  // whatever happens to listen there, or nothing, under the framework's name.
  if (factory.remote && !opts.upstream) {
    throw new VlmhbError(
      'VLMHB_USAGE',
      `serve --framework ${opts.framework} proxies a running ${opts.framework} server: give its URL with ` +
        '--upstream, e.g. --upstream http://127.0.0.1:8000/v1 (only tesseract runs inside vlmhb serve)',
    );
  }
  const model = opts.model ?? (factory.framework === 'tesseract' ? 'tesseract-5' : '');
  const engineOpts: EngineOptions = { model };
  if (opts.upstream) engineOpts.baseUrl = opts.upstream;
  if (opts.apiKeyEnv) engineOpts.apiKeyEnv = opts.apiKeyEnv;
  if (opts.params) engineOpts.params = opts.params;
  const engine = await factory.create(engineOpts);
  const serveOpts: Parameters<typeof startServer>[0] = { engine, modelName: model || factory.framework };
  if (opts.host !== undefined) serveOpts.host = opts.host;
  if (opts.port !== undefined) serveOpts.port = opts.port;
  const server = await startServer(serveOpts);
  return {
    ...server,
    close: async () => {
      await server.close();
      await engine.close();
    },
  };
}

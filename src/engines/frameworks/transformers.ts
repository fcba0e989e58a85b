import { hostOf } from './shared.js';
import type { FrameworkAdapter, LaunchOptions } from './types.js';

/**
 * Hugging Face Transformers (`transformers serve`), the original project's "Hugging Face" framework.
 * Sources:
 * - https://huggingface.co/docs/transformers/main/serve-cli/serving — `transformers serve`, default
 *   http://localhost:8000, /v1/chat/completions (text and image), /v1/models; needs
 *   `pip install transformers[serving]`.
 * - Model cards (e.g. Qwen/Qwen3.5-4B) document `transformers serve --force-model M --port 8000
 *   --continuous-batching`.
 * The docs list no flags for dtype, context length, pixel bounds or memory fraction, and no JSON-schema
 * request field, so those are not emitted (use `extraArgs`); per-document extraction validates the JSON
 * the model writes. No official container image is published for the server.
 */
export const transformersAdapter: FrameworkAdapter = {
  id: 'transformers',
  displayName: 'Hugging Face Transformers (transformers serve)',
  defaultPort: 8000,
  needsGpu: true,
  // The serve CLI has /v1/models but no documented health route; the model list answering means ready.
  healthPath: '/v1/models',
  modelsPath: '/v1/models',
  features: {
    streaming: true,
    jsonSchema: 'none',
    seed: false,
    logprobs: false,
    streamUsage: false,
    maxTokensField: 'max_tokens',
  },
  launch(opts: LaunchOptions) {
    const argv = ['transformers', 'serve', '--force-model', opts.model];
    argv.push('--host', hostOf(opts), '--port', String(opts.port ?? 8000), '--continuous-batching');
    argv.push(...(opts.extraArgs ?? []));
    return { argv, env: {} };
  },
  docs: ['https://huggingface.co/docs/transformers/main/serve-cli/serving'],
};

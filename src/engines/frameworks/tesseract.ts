import { hostOf } from './shared.js';
import type { FrameworkAdapter, LaunchOptions } from './types.js';

/**
 * The embedded Tesseract engine, served by our own `vlmhb serve` (src/serve/server.ts) so it can be measured
 * over HTTP like the VLM servers. It reads text, so it has no constrained decoding, seed or logprobs.
 */
export const tesseractAdapter: FrameworkAdapter = {
  id: 'tesseract',
  displayName: 'Tesseract OCR (embedded; vlmhb serve)',
  defaultPort: 8765,
  needsGpu: false,
  healthPath: '/health',
  modelsPath: '/v1/models',
  features: {
    streaming: true,
    jsonSchema: 'none',
    seed: false,
    logprobs: false,
    streamUsage: true,
    maxTokensField: 'max_tokens',
  },
  launch(opts: LaunchOptions) {
    const argv = ['vlmhb', 'serve', '--framework', 'tesseract', '--model', opts.model];
    argv.push('--host', hostOf(opts), '--port', String(opts.port ?? 8765), ...(opts.extraArgs ?? []));
    return { argv, env: { OMP_THREAD_LIMIT: '1' } };
  },
  docs: ['src/serve/server.ts'],
};

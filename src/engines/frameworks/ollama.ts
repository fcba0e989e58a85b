import { hostOf } from './shared.js';
import type { FrameworkAdapter, LaunchOptions } from './types.js';

/**
 * Ollama. Sources:
 * - https://docs.ollama.com/api/openai-compatibility — base http://localhost:11434/v1/, key "required but
 *   ignored"; /v1/chat/completions supports streaming, vision (base64 image content), `response_format`,
 *   `seed`, `stream_options.include_usage`, `max_tokens`, logprobs; /v1/models.
 * - https://docs.ollama.com/faq — `ollama serve` reads OLLAMA_HOST (host:port) and OLLAMA_CONTEXT_LENGTH;
 *   GET / answers "Ollama is running"; GET /api/version. Image: ollama/ollama.
 * Ollama loads models it has pulled (`ollama pull MODEL`) on first request; the server itself takes none.
 */
export const ollamaAdapter: FrameworkAdapter = {
  id: 'ollama',
  displayName: 'Ollama',
  defaultPort: 11434,
  needsGpu: true,
  defaultImage: 'ollama/ollama:latest',
  healthPath: '/',
  modelsPath: '/v1/models',
  versionPath: '/api/version',
  features: {
    streaming: true,
    jsonSchema: 'response_format',
    seed: true,
    logprobs: true,
    streamUsage: true,
    maxTokensField: 'max_tokens',
  },
  launch(opts: LaunchOptions) {
    const env: Record<string, string> = { OLLAMA_HOST: `${hostOf(opts)}:${opts.port ?? 11434}` };
    if (opts.maxModelLen !== undefined) env['OLLAMA_CONTEXT_LENGTH'] = String(opts.maxModelLen);
    return { argv: ['ollama', 'serve', ...(opts.extraArgs ?? [])], env };
  },
  docs: ['https://docs.ollama.com/api/openai-compatibility', 'https://docs.ollama.com/faq'],
};

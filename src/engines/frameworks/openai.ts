import type { FrameworkAdapter } from './types.js';

/**
 * Any OpenAI-compatible URL, cloud or self-hosted: nothing to launch. Sources:
 * - https://platform.openai.com/docs/api-reference/chat/create — `max_completion_tokens` (max_tokens is
 *   deprecated and rejected by reasoning models), `seed`, `logprobs`, `stream_options.include_usage`.
 * - https://platform.openai.com/docs/guides/structured-outputs — `response_format: {type: 'json_schema',
 *   json_schema: {name, schema, strict}}`.
 * The key comes from the environment variable the config names (default OPENAI_API_KEY) and is never stored.
 */
export const openaiAdapter: FrameworkAdapter = {
  id: 'openai',
  displayName: 'OpenAI-compatible API',
  defaultPort: 443,
  needsGpu: false,
  healthPath: '/v1/models',
  modelsPath: '/v1/models',
  features: {
    streaming: true,
    jsonSchema: 'response_format',
    seed: true,
    logprobs: true,
    streamUsage: true,
    maxTokensField: 'max_completion_tokens',
  },
  launch() {
    return { argv: [], env: {} };
  },
  defaultApiKeyEnv: 'OPENAI_API_KEY',
  docs: [
    'https://platform.openai.com/docs/api-reference/chat/create',
    'https://platform.openai.com/docs/guides/structured-outputs',
  ],
};

import { hostOf, pushOpt } from './shared.js';
import type { FrameworkAdapter, LaunchOptions } from './types.js';

/**
 * llama.cpp `llama-server`. Sources:
 * - https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md — `-m FILE --mmproj FILE
 *   --host (127.0.0.1) --port (8080) -c/--ctx-size -ngl/--n-gpu-layers --alias`; GET /health
 *   ({"status":"ok"} once loaded), /v1/models, /props (build_info); OpenAI chat takes
 *   `response_format: {type: 'json_schema', json_schema: {schema}}`.
 * - Docker: https://github.com/ggml-org/llama.cpp/blob/master/docs/docker.md — ghcr.io/ggml-org/llama.cpp:server
 *   (`:server-cuda` for NVIDIA).
 * The GGUF files are given as paths, so `model` is the model file and `mmproj` the vision projector.
 */
export const llamacppAdapter: FrameworkAdapter = {
  id: 'llamacpp',
  displayName: 'llama.cpp (llama-server)',
  defaultPort: 8080,
  needsGpu: true,
  defaultImage: 'ghcr.io/ggml-org/llama.cpp:server',
  healthPath: '/health',
  modelsPath: '/v1/models',
  versionPath: '/props',
  features: {
    streaming: true,
    jsonSchema: 'response_format',
    seed: true,
    logprobs: true,
    streamUsage: true,
    maxTokensField: 'max_tokens',
  },
  launch(opts: LaunchOptions) {
    const argv = ['llama-server', '-m', opts.model];
    pushOpt(argv, '--mmproj', opts.mmproj);
    argv.push('--host', hostOf(opts), '--port', String(opts.port ?? 8080));
    pushOpt(argv, '--ctx-size', opts.maxModelLen);
    pushOpt(argv, '--alias', opts.servedModelName);
    argv.push(...(opts.extraArgs ?? []));
    return { argv, env: {} };
  },
  docs: [
    'https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md',
    'https://github.com/ggml-org/llama.cpp/blob/master/docs/docker.md',
  ],
};

import { hostOf, pushOpt } from './shared.js';
import type { FrameworkAdapter, LaunchOptions } from './types.js';

/**
 * SGLang. Sources:
 * - Server arguments: https://docs.sglang.ai/advanced_features/server_arguments.html
 *   (`python3 -m sglang.launch_server --model-path --host --port (default 30000) --dtype --context-length
 *   --mem-fraction-static --trust-remote-code --served-model-name`).
 * - Endpoints: /health, /v1/models, /get_server_info (server args and `version`), sgl-project/sglang
 *   python/sglang/srt/entrypoints/http_server.py. Image: lmsysorg/sglang (docs "Install → Docker").
 * - Docker: https://docs.sglang.ai/get_started/install.html — `docker run --gpus all --shm-size 32g --ipc=host
 *   -v ~/.cache/huggingface:/root/.cache/huggingface lmsysorg/sglang:latest python3 -m sglang.launch_server …`.
 * - Structured outputs: https://docs.sglang.ai/advanced_features/structured_outputs.html — OpenAI
 *   `response_format: {type: 'json_schema', json_schema: {name, schema}}`.
 * SGLang has no documented server flag for images per prompt or pixel bounds: those options are left out
 * (pass `extraArgs` if a version adds them).
 */
export const sglangAdapter: FrameworkAdapter = {
  id: 'sglang',
  displayName: 'SGLang',
  defaultPort: 30000,
  needsGpu: true,
  defaultImage: 'lmsysorg/sglang:latest',
  container: { ipcHost: true, shmSize: '32g', modelCache: '/root/.cache/huggingface' },
  healthPath: '/health',
  modelsPath: '/v1/models',
  versionPath: '/get_server_info',
  features: {
    streaming: true,
    jsonSchema: 'response_format',
    seed: true,
    logprobs: true,
    streamUsage: true,
    maxTokensField: 'max_tokens',
  },
  launch(opts: LaunchOptions) {
    const argv = ['python3', '-m', 'sglang.launch_server', '--model-path', opts.model];
    argv.push('--host', hostOf(opts), '--port', String(opts.port ?? 30000));
    pushOpt(argv, '--dtype', opts.dtype);
    pushOpt(argv, '--context-length', opts.maxModelLen);
    pushOpt(argv, '--mem-fraction-static', opts.gpuMemoryFraction);
    if (opts.trustRemoteCode) argv.push('--trust-remote-code');
    pushOpt(argv, '--served-model-name', opts.servedModelName);
    argv.push(...(opts.extraArgs ?? []));
    return { argv, env: {} };
  },
  docs: [
    'https://docs.sglang.ai/advanced_features/server_arguments.html',
    'https://docs.sglang.ai/advanced_features/structured_outputs.html',
  ],
};

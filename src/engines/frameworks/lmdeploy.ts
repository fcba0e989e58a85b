import { hostOf, pushOpt } from './shared.js';
import type { FrameworkAdapter, LaunchOptions } from './types.js';

/**
 * LMDeploy. Sources:
 * - https://lmdeploy.readthedocs.io/en/latest/llm/api_server.html — `lmdeploy serve api_server MODEL
 *   --server-name --server-port (default 23333) --backend --dtype --session-len --cache-max-entry-count
 *   --model-name`; OpenAI routes /v1/chat/completions, /v1/models; image openmmlab/lmdeploy.
 * - https://lmdeploy.readthedocs.io/en/latest/advance/structed_output.html — API server takes
 *   `response_format: {type: 'json_schema', json_schema: {name, schema}}`.
 * `--cache-max-entry-count` is the share of free GPU memory for the k/v cache, the closest knob to a memory
 * fraction. LMDeploy has `/health` on its api_server (lmdeploy/serve/openai/api_server.py).
 * - docs/en/serving/api_server.md "Deploying with docker" — `docker run --gpus all -v
 *   ~/.cache/huggingface:/root/.cache/huggingface -p 23333:23333 --ipc=host openmmlab/lmdeploy:latest …`.
 */
export const lmdeployAdapter: FrameworkAdapter = {
  id: 'lmdeploy',
  displayName: 'LMDeploy',
  defaultPort: 23333,
  needsGpu: true,
  defaultImage: 'openmmlab/lmdeploy:latest',
  container: { ipcHost: true, modelCache: '/root/.cache/huggingface' },
  healthPath: '/health',
  modelsPath: '/v1/models',
  features: {
    streaming: true,
    jsonSchema: 'response_format',
    seed: true,
    logprobs: true,
    streamUsage: true,
    maxTokensField: 'max_tokens',
  },
  launch(opts: LaunchOptions) {
    const argv = ['lmdeploy', 'serve', 'api_server', opts.model];
    argv.push('--server-name', hostOf(opts), '--server-port', String(opts.port ?? 23333));
    pushOpt(argv, '--dtype', opts.dtype);
    pushOpt(argv, '--session-len', opts.maxModelLen);
    pushOpt(argv, '--cache-max-entry-count', opts.gpuMemoryFraction);
    pushOpt(argv, '--model-name', opts.servedModelName);
    argv.push(...(opts.extraArgs ?? []));
    return { argv, env: {} };
  },
  docs: [
    'https://lmdeploy.readthedocs.io/en/latest/llm/api_server.html',
    'https://lmdeploy.readthedocs.io/en/latest/advance/structed_output.html',
  ],
};

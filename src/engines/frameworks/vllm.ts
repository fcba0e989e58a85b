import { hostOf, pushOpt } from './shared.js';
import type { FrameworkAdapter, LaunchOptions } from './types.js';

/**
 * vLLM. Sources:
 * - CLI: https://docs.vllm.ai/en/latest/cli/serve/ (`vllm serve MODEL --host --port --dtype --max-model-len
 *   --gpu-memory-utilization --trust-remote-code --served-model-name --limit-mm-per-prompt
 *   --mm-processor-kwargs`). `--limit-mm-per-prompt` takes JSON (`'{"image": 1}'`) in current versions; the
 *   old `image=1` form is deprecated.
 * - Server: https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html (port 8000, /health,
 *   /v1/models, /version; image vllm/vllm-openai).
 * - Docker: https://docs.vllm.ai/en/latest/deployment/docker.html — `--ipc=host` (or `--shm-size`: PyTorch
 *   shares tensors through shared memory) and `-v ~/.cache/huggingface:/root/.cache/huggingface`.
 * - Structured outputs: https://docs.vllm.ai/en/latest/features/structured_outputs/ — `guided_json` was
 *   replaced by `structured_outputs: {json: ...}` and removed in v0.12.0.
 */
export const vllmAdapter: FrameworkAdapter = {
  id: 'vllm',
  displayName: 'vLLM',
  defaultPort: 8000,
  needsGpu: true,
  defaultImage: 'vllm/vllm-openai:latest',
  container: { ipcHost: true, modelCache: '/root/.cache/huggingface' },
  healthPath: '/health',
  modelsPath: '/v1/models',
  versionPath: '/version',
  features: {
    streaming: true,
    jsonSchema: 'structured_outputs',
    seed: true,
    logprobs: true,
    streamUsage: true,
    maxTokensField: 'max_tokens',
  },
  launch(opts: LaunchOptions) {
    const argv = ['vllm', 'serve', opts.model, '--host', hostOf(opts), '--port', String(opts.port ?? 8000)];
    pushOpt(argv, '--dtype', opts.dtype);
    pushOpt(argv, '--max-model-len', opts.maxModelLen);
    if (opts.imagesPerPrompt !== undefined) {
      argv.push('--limit-mm-per-prompt', JSON.stringify({ image: opts.imagesPerPrompt }));
    }
    const mm: Record<string, number> = {};
    if (opts.minPixels !== undefined) mm['min_pixels'] = opts.minPixels;
    if (opts.maxPixels !== undefined) mm['max_pixels'] = opts.maxPixels;
    // Qwen2-VL / Qwen2.5-VL read min_pixels / max_pixels from the HF processor kwargs.
    if (Object.keys(mm).length > 0) argv.push('--mm-processor-kwargs', JSON.stringify(mm));
    pushOpt(argv, '--gpu-memory-utilization', opts.gpuMemoryFraction);
    if (opts.trustRemoteCode) argv.push('--trust-remote-code');
    pushOpt(argv, '--served-model-name', opts.servedModelName);
    argv.push(...(opts.extraArgs ?? []));
    return { argv, env: {} };
  },
  docs: [
    'https://docs.vllm.ai/en/latest/cli/serve/',
    'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html',
    'https://docs.vllm.ai/en/latest/features/structured_outputs/',
    'https://docs.vllm.ai/en/latest/deployment/docker.html',
  ],
};

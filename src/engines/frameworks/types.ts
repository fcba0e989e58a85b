/**
 * What one inference framework needs from us: how to start its OpenAI-compatible server, how to tell it is
 * ready, and which request fields it understands. One file per framework, registered in `registry.ts`.
 */

/** Where a framework expects the JSON schema of a structured (per-document) answer. */
export type JsonSchemaField =
  /** OpenAI shape: `response_format: {type: 'json_schema', json_schema: {name, schema}}`. */
  | 'response_format'
  /** vLLM ≥ 0.10.2: `structured_outputs: {json: schema}` (replaced `guided_json`, removed in v0.12.0). */
  | 'structured_outputs'
  /** vLLM < 0.10.2: top-level `guided_json: schema`. */
  | 'guided_json'
  /** No constrained decoding: the prompt asks for JSON and we validate what comes back. */
  | 'none';

export interface FrameworkFeatures {
  streaming: boolean;
  jsonSchema: JsonSchemaField;
  seed: boolean;
  logprobs: boolean;
  /** Honours `stream_options: {include_usage: true}` (a final chunk with token usage). */
  streamUsage: boolean;
  /** Which field caps the answer length. OpenAI deprecated `max_tokens` for `max_completion_tokens`. */
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
}

/** Launch settings; each adapter maps those it supports onto its own flags and ignores the rest. */
export interface LaunchOptions {
  /** Hugging Face id or local path (llama.cpp: path of the GGUF file). */
  model: string;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default the adapter's defaultPort */
  port?: number;
  /** e.g. 'auto', 'bfloat16', 'float16'. */
  dtype?: string;
  /** Context length in tokens. */
  maxModelLen?: number;
  /** Most images one request may carry. */
  imagesPerPrompt?: number;
  /** Image-processor pixel bounds (Qwen-VL style `min_pixels` / `max_pixels`). */
  minPixels?: number;
  maxPixels?: number;
  /** Share of GPU memory the server may take, 0..1. */
  gpuMemoryFraction?: number;
  trustRemoteCode?: boolean;
  /** Name clients use in `model`; defaults to `model`. */
  servedModelName?: string;
  /** llama.cpp: the multimodal projector GGUF. */
  mmproj?: string;
  /** Appended verbatim, for flags we do not model. */
  extraArgs?: string[];
}

export interface LaunchSpec {
  /** Program and arguments; never a shell string. Empty for hosted APIs with nothing to start. */
  argv: string[];
  env: Record<string, string>;
}

export interface ContainerNeeds {
  /** Share the host's IPC namespace (`--ipc=host`): PyTorch workers exchange tensors in shared memory. */
  ipcHost?: boolean;
  /** `/dev/shm` size when the IPC namespace is private, Docker syntax (`16g`). */
  shmSize?: string;
  /** Where the server looks for downloaded models inside the container; the host's cache is mounted there. */
  modelCache?: string;
}

export interface FrameworkAdapter {
  id: string;
  displayName: string;
  defaultPort: number;
  /**
   * Whether a server this tool starts for the framework needs a GPU of its own (the scheduler pins one).
   * False for the embedded OCR engine and hosted APIs, which run in the CPU pool.
   */
  needsGpu: boolean;
  /** Container image the project publishes, when it does. */
  defaultImage?: string;
  /** What the server needs when it runs in a container (from the project's Docker docs). */
  container?: ContainerNeeds;
  launch(opts: LaunchOptions): LaunchSpec;
  /** GET path answering 200 once the model is loaded (relative to the server root, not /v1). */
  healthPath: string;
  /** GET path listing served models. */
  modelsPath: string;
  /** GET path reporting the server version, when there is one. */
  versionPath?: string;
  features: FrameworkFeatures;
  /** Environment variable holding the API key when the config names none; undefined = no key needed. */
  defaultApiKeyEnv?: string;
  /** Where the facts above come from. */
  docs: string[];
}

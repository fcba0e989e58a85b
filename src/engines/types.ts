/**
 * The one seam between the runner and anything that answers questions about images: the embedded
 * Tesseract pipeline, an OpenAI-compatible server (vLLM, SGLang, transformers serve, ...), a cloud API.
 * A call returns data, failures included: a failed request becomes a row in the answers log, not an
 * exception that ends the run.
 */
export interface EngineImage {
  data: Buffer;
  /** e.g. image/png, image/jpeg */
  mime: string;
  /** For logs and caches only; engines must not re-read it. */
  path?: string;
}

export interface GenerationSettings {
  /** @default 0 */
  temperature: number;
  /** @default 256 */
  maxTokens: number;
  seed?: number;
  /** Resize so the longer side is at most this many pixels before sending. */
  longSide?: number;
  /** Resize so width*height is at most this before sending. */
  maxPixels?: number;
  /** Ask for a JSON object matching this schema (per-document extraction). */
  jsonSchema?: Record<string, unknown>;
  /** Stream the answer to measure time to first token. @default true where supported */
  stream?: boolean;
}

export interface EngineRequest {
  image: EngineImage;
  prompt: string;
  systemPrompt?: string;
  settings: GenerationSettings;
  signal?: AbortSignal;
}

export interface EngineUsage {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
}

export interface EngineErrorInfo {
  /** Stable: 'timeout', 'http_429', 'http_500', 'connection_reset', 'bad_response', 'ocr_failed', ... */
  code: string;
  message: string;
  status?: number;
  retryable?: boolean;
}

export interface EngineResponse {
  /** The model's raw text answer. Absent when `error` is set. */
  output?: string;
  error?: EngineErrorInfo;
  /** Model time only: from sending the request to the last byte; image loading excluded. */
  latencyMs: number;
  /** Time to first token (streaming only). */
  ttftMs?: number;
  /** Mean time per output token after the first (streaming only). */
  tpotMs?: number;
  usage?: EngineUsage;
  /** Size actually sent after resizing. */
  sentImage?: { width: number; height: number; bytes: number };
  /** Engine-specific numbers worth keeping (e.g. OCR time, cache hit). */
  extra?: Record<string, unknown>;
}

/** What a server says about itself before a run: reachable, which models it serves, its version. */
export interface ServerInfo {
  url: string;
  healthy: boolean;
  /** Model ids from the models listing; empty when the listing failed. */
  models: string[];
  /** Version text where the framework reports one. */
  version?: string;
  /** Why the server is not usable, when it is not. */
  problem?: string;
}

export interface Engine {
  /** Framework id, e.g. 'tesseract', 'vllm'. */
  readonly framework: string;
  readonly model: string;
  /** How many requests the runner may keep in flight by default. */
  readonly defaultConcurrency: number;
  /**
   * What an in-process engine answers with (its code and settings), for the answer cache's key; a server's
   * version comes from `probe` instead.
   */
  readonly version?: string;
  ask(req: EngineRequest): Promise<EngineResponse>;
  /** Checks a remote server before any question is asked; in-process engines have nothing to probe. */
  probe?(signal?: AbortSignal): Promise<ServerInfo>;
  close(): Promise<void>;
}

export interface EngineOptions {
  model: string;
  /** Base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1 */
  baseUrl?: string;
  /** Name of the environment variable holding the API key; the key itself is never stored. */
  apiKeyEnv?: string;
  timeoutMs?: number;
  maxRetries?: number;
  /** Free-form framework settings (e.g. tesseract languages, OCR cache dir). */
  params?: Record<string, unknown>;
}

export interface EngineFactory {
  framework: string;
  /** Talks to a server at `baseUrl` rather than running in this process (commands that need a URL ask). */
  remote?: boolean;
  create(opts: EngineOptions): Promise<Engine>;
}

import { VlmhbError } from '../../errors.js';
import { checkAgainstSchema } from '../../prompts/extraction.js';
import { redact, registerSecret } from '../../util/redact.js';
import { getFrameworkAdapter } from '../frameworks/registry.js';
import type { FrameworkAdapter, JsonSchemaField } from '../frameworks/types.js';
import type { Engine, EngineFactory, EngineOptions, EngineRequest, EngineResponse } from '../types.js';
import { type Answer, readCompletion, StreamAnswer } from './completion.js';
import type { ClassifiedError } from './errors.js';
import { prepareImage } from './image.js';
import { probeServer } from './probe.js';
import { buildChatBody, type ChatBody, type EncodedBody, encodeChatBodyParts } from './request.js';
import { DEFAULT_RETRY, type RetryPolicy, retryDelayMs, sleep } from './retry.js';
import { isTransportId, TRANSPORTS } from './transport/registry.js';
import type { SendOptions, TransportId } from './transport/types.js';

/** `params` this engine reads from the task config. */
export interface OpenAIEngineParams {
  /** Requests in flight the runner may keep by default. @default 8 (1 for hosted APIs) */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  /** Override where the JSON schema goes (e.g. 'guided_json' for vLLM < 0.10.2). */
  jsonSchemaField?: JsonSchemaField;
  /**
   * HTTP client: 'socket' (our keep-alive sockets, one write per body; https goes through 'native'),
   * 'native' (undici's dispatcher) or 'sdk' (the official openai package). Same requests, timings and error
   * codes; they differ in client cost per request (bench/overhead.ts).
   * @default 'socket'
   */
  transport?: TransportId;
}

/** @default 120000 — a VLM answering a short field on one GPU is far below this. */
const DEFAULT_TIMEOUT_MS = 120_000;

export function openAICompatibleFactory(framework: string): EngineFactory {
  return { framework, remote: true, create: (opts) => createOpenAICompatibleEngine(framework, opts) };
}

/** One attempt's outcome before retries are decided. */
type Attempt =
  | (Answer & { error?: undefined; latencyMs: number })
  | { error: ClassifiedError; latencyMs: number };

export async function createOpenAICompatibleEngine(framework: string, opts: EngineOptions): Promise<Engine> {
  const base = getFrameworkAdapter(framework);
  if (!base)
    throw new VlmhbError('VLMHB_CONFIG_UNKNOWN_FRAMEWORK', `no OpenAI-compatible adapter for "${framework}"`);
  const params = (opts.params ?? {}) as OpenAIEngineParams;
  const adapter = withSchemaField(base, params.jsonSchemaField);
  const baseURL = opts.baseUrl ?? defaultBaseUrl(adapter);
  const apiKey = resolveApiKey(adapter, opts.apiKeyEnv, baseURL);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...params.retry };
  if (opts.maxRetries !== undefined) policy.maxRetries = opts.maxRetries;
  const transportId = params.transport ?? 'socket';
  if (!isTransportId(transportId)) {
    throw new VlmhbError(
      'VLMHB_CONFIG_INVALID',
      `params.transport must be one of ${Object.keys(TRANSPORTS).join(', ')}, got ${JSON.stringify(transportId)}`,
    );
  }
  const transport = await TRANSPORTS[transportId]({ baseURL, apiKey });

  /**
   * One attempt, timed from the moment it is handed to the transport; TTFT/ITL as each chunk arrives.
   * Everything before the first byte goes out (reading, hashing, encoding, resizing, serialising the body)
   * is done by then, once per question, so model time is the round trip alone (seed §4.3).
   */
  async function attemptOnce(
    body: ChatBody,
    encoded: EncodedBody | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Attempt> {
    const sendOpts: SendOptions = { stream: body.stream, signal, timeoutMs };
    if (encoded) sendOpts.encoded = encoded;
    const t0 = performance.now();
    const streamed = body.stream ? new StreamAnswer(() => performance.now() - t0) : undefined;
    if (streamed) sendOpts.onChunk = (c) => streamed.push(c);
    const r = await transport.send(body, sendOpts);
    const latencyMs = performance.now() - t0;
    // Error text is the server's own words: a server may echo our Authorization header in it.
    if (r.error) return { error: { ...r.error, message: redact(r.error.message) }, latencyMs };
    const answer: Answer | { error: ClassifiedError } = streamed ? streamed.finish() : readCompletion(r.json);
    return Object.assign(answer, { latencyMs });
  }

  async function ask(req: EngineRequest): Promise<EngineResponse> {
    const s = req.settings;
    let image: Awaited<ReturnType<typeof prepareImage>>;
    try {
      image = await prepareImage(req.image, { longSide: s.longSide, maxPixels: s.maxPixels });
    } catch (e) {
      return {
        error: { code: 'image_unreadable', message: (e as Error).message, retryable: false },
        latencyMs: 0,
      };
    }
    const sentImage = { width: image.width, height: image.height, bytes: image.bytes };
    const stream = (s.stream ?? true) && adapter.features.streaming;
    const body = buildChatBody(adapter, opts.model, req, image.dataUrl, stream);
    // Serialised once for every attempt, before any clock starts.
    const encoded = transport.sendsBytes
      ? encodeChatBodyParts(adapter, opts.model, req, image, stream)
      : undefined;
    const retries: Array<{ code: string; status?: number; delayMs: number }> = [];
    for (let attempt = 0; ; attempt++) {
      const a = await attemptOnce(body, encoded, req.signal);
      const extra: Record<string, unknown> = { attempts: attempt + 1, streamed: stream };
      if (retries.length > 0) extra['retries'] = retries;
      if (!a.error) {
        if (a.itlMs) extra['itlMs'] = a.itlMs;
        if (a.finishReason) extra['finishReason'] = a.finishReason;
        const res = success(a, sentImage, extra);
        const problem = s.jsonSchema ? checkAgainstSchema(a.output, s.jsonSchema) : undefined;
        if (problem === undefined) return res;
        // Keep the raw text: a schema miss is still a model answer worth reading in the log.
        return {
          ...res,
          output: undefined,
          error: { code: 'schema_mismatch', message: problem, retryable: false },
          extra: { ...extra, rawOutput: a.output },
        };
      }
      const err = a.error;
      const canRetry = err.retryable === true && attempt < policy.maxRetries && !req.signal?.aborted;
      if (!canRetry) return failure(err, a.latencyMs, sentImage, extra);
      const delayMs = retryDelayMs(attempt, err.retryAfterMs, policy);
      retries.push({ code: err.code, ...(err.status !== undefined ? { status: err.status } : {}), delayMs });
      if (!(await sleep(delayMs, req.signal))) {
        return failure(
          { code: 'aborted', message: 'aborted by caller', retryable: false },
          a.latencyMs,
          sentImage,
          {
            ...extra,
            retries,
          },
        );
      }
    }
  }

  const hosted = adapter.id === 'openai';
  return {
    framework: adapter.id,
    model: opts.model,
    defaultConcurrency: params.concurrency ?? (hosted ? 1 : 8),
    ask,
    probe: async (signal?: AbortSignal) => {
      const info = await probeServer(adapter, baseURL, apiKey, signal ? { signal } : {});
      if (info.problem !== undefined) info.problem = redact(info.problem);
      if (info.version !== undefined) info.version = redact(info.version);
      return info;
    },
    close: () => transport.close(),
  };
}

function success(
  a: Answer & { latencyMs: number },
  sentImage: EngineResponse['sentImage'],
  extra: Record<string, unknown>,
): EngineResponse {
  const res: EngineResponse = { output: a.output, latencyMs: a.latencyMs, sentImage, extra };
  if (a.usage) res.usage = a.usage;
  if (a.ttftMs !== undefined) {
    res.ttftMs = a.ttftMs;
    const tokens = a.usage?.completionTokens ?? (a.itlMs ? a.itlMs.length + 1 : undefined);
    // vLLM's TPOT: time after the first token spread over the remaining tokens.
    if (tokens !== undefined && tokens > 1) res.tpotMs = (a.latencyMs - a.ttftMs) / (tokens - 1);
  }
  return res;
}

function failure(
  err: ClassifiedError,
  latencyMs: number,
  sentImage: EngineResponse['sentImage'],
  extra: Record<string, unknown>,
): EngineResponse {
  const { retryAfterMs, ...info } = err;
  if (retryAfterMs !== undefined) extra['retryAfterMs'] = retryAfterMs;
  return { error: info, latencyMs, sentImage, extra };
}

function withSchemaField(adapter: FrameworkAdapter, field: JsonSchemaField | undefined): FrameworkAdapter {
  if (!field || field === adapter.features.jsonSchema) return adapter;
  return { ...adapter, features: { ...adapter.features, jsonSchema: field } };
}

/**
 * The key is read from the named variable and handed to the transport only; it never enters a result, a log or
 * an error message. Local servers accept any key, so they get a placeholder.
 */
function resolveApiKey(adapter: FrameworkAdapter, apiKeyEnv: string | undefined, baseURL: string): string {
  const name = apiKeyEnv ?? adapter.defaultApiKeyEnv;
  if (!name) return 'EMPTY';
  const key = process.env[name];
  if (key === undefined || key === '') {
    // A server on this machine (a local proxy, llama.cpp started as `openai`) rarely checks keys; only a
    // variable the user named explicitly must be set.
    if (apiKeyEnv === undefined && isLoopback(baseURL)) return 'EMPTY';
    throw new VlmhbError(
      'VLMHB_ENGINE_FAILED',
      `environment variable ${name} is not set (API key for ${adapter.id})`,
    );
  }
  registerSecret(key);
  return key;
}

function isLoopback(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function defaultBaseUrl(adapter: FrameworkAdapter): string {
  if (adapter.id === 'openai') return 'https://api.openai.com/v1';
  return `http://127.0.0.1:${adapter.defaultPort}/v1`;
}

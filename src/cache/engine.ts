import type { Engine, EngineRequest, EngineResponse, ServerInfo } from '../engines/types.js';
import { cacheKey, type ServerLaunch, sha256 } from './key.js';
import type { AnswerCache } from './store.js';

export interface CachedEngineStats {
  hits: number;
  misses: number;
  /** Requests that waited for an identical one already in flight instead of asking again. */
  joined: number;
}

/**
 * An Engine that consults the answer cache before `ask`, so the runner needs no change: the task layer
 * wraps the engine. A hit returns the stored answer with the original model time and
 * `extra.cache = 'hit'`; identical requests in flight at once share one model call. The server version
 * (part of the key) comes from `probe`, which the runner calls before the first question.
 */
export class CachedEngine implements Engine {
  readonly framework: string;
  readonly model: string;
  readonly defaultConcurrency: number;
  readonly stats: CachedEngineStats = { hits: 0, misses: 0, joined: 0 };
  private serverVersion: string;
  private readonly inflight = new Map<string, Promise<EngineResponse>>();
  private readonly now: () => Date;
  private readonly serverLaunch: ServerLaunch | undefined;
  readonly probe?: (signal?: AbortSignal) => Promise<ServerInfo>;

  constructor(
    private readonly inner: Engine,
    private readonly cache: AnswerCache,
    opts: { serverVersion?: string; serverLaunch?: ServerLaunch; now?: () => Date } = {},
  ) {
    this.framework = inner.framework;
    this.model = inner.model;
    this.defaultConcurrency = inner.defaultConcurrency;
    this.serverVersion = opts.serverVersion ?? inner.version ?? '';
    this.now = opts.now ?? (() => new Date());
    this.serverLaunch = opts.serverLaunch;
    if (inner.probe) {
      const probe = inner.probe.bind(inner);
      this.probe = async (signal) => {
        const info = await probe(signal);
        if (info.version) this.serverVersion = info.version;
        return info;
      };
    }
  }

  keyOf(req: EngineRequest): string {
    return cacheKey({
      framework: this.framework,
      model: this.model,
      serverVersion: this.serverVersion,
      ...(this.serverLaunch ? { serverLaunch: this.serverLaunch } : {}),
      settings: req.settings,
      imageSha256: sha256(req.image.data),
      sentSize: { longSide: req.settings.longSide ?? null, maxPixels: req.settings.maxPixels ?? null },
      systemPrompt: req.systemPrompt ?? null,
      prompt: req.prompt,
    });
  }

  async ask(req: EngineRequest): Promise<EngineResponse> {
    const key = this.keyOf(req);
    const hit = this.cache.get(key);
    if (hit) {
      this.stats.hits++;
      return {
        output: hit.output,
        latencyMs: hit.latencyMs,
        ...(hit.ttftMs !== undefined ? { ttftMs: hit.ttftMs } : {}),
        ...(hit.tpotMs !== undefined ? { tpotMs: hit.tpotMs } : {}),
        ...(hit.usage ? { usage: hit.usage } : {}),
        ...(hit.sentImage ? { sentImage: hit.sentImage } : {}),
        extra: { cache: 'hit', cachedAt: hit.at },
      };
    }
    const pending = this.inflight.get(key);
    if (pending) {
      this.stats.joined++;
      const r = await pending;
      return { ...r, extra: { ...r.extra, cache: 'joined' } };
    }
    this.stats.misses++;
    const p = this.inner.ask(req).then((res) => {
      if (res.error === undefined && res.output !== undefined) {
        this.cache.put({
          key,
          output: res.output,
          latencyMs: res.latencyMs,
          ...(res.ttftMs !== undefined ? { ttftMs: res.ttftMs } : {}),
          ...(res.tpotMs !== undefined ? { tpotMs: res.tpotMs } : {}),
          ...(res.usage ? { usage: res.usage } : {}),
          ...(res.sentImage ? { sentImage: res.sentImage } : {}),
          at: this.now().toISOString(),
        });
      }
      return res;
    });
    this.inflight.set(key, p);
    try {
      const res = await p;
      return { ...res, extra: { ...res.extra, cache: 'miss' } };
    } finally {
      this.inflight.delete(key);
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * The engine itself when caching is off (`--no-cache`), else the cache-backed wrapper. `serverLaunch`:
 * what a server this tool started was started from (see `launchIdentity`).
 */
export function withAnswerCache(
  engine: Engine,
  cache: AnswerCache | undefined,
  opts: { serverLaunch?: ServerLaunch } = {},
): Engine {
  return cache ? new CachedEngine(engine, cache, opts) : engine;
}

/**
 * The identity of a started server for the cache key: its image and the task's launch settings (not the
 * argv, which holds the port chosen this time).
 */
export function launchIdentity(
  image: string | undefined,
  launch: object | undefined,
): { serverLaunch: ServerLaunch } {
  return {
    serverLaunch: {
      image: image ?? null,
      launch: launch ? { ...(launch as Record<string, unknown>) } : null,
    },
  };
}

/**
 * True for an answer the model was not asked for this time: `extra.cache` as CachedEngine marks it
 * ('hit', or 'joined' an identical request in flight). Read where answers are scored (src/task/) and
 * reported (src/report/), which must agree on it.
 */
export function servedFromCache(extra: unknown): boolean {
  const c = extra && typeof extra === 'object' ? (extra as Record<string, unknown>)['cache'] : undefined;
  return c === 'hit' || c === 'joined';
}

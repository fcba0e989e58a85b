import type { FrameworkAdapter } from '../frameworks/types.js';
import type { ServerInfo } from '../types.js';

/**
 * Health, model listing and version of an OpenAI-compatible server, from the paths its adapter declares.
 * Run once before a task, so a dead server or a misspelt model name stops the run with one clear error
 * instead of filling the answers log with a thousand connection failures.
 */
export async function probeServer(
  adapter: FrameworkAdapter,
  baseURL: string,
  apiKey: string,
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ServerInfo> {
  const root = baseURL.replace(/\/+$/, '').replace(/\/v1$/, '');
  const get = async (path: string, timeoutMs = opts.timeoutMs ?? 10_000, from = root) => {
    const signals = [AbortSignal.timeout(timeoutMs)];
    if (opts.signal) signals.push(opts.signal);
    return fetch(`${from}${path}`, {
      headers: { authorization: `Bearer ${apiKey}` },
      signal: AbortSignal.any(signals),
    });
  };
  const info: ServerInfo = { url: baseURL, healthy: false, models: [] };
  try {
    const health = await get(adapter.healthPath);
    await health.arrayBuffer();
    if (!health.ok) {
      info.problem = `${adapter.healthPath} answered HTTP ${health.status}`;
      return info;
    }
  } catch (e) {
    info.problem = `cannot reach ${root}${adapter.healthPath}: ${describe(e)}`;
    return info;
  }
  info.healthy = true;
  const missingPrefix = await missingVersionPrefix(baseURL, get);
  if (missingPrefix) {
    info.healthy = false;
    info.problem = missingPrefix;
    return info;
  }
  try {
    const res = await get(adapter.modelsPath);
    if (res.ok) {
      const body = (await res.json()) as { data?: { id?: unknown }[] };
      info.models = (body.data ?? []).flatMap((m) => (typeof m.id === 'string' ? [m.id] : []));
    } else {
      await res.arrayBuffer();
    }
  } catch {
    // A server without a usable listing can still answer; the model check is then skipped.
  }
  if (adapter.versionPath) {
    try {
      // Informational only: never let a slow version endpoint hold up the run.
      const res = await get(adapter.versionPath, 2_000);
      const text = (await res.text()).trim();
      if (res.ok && text) info.version = versionOf(text);
    } catch {
      // Version is informational.
    }
  }
  return info;
}

/**
 * `--base-url http://host:8000` (no `/v1`) passes the health check, then every request goes to
 * `/chat/completions` and gets 404. Ask the URL the requests will use a sibling of: when `<base>/models`
 * is 404 and `<base>/v1/models` answers, the fix is known.
 */
async function missingVersionPrefix(
  baseURL: string,
  get: (path: string, timeoutMs: number | undefined, from: string) => Promise<Response>,
): Promise<string | undefined> {
  const base = baseURL.replace(/\/+$/, '');
  if (/\/v\d+$/.test(base)) return undefined;
  try {
    const here = await get('/models', undefined, base);
    await here.arrayBuffer();
    if (here.status !== 404) return undefined;
    const there = await get('/v1/models', undefined, base);
    await there.arrayBuffer();
    if (!there.ok) return undefined;
  } catch {
    return undefined; // unreachable paths are reported by the requests themselves
  }
  return (
    `${base}/models is 404 while ${base}/v1/models answers: the base URL lacks /v1 ` +
    `(use --base-url ${base}/v1, or base_url in the config)`
  );
}

/** `{"version": "0.8.3"}` → `0.8.3`; other bodies are kept short and whole. */
function versionOf(text: string): string {
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const v = j['version'] ?? j['build_info'] ?? j['sglang_version'];
    if (typeof v === 'string') return v;
  } catch {
    // not JSON
  }
  return text.slice(0, 200);
}

function describe(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return 'timed out';
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}

import { createHash } from 'node:crypto';
import type { GenerationSettings } from '../engines/types.js';

/**
 * Everything that decides an answer: who answers (engine, model, server version), how (generation
 * settings, including the resize that decides the sent size), and what is asked (the image's bytes,
 * the system prompt, the prompt). Two requests with the same key get the same answer from a
 * deterministic (temperature 0, seeded) model, so the second is never sent.
 */
export interface CacheKeyParts {
  framework: string;
  model: string;
  /** As the server reports it (vLLM `/version`); for an in-process engine its own `version` (code, settings). */
  serverVersion: string;
  /**
   * For a server this tool started: what it was started from — the image (container image or SIF) and
   * the launch settings (dtype, quantisation, max model length …) — since a new model image of the same
   * model name and server version answers differently. Absent (and so not in the key) for a server
   * already running at a base URL, whose identity is only what it reports.
   */
  serverLaunch?: ServerLaunch;
  settings: GenerationSettings;
  /** sha256 of the image bytes as read from disk. */
  imageSha256: string;
  /**
   * The sent size: the resize target (long side / max pixels). With the image bytes it fixes the pixels
   * the model sees, since resizing is deterministic.
   */
  sentSize: { longSide: number | null; maxPixels: number | null };
  systemPrompt: string | null;
  prompt: string;
}

export interface ServerLaunch {
  image: string | null;
  launch: Record<string, unknown> | null;
}

/** JSON with sorted keys, so the same settings always hash the same whatever their order. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function cacheKey(parts: CacheKeyParts): string {
  return sha256(canonical({ v: 1, ...parts }));
}

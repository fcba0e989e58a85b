import { createHash } from 'node:crypto';
import type { GenerationSettings } from '../engines/types.js';

/**
 * What one answer was asked with: prompt, system prompt, the image's bytes and the generation settings.
 * Stored on each answer so a resume re-asks exactly the items whose inputs changed since.
 */
export function inputHash(parts: {
  prompt: string;
  systemPrompt: string | undefined;
  imageSha256: string;
  settings: GenerationSettings;
}): string {
  return createHash('sha256')
    .update(JSON.stringify([parts.prompt, parts.systemPrompt ?? null, parts.imageSha256, parts.settings]))
    .digest('hex')
    .slice(0, 16);
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

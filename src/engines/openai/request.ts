import { jsonSchemaExtras } from '../frameworks/shared.js';
import type { FrameworkAdapter } from '../frameworks/types.js';
import type { EngineRequest } from '../types.js';

/** The chat-completions body we send; extra framework fields ride along as plain keys. */
export interface ChatBody {
  model: string;
  messages: Array<Record<string, unknown>>;
  temperature: number;
  stream: boolean;
  [key: string]: unknown;
}

/**
 * Builds the request body for one question: system prompt as a system message, the image as a base64
 * data URL before the question text, temperature and the token cap, seed and usage reporting where the
 * framework supports them, and the framework's JSON-schema field. Pure: tests compare it to documented
 * shapes.
 */
export function buildChatBody(
  adapter: FrameworkAdapter,
  model: string,
  req: Pick<EngineRequest, 'prompt' | 'systemPrompt' | 'settings'>,
  imageDataUrl: string,
  stream: boolean,
): ChatBody {
  const messages: Array<Record<string, unknown>> = [];
  if (req.systemPrompt !== undefined && req.systemPrompt !== '') {
    messages.push({ role: 'system', content: req.systemPrompt });
  }
  messages.push({
    role: 'user',
    content: [
      { type: 'image_url', image_url: { url: imageDataUrl } },
      { type: 'text', text: req.prompt },
    ],
  });
  const s = req.settings;
  const body: ChatBody = { model, messages, temperature: s.temperature ?? 0, stream };
  body[adapter.features.maxTokensField] = s.maxTokens ?? 256;
  if (s.seed !== undefined && adapter.features.seed) body['seed'] = s.seed;
  if (stream && adapter.features.streamUsage) body['stream_options'] = { include_usage: true };
  // Each framework's structured-output field follows from its declared feature (frameworks/shared.ts).
  Object.assign(body, jsonSchemaExtras(adapter.features.jsonSchema, s));
  return body;
}

/** Stands in for the image's data URL while the small rest of the body is serialised. */
const IMAGE_SLOT = '@@vlmhb-image-data-url@@';

/**
 * The body as UTF-8 JSON bytes, without running JSON.stringify over a multi-megabyte data URL: the body is
 * serialised with a short placeholder and the image's bytes (base64 and a `data:` prefix, nothing JSON
 * must escape) are copied into its place. Byte for byte what `JSON.stringify(buildChatBody(...))` gives.
 */
export function encodeChatBody(
  adapter: FrameworkAdapter,
  model: string,
  req: Pick<EngineRequest, 'prompt' | 'systemPrompt' | 'settings'>,
  image: { dataUrl: string; dataUrlBytes: Buffer },
  stream: boolean,
): Buffer {
  const text = JSON.stringify(buildChatBody(adapter, model, req, IMAGE_SLOT, stream));
  const at = text.indexOf(`"${IMAGE_SLOT}"`);
  // A prompt quoting the placeholder itself, or an image URL JSON would escape: take the plain way.
  const safe = /^data:[\w.+-]+\/[\w.+-]+;base64,$/.test(
    image.dataUrl.slice(0, image.dataUrl.indexOf(',') + 1),
  );
  if (at === -1 || text.indexOf(IMAGE_SLOT, at + IMAGE_SLOT.length + 2) !== -1 || !safe)
    return Buffer.from(JSON.stringify(buildChatBody(adapter, model, req, image.dataUrl, stream)));
  return Buffer.concat([
    Buffer.from(text.slice(0, at + 1)),
    image.dataUrlBytes,
    Buffer.from(text.slice(at + 1 + IMAGE_SLOT.length)),
  ]);
}

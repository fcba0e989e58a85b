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
 * The body as UTF-8 JSON bytes, in pieces: the JSON before the image, the image's data URL, the JSON after
 * it. The middle piece is the prepared image's own Buffer (image.ts, made once per image), not a copy: a
 * page is hundreds of kilobytes to megabytes, and joining it into one fresh Buffer per question (alloc,
 * page faults, memcpy, GC) was the largest client cost in bench/overhead.ts after the socket write itself.
 * The native transport hands the pieces to the socket as they are (transport/native.ts).
 *
 * Built without running JSON.stringify over the data URL: the body is serialised with a short placeholder
 * whose place the image takes (base64 and a `data:` prefix, nothing JSON must escape). Joined, the pieces
 * are byte for byte what `JSON.stringify(buildChatBody(...))` gives.
 */
export function encodeChatBodyParts(
  adapter: FrameworkAdapter,
  model: string,
  req: Pick<EngineRequest, 'prompt' | 'systemPrompt' | 'settings'>,
  image: { dataUrl: string; dataUrlBytes: Buffer },
  stream: boolean,
): EncodedBody {
  const text = JSON.stringify(buildChatBody(adapter, model, req, IMAGE_SLOT, stream));
  const at = text.indexOf(`"${IMAGE_SLOT}"`);
  // A prompt quoting the placeholder itself, or an image URL JSON would escape: take the plain way.
  const safe = /^data:[\w.+-]+\/[\w.+-]+;base64,$/.test(
    image.dataUrl.slice(0, image.dataUrl.indexOf(',') + 1),
  );
  if (at === -1 || text.indexOf(IMAGE_SLOT, at + IMAGE_SLOT.length + 2) !== -1 || !safe) {
    const whole = Buffer.from(JSON.stringify(buildChatBody(adapter, model, req, image.dataUrl, stream)));
    return { parts: [whole], length: whole.length };
  }
  const head = Buffer.from(text.slice(0, at + 1));
  const tail = Buffer.from(text.slice(at + 1 + IMAGE_SLOT.length));
  return {
    parts: [head, image.dataUrlBytes, tail],
    length: head.length + image.dataUrlBytes.length + tail.length,
  };
}

/** A serialised body in pieces to be sent one after the other; `length` is their sum in bytes. */
export interface EncodedBody {
  readonly parts: readonly Buffer[];
  readonly length: number;
}

/** The same bytes as `encodeChatBodyParts`, joined into one Buffer (for clients that want one). */
export function encodeChatBody(
  adapter: FrameworkAdapter,
  model: string,
  req: Pick<EngineRequest, 'prompt' | 'systemPrompt' | 'settings'>,
  image: { dataUrl: string; dataUrlBytes: Buffer },
  stream: boolean,
): Buffer {
  const { parts, length } = encodeChatBodyParts(adapter, model, req, image, stream);
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
}

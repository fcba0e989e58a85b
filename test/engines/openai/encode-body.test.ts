import { describe, expect, it } from 'vitest';
import { getFrameworkAdapter } from '../../../src/engines/frameworks/registry.js';
import { buildChatBody, encodeChatBody, encodeChatBodyParts } from '../../../src/engines/openai/request.js';

const image = (() => {
  const dataUrl = `data:image/png;base64,${Buffer.from('not really a png, but bytes').toString('base64')}`;
  return { dataUrl, dataUrlBytes: Buffer.from(dataUrl, 'latin1') };
})();

describe('encodeChatBody (the body built once, outside the timed span)', () => {
  it.each([
    ['a Cyrillic prompt with quotes and a system prompt', 'Напиши «номер» "СНИЛС"\n', 'Ты — система.', true],
    ['no system prompt, no stream', 'Фамилия?', undefined, false],
    ['a prompt that quotes the placeholder', 'say "@@vlmhb-image-data-url@@"', undefined, true],
  ])('is byte for byte JSON.stringify of the body: %s', (_name, prompt, systemPrompt, stream) => {
    for (const fw of ['vllm', 'openai', 'sglang']) {
      const adapter = getFrameworkAdapter(fw)!;
      const req = {
        prompt,
        ...(systemPrompt !== undefined ? { systemPrompt } : {}),
        settings: { temperature: 0, maxTokens: 64, seed: 1 },
      };
      const expected = JSON.stringify(buildChatBody(adapter, 'm', req, image.dataUrl, stream));
      expect(encodeChatBody(adapter, 'm', req, image, stream).toString('utf8')).toBe(expected);
    }
  });

  it('sends the prepared image as its own Buffer, not a copy, and states the total length', () => {
    const adapter = getFrameworkAdapter('vllm')!;
    const req = { prompt: 'Фамилия?', systemPrompt: 'Кратко.', settings: { temperature: 0, maxTokens: 8 } };
    const { parts, length } = encodeChatBodyParts(adapter, 'm', req, image, true);
    expect(parts).toHaveLength(3);
    // Identity, not equality: a per-request copy of a multi-megabyte page is what this avoids.
    expect(parts[1]).toBe(image.dataUrlBytes);
    expect(length).toBe(parts.reduce((n, p) => n + p.length, 0));
    expect(Buffer.concat(parts).toString('utf8')).toBe(
      JSON.stringify(buildChatBody(adapter, 'm', req, image.dataUrl, true)),
    );
  });

  it('falls back to one whole piece when the prompt quotes the placeholder', () => {
    const adapter = getFrameworkAdapter('vllm')!;
    const req = { prompt: 'say "@@vlmhb-image-data-url@@"', settings: { temperature: 0, maxTokens: 8 } };
    const { parts, length } = encodeChatBodyParts(adapter, 'm', req, image, false);
    expect(parts).toHaveLength(1);
    expect(length).toBe(parts[0]!.length);
    expect(parts[0]!.toString('utf8')).toBe(
      JSON.stringify(buildChatBody(adapter, 'm', req, image.dataUrl, false)),
    );
  });
});

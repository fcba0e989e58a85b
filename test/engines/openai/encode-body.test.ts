import { describe, expect, it } from 'vitest';
import { getFrameworkAdapter } from '../../../src/engines/frameworks/registry.js';
import { buildChatBody, encodeChatBody } from '../../../src/engines/openai/request.js';

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
});

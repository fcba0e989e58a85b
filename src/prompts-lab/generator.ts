import { z } from 'zod';
import { VlmhbError } from '../errors.js';

/** Any OpenAI-compatible chat endpoint that writes prompts (GPT-4o, DeepSeek, Qwen2-VL-72B …). */
export interface GeneratorConfig {
  /** Base URL, e.g. http://127.0.0.1:8001/v1 */
  baseUrl: string;
  model: string;
  /** Environment variable holding the API key; the key itself is never stored or logged. */
  apiKeyEnv?: string;
  timeoutMs?: number;
}

export interface ProposalRequest {
  /** `doc_class question_type`. */
  field: string;
  currentPrompt: string;
  currentCer: number;
  /** The answering model's wrong answers with the expected values. */
  wrong: { expected: string; got: string }[];
  /** Prompts already tried for this field (the generator should not repeat them). */
  tried: string[];
}

const responseSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

const SYSTEM =
  'You improve prompts for a vision-language model that reads one field from a scanned Russian document. ' +
  'Reply with the new prompt only: one line, no quotes, no explanation.';

export function proposalMessages(r: ProposalRequest): { role: 'system' | 'user'; content: string }[] {
  const wrong = r.wrong.length
    ? r.wrong.map((w) => `- expected «${w.expected}», got «${w.got}»`).join('\n')
    : '- (none)';
  return [
    { role: 'system', content: SYSTEM },
    {
      role: 'user',
      content: [
        `Field: ${r.field}`,
        `Current prompt: ${r.currentPrompt}`,
        `Current CER: ${r.currentCer.toFixed(4)}`,
        'Wrong answers:',
        wrong,
        `Already tried: ${r.tried.map((t) => `«${t}»`).join(', ')}`,
        'Write a better prompt.',
      ].join('\n'),
    },
  ];
}

/** One proposal from the generator; a failed call is an error (the run resumes later), never a prompt. */
export async function proposePrompt(
  cfg: GeneratorConfig,
  req: ProposalRequest,
  signal?: AbortSignal,
): Promise<string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (cfg.apiKeyEnv) {
    const key = process.env[cfg.apiKeyEnv];
    if (!key)
      throw new VlmhbError(
        'VLMHB_USAGE',
        `environment variable ${cfg.apiKeyEnv} (the generator's API key) is not set`,
      );
    headers['authorization'] = `Bearer ${key}`;
  }
  const url = `${cfg.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const timeout = AbortSignal.timeout(cfg.timeoutMs ?? 120_000);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        model: cfg.model,
        messages: proposalMessages(req),
        temperature: 0.7,
        max_tokens: 200,
      }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (e) {
    throw new VlmhbError(
      'VLMHB_ENGINE_FAILED',
      `prompt generator at ${url} unreachable: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  if (!res.ok)
    throw new VlmhbError('VLMHB_ENGINE_FAILED', `prompt generator at ${url} answered HTTP ${res.status}`);
  const parsed = responseSchema.safeParse(await res.json().catch(() => null));
  const text = parsed.success ? (parsed.data.choices[0]?.message.content ?? '') : '';
  // Generators like to wrap the prompt in quotes or add a label; keep the prompt itself.
  const prompt = text
    .trim()
    .split('\n')[0]
    ?.replace(/^(prompt|промпт)\s*:\s*/i, '')
    .replace(/^["«'`]+|["»'`]+$/g, '')
    .trim();
  if (!prompt) throw new VlmhbError('VLMHB_ENGINE_FAILED', `prompt generator at ${url} returned no prompt`);
  return prompt;
}

import type { Sample } from '../dataset/types.js';
import type { VlmhbIssue } from '../errors.js';
import { throwIssues } from '../errors.js';
import { canonicalKey, keyIndex } from './keys.js';
import { type PromptCollection, promptKey } from './types.js';

/** One sample's prompt and, when it came from a collection, the collection key that matched as written. */
export interface PromptResolution {
  prompt: string;
  /** The collection's own spelling of the key (`snils Номер снилса`); absent without a collection. */
  matchedKey?: string;
}

/**
 * One prompt per sample, in sample order: the collection's prompt for `doc_class question_type`, or
 * the sample's own question when there is no collection. Keys match as users write them (src/prompts/keys.ts:
 * case, ё/е, dashes, spaces, the original's doc class ids and field names). Every missing key is reported
 * at once, before any model call, so a run never dies halfway over a typo in the collection.
 */
export function resolvePromptsWithKeys(samples: Sample[], collection?: PromptCollection): PromptResolution[] {
  if (!collection) return samples.map((s) => ({ prompt: s.question }));
  const index = keyIndex(collection.prompts.keys());
  const missing = new Map<string, number>();
  const out = samples.map((s): PromptResolution => {
    const matchedKey = index.get(canonicalKey(s.docClass, s.questionType));
    const prompt = matchedKey === undefined ? undefined : collection.prompts.get(matchedKey);
    if (matchedKey === undefined || prompt === undefined) {
      const key = promptKey(s.docClass, s.questionType);
      missing.set(key, (missing.get(key) ?? 0) + 1);
      return { prompt: '' };
    }
    return { prompt, matchedKey };
  });
  if (missing.size > 0) {
    const issues: VlmhbIssue[] = [...missing].map(([key, n]) => ({
      code: 'VLMHB_PROMPT_KEY_MISSING',
      message: `no prompt for key "${key}" (needed by ${n} sample${n === 1 ? '' : 's'})`,
      where: { file: collection.file },
    }));
    throwIssues(
      'VLMHB_PROMPT_KEY_MISSING',
      `prompt collection ${collection.file} lacks ${missing.size} key(s) the dataset needs ` +
        '(keys match ignoring case, ё/е, dashes and spaces, with the original doc class ids and field names):',
      issues,
    );
  }
  return out;
}

/** The prompts alone, in sample order (see resolvePromptsWithKeys). */
export function resolvePrompts(samples: Sample[], collection?: PromptCollection): string[] {
  return resolvePromptsWithKeys(samples, collection).map((r) => r.prompt);
}

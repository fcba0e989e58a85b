import { canonicalKey, keyIndex } from './keys.js';
import type { PromptCollection } from './types.js';

/**
 * The prompt of per-document extraction: one request asks for every field of a document as one JSON
 * object keyed by the fields' question types. A collection may carry its own wording under the key
 * `<doc_class> *`; the field list is appended to it either way, so the keys always match the schema.
 */
export const DOCUMENT_PROMPT_KEY = '*';

export function documentPrompt(
  docClass: string,
  questionTypes: readonly string[],
  collection?: PromptCollection,
): string {
  const matched = collection
    ? keyIndex(collection.prompts.keys()).get(canonicalKey(docClass, DOCUMENT_PROMPT_KEY))
    : undefined;
  const custom = matched === undefined ? undefined : collection?.prompts.get(matched);
  const head =
    custom ??
    `Извлеки из изображения документа «${docClass}» значения полей и ответь только JSON-объектом. ` +
      'Пиши значения точно так, как они напечатаны в документе; если поля нет, оставь пустую строку.';
  return `${head}\nПоля (ключи JSON): ${questionTypes.map((q) => JSON.stringify(q)).join(', ')}`;
}

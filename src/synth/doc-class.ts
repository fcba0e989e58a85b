/**
 * The `doc_class` ids the generator writes: the original project's lower-case Latin ids, the same
 * words `--doc` takes and the original's datasets and prompt collections use. The АДИ-РЕГ notice is
 * the same document class as the green card (one СНИЛС, same fields), so it is `snils` too.
 */
export type DocClassId = 'snils' | 'inn' | 'passport' | 'invoice';

/** Names for people (reports, contact sheets); never written as `doc_class`. */
export const DOC_CLASS_NAMES: Record<DocClassId, string> = {
  snils: 'СНИЛС',
  inn: 'ИНН',
  passport: 'Паспорт РФ',
  invoice: 'Счёт-фактура',
};

/** The display name of a doc_class id; other datasets' own classes are shown as they are. */
export function docClassName(id: string): string {
  return (DOC_CLASS_NAMES as Record<string, string>)[id] ?? id;
}

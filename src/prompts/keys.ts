/**
 * Prompt keys as people write them. A collection key is `<doc_class> <question_type>`; datasets and
 * collections from different hands spell both parts differently (`СНИЛС` or `snils`, `Номер снилса` or
 * `Номер СНИЛС`, `счет` or `счёт`, a double space). Both sides are brought to one canonical form before
 * they are compared; the caller keeps the key as written to report which one matched.
 */

/** Canonical doc_class ids (the original project's lower-case Latin ids) and the spellings seen for each. */
export const DOC_CLASS_ALIASES: Readonly<Record<string, readonly string[]>> = {
  snils: ['снилс', 'snils'],
  snils_adi_reg: ['ади-рег', 'адирег', 'adi-reg', 'adi_reg', 'snils_adi_reg', 'snils-adi-reg'],
  passport: ['паспорт', 'паспорт рф', 'passport'],
  inn: ['инн', 'inn'],
  invoice: ['счёт-фактура', 'счет-фактура', 'счёт фактура', 'счет фактура', 'invoice'],
};

/**
 * Question types of the original project that name one of our fields differently (left), mapped to ours
 * (right, as in src/synth/templates/fields.ts). Compared after `normalizeKeyText`.
 */
export const QUESTION_TYPE_ALIASES: Readonly<Record<string, string>> = {
  'Номер снилса': 'Номер СНИЛС',
  'Номер страхового свидетельства': 'Номер СНИЛС',
  'Номер счет-фактуры': 'Номер счёта-фактуры',
  'Дата счет-фактуры': 'Дата счёта-фактуры',
  'Номер ИНН': 'ИНН',
};

/** Case, ё/е, dashes and runs of spaces do not distinguish keys. */
export function normalizeKeyText(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[-‐‑‒–—―_]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const docClassByAlias = new Map<string, string>(
  Object.entries(DOC_CLASS_ALIASES).flatMap(([id, names]) =>
    [id, ...names].map((n) => [normalizeKeyText(n), id] as const),
  ),
);
/** Longest first, so `паспорт рф …` is read as the doc class `паспорт рф`, not `паспорт` + `рф …`. */
const docClassPrefixes = [...docClassByAlias.keys()].sort((a, b) => b.length - a.length);

const questionByAlias = new Map<string, string>(
  Object.entries(QUESTION_TYPE_ALIASES).map(([alias, ours]) => [
    normalizeKeyText(alias),
    normalizeKeyText(ours),
  ]),
);

/** The canonical id of a doc class as written (`СНИЛС`, `snils`, ` Снилс `), or its normalized text. */
export function canonicalDocClass(docClass: string): string {
  const n = normalizeKeyText(docClass);
  return docClassByAlias.get(n) ?? n;
}

export function canonicalQuestionType(questionType: string): string {
  const n = normalizeKeyText(questionType);
  return questionByAlias.get(n) ?? n;
}

const joined = (docClass: string, questionType: string) =>
  `${canonicalDocClass(docClass)}\u0000${canonicalQuestionType(questionType)}`;

/**
 * Canonical form of a sample's (doc_class, question_type) pair. Read through the same split as a collection
 * key, so an unknown doc class of several words (`Водительское удостоверение`) matches its own key.
 */
export function canonicalKey(docClass: string, questionType: string): string {
  return canonicalCollectionKey(`${docClass} ${questionType}`);
}

/**
 * Canonical form of a collection key as written (`<doc_class> <question_type>` joined by a space). The
 * doc class part is found by its known spellings, so a doc class with a space or dash in it still splits
 * right; an unknown doc class is taken to be the first word.
 */
export function canonicalCollectionKey(key: string): string {
  const n = normalizeKeyText(key);
  const prefix = docClassPrefixes.find((p) => n.startsWith(`${p} `));
  if (prefix !== undefined) return joined(docClassByAlias.get(prefix) as string, n.slice(prefix.length + 1));
  const space = n.indexOf(' ');
  return space === -1 ? joined(n, '') : joined(n.slice(0, space), n.slice(space + 1));
}

/** Canonical collection key → the key as the collection writes it (first one wins). */
export function keyIndex(keys: Iterable<string>): Map<string, string> {
  const index = new Map<string, string>();
  for (const k of keys) {
    const c = canonicalCollectionKey(k);
    if (!index.has(c)) index.set(c, k);
  }
  return index;
}

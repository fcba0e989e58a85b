import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/dataset/types.js';
import { loadPromptCollection } from '../../src/prompts/collection.js';
import { documentPrompt } from '../../src/prompts/document-prompt.js';
import { canonicalKey } from '../../src/prompts/keys.js';
import { resolvePromptsWithKeys } from '../../src/prompts/resolve.js';
import type { PromptCollection } from '../../src/prompts/types.js';
import { caught, testdir } from '../helpers/testdir.js';

function sample(id: number, docClass: string, questionType: string): Sample {
  return {
    id,
    docId: String(id),
    split: 'test',
    imagePath: 'a.png',
    imageAbsPath: '/d/a.png',
    question: `Q${id}`,
    answer: '',
    docClass,
    questionType,
    answerBbox: null,
  };
}

const collection = (entries: [string, string][]): PromptCollection => ({
  file: '/p.csv',
  prompts: new Map(entries),
  cer: new Map(),
});

describe('prompt keys as users write them', () => {
  it.each([
    // [sample doc_class, sample question_type, collection key]
    ['СНИЛС', 'Фамилия', 'snils Фамилия'],
    ['snils', 'Фамилия', 'СНИЛС Фамилия'],
    ['СНИЛС', 'Номер СНИЛС', 'snils Номер снилса'],
    ['snils', 'Номер снилса', 'СНИЛС  номер  СНИЛС'],
    ['Паспорт', 'Серия и номер паспорта', 'passport Серия и номер паспорта'],
    ['passport', 'Фамилия', 'ПАСПОРТ фамилия'],
    ['Счёт-фактура', 'Номер счёта-фактуры', 'invoice Номер счет-фактуры'],
    ['invoice', 'Дата счёта-фактуры', 'Счет-фактура Дата счет-фактуры'],
    ['Счёт-фактура', 'ИНН продавца', 'счет фактура ИНН продавца'],
    ['ИНН', 'ИНН', 'inn ИНН'],
    ['inn', 'Дата постановки на учёт', 'ИНН Дата постановки на учет'],
    ['АДИ-РЕГ', 'Номер СНИЛС', 'snils_adi_reg Номер снилса'],
    ['Водительское удостоверение', 'Фамилия', 'водительское  удостоверение Фамилия'],
  ])('%s / %s matches the collection key "%s" and reports it', (docClass, questionType, key) => {
    const [r] = resolvePromptsWithKeys([sample(0, docClass, questionType)], collection([[key, 'PROMPT']]));
    expect(r).toEqual({ prompt: 'PROMPT', matchedKey: key });
  });

  it('keeps different fields apart', () => {
    expect(canonicalKey('snils', 'Имя')).not.toBe(canonicalKey('snils', 'Фамилия'));
    expect(canonicalKey('passport', 'Фамилия')).not.toBe(canonicalKey('snils', 'Фамилия'));
    expect(canonicalKey('invoice', 'ИНН продавца')).not.toBe(canonicalKey('invoice', 'ИНН покупателя'));
  });

  it('still reports a key that matches nothing, under the spelling the dataset uses', async () => {
    const e = await caught(() =>
      resolvePromptsWithKeys([sample(0, 'snils', 'Отчество')], collection([['СНИЛС Фамилия', 'P']])),
    );
    expect(e.code).toBe('VLMHB_PROMPT_KEY_MISSING');
    expect(e.message).toContain('no prompt for key "snils Отчество"');
  });

  it('a collection with one key written two ways is an error naming both rows', async () => {
    const t = await testdir({
      'p.csv': 'prompt;doc_class_question_type\nНапиши фамилию;СНИЛС Фамилия\nФамилия?;snils фамилия\n',
    });
    try {
      const e = await caught(() => loadPromptCollection(t.path('p.csv')));
      expect(e.code).toBe('VLMHB_CSV_PARSE');
      expect(e.message).toMatch(
        /row 3, column "doc_class_question_type": key "snils фамилия" is the same key as "СНИЛС Фамилия" on row 2/,
      );
    } finally {
      await t.cleanup();
    }
  });

  it('per-document prompts find `<doc_class> *` under any spelling of the doc class', () => {
    const p = documentPrompt('snils', ['Фамилия'], collection([['СНИЛС *', 'Свой текст']]));
    expect(p.startsWith('Свой текст\n')).toBe(true);
  });
});

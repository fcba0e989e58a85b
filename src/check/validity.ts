import type { Sample } from '../dataset/types.js';
import { days, formatYmd, parseAnswerDate } from './dates.js';
import { DATE_KINDS, type FieldKind, kindOf } from './kinds.js';
import { checkValue, INVALID_REASONS, type InvalidReason, type Verdict } from './rules.js';

/** One answer to check: what a run's answers.jsonl or a production log holds, no reference needed. */
export interface CheckItem {
  id: number | string;
  docId: string;
  docClass: string;
  questionType: string;
  /** null when the request failed: a failure is counted apart, never as an invalid value. */
  answer: string | null;
}

export interface InvalidExample {
  id: number | string;
  docId: string;
  answer: string;
  reason: InvalidReason;
  detail: string;
}

export interface FieldValidity {
  kind: FieldKind | 'mixed';
  /** Items seen, failed requests included. */
  n: number;
  /** Answers checked (n minus failed). */
  checked: number;
  valid: number;
  invalid: number;
  /** Requests that failed: no answer to judge. */
  failed: number;
  /** valid / checked; null when nothing was checked. */
  rate: number | null;
  by_reason: Record<InvalidReason, number>;
  /** The first few invalid answers, for a human to look at. */
  examples: InvalidExample[];
}

export interface ValidityReport {
  overall: FieldValidity;
  /** Keyed like metrics' by_doc_question: `<doc_class> <question_type>`. */
  by_field: Record<string, FieldValidity>;
  /** Every invalid answer (the examples are a prefix per field). */
  invalid: (InvalidExample & { field: string })[];
}

export interface CheckOptions {
  /** "Today" for dates in the future and ages. @default new Date() */
  now?: Date;
  /** Examples kept per field. @default 5 */
  examples?: number;
}

function emptyGroup(kind: FieldKind | 'mixed'): FieldValidity {
  return {
    kind,
    n: 0,
    checked: 0,
    valid: 0,
    invalid: 0,
    failed: 0,
    rate: null,
    by_reason: Object.fromEntries(INVALID_REASONS.map((r) => [r, 0])) as Record<InvalidReason, number>,
    examples: [],
  };
}

/**
 * Cross-field rule within a document: a birth date comes before every other date of the person
 * (issue, registration). The later field is flagged; the birth date may be the wrong one, but either
 * way the document is inconsistent.
 */
function dateOrder(items: readonly CheckItem[], verdicts: Map<CheckItem, Verdict | undefined>): void {
  const byDoc = new Map<string, CheckItem[]>();
  for (const it of items) {
    if (it.answer === null || verdicts.get(it) !== undefined) continue;
    if (!DATE_KINDS.has(kindOf(it.questionType))) continue;
    const list = byDoc.get(it.docId) ?? [];
    list.push(it);
    byDoc.set(it.docId, list);
  }
  for (const list of byDoc.values()) {
    const birth = list.find((it) => kindOf(it.questionType) === 'birth_date');
    const b = birth?.answer ? parseAnswerDate(birth.answer) : undefined;
    if (!b) continue;
    for (const it of list) {
      const k = kindOf(it.questionType);
      if (it === birth || (k !== 'issue_date' && k !== 'registration_date')) continue;
      const d = parseAnswerDate(it.answer as string);
      if (d && days(d) <= days(b))
        verdicts.set(it, {
          reason: 'date_order',
          detail: `${it.questionType} ${formatYmd(d)} is not after the birth date ${formatYmd(b)}`,
        });
    }
  }
}

function add(
  g: FieldValidity,
  it: CheckItem,
  v: Verdict | undefined,
  keep: number,
): InvalidExample | undefined {
  g.n++;
  if (it.answer === null) {
    g.failed++;
    return undefined;
  }
  g.checked++;
  if (!v) {
    g.valid++;
    return undefined;
  }
  g.invalid++;
  g.by_reason[v.reason]++;
  const ex = { id: it.id, docId: it.docId, answer: it.answer, reason: v.reason, detail: v.detail };
  if (g.examples.length < keep) g.examples.push(ex);
  return ex;
}

/** Label-free validity of every answer, per field (`doc_class question_type`) and overall. */
export function checkAnswers(items: readonly CheckItem[], opts: CheckOptions = {}): ValidityReport {
  const now = opts.now ?? new Date();
  const keep = opts.examples ?? 5;
  const verdicts = new Map<CheckItem, Verdict | undefined>();
  for (const it of items) {
    verdicts.set(it, it.answer === null ? undefined : checkValue(kindOf(it.questionType), it.answer, now));
  }
  dateOrder(items, verdicts);
  const overall = emptyGroup('mixed');
  const byField: Record<string, FieldValidity> = {};
  const invalid: ValidityReport['invalid'] = [];
  for (const it of items) {
    const field = `${it.docClass} ${it.questionType}`;
    byField[field] ??= emptyGroup(kindOf(it.questionType));
    const v = verdicts.get(it);
    const ex = add(byField[field], it, v, keep);
    add(overall, it, v, keep);
    if (ex) invalid.push({ ...ex, field });
  }
  for (const g of [overall, ...Object.values(byField)]) g.rate = g.checked > 0 ? g.valid / g.checked : null;
  return { overall, by_field: byField, invalid };
}

/** The part of an answers.jsonl record a check needs (AnswerRecord satisfies it). */
export interface AnswerLike {
  id: number;
  docId?: string;
  docClass?: string;
  questionType?: string;
  answer: string | null;
  error: unknown;
}

/**
 * Validity rates of a run's answers, for its results (metrics.json `validity`): the same numbers in
 * every run let a drift in production show without labels. Samples supply the document and field of
 * each id and restrict the check to the dataset's items; records of ids not in it are ignored.
 */
export function validityRates(
  records: readonly AnswerLike[],
  samples: readonly Sample[],
  opts: CheckOptions = {},
): ValidityReport {
  const byId = new Map(records.map((r) => [r.id, r]));
  const items: CheckItem[] = [];
  for (const s of samples) {
    const r = byId.get(s.id);
    if (!r) continue;
    items.push({
      id: s.id,
      docId: s.docId,
      docClass: s.docClass,
      questionType: s.questionType,
      answer: r.error !== null && r.error !== undefined ? null : (r.answer ?? ''),
    });
  }
  return checkAnswers(items, opts);
}

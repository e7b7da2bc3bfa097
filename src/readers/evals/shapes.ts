/**
 * The benchmark layouts contam recognises without `#fields`, as they are
 * published (see ../shared/data/SOURCES.md): which fields are the input, which
 * are the answer (`label`), and which field is the sample id.
 *
 * Recognition looks at the keys of the first row only; shapes are tried from
 * the most specific to the least (MMLU and BoolQ rows also have `question` and
 * `answer`, so they are tested before GSM8K). Two layouts need more than field
 * paths: nested SQuAD (`{data:[{paragraphs:[{context, qas}]}]}`) is flattened
 * to one row per question, and TruthfulQA's mc_task.json keeps its answer
 * texts as dict keys, with 1 marking the true one.
 *
 * Roles: a multiple-choice row's gold choice is a label and its other choices
 * are distractors, as are TruthfulQA's incorrect answers. A verdict never rests
 * on a distractor alone (a famous misquote offered as a wrong answer is quoted
 * everywhere), and `leaked` says whether a copy carried the gold answer.
 */
import type { FieldSpec, TextSegment } from '../../types.js';

/** A recognised layout. */
export interface EvalShape {
  name: string;
  fields: FieldSpec[];
  idField: string | null;
  /** Rows as samples, when they are not the file's rows one for one (nested SQuAD). */
  flatten?: (rows: unknown[]) => unknown[];
  /** Segments of one row, when plain field paths cannot say it (dict keys as texts). */
  segments?: (row: Record<string, unknown>) => TextSegment[];
  /**
   * Multiple choice: mark the gold choice's segment a label and the others
   * distractors, from the row's answer index, letter or `label`/`answerKey`.
   */
  choiceRoles?: (row: Record<string, unknown>, segments: TextSegment[]) => void;
}

/** Id fields looked for, in this order, when a file has no recognised shape. */
export const ID_FIELDS = ['id', 'idx', 'task_id', 'context_id', 'doc_id', 'uid'] as const;

const input = (path: string): FieldSpec => ({ path, label: false });
const answer = (path: string): FieldSpec => ({ path, label: true });
const wrong = (path: string): FieldSpec => ({ path, label: false, distractor: true });

type Row = Record<string, unknown>;
const isObject = (v: unknown): v is Row => v !== null && typeof v === 'object' && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

interface ShapeRule {
  test(row: Row): boolean;
  shape: EvalShape;
}

const RULES: ShapeRule[] = [
  {
    test: (r) => Array.isArray(r.paragraphs) && r.paragraphs.some((p) => isObject(p) && Array.isArray(p.qas)),
    shape: {
      name: 'squad',
      fields: [input('context'), input('question'), answer('answers.text')],
      idField: 'id',
      flatten: flattenSquad,
    },
  },
  {
    test: (r) => isString(r.question) && isObject(r.mc1_targets),
    shape: {
      name: 'truthfulqa-mc',
      fields: [input('question'), answer('mc1_targets')],
      idField: null,
      segments: truthfulqaMcSegments,
    },
  },
  {
    test: (r) => 'Question' in r && 'Best Answer' in r,
    shape: {
      name: 'truthfulqa',
      fields: [input('Question'), answer('Best Answer'), answer('Correct Answers'), wrong('Incorrect Answers')],
      idField: null,
    },
  },
  {
    test: (r) => isString(r.prompt) && isString(r.canonical_solution),
    shape: { name: 'humaneval', fields: [input('prompt'), answer('canonical_solution')], idField: 'task_id' },
  },
  {
    test: (r) => isString(r.context) && isString(r.question) && Array.isArray(r.answers),
    shape: { name: 'squad-qa', fields: [input('context'), input('question'), answer('answers')], idField: 'id' },
  },
  {
    test: (r) => isString(r.context) && 'context_id' in r && !('question' in r),
    shape: { name: 'squad-contexts', fields: [input('context')], idField: 'context_id' },
  },
  {
    test: (r) => isString(r.ctx) && Array.isArray(r.endings),
    shape: { name: 'hellaswag', fields: [input('ctx'), input('endings')], idField: 'idx', choiceRoles: choiceRoles('endings', (r) => goldIndex(r.label)) },
  },
  {
    test: (r) => isObject(r.question) && isString(r.question.stem) && Array.isArray(r.question.choices),
    shape: {
      name: 'arc',
      fields: [input('question.stem'), input('question.choices.text')],
      idField: 'id',
      choiceRoles: choiceRoles('question.choices', (r) => {
        const choices = isObject(r.question) && Array.isArray(r.question.choices) ? r.question.choices : [];
        const k = choices.findIndex((c) => isObject(c) && c.label !== undefined && String(c.label) === String(r.answerKey));
        return k >= 0 ? k : goldIndex(r.answerKey);
      }),
    },
  },
  {
    test: (r) => isString(r.question) && Array.isArray(r.choices),
    shape: { name: 'mmlu', fields: [input('question'), input('choices')], idField: 'id', choiceRoles: choiceRoles('choices', (r) => goldIndex(r.answer_index ?? r.answer)) },
  },
  {
    test: (r) => isString(r.question) && isString(r.passage),
    shape: { name: 'boolq', fields: [input('question'), input('passage')], idField: null },
  },
  {
    test: (r) => isString(r.question) && isString(r.answer),
    shape: { name: 'gsm8k', fields: [input('question'), answer('answer')], idField: null },
  },
];

/** A gold answer given as a 0-based index (number or digit string) or a letter A-Z; null when neither. */
export function goldIndex(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string') {
    const v = value.trim();
    if (/^[0-9]+$/.test(v)) return Number(v);
    if (/^[A-Za-z]$/.test(v)) return v.toUpperCase().charCodeAt(0) - 65;
  }
  return null;
}

/**
 * Roles of the segments of list field `list` (`choices[k]`, `question.choices[k].text`):
 * choice `gold(row)` becomes the label, the others distractors. A row whose gold answer
 * cannot be read keeps every choice as input.
 */
function choiceRoles(list: string, gold: (row: Row) => number | null): (row: Row, segments: TextSegment[]) => void {
  const pattern = new RegExp(`^${list.replace(/\./g, '\\.')}\\[(\\d+)\\]`);
  return (row, segments) => {
    const k = gold(row);
    if (k === null) return;
    const choices = segments.filter((g) => pattern.test(g.field));
    if (k >= choices.length) return;
    for (const g of choices) {
      const m = pattern.exec(g.field)!;
      if (Number(m[1]) === k) g.label = true;
      else g.distractor = true;
    }
  };
}

/** The shape of a file whose first row is `first`, or null. */
export function recogniseShape(first: unknown): EvalShape | null {
  if (!isObject(first)) return null;
  for (const rule of RULES) if (rule.test(first)) return rule.shape;
  return null;
}

/** The id field of a file without a recognised shape: the first of ID_FIELDS its first row has. */
export function guessIdField(first: unknown): string | null {
  if (!isObject(first)) return null;
  return ID_FIELDS.find((f) => Object.hasOwn(first, f)) ?? null;
}

/**
 * Fields of a file without a recognised shape: every top-level string field and
 * list-of-strings field, in the first row's key order, the id field excepted
 * (an id is a name, not text anyone trains on). A key first seen after row 0
 * comes after the first row's keys, in order of appearance.
 */
export function defaultFields(rows: unknown[], idField: string | null): FieldSpec[] {
  const seen = new Set<string>();
  const fields: FieldSpec[] = [];
  for (const row of rows) {
    if (!isObject(row)) continue;
    for (const [key, value] of Object.entries(row)) {
      if (seen.has(key) || key === idField) continue;
      const text = isString(value) || (Array.isArray(value) && value.length > 0 && value.every(isString));
      if (!text) continue;
      seen.add(key);
      fields.push(input(key));
    }
  }
  return fields;
}

/** Nested SQuAD to one row per question, in document order: {id, context, question, answers}. */
export function flattenSquad(articles: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const article of articles) {
    if (!isObject(article) || !Array.isArray(article.paragraphs)) continue;
    for (const paragraph of article.paragraphs) {
      if (!isObject(paragraph) || !Array.isArray(paragraph.qas)) continue;
      for (const qa of paragraph.qas) {
        if (!isObject(qa)) continue;
        out.push({ id: qa.id, context: paragraph.context, question: qa.question, answers: qa.answers });
      }
    }
  }
  return out;
}

/** TruthfulQA mc_task.json: the question, then each mc1 answer text (a dict key), label when its value is 1. */
function truthfulqaMcSegments(row: Row): TextSegment[] {
  const segments: TextSegment[] = [];
  if (isString(row.question)) segments.push({ field: 'question', text: row.question, label: false });
  if (isObject(row.mc1_targets)) {
    let k = 0;
    for (const [text, value] of Object.entries(row.mc1_targets)) {
      segments.push(value === 1 ? { field: `mc1_targets[${k}]`, text, label: true } : { field: `mc1_targets[${k}]`, text, label: false, distractor: true });
      k++;
    }
  }
  return segments;
}

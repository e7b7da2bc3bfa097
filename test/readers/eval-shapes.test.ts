/**
 * Shape recognition from a first row: each published layout is told apart
 * (MMLU and BoolQ before GSM8K, which all have `question`), the default fields
 * of an unknown layout, and nested SQuAD flattening order.
 */
import test from 'ava';
import { defaultFields, flattenSquad, guessIdField, recogniseShape } from '../../src/readers/evals/shapes.js';

const name = (row: unknown) => recogniseShape(row)?.name ?? null;

test('each layout is recognised from its first row', (t) => {
  t.is(name({ question: 'q', answer: 'a' }), 'gsm8k');
  t.is(name({ id: 'x', question: 'q', choices: ['a'], answer: 'B' }), 'mmlu');
  t.is(name({ question: 'q', title: 't', answer: true, passage: 'p' }), 'boolq');
  t.is(name({ idx: 0, ctx: 'c', endings: ['e'], label: 1 }), 'hellaswag');
  t.is(name({ id: 'i', question: { stem: 's', choices: [{ text: 't', label: 'A' }] }, answerKey: 'A' }), 'arc');
  t.is(name({ Type: 'x', Question: 'q', 'Best Answer': 'b' }), 'truthfulqa');
  t.is(name({ question: 'q', mc1_targets: { a: 1 } }), 'truthfulqa-mc');
  t.is(name({ task_id: 'HumanEval/0', prompt: 'p', canonical_solution: 's' }), 'humaneval');
  t.is(name({ id: 'i', context_id: '00_000', context: 'c', question: 'q', answers: ['a'] }), 'squad-qa');
  t.is(name({ context_id: '00_000', title: 't', context: 'c' }), 'squad-contexts');
  t.is(name({ title: 't', paragraphs: [{ context: 'c', qas: [] }] }), 'squad');
  t.is(name({ prompt: 'p' }), null);
  t.is(name(['not', 'an', 'object']), null);
});

test('the id field of an unknown layout is the first usual id key present', (t) => {
  t.is(guessIdField({ text: 't', doc_id: 'd', uid: 'u' }), 'doc_id');
  t.is(guessIdField({ text: 't' }), null);
});

test('default fields: strings and lists of strings in first-row order, later keys after, the id aside', (t) => {
  const fields = defaultFields(
    [
      { id: 'x', a: 's', n: 1, l: ['p'], mixed: ['p', 2], o: { s: 's' } },
      { b: 'later', a: 'again' },
    ],
    'id',
  );
  t.deepEqual(fields, [
    { path: 'a', label: false },
    { path: 'l', label: false },
    { path: 'b', label: false },
  ]);
});

test('nested SQuAD flattens to one row per question in document order', (t) => {
  const rows = flattenSquad([
    {
      title: 'A',
      paragraphs: [
        {
          context: 'c1',
          qas: [
            { id: 'q1', question: 'Q1', answers: [] },
            { id: 'q2', question: 'Q2', answers: [] },
          ],
        },
        { context: 'c2', qas: [{ id: 'q3', question: 'Q3', answers: [{ text: 'x' }] }] },
      ],
    },
    { title: 'B', paragraphs: [{ context: 'c3', qas: [{ id: 'q4', question: 'Q4', answers: [] }] }] },
  ]);
  t.deepEqual(rows, [
    { id: 'q1', context: 'c1', question: 'Q1', answers: [] },
    { id: 'q2', context: 'c1', question: 'Q2', answers: [] },
    { id: 'q3', context: 'c2', question: 'Q3', answers: [{ text: 'x' }] },
    { id: 'q4', context: 'c3', question: 'Q4', answers: [] },
  ]);
});

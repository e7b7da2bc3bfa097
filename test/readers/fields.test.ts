/**
 * Field paths: dotted paths into objects, arrays entered element by element,
 * segment names spelling the indices, scalars stringified, nulls skipped,
 * objects rejected; and the `#field,field:label` list syntax.
 */
import test from 'ava';
import { availablePaths, extractSegments, parseFieldList } from '../../src/readers/evals/fields.js';
import type { TextSegment } from '../../src/types.js';

const place = { file: 'f.jsonl', where: 'line 1' };
function segments(row: unknown, path: string, label = false): { reached: boolean; out: TextSegment[] } {
  const out: TextSegment[] = [];
  const reached = extractSegments(row, { path, label }, out, place);
  return { reached, out };
}

test('a dotted path through arrays yields every element, named with its indices', (t) => {
  const row = { question: { stem: 'S', choices: [{ text: 'A' }, { text: 'B' }, { label: 'no text' }] } };
  t.deepEqual(segments(row, 'question.choices.text').out, [
    { field: 'question.choices[0].text', text: 'A', label: false },
    { field: 'question.choices[1].text', text: 'B', label: false },
  ]);
  t.deepEqual(segments(row, 'question.stem', true).out, [{ field: 'question.stem', text: 'S', label: true }]);
});

test('lists (nested too) give one segment per element; numbers and booleans are stringified; null gives none', (t) => {
  t.deepEqual(
    segments({ c: ['x', ['y', 'z'], null, 4] }, 'c').out.map((s) => [s.field, s.text]),
    [
      ['c[0]', 'x'],
      ['c[1][0]', 'y'],
      ['c[1][1]', 'z'],
      ['c[3]', '4'],
    ],
  );
  t.deepEqual(segments({ n: 2.5, b: false }, 'n').out[0]!.text, '2.5');
  t.deepEqual(segments({ n: 2.5, b: false }, 'b').out[0]!.text, 'false');
  const nulled = segments({ q: null }, 'q');
  t.deepEqual(nulled, { reached: true, out: [] });
  t.deepEqual(segments({ other: 1 }, 'q'), { reached: false, out: [] });
  t.deepEqual(segments({ q: 'scalar' }, 'q.deeper'), { reached: false, out: [] });
});

test('an object where text was expected is BAD_VALUE naming the place', (t) => {
  const error = t.throws(() => segments({ q: { a: 1 } }, 'q')) as { code?: string; message: string };
  t.is(error.code, 'BAD_VALUE');
  t.is(error.message, "f.jsonl:line 1: field 'q' holds an object, not text");
});

test('availablePaths spells out nested objects and objects inside arrays', (t) => {
  t.deepEqual(availablePaths({ id: 1, question: { stem: 's', choices: [{ text: 'a', label: 'A' }] }, tags: ['x'] }), [
    'id',
    'question.stem',
    'question.choices.text',
    'question.choices.label',
    'tags',
  ]);
});

test('field lists: trimming, :label, and errors', (t) => {
  t.deepEqual(parseFieldList(' q , Best Answer:label ', 'arg'), [
    { path: 'q', label: false },
    { path: 'Best Answer', label: true },
  ]);
  for (const bad of ['q,,a', 'q:lable', 'a,a', 'a..b']) t.is((t.throws(() => parseFieldList(bad, 'arg')) as { code?: string }).code, 'BAD_ARGUMENT', bad);
});

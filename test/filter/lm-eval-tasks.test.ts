/**
 * The lm-evaluation-harness side of `--format lm-eval`: task names as the
 * harness's own configs spell them (fixtures/harness/mmlu_tasks.txt, read
 * from its lm_eval/tasks/mmlu/default/*.yaml), per-task indices from 0,
 * ascending, and refusals where row numbers would select other documents.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { lmEvalTasks, MMLU_TEST_SIZES } from '../../src/filter/lm-eval-tasks.js';

const HARNESS = path.resolve(import.meta.dirname, '../../fixtures/harness');

test("MMLU's subjects are the harness's 57 mmlu_<subject> tasks, 14,042 test documents in all", (t) => {
  const names = readFileSync(path.join(HARNESS, 'mmlu_tasks.txt'), 'utf8').trim().split('\n');
  t.deepEqual(
    Object.keys(MMLU_TEST_SIZES).map((s) => `mmlu_${s}`),
    names,
  );
  t.is(
    Object.values(MMLU_TEST_SIZES).reduce((a, b) => a + b, 0),
    14042,
  );
});

test('MMLU rows map to per-subject indices, each from 0, in file order', (t) => {
  // Two whole subjects, interleaved: indices count within the subject, not the file.
  const rows = [
    ...Array.from({ length: 100 }, (_, k) => ({ subject: 'abstract_algebra', split: 'test', k })),
    ...Array.from({ length: 100 }, (_, k) => ({ subject: 'global_facts', split: 'test', k })),
  ];
  const keep = new Set([0, 5, 99, 100, 150]);
  t.deepEqual(lmEvalTasks('mmlu', rows, keep), { tasks: { mmlu_abstract_algebra: [0, 5, 99], mmlu_global_facts: [0, 50] }, empty: [] });
  // A subject with nothing kept is left out and named: the harness would read [] as every document.
  t.deepEqual(lmEvalTasks('mmlu', rows, new Set([1])), { tasks: { mmlu_abstract_algebra: [1] }, empty: ['mmlu_global_facts'] });
});

test('MMLU is refused when a subject is partial, of the dev split, or unknown', (t) => {
  const partial = Array.from({ length: 99 }, () => ({ subject: 'abstract_algebra' }));
  t.deepEqual(lmEvalTasks('mmlu', partial, new Set([0])), {
    reason: "the file has 99 rows of 'abstract_algebra' but mmlu_abstract_algebra has 100 test documents; its row numbers would select other documents",
  });
  t.deepEqual(lmEvalTasks('mmlu', [{ subject: 'anatomy', split: 'dev' }], new Set([0])), { reason: "row 0 is of split 'dev'; the harness's mmlu tasks read the test split" });
  t.deepEqual(lmEvalTasks('mmlu', [{ subject: 'cooking' }], new Set([0])), { reason: "row 0 has no 'subject' naming one of MMLU's 57 subjects (\"cooking\"), so its harness task is unknown" });
});

test('whole-split tasks need the whole split; SQuAD v1.1 has no harness task', (t) => {
  const rows = (n: number) => Array.from({ length: n }, () => ({}));
  t.deepEqual(lmEvalTasks('boolq', rows(3270), new Set([7, 3])), { tasks: { boolq: [3, 7] }, empty: [] });
  t.deepEqual(lmEvalTasks('arc', rows(1150), new Set([0])), {
    reason: 'the file has 1150 rows but arc_challenge has the 1172 documents of ARC-Challenge test, arc_easy has the 2376 documents of ARC-Easy test; its row numbers would select other documents',
  });
  t.deepEqual(lmEvalTasks('arc', rows(1172), new Set([1])), { tasks: { arc_challenge: [1] }, empty: [] });
  t.deepEqual(lmEvalTasks('arc', rows(2376), new Set([2])), { tasks: { arc_easy: [2] }, empty: [] });
  t.deepEqual(lmEvalTasks('hellaswag', rows(10042), new Set()), { tasks: {}, empty: ['hellaswag'] });
  t.deepEqual(lmEvalTasks('squad', rows(10570), new Set([0])), { reason: 'SQuAD v1.1 is no lm-evaluation-harness task (it has squadv2 and squad_completion)' });
  t.deepEqual(lmEvalTasks(null, rows(5), new Set([0])), { reason: 'the file has no recognised shape, so no lm-evaluation-harness task is known for it' });
});

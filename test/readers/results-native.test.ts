import path from 'node:path';
import test from 'ava';
import { readNativeResults } from '../../src/readers/results/native.js';
import { readResults } from '../../src/readers/results/results.js';
import { tempDir, writeJsonl } from '../score/_helpers.js';

test('native log-prob and generative lines read into records', async (t) => {
  const file = writeJsonl(path.join(tempDir(), 'preds.jsonl'), [
    { benchmark: 'hellaswag', row: 0, logprobs: [-9.1, -7.4, -8, -6.2], gold: 3, choices: ['a', 'bb', 'ccc', 'dddd'], metrics: { acc: 1 } },
    { benchmark: 'hellaswag', id: 17, prediction: 'x', references: 'x' },
  ]);
  const results = await readResults(file);
  t.is(results.format, 'native');
  t.is(results.benchmark, 'hellaswag');
  t.deepEqual(results.records[0], {
    where: 'line 1',
    row: 0,
    id: null,
    text: '',
    logprobs: [-9.1, -7.4, -8, -6.2],
    choices: ['a', 'bb', 'ccc', 'dddd'],
    gold: 3,
    prediction: null,
    references: null,
    stored: { acc: 1 },
    filtered: null,
  });
  t.is(results.records[1]!.id, '17');
  t.deepEqual(results.records[1]!.references, ['x']);
});

const badLines: [string, Record<string, unknown>, RegExp][] = [
  ['no sample reference', { logprobs: [-1, -2], gold: 0 }, /expected 'row', 'id' or 'text'/],
  ['gold out of range', { row: 0, logprobs: [-1, -2], gold: 2 }, /expected 'gold' to be a choice index from 0 to 1, got 2/],
  ['choices not matching log-probs', { row: 0, logprobs: [-1, -2], gold: 0, choices: ['a'] }, /expected 'choices' to be 2 strings/],
  ['a non-number log-prob', { row: 0, logprobs: [-1, 'x'], gold: 0 }, /expected 'logprobs' to be a non-empty list of numbers/],
  ['nothing to score', { row: 0 }, /expected 'logprobs' and 'gold', or 'prediction' and 'references'/],
  ['a negative row', { row: -1, prediction: 'a', references: ['a'] }, /expected 'row' to be a whole number from 0, got -1/],
];

for (const [name, line, message] of badLines) {
  test(`native line with ${name} is BAD_RESULTS naming the line`, async (t) => {
    const file = writeJsonl(path.join(tempDir(), 'preds.jsonl'), [{ row: 5, prediction: 'a', references: ['a'] }, line]);
    const error = await t.throwsAsync(readNativeResults(file));
    t.is((error as { code?: string }).code, 'BAD_RESULTS');
    t.regex(error!.message, /:line 2: /);
    t.regex(error!.message, message);
  });
}

test('lines naming two benchmarks are BAD_RESULTS', async (t) => {
  const file = writeJsonl(path.join(tempDir(), 'preds.jsonl'), [
    { benchmark: 'gsm8k', row: 0, prediction: 'a', references: ['a'] },
    { benchmark: 'hellaswag', row: 1, prediction: 'a', references: ['a'] },
  ]);
  const error = await t.throwsAsync(readNativeResults(file));
  t.is((error as { code?: string }).code, 'BAD_RESULTS');
  t.regex(error!.message, /:line 2: this line is for benchmark 'hellaswag' but line 1 is for 'gsm8k'/);
});

test('an empty results file is EMPTY_INPUT', async (t) => {
  const file = writeJsonl(path.join(tempDir(), 'preds.jsonl'), []);
  const error = await t.throwsAsync(readResults(file));
  t.is((error as { code?: string }).code, 'EMPTY_INPUT');
});

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { lmEvalTaskFromFileName, readLmEvalSamples } from '../../src/readers/results/lm-eval.js';
import { readResults } from '../../src/readers/results/results.js';
import { expectedMc, fakeLogprobs, gsm8k, hellaswag, lmEvalHellaswagLine, tempDir, writeJsonl } from '../score/_helpers.js';

test('the task comes from samples_<task>_<date>.jsonl', (t) => {
  t.is(lmEvalTaskFromFileName('out/model/samples_gsm8k_2026-11-28T10-00-00.123456.jsonl'), 'gsm8k');
  t.is(lmEvalTaskFromFileName('samples_leaderboard_hellaswag_2024-06-01T09-31-41.jsonl'), 'leaderboard_hellaswag');
  t.is(lmEvalTaskFromFileName('preds.jsonl'), null);
});

for (const layout of ['nested', 'sanitized'] as const) {
  test(`multiple-choice lines read alike in the ${layout} layout`, async (t) => {
    const rows = hellaswag(5);
    const file = writeJsonl(
      path.join(tempDir(), 'samples_hellaswag_2026-11-28T10-00-00.jsonl'),
      rows.map((r, i) => lmEvalHellaswagLine(r, i, layout)),
    );
    const results = await readResults(file);
    t.is(results.format, 'lm-eval-harness');
    t.is(results.benchmark, 'hellaswag');
    t.is(results.records.length, 5);
    const r0 = results.records[0]!;
    t.is(r0.row, 0);
    t.is(r0.where, 'line 1');
    t.deepEqual(r0.logprobs, fakeLogprobs(rows[0]!, 0));
    // the delimiter space is not part of the choice the harness measures
    t.deepEqual(r0.choices, rows[0]!.endings);
    t.is(r0.gold, 3);
    t.deepEqual(r0.stored, expectedMc(rows[0]!, 0));
    t.true(r0.text.includes('A man is sitting on a roof. he'));
  });
}

test('gsm8k lines of two filters merge into one record with filter-qualified metrics, flattened resps too', async (t) => {
  const rows = gsm8k(2);
  const lines = rows.flatMap((r, i) => [
    {
      doc_id: i,
      doc: r,
      target: r.answer,
      arguments: { gen_args_0: { arg_0: `Question: ${r.question}\nAnswer:`, arg_1: { until: ['Question:'] } } },
      resps: [[`The answer is 5.`]],
      filtered_resps: ['[invalid]'],
      filter: 'strict-match',
      metrics: ['exact_match'],
      exact_match: 0,
    },
    // the flattened layout: one request, so no outer list
    {
      doc_id: i,
      doc: r,
      target: r.answer,
      arguments: { gen_args_0: { arg_0: `Question: ${r.question}\nAnswer:`, arg_1: { until: ['Question:'] } } },
      resps: [`The answer is 5.`],
      filtered_resps: '5',
      filter: 'flexible-extract',
      metrics: ['exact_match'],
      exact_match: 0,
    },
  ]);
  const results = await readLmEvalSamples(writeJsonl(path.join(tempDir(), 'samples_gsm8k_2026-11-28T10-00-00.jsonl'), lines));
  t.is(results.records.length, 2);
  t.is(results.records[1]!.prediction, 'The answer is 5.');
  t.deepEqual(results.records[1]!.references, [rows[1]!.answer]);
  t.deepEqual(results.records[1]!.stored, { 'exact_match,strict-match': 0, 'exact_match,flexible-extract': 0 });
  t.is(results.records[1]!.logprobs, null);
});

test('a doc_id logged twice under one filter is BAD_RESULTS naming the line', async (t) => {
  const r = hellaswag(1)[0]!;
  const file = writeJsonl(path.join(tempDir(), 'samples_hellaswag_x.jsonl'), [lmEvalHellaswagLine(r, 0, 'nested'), lmEvalHellaswagLine(r, 0, 'nested')]);
  const error = await t.throwsAsync(readLmEvalSamples(file));
  t.is((error as { code?: string }).code, 'BAD_RESULTS');
  t.regex(error!.message, /:line 2: doc_id 0 is logged twice under filter 'none' \(first at line 1\)/);
});

test('a truncated last line is BAD_RESULTS naming the line', async (t) => {
  const rows = hellaswag(3);
  const text = rows.map((r, i) => JSON.stringify(lmEvalHellaswagLine(r, i, 'sanitized'))).join('\n');
  const file = path.join(tempDir(), 'samples_hellaswag_2026-11-28T10-00-00.jsonl');
  writeFileSync(file, text.slice(0, text.length - 40));
  const error = await t.throwsAsync(readResults(file));
  t.is((error as { code?: string }).code, 'BAD_RESULTS');
  t.regex(error!.message, /:line 3: the last line is cut off/);
});

test('a line without doc_id is BAD_RESULTS', async (t) => {
  const r = hellaswag(2);
  const second = lmEvalHellaswagLine(r[1]!, 1, 'nested');
  delete second.doc_id;
  const file = writeJsonl(path.join(tempDir(), 'samples_hellaswag_x.jsonl'), [lmEvalHellaswagLine(r[0]!, 0, 'nested'), second]);
  const error = await t.throwsAsync(readLmEvalSamples(file));
  t.is((error as { code?: string }).code, 'BAD_RESULTS');
  t.regex(error!.message, /:line 2: expected 'doc_id' to be a whole number from 0, got undefined/);
});

test('a single loglikelihood request is not multiple choice: only its stored acc counts', async (t) => {
  const file = writeJsonl(path.join(tempDir(), 'samples_lambada_openai_2026-11-28T10-00-00.jsonl'), [
    {
      doc_id: 0,
      doc: { text: 'He put the keys on the table' },
      target: ' table',
      arguments: { gen_args_0: { arg_0: 'He put the keys on the', arg_1: ' table' } },
      resps: [[['-1.5', 'True']]],
      filtered_resps: [['-1.5', 'True']],
      filter: 'none',
      metrics: ['perplexity', 'acc'],
      perplexity: -1.5,
      acc: 1,
    },
  ]);
  const [record] = (await readLmEvalSamples(file)).records;
  t.is(record!.logprobs, null);
  t.deepEqual(record!.stored, { perplexity: -1.5, acc: 1 });
});

test('acc_mutual_info lines keep only the conditional requests as choices', async (t) => {
  const r = hellaswag(1)[0]!;
  const line = lmEvalHellaswagLine(r, 0, 'nested');
  const pairs = line.arguments as string[][];
  const lps = line.filtered_resps as unknown[][];
  line.arguments = [...pairs, ...pairs.map(([, c]) => ['Answer:', c!])];
  line.filtered_resps = [...lps, ...lps.map(() => [-50, false])];
  line.resps = (line.filtered_resps as unknown[]).map((x) => [x]);
  line.metrics = ['acc', 'acc_norm', 'acc_mutual_info'];
  const [record] = (await readLmEvalSamples(writeJsonl(path.join(tempDir(), 'samples_hellaswag_x.jsonl'), [line]))).records;
  t.deepEqual(record!.logprobs, fakeLogprobs(r, 0));
  t.is(record!.choices!.length, 4);
});

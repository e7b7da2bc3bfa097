import { writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { lightevalTaskFromFileName, readLightevalDetails } from '../../src/readers/results/lighteval.js';
import { readResults } from '../../src/readers/results/results.js';
import { fakeLogprobs, hellaswag, LEGACY_COLUMNS, legacyHellaswagRows, LIGHTEVAL_COLUMNS, lightevalHellaswagRows, tempDir, writeParquet } from '../score/_helpers.js';

test('the task is the middle of suite|task|shots in details_<task>_<date>.parquet', (t) => {
  t.is(lightevalTaskFromFileName('details_lighteval|hellaswag|0_2026-11-28T10-00-00.123456.parquet'), 'hellaswag');
  t.is(lightevalTaskFromFileName('details_gsm8k_2026-11-28T10-00-00.parquet'), 'gsm8k');
  t.is(lightevalTaskFromFileName('scores.parquet'), null);
});

test('0.11 struct columns read into choices, log-probs, gold and stored metrics', async (t) => {
  const rows = hellaswag(4);
  const file = await writeParquet(path.join(tempDir(), 'details_lighteval|hellaswag|0_2026-11-28T10-00-00.parquet'), lightevalHellaswagRows(rows, true), LIGHTEVAL_COLUMNS);
  const results = await readResults(file);
  t.is(results.format, 'lighteval');
  t.is(results.benchmark, 'hellaswag');
  t.is(results.records.length, 4);
  const r1 = results.records[1]!;
  t.is(r1.where, 'row 1');
  t.is(r1.row, null);
  t.is(r1.id, '1');
  t.is(r1.text, `${rows[1]!.activity_label}: ${rows[1]!.ctx}`);
  t.deepEqual(r1.logprobs, fakeLogprobs(rows[1]!, 1));
  t.deepEqual(
    r1.choices,
    rows[1]!.endings.map((e) => ` ${e}`),
  );
  t.is(r1.gold, rows[1]!.label);
  t.deepEqual(Object.keys(r1.stored).sort(), ['acc', 'acc_norm']);
});

test('an unset doc.id reads as null, so the join falls back to the text', async (t) => {
  const file = await writeParquet(path.join(tempDir(), 'details_hellaswag_2026-11-28T10-00-00.parquet'), lightevalHellaswagRows(hellaswag(2), false), LIGHTEVAL_COLUMNS);
  const results = await readLightevalDetails(file);
  t.deepEqual(
    results.records.map((r) => r.id),
    [null, null],
  );
});

test('legacy flat columns read into the same records', async (t) => {
  const rows = hellaswag(3);
  const file = await writeParquet(path.join(tempDir(), 'details_harness|hellaswag|10_2023-09-01T00-00-00.parquet'), legacyHellaswagRows(rows), LEGACY_COLUMNS);
  const results = await readLightevalDetails(file);
  t.is(results.format, 'lighteval-legacy');
  t.is(results.benchmark, 'hellaswag');
  t.deepEqual(results.records[2]!.logprobs, fakeLogprobs(rows[2]!, 2));
  t.is(results.records[2]!.gold, rows[2]!.label);
  t.true(results.records[2]!.text.startsWith(`${rows[2]!.activity_label}: `));
});

test('Parquet without the lighteval columns is BAD_RESULTS', async (t) => {
  const file = await writeParquet(path.join(tempDir(), 'other.parquet'), [{ a: 'x', b: 1 }], { a: 'VARCHAR', b: 'BIGINT' });
  const error = await t.throwsAsync(readResults(file));
  t.is((error as { code?: string }).code, 'BAD_RESULTS');
  t.regex(error!.message, /not a lighteval details file: columns are a, b/);
});

test('a truncated Parquet file is BAD_PARQUET', async (t) => {
  const file = path.join(tempDir(), 'details_hellaswag_2026-11-28T10-00-00.parquet');
  writeFileSync(file, Buffer.from('PAR1 not really'));
  const error = await t.throwsAsync(readResults(file));
  t.is((error as { code?: string }).code, 'BAD_PARQUET');
});

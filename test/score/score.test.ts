import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import test from 'ava';
import type { SubsetScore } from '../../src/types.js';

/** A subset's score and size (its bootstrap interval is pinned in bootstrap.test.ts). */
const sn = (x: SubsetScore | undefined) => (x ? { score: x.score, n: x.n } : x);
import { bootstrapDeltaInterval } from '../../src/score/bootstrap.js';
import { scoreResults } from '../../src/score/score.js';
import type { Report } from '../../src/types.js';
import {
  DATA,
  expectedMc,
  firstMax,
  gsm8k,
  gsm8kText,
  hellaswag,
  hellaswagText,
  LEGACY_COLUMNS,
  legacyHellaswagRows,
  LIGHTEVAL_COLUMNS,
  lightevalHellaswagRows,
  lmEvalHellaswagLine,
  makeReport,
  meanOf,
  pyLen,
  tempDir,
  writeJsonl,
  writeParquet,
  type SampleSpec,
} from './_helpers.js';

const CONTAMINATED = new Set([0, 2, 4, 6, 8]);
const TOO_SHORT = new Set([19]);
const CLEAN = Array.from({ length: 19 }, (_, i) => i).filter((i) => !CONTAMINATED.has(i));

/** The 20 first hellaswag rows; rows 0, 2, 4, 6, 8 contaminated, row 19 too short, the other 14 clean. */
function hellaswagReport(n = 20, specs?: (row: number) => Partial<SampleSpec>): Report {
  return makeReport([
    {
      name: 'hellaswag',
      samples: 10042,
      specs: hellaswag(n).map((r, row) => ({ row, text: hellaswagText(r), contaminated: CONTAMINATED.has(row), too_short: TOO_SHORT.has(row), ...specs?.(row) })),
    },
  ]);
}

function lmEvalFile(lines: unknown[], task = 'hellaswag'): string {
  return writeJsonl(path.join(tempDir(), `samples_${task}_2026-11-28T10-00-00.jsonl`), lines);
}

// Per-row acc and acc_norm of the first 20 hellaswag rows under fakeLogprobs, worked out by hand from the
// labels and the endings' lengths (row 0: gold ending 36 chars at 0.5/char = -18 loses on raw log-likelihood to
// ending 2, 26 chars at 0.625 = -16.25, but wins per character, -0.5 against -0.625).
const ACC = [0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0];
const ACC_NORM = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0];

test('the hand-worked per-row metrics are what the fixture log-likelihoods give', (t) => {
  const rows = hellaswag(20);
  t.deepEqual(
    rows.map((r, i) => expectedMc(r, i).acc),
    ACC,
  );
  t.deepEqual(
    rows.map((r, i) => expectedMc(r, i).acc_norm),
    ACC_NORM,
  );
});

test('lm-eval multiple choice: scores on all, clean and contaminated, by hand', async (t) => {
  const rows = hellaswag(20);
  const file = lmEvalFile(rows.map((r, i) => lmEvalHellaswagLine(r, i, 'nested')));
  const scores = await scoreResults(hellaswagReport(), [{ path: file }], { seed: 3, resamples: 200 });
  t.is(scores.version, 1);
  t.is(scores.seed, 3);
  t.is(scores.bootstrap_resamples, 200);
  const b = scores.benchmarks[0]!;
  t.like(b, { name: 'hellaswag', mode: 'logprob', results_file: file, results_format: 'lm-eval-harness', joined: 20, unjoined: 0, unjoined_ids: [], joined_by: 'row' });
  t.deepEqual(b.disagreements, [
    { metric: 'acc', count: 0, of: 20 },
    { metric: 'acc_norm', count: 0, of: 20 },
  ]);
  const [acc, accNorm] = b.metrics;
  // acc: correct rows 2, 4, 6, 9, 12, 18. Contaminated 0, 2, 4, 6, 8 -> 3 of 5; clean 9, 12, 18 -> 3 of 14.
  t.deepEqual(sn(acc!.all), { score: 6 / 20, n: 20 });
  t.deepEqual(sn(acc!.clean), { score: 3 / 14, n: 14 });
  t.deepEqual(sn(acc!.contaminated), { score: 3 / 5, n: 5 });
  t.is(acc!.delta.value, 3 / 14 - 6 / 20);
  t.true(acc!.small_subset);
  t.is(acc!.input_only, undefined);
  // acc_norm: every even row. Contaminated all 5; clean 10, 12, 14, 16, 18 -> 5 of 14.
  t.deepEqual(sn(accNorm!.all), { score: 10 / 20, n: 20 });
  t.deepEqual(sn(accNorm!.clean), { score: 5 / 14, n: 14 });
  t.deepEqual(sn(accNorm!.contaminated), { score: 1, n: 5 });
  t.is(accNorm!.delta.value, 5 / 14 - 0.5);
  // the interval resamples exactly these subsets (clean, contaminated, the too-short row 19) with the seed
  const pick = (values: number[], rowsOf: number[]) => rowsOf.map((i) => values[i]!);
  t.deepEqual(acc!.delta.ci95, bootstrapDeltaInterval(pick(ACC, CLEAN), pick(ACC, [...CONTAMINATED]), [ACC[19]!], { seed: 3, resamples: 200 }));
});

test("round trip: the score on the full set is the mean of the file's own per-sample metric", async (t) => {
  const rows = hellaswag(20);
  const lines = rows.map((r, i) => lmEvalHellaswagLine(r, i, 'sanitized'));
  const scores = await scoreResults(hellaswagReport(), [{ path: lmEvalFile(lines) }], { resamples: 10 });
  const [acc, accNorm] = scores.benchmarks[0]!.metrics;
  t.is(acc!.all.score, meanOf(lines.map((l) => l.acc as number)));
  t.is(accNorm!.all.score, meanOf(lines.map((l) => l.acc_norm as number)));
});

test('a stored acc that does not follow from its log-likelihoods is counted, and ours is used', async (t) => {
  const rows = hellaswag(20);
  const lines = rows.map((r, i) => lmEvalHellaswagLine(r, i, 'sanitized', i === 3 || i === 5 ? { acc: 1, acc_norm: ACC_NORM[i]! } : expectedMc(r, i)));
  const b = (await scoreResults(hellaswagReport(), [{ path: lmEvalFile(lines) }], { resamples: 10 })).benchmarks[0]!;
  t.deepEqual(b.disagreements, [
    { metric: 'acc', count: 2, of: 20 },
    { metric: 'acc_norm', count: 0, of: 20 },
  ]);
  t.is(b.metrics[0]!.all.score, 6 / 20);
});

test("without log-likelihoods the file's own metric is taken", async (t) => {
  const rows = hellaswag(20);
  const lines = rows.map((r, i) => {
    const line = lmEvalHellaswagLine(r, i, 'sanitized', { acc: i < 4 ? 1 : 0, acc_norm: 1 });
    delete line.resps;
    delete line.filtered_resps;
    return line;
  });
  const b = (await scoreResults(hellaswagReport(), [{ path: lmEvalFile(lines) }], { resamples: 10 })).benchmarks[0]!;
  t.is(b.mode, 'logprob');
  t.deepEqual(b.disagreements, []);
  // stored acc is 1 on rows 0-3: contaminated 0, 2; clean 1, 3
  t.deepEqual(sn(b.metrics[0]!.contaminated), { score: 2 / 5, n: 5 });
  t.deepEqual(sn(b.metrics[0]!.clean), { score: 2 / 14, n: 14 });
  t.deepEqual(sn(b.metrics[1]!.all), { score: 1, n: 20 });
});

/** acc and acc_norm of lighteval rows (choices keep their leading space), computed independently. */
function lightevalExpected(): { acc: number[]; accNorm: number[] } {
  const rows = lightevalHellaswagRows(hellaswag(20), false) as { doc: { choices: string[]; gold_index: number[] }; model_response: { logprobs: number[] } }[];
  return {
    acc: rows.map((r) => (firstMax(r.model_response.logprobs) === r.doc.gold_index[0] ? 1 : 0)),
    accNorm: rows.map((r) => (firstMax(r.model_response.logprobs.map((lp, i) => lp / pyLen(r.doc.choices[i]!))) === r.doc.gold_index[0] ? 1 : 0)),
  };
}

for (const [name, make, by] of [
  ['lighteval 0.11 with doc ids joins by id', () => [lightevalHellaswagRows(hellaswag(20), true), LIGHTEVAL_COLUMNS], 'id'],
  ['lighteval 0.11 without ids joins by text', () => [lightevalHellaswagRows(hellaswag(20), false), LIGHTEVAL_COLUMNS], 'text'],
  ['legacy lighteval details join by text', () => [legacyHellaswagRows(hellaswag(20)), LEGACY_COLUMNS], 'text'],
] as const) {
  test(`${name} and scores the subsets`, async (t) => {
    const [rows, columns] = make();
    const file = await writeParquet(path.join(tempDir(), 'details_lighteval|hellaswag|0_2026-11-28T10-00-00.parquet'), rows as unknown[], columns as Record<string, string>);
    const b = (await scoreResults(hellaswagReport(), [{ path: file }], { resamples: 10 })).benchmarks[0]!;
    t.is(b.joined_by, by);
    t.is(b.joined, 20);
    const { acc, accNorm } = lightevalExpected();
    t.deepEqual(sn(b.metrics[0]!.all), { score: meanOf(acc), n: 20 });
    t.deepEqual(sn(b.metrics[0]!.clean), { score: meanOf(CLEAN.map((i) => acc[i]!)), n: 14 });
    t.deepEqual(sn(b.metrics[1]!.contaminated), { score: meanOf([...CONTAMINATED].map((i) => accNorm[i]!)), n: 5 });
    t.deepEqual(b.disagreements, [
      { metric: 'acc', count: 0, of: 20 },
      { metric: 'acc_norm', count: 0, of: 20 },
    ]);
  });
}

test('a result whose text matches no sample is unjoined and named', async (t) => {
  const rows = lightevalHellaswagRows(hellaswag(20), false) as { doc: { query: string } }[];
  rows[3]!.doc.query = 'Nothing like any hellaswag context at all.';
  const file = await writeParquet(path.join(tempDir(), 'details_hellaswag_2026-11-28T10-00-00.parquet'), rows, LIGHTEVAL_COLUMNS);
  const b = (await scoreResults(hellaswagReport(), [{ path: file }], { resamples: 10 })).benchmarks[0]!;
  t.is(b.joined, 19);
  t.is(b.unjoined, 1);
  t.deepEqual(b.unjoined_ids, ['row 3']);
  t.is(b.metrics[0]!.all.n, 19);
});

test('rows the report does not list are unjoined and named by row', async (t) => {
  const report = hellaswagReport();
  report.samples = report.samples.filter((s) => s.row < 18);
  const rows = hellaswag(20);
  const b = (await scoreResults(report, [{ path: lmEvalFile(rows.map((r, i) => lmEvalHellaswagLine(r, i, 'nested'))) }], { resamples: 10 })).benchmarks[0]!;
  t.is(b.joined, 18);
  t.deepEqual(b.unjoined_ids, ['18', '19']);
});

test('input/label verdicts split the contaminated subset', async (t) => {
  const leaked: Record<number, SampleSpec['leaked']> = { 0: 'input', 2: 'input', 4: 'input+label', 6: 'input+label', 8: 'label' };
  const report = hellaswagReport(20, (row) => ({ leaked: leaked[row] ?? null }));
  const rows = hellaswag(20);
  const b = (await scoreResults(report, [{ path: lmEvalFile(rows.map((r, i) => lmEvalHellaswagLine(r, i, 'nested'))) }], { resamples: 10 })).benchmarks[0]!;
  // acc on rows 0, 2 is 0, 1; on rows 4, 6 it is 1, 1
  t.deepEqual(sn(b.metrics[0]!.input_only), { score: 0.5, n: 2 });
  t.deepEqual(sn(b.metrics[0]!.input_and_label), { score: 1, n: 2 });
});

test('subsets of 30 and more are not flagged small; output is reproducible for a seed', async (t) => {
  const rows = hellaswag(70);
  const report = makeReport([{ name: 'hellaswag', samples: 10042, specs: rows.map((r, row) => ({ row, text: hellaswagText(r), contaminated: row < 35 })) }]);
  const file = lmEvalFile(rows.map((r, i) => lmEvalHellaswagLine(r, i, 'nested')));
  const a = await scoreResults(report, [{ path: file }], { seed: 11 });
  t.false(a.benchmarks[0]!.metrics[0]!.small_subset);
  t.is(a.bootstrap_resamples, 1000);
  t.deepEqual(await scoreResults(report, [{ path: file }], { seed: 11 }), a);
  const other = await scoreResults(report, [{ path: file }], { seed: 12 });
  t.notDeepEqual(other.benchmarks[0]!.metrics[0]!.delta.ci95, a.benchmarks[0]!.metrics[0]!.delta.ci95);
  t.is(other.benchmarks[0]!.metrics[0]!.delta.value, a.benchmarks[0]!.metrics[0]!.delta.value);
});

test('gsm8k generations: strict #### and flexible last-number matches, two filters merged', async (t) => {
  const rows = gsm8k(20);
  const gold = (a: string) => a.slice(a.lastIndexOf('#### ') + 5);
  // rows 0-9 answer with the worked solution (both match), 10-14 with a sentence (flexible only), 15-19 wrongly
  const generation = (i: number) => (i < 10 ? rows[i]!.answer : i < 15 ? `So the answer is ${gold(rows[i]!.answer)}.` : 'I think it is 99999.');
  const strict = (i: number) => (i < 10 ? 1 : 0);
  const flexible = (i: number) => (i < 15 ? 1 : 0);
  // What the harness's two filters extract from those generations (worked out by hand from gsm8k.yaml's regexes).
  const strictFiltered = (i: number) => (i < 10 ? gold(rows[i]!.answer) : '[invalid]');
  const flexibleFiltered = (i: number) => (i < 10 ? gold(rows[i]!.answer) : i < 15 ? `${gold(rows[i]!.answer)}.` : '99999.');
  const lines = rows.flatMap((r, i) => [
    {
      doc_id: i,
      doc: r,
      target: r.answer,
      arguments: { gen_args_0: { arg_0: `Question: ${r.question}\nAnswer:`, arg_1: { until: ['Question:'] } } },
      resps: [[generation(i)]],
      filtered_resps: [strictFiltered(i)],
      filter: 'strict-match',
      metrics: ['exact_match'],
      exact_match: strict(i),
    },
    {
      doc_id: i,
      doc: r,
      target: r.answer,
      arguments: { gen_args_0: { arg_0: `Question: ${r.question}\nAnswer:`, arg_1: { until: ['Question:'] } } },
      resps: [generation(i)],
      filtered_resps: flexibleFiltered(i),
      filter: 'flexible-extract',
      metrics: ['exact_match'],
      exact_match: flexible(i),
    },
  ]);
  const contaminated = new Set([0, 1, 2, 3, 4, 10, 11]);
  const report = makeReport([{ name: 'gsm8k', shape: 'gsm8k', samples: 1319, specs: rows.map((r, row) => ({ row, text: gsm8kText(r), contaminated: contaminated.has(row) })) }]);
  const b = (await scoreResults(report, [{ path: lmEvalFile(lines, 'gsm8k') }], { resamples: 10 })).benchmarks[0]!;
  t.is(b.mode, 'generative');
  t.deepEqual(
    b.metrics.map((m) => m.name),
    ['exact_match,strict-match', 'exact_match,flexible-extract'],
  );
  const [s, f] = b.metrics;
  t.deepEqual(sn(s!.all), { score: 10 / 20, n: 20 });
  t.deepEqual(sn(s!.contaminated), { score: 5 / 7, n: 7 });
  t.deepEqual(sn(s!.clean), { score: 5 / 13, n: 13 });
  t.deepEqual(sn(f!.all), { score: 15 / 20, n: 20 });
  t.deepEqual(sn(f!.contaminated), { score: 1, n: 7 });
  t.deepEqual(sn(f!.clean), { score: 8 / 13, n: 13 });
  t.deepEqual(b.disagreements, [
    { metric: 'exact_match,strict-match', count: 0, of: 20 },
    { metric: 'exact_match,flexible-extract', count: 0, of: 20 },
  ]);
});

/** SQuAD F1 written out here from the official script's definition, independent of the library. */
function f1(prediction: string, reference: string): number {
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g, '')
      .replace(/\b(a|an|the)\b/g, ' ')
      .split(/\s+/)
      .filter(Boolean);
  const p = norm(prediction);
  const r = norm(reference);
  if (!p.length || !r.length) return p.length === r.length ? 1 : 0;
  const pool = [...r];
  let same = 0;
  for (const tok of p) {
    const k = pool.indexOf(tok);
    if (k >= 0) {
      same++;
      pool.splice(k, 1);
    }
  }
  return same ? (2 * (same / p.length) * (same / r.length)) / (same / p.length + same / r.length) : 0;
}

test('native generative results join by id and score exact match and token F1 (SQuAD)', async (t) => {
  const squad = gunzipSync(readFileSync(path.join(DATA, 'squad/dev-v1.1.qa.jsonl.gz')))
    .toString('utf8')
    .split('\n')
    .slice(0, 20)
    .map((l) => JSON.parse(l) as { id: string; question: string; context: string; answers: string[] });
  // rows 0-9 answer exactly; 10-19 add words (row 0's "Denver Broncos" is matched exactly)
  const prediction = (i: number) => (i < 10 ? squad[i]!.answers[0]! : `${squad[i]!.answers[0]} was the answer`);
  const file = writeJsonl(
    path.join(tempDir(), 'preds.jsonl'),
    squad.map((q, i) => ({ benchmark: 'squad', id: q.id, prediction: prediction(i), references: q.answers })),
  );
  const contaminated = new Set([1, 3, 5, 11, 13]);
  const report = makeReport([{ name: 'squad', samples: 10570, specs: squad.map((q, row) => ({ row, id: q.id, text: `${q.question}\n${q.context}`, contaminated: contaminated.has(row) })) }]);
  const b = (await scoreResults(report, [{ path: file }], { resamples: 10 })).benchmarks[0]!;
  t.is(b.joined_by, 'id');
  t.deepEqual(
    b.metrics.map((m) => m.name),
    ['exact_match', 'f1'],
  );
  t.deepEqual(sn(b.metrics[0]!.all), { score: 10 / 20, n: 20 });
  t.deepEqual(sn(b.metrics[0]!.contaminated), { score: 3 / 5, n: 5 });
  const f1s = squad.map((q, i) => Math.max(...q.answers.map((a) => f1(prediction(i), a))));
  t.is(f1s[10], f1(`${squad[10]!.answers[0]} was the answer`, squad[10]!.answers[0]!));
  t.deepEqual(sn(b.metrics[1]!.all), { score: meanOf(f1s), n: 20 });
  t.deepEqual(sn(b.metrics[1]!.clean), { score: meanOf(f1s.filter((_, i) => !contaminated.has(i))), n: 15 });
});

test('a results file for another benchmark is JOIN_FAILED', async (t) => {
  const rows = gsm8k(20);
  const lines = rows.map((r, i) => ({
    doc_id: i,
    doc: r,
    target: r.answer,
    arguments: [[`Question: ${r.question}\nAnswer:`, { until: ['Question:'] }]],
    resps: [[r.answer]],
    filtered_resps: ['x'],
    filter: 'none',
    exact_match: 1,
  }));
  const file = lmEvalFile(lines, 'gsm8k');
  // rows 0-19 exist in hellaswag too: the texts give it away
  const error = await t.throwsAsync(scoreResults(hellaswagReport(), [{ path: file, benchmark: 'hellaswag' }]));
  t.is((error as { code?: string }).code, 'JOIN_FAILED');
  t.regex(error!.message, /only 0 of 20 results contain their sample's text/);
  // named by the file alone, gsm8k is not in a hellaswag-only report: the single benchmark is tried and fails the same way
  const implicit = await t.throwsAsync(scoreResults(hellaswagReport(), [{ path: file }]));
  t.is((implicit as { code?: string }).code, 'JOIN_FAILED');
  // by text, nothing joins either
  const native = writeJsonl(
    path.join(tempDir(), 'preds.jsonl'),
    rows.map((r) => ({ text: r.question, prediction: 'x', references: ['x'] })),
  );
  const byText = await t.throwsAsync(scoreResults(hellaswagReport(), [{ path: native }]));
  t.is((byText as { code?: string }).code, 'JOIN_FAILED');
  t.regex(byText!.message, /only 0 of 20 results could be joined to benchmark 'hellaswag' \(by text\)/);
});

test('a doc_id beyond the benchmark is BAD_RESULTS naming the line', async (t) => {
  const rows = hellaswag(3);
  const lines = rows.map((r, i) => lmEvalHellaswagLine(r, i, 'nested'));
  lines[2]!.doc_id = 10042;
  const error = await t.throwsAsync(scoreResults(hellaswagReport(3), [{ path: lmEvalFile(lines) }]));
  t.is((error as { code?: string }).code, 'BAD_RESULTS');
  t.regex(error!.message, /samples_hellaswag_.*:line 3: row 10042 is out of range: benchmark 'hellaswag' has 10042 samples/);
});

test('the wrong mode for the file is BAD_RESULTS naming the first sample it cannot score', async (t) => {
  const rows = hellaswag(3);
  const error = await t.throwsAsync(scoreResults(hellaswagReport(3), [{ path: lmEvalFile(rows.map((r, i) => lmEvalHellaswagLine(r, i, 'nested'))), mode: 'generative' }]));
  t.is((error as { code?: string }).code, 'BAD_RESULTS');
  t.regex(error!.message, /:line 1: cannot score 'exact_match'/);
});

test('the benchmark comes from a decorated task name, or must be named', async (t) => {
  const rows = hellaswag(20);
  const report = makeReport([
    { name: 'hellaswag', samples: 10042, specs: rows.map((r, row) => ({ row, text: hellaswagText(r) })) },
    { name: 'gsm8k', samples: 1319, specs: gsm8k(2).map((r, row) => ({ row, text: gsm8kText(r) })) },
  ]);
  const file = lmEvalFile(
    rows.map((r, i) => lmEvalHellaswagLine(r, i, 'nested')),
    'leaderboard_hellaswag',
  );
  t.is((await scoreResults(report, [{ path: file }], { resamples: 10 })).benchmarks[0]!.name, 'hellaswag');
  const unnamed = writeJsonl(path.join(tempDir(), 'preds.jsonl'), [{ row: 0, prediction: 'x', references: ['x'] }]);
  const error = await t.throwsAsync(scoreResults(report, [{ path: unnamed }]));
  t.is((error as { code?: string }).code, 'JOIN_FAILED');
  const wrong = await t.throwsAsync(scoreResults(report, [{ path: file, benchmark: 'mmlu' }]));
  t.is((wrong as { code?: string }).code, 'BAD_ARGUMENT');
});

test('by text, a prompt holding few-shot examples of other samples joins the question it ends with', async (t) => {
  const rows = hellaswag(20);
  const shots = rows
    .slice(10, 13)
    .map((r) => `${r.activity_label}: ${r.ctx} ${r.endings[r.label]}`)
    .join('\n\n');
  const file = writeJsonl(
    path.join(tempDir(), 'preds.jsonl'),
    rows.map((r, i) => ({ benchmark: 'hellaswag', text: `${shots}\n\n${r.activity_label}: ${r.ctx}`, logprobs: [0, -1, -2, -3], gold: i % 4 })),
  );
  const b = (await scoreResults(hellaswagReport(), [{ path: file }], { resamples: 10 })).benchmarks[0]!;
  t.is(b.joined_by, 'text');
  t.is(b.joined, 20);
  // acc is 1 exactly where gold is 0: rows 0, 4, 8 (contaminated), 12, 16 (clean)
  t.deepEqual(sn(b.metrics[0]!.contaminated), { score: 3 / 5, n: 5 });
  t.deepEqual(sn(b.metrics[0]!.clean), { score: 2 / 14, n: 14 });
  t.deepEqual(
    b.metrics.map((m) => m.name),
    ['acc'],
  );
});

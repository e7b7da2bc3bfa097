/**
 * Scoring the lm-evaluation-harness samples files of fixtures/harness/, built
 * in the layout 0.4.x writes (see that folder's README): every filter the
 * file holds is scored under its own `metric,filter` name, recomputed from
 * that filter's stored filtered response, and a disagreement is reported for
 * the filter it is in. Expected figures are worked out by hand from the
 * fixture generator's comments.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { scoreResults } from '../../src/score/score.js';
import type { SubsetScore } from '../../src/types.js';
import { gsm8k, gsm8kText, makeReport } from './_helpers.js';

const DIR = path.resolve(import.meta.dirname, '../../fixtures/harness');
const DATA = path.resolve(import.meta.dirname, '../../../shared/data');
const DATE = '2026-11-28T10-00-00.000000';
const sn = (x: SubsetScore) => ({ score: x.score, n: x.n });

test('gsm8k_cot_self_consistency: score-first, maj@64 and maj@8 scored apart; the disagreement planted in maj@8 is found there', async (t) => {
  const rows = gsm8k(4);
  const report = makeReport([{ name: 'gsm8k', shape: 'gsm8k', samples: 1319, specs: rows.map((r, row) => ({ row, text: gsm8kText(r), contaminated: row === 1 })) }]);
  const b = (await scoreResults(report, [{ path: `${DIR}/samples_gsm8k_cot_self_consistency_${DATE}.jsonl` }], { resamples: 10 })).benchmarks[0]!;
  t.is(b.mode, 'generative');
  t.is(b.joined_by, 'row');
  // Only the filters in the file; no strict-match or flexible-extract.
  t.deepEqual(
    b.metrics.map((m) => m.name),
    ['exact_match,score-first', 'exact_match,maj@64', 'exact_match,maj@8'],
  );
  // score-first right on docs 0 and 3; maj@64 on 0, 1, 2; maj@8 (recomputed: doc 2's vote is 70001) on 0 and 1.
  t.deepEqual(
    b.metrics.map((m) => sn(m.all)),
    [
      { score: 2 / 4, n: 4 },
      { score: 3 / 4, n: 4 },
      { score: 2 / 4, n: 4 },
    ],
  );
  t.deepEqual(
    b.metrics.map((m) => sn(m.contaminated)),
    [
      { score: 0, n: 1 },
      { score: 1, n: 1 },
      { score: 1, n: 1 },
    ],
  );
  t.deepEqual(b.disagreements, [
    { metric: 'exact_match,score-first', count: 0, of: 4 },
    { metric: 'exact_match,maj@64', count: 0, of: 4 },
    { metric: 'exact_match,maj@8', count: 1, of: 4 },
  ]);
});

test('gsm8k (generate_until): strict-match and flexible-extract from their filtered answers, no disagreement', async (t) => {
  const rows = gsm8k(5);
  const report = makeReport([{ name: 'gsm8k', shape: 'gsm8k', samples: 1319, specs: rows.map((r, row) => ({ row, text: gsm8kText(r) })) }]);
  const b = (await scoreResults(report, [{ path: `${DIR}/samples_gsm8k_${DATE}.jsonl` }], { resamples: 10 })).benchmarks[0]!;
  t.deepEqual(
    b.metrics.map((m) => m.name),
    ['exact_match,strict-match', 'exact_match,flexible-extract'],
  );
  // strict: docs 0-1 answer with ####; flexible: docs 0-3 (the last number, its trailing '.' ignored).
  t.deepEqual(
    b.metrics.map((m) => sn(m.all)),
    [
      { score: 2 / 5, n: 5 },
      { score: 4 / 5, n: 5 },
    ],
  );
  t.deepEqual(b.disagreements, [
    { metric: 'exact_match,strict-match', count: 0, of: 5 },
    { metric: 'exact_match,flexible-extract', count: 0, of: 5 },
  ]);
});

test('mmlu_astronomy (multiple choice, filter none): doc ids count within the subject, so it joins an all-subject MMLU report by text', async (t) => {
  // The first 400 rows of the 14,042: abstract_algebra, anatomy, astronomy and part of business_ethics.
  const mmlu = readFileSync(path.join(DATA, 'mmlu/test.jsonl'), 'utf8')
    .split('\n')
    .slice(0, 400)
    .map((l) => JSON.parse(l) as { subject: string; question: string; choices: string[] });
  const first = mmlu.findIndex((r) => r.subject === 'astronomy');
  t.is(first, 235, 'astronomy follows abstract_algebra (100) and anatomy (135)');
  const report = makeReport([{ name: 'mmlu', shape: 'mmlu', samples: 14042, specs: mmlu.map((r, row) => ({ row, text: [r.question, ...r.choices].join('\n'), contaminated: row === first + 2 })) }]);
  const b = (await scoreResults(report, [{ path: `${DIR}/samples_mmlu_astronomy_${DATE}.jsonl` }], { resamples: 10 })).benchmarks[0]!;
  t.is(b.name, 'mmlu');
  t.is(b.mode, 'logprob');
  t.is(b.joined_by, 'text');
  t.is(b.joined, 6);
  t.deepEqual(
    b.metrics.map((m) => m.name),
    ['acc'],
  );
  // The model picks the gold letter on docs 0, 2 and 3; doc 2 (row 237) is the contaminated one.
  t.deepEqual(sn(b.metrics[0]!.all), { score: 3 / 6, n: 6 });
  t.deepEqual(sn(b.metrics[0]!.contaminated), { score: 1, n: 1 });
  t.deepEqual(b.disagreements, [{ metric: 'acc', count: 0, of: 6 }]);
});

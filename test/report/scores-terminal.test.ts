import test from 'ava';
import { formatPoints, formatScore, renderScores } from '../../src/report/scores-terminal.js';
import type { ScoreReport } from '../../src/types.js';

const scores: ScoreReport = {
  version: 1,
  seed: 0,
  bootstrap_resamples: 1000,
  benchmarks: [
    {
      name: 'gsm8k',
      mode: 'generative',
      results_file: 'samples_gsm8k_2026-11-28T10-00-00.jsonl',
      results_format: 'lm-eval-harness',
      joined: 1317,
      unjoined: 2,
      unjoined_ids: ['1317', '1318'],
      joined_by: 'row',
      metrics: [
        {
          name: 'exact_match,strict-match',
          all: { score: 0.712, n: 1317 },
          clean: { score: 0.708, n: 1160 },
          contaminated: { score: 0.749, n: 157 },
          delta: { value: -0.004, ci95: [-0.0112, 0.0031] },
          small_subset: false,
        },
      ],
      disagreements: [{ metric: 'exact_match,strict-match', count: 3, of: 1317 }],
    },
  ],
};

test('scores print in percent with one decimal and differences in signed points', (t) => {
  t.is(formatScore(0.712), '71.2');
  t.is(formatScore(null), '-');
  t.is(formatPoints(-0.004), '-0.4');
  t.is(formatPoints(0.0031), '+0.3');
  t.is(formatPoints(0), '±0.0');
});

test('the table shows each subset with its size, the delta, the interval, joins and disagreements', (t) => {
  t.is(
    renderScores(scores),
    [
      'gsm8k (generative, lm-eval-harness: samples_gsm8k_2026-11-28T10-00-00.jsonl)',
      'metric                             all         clean  contaminated  clean-all        95% CI',
      'exact_match,strict-match  71.2 (1,317)  70.8 (1,160)    74.9 (157)       -0.4  [-1.1, +0.3]',
      'joined 1,317 of 1,319 results by row',
      'unjoined (2): 1317, 1318',
      "stored 'exact_match,strict-match' disagrees with its recomputation on 3 of 1,317 samples",
      '',
      'scores in %, differences in points; 95% CI from 1,000 bootstrap resamples, seed 0',
      '',
    ].join('\n'),
  );
});

test('small subsets are flagged and input/label columns appear when present', (t) => {
  const m = scores.benchmarks[0]!.metrics[0]!;
  const split: ScoreReport = {
    ...scores,
    benchmarks: [{ ...scores.benchmarks[0]!, metrics: [{ ...m, small_subset: true, input_only: { score: 0.5, n: 2 }, input_and_label: { score: 1, n: 3 } }] }],
  };
  const text = renderScores(split);
  t.regex(text, /input only +input\+label/);
  t.regex(text, /50\.0 \(2\) +100\.0 \(3\)/);
  t.regex(text, / small\n/);
  t.regex(text, /fewer than 30 samples/);
});

test('colour adds ANSI bold only when asked', (t) => {
  t.false(renderScores(scores).includes('\x1b['));
  t.true(renderScores(scores, { color: true }).includes('\x1b[1m'));
});

import { readFileSync } from 'node:fs';
import test from 'ava';
import type { SubsetScore } from '../../src/types.js';

/** A subset's score and size (its bootstrap interval is pinned in bootstrap.test.ts). */
const sn = (x: SubsetScore | undefined) => (x ? { score: x.score, n: x.n } : x);
import { readReport } from '../../src/report/read.js';
import { scoreResults } from '../../src/score/score.js';
import type { ScoreReport } from '../../src/types.js';

const DIR = 'fixtures/results';
const INPUTS = [{ path: `${DIR}/samples_hellaswag_2026-11-28T10-00-00.jsonl` }, { path: `${DIR}/samples_gsm8k_2026-11-28T10-00-00.jsonl` }];

test('scoring the fixtures gives the scores.json beside them', async (t) => {
  const expected = JSON.parse(readFileSync(`${DIR}/scores.json`, 'utf8')) as ScoreReport;
  const scores = await scoreResults(await readReport(`${DIR}/report.json`), INPUTS, {});
  t.deepEqual(JSON.parse(JSON.stringify(scores)), expected);
  // the figures a reader checks by hand (see score.test.ts for how each is worked out)
  const [hs, gs] = expected.benchmarks;
  t.deepEqual(sn(hs!.metrics[0]!.all), { score: 6 / 20, n: 20 });
  t.deepEqual(sn(hs!.metrics[0]!.input_only), { score: 1 / 2, n: 2 });
  t.deepEqual(sn(gs!.metrics[0]!.all), { score: 10 / 20, n: 20 });
  t.deepEqual(sn(gs!.metrics[1]!.clean), { score: 8 / 13, n: 13 });
  t.deepEqual(gs!.disagreements, [
    { metric: 'exact_match,strict-match', count: 0, of: 20 },
    { metric: 'exact_match,flexible-extract', count: 0, of: 20 },
  ]);
});

/**
 * A portrait of the real corpus of ../shared/data, queried with real
 * benchmarks, against what `check` finds in the same corpus: no sample check
 * grades clean (no verified overlap at all) is `present`, every sample check
 * grades verbatim is `present` or `inconclusive` with a reason, and short
 * samples are judged whole rather than left too short: the same samples are
 * too short for both. (A sample graded
 * incidental shares real text with the corpus, a quotation or an answer, and
 * may well be present.)
 */
import test from 'ava';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEvalArgument } from '../../src/readers/evals/evals.js';
import { check } from '../../src/pipeline.js';
import { buildPortrait } from '../../src/portrait/build.js';
import { queryPortrait, type PortraitReport } from '../../src/portrait/query.js';
import type { Report } from '../../src/types.js';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-portrait-shared-'));
// Every benchmark of ../shared/data, each shape once.
const specs = [
  ['gsm8k', 'gsm8k/test.jsonl'],
  ['hellaswag', 'hellaswag/val.jsonl'],
  ['humaneval', 'humaneval/HumanEval.jsonl.gz'],
  ['squad', 'squad/dev-v1.1.json.gz'],
  ['boolq', 'boolq/dev.jsonl'],
  ['tqa', 'truthfulqa/TruthfulQA.csv'],
  ['tqamc', 'truthfulqa/mc_task.json'],
  ['arc', 'arc/ARC-Challenge-Test.jsonl'],
  ['mmlu', 'mmlu/test.jsonl'],
].map(([name, file]) => parseEvalArgument(`${name}=${path.join(DATA, file!)}`));

let portrait: PortraitReport;
let report: Report;

test.serial('a portrait of the shared corpus, queried with every sample', async (t) => {
  const out = path.join(tmp, 'corpus.portrait');
  await buildPortrait([path.join(DATA, 'corpus')], out, {});
  portrait = await queryPortrait([out], specs);
  t.deepEqual(portrait.rule, { name: 'binomial', alpha: 0.001, correction: 'holm', tested: portrait.samples.filter((s) => s.verdict !== 'too_short').length });
  // TruthfulQA's short questions are judged whole (502 of 790 were too short with 13-grams alone),
  // and short multiple-choice items with their fields joined, as the index does.
  t.is(portrait.benchmarks.find((b) => b.name === 'tqa')!.too_short, 0);
});

test.serial('check and the portrait agree: no clean sample present, every verbatim find present or inconclusive', async (t) => {
  report = await check(specs, [path.join(DATA, 'corpus')], { workers: 1, minhash: false });
  const byKey = new Map(portrait.samples.map((s) => [`${s.benchmark}/${s.row}`, s]));
  let verbatim = 0;
  for (const s of report.samples) {
    const p = byKey.get(`${s.benchmark}/${s.row}`)!;
    if (s.grade === 'clean') t.not(p.verdict, 'present', `${s.benchmark} row ${s.row} is clean for check`);
    // Every verbatim find, a copy under 13 words (a 12-word quotation that is most of a question) included:
    // the portrait sees it through its 8-grams.
    if (s.grade === 'verbatim') {
      verbatim++;
      t.true(p.verdict === 'present' || (p.verdict === 'inconclusive' && p.reason !== null), `${s.benchmark} row ${s.row}: ${p.verdict}`);
    }
    if (p.verdict === 'absent') t.is(p.present, 0, 'absent means no n-gram present (no false negatives)');
    // Too short for one is too short for the other: both judge short fields, and short samples, whole.
    t.is(p.verdict === 'too_short', s.grade === 'too_short', `${s.benchmark} row ${s.row}: ${s.grade} / ${p.verdict}`);
  }
  t.true(verbatim >= 5, `check finds ${verbatim} verbatim`);
});

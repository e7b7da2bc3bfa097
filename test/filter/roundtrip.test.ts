/**
 * Round trips over every benchmark shape of ../shared/data: index, scan a
 * corpus with pieces of known rows planted in it, write the clean subsets
 * (with `--format lm-eval`), and check that
 *   - a rescan of every clean subset finds no contaminated sample and nothing too short;
 *   - each clean subset holds exactly the report's clean rows (by id, or by text);
 *   - the lm-evaluation-harness indices select exactly those rows, per task, or
 *     the benchmark is refused with its reason and nothing is written for it.
 * Verdicts are read from `contaminated` and `too_short` only, not from overlap figures.
 */
import test, { type ExecutionContext } from 'ava';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { filterEvals } from '../../src/filter/evals.js';
import { parseEvalArgument, readEvalSamples } from '../../src/readers/evals/evals.js';
import { check } from '../../src/pipeline.js';
import type { EvalSample } from '../../src/types.js';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-roundtrip-'));

const FILES: [name: string, file: string][] = [
  ['gsm8k', 'gsm8k/test.jsonl'],
  ['gsm8ktrain', 'gsm8k/train.jsonl'],
  ['mmlu', 'mmlu/test.jsonl'],
  ['mmludev', 'mmlu/dev.jsonl'],
  ['hellaswag', 'hellaswag/val.jsonl'],
  ['arc', 'arc/ARC-Challenge-Test.jsonl'],
  ['tqa', 'truthfulqa/TruthfulQA.csv'],
  ['tqa817', 'truthfulqa/TruthfulQA_v0_817.csv'],
  ['tqamc', 'truthfulqa/mc_task.json'],
  ['boolq', 'boolq/dev.jsonl'],
  ['squad', 'squad/dev-v1.1.json.gz'],
  ['squadqa', 'squad/dev-v1.1.qa.jsonl.gz'],
  ['contexts', 'squad/dev-v1.1.contexts.jsonl'],
  ['humaneval', 'humaneval/HumanEval.jsonl.gz'],
];

/** What --format lm-eval must write per benchmark: task names (null: refused, nothing written). */
const TASKS: Record<string, string[] | null> = {
  gsm8k: ['gsm8k', 'gsm8k_cot', 'gsm8k_cot_zeroshot', 'gsm8k_cot_self_consistency', 'gsm8k_cot_llama'],
  gsm8ktrain: null,
  mmlu: null, // 57 mmlu_<subject> tasks, checked below
  mmludev: null,
  hellaswag: ['hellaswag'],
  arc: null, // 1,150 of the 1,172 test questions
  tqa: null, // 790 questions, not the harness's 817
  tqa817: ['truthfulqa_gen'],
  tqamc: null,
  boolq: ['boolq'],
  squad: null,
  squadqa: null,
  contexts: null,
  humaneval: null,
};

// Plant rows 2, 40 and 120 of every benchmark (the whole sample, its fields joined) in a corpus of filler
// prose: the graded verdict does not convict on one field alone when it is a distractor.
const PLANTED = [2, 40, 120];
const whole = (s: EvalSample) => s.segments.map((g) => g.text).join('\n');
const filler = (i: number) => `Document ${i} of the corpus talks about the weather in spring and the price of apples at the market.`;

const specs = FILES.map(([name, file]) => parseEvalArgument(`${name}=${path.join(DATA, file)}`));
const corpus = path.join(tmp, 'corpus');
const ready = (async () => {
  const docs: string[] = [];
  for (const spec of specs) {
    const { samples } = await readEvalSamples(spec);
    for (const row of PLANTED) docs.push(`${filler(docs.length)}\n${whole(samples[row]!)}\n${filler(docs.length + 1)}`);
  }
  mkdirSync(corpus);
  writeFileSync(path.join(corpus, 'c.jsonl'), `${docs.map((text, i) => JSON.stringify({ id: `d${i}`, text })).join('\n')}\n`);
})();

/** check, filter evals --format lm-eval, and a rescan of the clean subset; returns what the assertions need. */
async function roundTrip(t: ExecutionContext, name: string) {
  await ready;
  const spec = specs.find((s) => s.name === name)!;
  const report = await check([spec], [corpus], { workers: 1, minhash: false });
  const mine = report.samples;
  // A planted row is contaminated unless it is too short to judge.
  for (const row of PLANTED) t.true(mine[row]!.contaminated || mine[row]!.too_short, `${name} row ${row} planted`);
  t.true(
    mine.some((s) => s.contaminated),
    `${name}: something to remove`,
  );

  const out = path.join(tmp, `clean-${name}`);
  const summary = await filterEvals(report, out, { lmEval: true });
  t.deepEqual(summary.failed, []);
  const b = summary.benchmarks[0]!;
  const lm = JSON.parse(readFileSync(path.join(out, 'lm_eval_samples.json'), 'utf8')) as Record<string, number[]>;

  const rescan = await check([parseEvalArgument(`${name}=${path.join(out, b.output)}`)], [corpus], { workers: 1, minhash: false });
  const clean = mine.filter((s) => !s.contaminated && !s.too_short);
  t.is(rescan.benchmarks[0]!.samples, clean.length, `${name}: clean subset has the clean rows`);
  t.is(rescan.benchmarks[0]!.contaminated, 0, `${name}: rescan finds nothing`);
  t.is(rescan.benchmarks[0]!.too_short, 0, `${name}: nothing too short left`);
  t.deepEqual(
    rescan.samples.map((s) => s.text),
    clean.map((s) => s.text),
    `${name}: the clean subset is the clean rows, in order`,
  );
  return { summary: b, lm, clean: clean.map((s) => s.row), out };
}

for (const [name] of FILES) {
  if (name === 'mmlu') continue;
  test.serial(`${name}: the clean subset rescans clean; lm-eval indices ${TASKS[name] ? 'select exactly the clean rows' : 'are refused with a reason'}`, async (t) => {
    const { summary, lm, clean, out } = await roundTrip(t, name);
    const tasks = TASKS[name];
    if (tasks === null) {
      t.true(summary.lm_eval !== null && 'reason' in summary.lm_eval, `${name} refused`);
      t.deepEqual(lm, {});
    } else {
      t.deepEqual(summary.lm_eval, { tasks, empty: [] });
      t.deepEqual(lm, Object.fromEntries(tasks!.map((task) => [task, clean])));
    }
    if (name === 'squad') {
      // Nested SQuAD keeps its nesting, with no paragraph or article left empty.
      const squad = JSON.parse(gunzipSync(readFileSync(path.join(out, 'squad.json.gz'))).toString('utf8')) as { version: string; data: { paragraphs: { qas: unknown[] }[] }[] };
      t.is(squad.version, '1.1');
      t.true(squad.data.every((a) => a.paragraphs.length > 0 && a.paragraphs.every((p) => p.qas.length > 0)));
    }
  });
}

test.serial('mmlu: one task per subject, each indexed from 0, selecting exactly the clean rows', async (t) => {
  const { lm, out } = await roundTrip(t, 'mmlu');
  // The ids of the clean file say subject and position within it (mmlu/test/<subject>/<k>), independently of the mapping.
  const expected: Record<string, number[]> = {};
  for (const line of readFileSync(path.join(out, 'mmlu.jsonl'), 'utf8').trim().split('\n')) {
    const [, , subject, k] = (JSON.parse(line) as { id: string }).id.split('/');
    expected[`mmlu_${subject}`] ??= [];
    expected[`mmlu_${subject}`]!.push(Number(k));
  }
  t.is(Object.keys(lm).length, 57);
  t.deepEqual(lm, expected);
});

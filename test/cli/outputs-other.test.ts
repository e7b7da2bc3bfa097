/**
 * The output rule for the commands beside scan, check, index and merge: report
 * --html, score -o, filter evals/corpus -o and portrait build/query -o refuse
 * to write onto one of their own inputs, with one line and exit 2, and leave
 * every input as it was.
 */
import test from 'ava';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertRefused as refused, checksums, contam, root } from './run-contam.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-outputs-other-'));
const evals = path.join(tmp, 'gsm8k.jsonl');
const corpus = path.join(tmp, 'corpus.jsonl');
const report = path.join(tmp, 'report.json');
const index = path.join(tmp, 'evals.cidx');
const portrait = path.join(tmp, 'corpus.portrait');

test.before(async () => {
  copyFileSync(path.join(root, 'fixtures/evals/gsm8k.jsonl'), evals);
  writeFileSync(corpus, `${JSON.stringify({ id: 'd0', text: 'Some prose about the weather in spring and the price of apples.' })}\n`);
  const checked = await contam(['check', '--eval', evals, '--corpus', corpus, '-o', report, '--save-index', index, '-q']);
  if (checked.code !== 0) throw new Error(checked.stderr);
  const built = await contam(['portrait', 'build', corpus, '-o', portrait, '-q']);
  if (built.code !== 0) throw new Error(built.stderr);
});

const cases: [string, () => string[]][] = [
  ['report --html onto the report', () => ['report', report, '--html', report]],
  ['score -o onto the results file', () => ['score', '--report', report, '--results', evals, '-o', evals]],
  ['score -o onto the report', () => ['score', '--report', report, '--results', evals, '-o', report]],
  ['portrait build -o onto the corpus', () => ['portrait', 'build', corpus, '-o', corpus]],
  ['portrait query -o onto the portrait', () => ['portrait', 'query', portrait, '--eval', evals, '-o', portrait]],
  ['portrait query -o onto the benchmark', () => ['portrait', 'query', portrait, '--eval', evals, '-o', evals]],
  ['filter evals -o onto the report', () => ['filter', 'evals', '--report', report, '-o', report]],
  ['filter corpus -o onto the index', () => ['filter', 'corpus', '--index', index, corpus, '-o', index]],
];

for (const [name, args] of cases) {
  test(`${name} is refused with one line, exit 2, every input unchanged`, async (t) => {
    const before = checksums([tmp]);
    const r = await contam(args());
    if (name.startsWith('filter')) refused(t, r, /^contam: error: .*(where a folder is to be written|is also an input|is the input)/);
    else refused(t, r, /^contam: error: .*the output is (also an input|the input .*); writing it would destroy what is being read/);
    t.deepEqual(checksums([tmp]), before);
  });
}

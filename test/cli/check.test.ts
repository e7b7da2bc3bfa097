/**
 * Golden tests of the main job on the bundled fixtures: run as a user runs
 * it (the built CLI), and through the library's `check`, `indexBenchmarks`
 * and `scan`, which the CLI calls, for the figures. Expected verdicts come from the plants recorded in
 * fixtures/corpus/PLANTED.json and from the naive reference implementation;
 * expected offsets are worked out from where each plant was inserted.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { check, indexBenchmarks, scan } from '../../src/pipeline.js';
import { parseEvalArgument } from '../../src/readers/evals/evals.js';
import { serializeReport } from '../../src/report/build.js';
import type { Report } from '../../src/types.js';
import type { Plant } from '../../fixtures/plants.js';
import { naiveDetect } from '../helpers/naive.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/src/cli/main.js');
const evals = ['--eval', 'fixtures/evals/gsm8k.jsonl', '--eval', 'fixtures/evals/mmlu.jsonl', '--eval', 'fixtures/evals/truthfulqa.csv'];

const specs = ['gsm8k.jsonl', 'mmlu.jsonl', 'truthfulqa.csv'].map((f) => parseEvalArgument(`fixtures/evals/${f}`));
const plants = JSON.parse(readFileSync(path.join(root, 'fixtures/corpus/PLANTED.json'), 'utf8')) as Plant[];

async function contam(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1', ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-check-'));
let report: Report;
let firstRun: { code: number; stdout: string; stderr: string };

test.before(async () => {
  firstRun = await contam(['check', ...evals, '--corpus', 'fixtures/corpus', '-o', path.join(tmp, 'report.json')]);
  report = JSON.parse(readFileSync(path.join(tmp, 'report.json'), 'utf8')) as Report;
});

test('check exits 0, prints the summary table on stdout and writes the report', (t) => {
  t.is(firstRun.code, 0, firstRun.stderr);
  t.regex(firstRun.stdout, /benchmark\s+samples\s+contaminated\s+verbatim\s+partial\s+incidental\s+too short\s+rate/);
  t.deepEqual(
    report.benchmarks.map((b) => [b.name, b.samples]),
    [
      ['gsm8k', 40],
      ['mmlu', 40],
      ['truthfulqa', 30],
    ],
  );
  t.deepEqual(report.corpus, { files: 2, documents: 80, bytes: report.corpus.bytes });
  t.is(report.samples.length, 110);
});

test('every planted sample is found where it was planted, and the negative plant is not', (t) => {
  for (const plant of plants) {
    const sample = report.samples.find((s) => s.benchmark === plant.benchmark && s.row === plant.row)!;
    const match = sample.matches.find((m) => m.file.endsWith(plant.file) && m.row === plant.doc_row);
    if (!plant.expect_contaminated) {
      t.false(sample.contaminated, plant.variant);
      // Found, but graded incidental: 15 words of a 38-word question.
      t.is(match?.grade, 'incidental', plant.variant);
      continue;
    }
    t.true(sample.contaminated, plant.variant);
    t.truthy(match, `${plant.variant}: match in ${plant.file} row ${plant.doc_row}`);
    t.is(match!.doc_id, plant.doc_id);
    // The first span starts at the plant's first word (after any markup, and past a first word that
    // is a single letter a-j, which normalization drops: "A NEW PROGRAM"), and spans never leave the plant.
    // The TruthfulQA plant starts "Q: " (no word of the sample) and goes on from its question into its answer.
    // The markup plant reads '<div class="q"><p>A <b>comet of mass m ...': its first kept word is "comet".
    const lead = plant.inserted.startsWith('<')
      ? plant.inserted.indexOf('comet')
      : plant.benchmark === 'truthfulqa'
        ? plant.inserted.indexOf('Why')
        : plant.inserted.search(/[\p{L}\p{N}]/u) + (/^[a-j]\s+/i.exec(plant.inserted)?.[0].length ?? 0);
    t.is(match!.spans[0]![0], plant.start + lead, `${plant.variant}: span start`);
    for (const [s, e] of match!.spans) t.true(s >= plant.start && e <= plant.end, `${plant.variant}: span ${s}-${e} inside ${plant.start}-${plant.end}`);
    // The snippet holds the spans.
    t.true(match!.snippet_start <= match!.spans[0]![0] && match!.snippet_start + match!.snippet.length >= match!.spans[0]![1]);
  }
});

test('an exact copy of a question is one span covering the question up to its last word', (t) => {
  const plant = plants.find((p) => p.variant === 'exact question')!;
  const sample = report.samples.find((s) => s.benchmark === 'gsm8k' && s.row === 3)!;
  const match = sample.matches.find((m) => m.row === plant.doc_row && m.file.endsWith('web-00.jsonl.gz'))!;
  // "...How many total meters does he run a week?": the span ends before the question mark.
  t.deepEqual(match.spans, [[plant.start, plant.end - 1]]);
  // Its words, less the two "a"s (single letters a-j are dropped).
  t.is(sample.longest, plant.inserted.split(/\s+/).filter((w) => w !== 'a').length);
  t.deepEqual(match.sample_spans, [[0, plant.inserted.length - 1]]);
  // Found in both files: two documents.
  t.is(sample.documents, 2);
});

test("under GPT-3's rule, verdicts for all 110 samples agree with the naive reference implementation", async (t) => {
  const report = await check(specs, ['fixtures/corpus'], { rule: { name: 'any-ngram', minOverlap: 0 } });
  t.is(report.config.rule, 'any-ngram');
  const web00 = gunzipSync(readFileSync(path.join(root, 'fixtures/corpus/web-00.jsonl.gz')))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const buffer = readFileSync(path.join(root, 'fixtures/corpus/web-01.parquet'));
  const file = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
  const web01 = ((await parquetReadObjects({ file, columns: ['text'], compressors })) as { text: string }[]).map((r) => r.text.replace(/&amp;/g, '&'));
  const gsm = readFileSync(path.join(root, 'fixtures/evals/gsm8k.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { question: string; answer: string });
  const mmlu = readFileSync(path.join(root, 'fixtures/evals/mmlu.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { question: string; choices: string[] });
  // The fixtures' shortest entry is an 8-word field: 5-word probes every 4th, so evidence runs from 8 words list a document too.
  const expectedGsm = naiveDetect(
    gsm.map((r) => ({ segments: [r.question, r.answer] })),
    [...web00, ...web01],
    13,
    8,
    8,
  );
  const expectedMmlu = naiveDetect(
    mmlu.map((r) => ({ segments: [r.question, ...r.choices] })),
    [...web00, ...web01],
    13,
    8,
    8,
  );
  const convicted = (e: { perDoc: Map<number, number> }) => [...e.perDoc.values()].some((n) => n > 0);
  const verdict = (name: string) => report.samples.filter((s) => s.benchmark === name).map((s) => s.contaminated);
  t.deepEqual(verdict('gsm8k'), expectedGsm.map(convicted));
  t.deepEqual(verdict('mmlu'), expectedMmlu.map(convicted));
  t.deepEqual(
    report.samples.filter((s) => s.benchmark === 'gsm8k').map((s) => s.documents),
    expectedGsm.map((e) => e.perDoc.size),
  );
  t.is(report.benchmarks[0]!.contaminated, expectedGsm.filter(convicted).length);
});

test('the same inputs give a byte-identical report, and `contam report` prints the same summary', async (t) => {
  const again = await contam(['check', ...evals, '--corpus', 'fixtures/corpus/web-01.parquet', '--corpus', 'fixtures/corpus/web-00.jsonl.gz', '-o', path.join(tmp, 'again.json'), '--quiet']);
  t.is(again.code, 0, again.stderr);
  t.is(readFileSync(path.join(tmp, 'again.json'), 'utf8'), readFileSync(path.join(tmp, 'report.json'), 'utf8'));
  const summary = await contam(['report', path.join(tmp, 'report.json')]);
  t.is(summary.code, 0);
  t.is(summary.stdout, firstRun.stdout);
});

test('index then scan gives the same report as check', async (t) => {
  const { index } = await indexBenchmarks(specs);
  t.is(serializeReport(await scan(index, ['fixtures/corpus/*'])), readFileSync(path.join(tmp, 'report.json'), 'utf8'));
});

test('`contam index` then `contam scan` give the same report as `contam check`', async (t) => {
  const cidx = path.join(tmp, 'evals.cidx');
  const indexed = await contam(['index', ...evals, '-o', cidx, '--quiet']);
  t.is(indexed.code, 0, indexed.stderr);
  const scanned = await contam(['scan', '--index', cidx, 'fixtures/corpus/*', '--json', '--quiet']);
  t.is(scanned.code, 0, scanned.stderr);
  t.is(scanned.stdout, readFileSync(path.join(tmp, 'report.json'), 'utf8'));
});

test('an index built with another configuration scanned with its own config still matches itself; --min-overlap changes verdicts only', async (t) => {
  const r = await check(specs, ['fixtures/corpus'], { rule: { name: 'min-overlap', minOverlap: 0.9 } });
  t.is(r.config.rule, 'min-overlap');
  t.is(r.config.min_overlap, 0.9);
  for (const [i, s] of r.samples.entries()) {
    t.is(s.overlap, report.samples[i]!.overlap);
    t.is(s.contaminated, s.overlap >= 0.9);
  }
});

test('bad input: one line naming the file and what is wrong, exit code 2, no stack trace', async (t) => {
  const missing = await contam(['check', '--eval', 'nope/missing.jsonl', '--corpus', 'fixtures/corpus']);
  t.is(missing.code, 2);
  t.regex(missing.stderr, /^contam: error: .*nope\/missing\.jsonl.*\n$/);
  t.notRegex(missing.stderr, /\n\s+at /);

  const field = await contam(['check', '--eval', 'fixtures/evals/gsm8k.jsonl#question,nosuchfield', '--corpus', 'fixtures/corpus']);
  t.is(field.code, 2);
  t.regex(field.stderr, /nosuchfield/);
  t.is(field.stderr.trim().split('\n').length, 1);

  const bad = path.join(tmp, 'bad.jsonl');
  writeFileSync(bad, '{"text": "fine"}\n{"text": broken\n');
  // --quiet: the index description lines go; the error line stays.
  const corpus = await contam(['check', ...evals, '--corpus', bad, '--quiet']);
  t.is(corpus.code, 2);
  t.regex(corpus.stderr, /bad\.jsonl.*line 2/);
  t.is(corpus.stderr.trim().split('\n').length, 1);

  const usage = await contam(['scan']);
  t.is(usage.code, 2);
});

test('--fail-on-contamination exits 1 when something is found', async (t) => {
  const r = await contam(['check', ...evals, '--corpus', 'fixtures/corpus', '--quiet', '--fail-on-contamination', '-o', path.join(tmp, 'f.json')]);
  t.is(r.code, 1);
});

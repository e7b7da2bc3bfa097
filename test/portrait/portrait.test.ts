/**
 * Portraits: exact fractions on a crafted corpus (checked against a naive set of
 * n-gram strings), stride, shards queried together, file checks, and a measured
 * false-positive rate on n-grams known to be absent.
 */
import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildPortrait } from '../../src/portrait/build.js';
import { decodePortrait, readPortraitFile } from '../../src/portrait/file.js';
import { binomialTail, holmRejects, queryPortrait } from '../../src/portrait/query.js';
import { parseEvalArgument } from '../../src/readers/evals/evals.js';
import { naiveWords } from '../helpers/naive.js';
import { random } from '../helpers/samples.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-portrait-'));
const rand = random(11);
const vocabulary = Array.from({ length: 5000 }, (_, i) => `w${i}`);
const words = (n: number) => Array.from({ length: n }, () => vocabulary[Math.floor(rand() * vocabulary.length)]!);
const fresh = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `zz${tag}${i}`);

// Three documents of 200 random words each.
const docs = [words(200), words(200), words(200)];
const corpus = path.join(tmp, 'corpus.jsonl');
writeFileSync(corpus, `${docs.map((d, i) => JSON.stringify({ id: `d${i}`, text: d.join(' ') })).join('\n')}\n`);

// Samples: a 30-word copy from doc 0 at word 26; 20 copied words then 20 fresh ones;
// all fresh; 10 words (too short); a copy in the answer field only.
const samples = [
  { question: docs[0]!.slice(26, 56).join(' '), answer: 'x' },
  { question: [...docs[1]!.slice(0, 20), ...fresh(20, 'a')].join(' '), answer: 'x' },
  { question: fresh(40, 'b').join(' '), answer: 'x' },
  { question: docs[2]!.slice(0, 10).join(' '), answer: 'x' },
  { question: fresh(15, 'c').join(' '), answer: docs[2]!.slice(100, 120).join(' ') },
];
const evalFile = path.join(tmp, 'bench.jsonl');
writeFileSync(evalFile, `${samples.map((s) => JSON.stringify(s)).join('\n')}\n`);
const spec = parseEvalArgument(`bench=${evalFile}#question,answer:label`);

/**
 * Independent fractions: sets of space-joined n-gram strings, 13-grams of
 * fields of 13 words or more and 8-grams of shorter fields down to 8 words,
 * each distinct one counted once per sample.
 */
function naiveFractions(stride = 1, list: { question: string; answer: string }[] = samples): number[] {
  const present = new Set<string>();
  for (const d of docs) {
    const w = naiveWords(d.join(' '));
    for (const n of [13, 8]) for (let p = 0; p + n <= w.length; p += stride) present.add(`${n}:${w.slice(p, p + n).join(' ')}`);
  }
  return list.map((s) => {
    const grams = new Set<string>();
    for (const field of [s.question, s.answer]) {
      const w = naiveWords(field);
      const n = w.length >= 13 ? 13 : 8;
      for (let p = 0; p + n <= w.length; p++) grams.add(`${n}:${w.slice(p, p + n).join(' ')}`);
    }
    const found = [...grams].filter((g) => present.has(g)).length;
    return grams.size === 0 ? 0 : found / grams.size;
  });
}

test('fractions present are exact, worked out by hand and by a naive n-gram set', async (t) => {
  const out = path.join(tmp, 'all.portrait');
  const summary = await buildPortrait([corpus], out, { fpr: 1e-6 });
  t.deepEqual(summary.files, [out]);
  // Each document's 13-grams and 8-grams.
  t.is(summary.ngrams, 3 * (200 - 12) + 3 * (200 - 7));
  const report = await queryPortrait([out], [spec]);
  // 18 of 18; 8 of 28 (windows inside the 20 copied words); 0 of 28; the 10-word field whole: its 3 8-grams;
  // 8 of (3 + 8). The answer 'x' has no n-gram.
  const byHand = [1, 8 / 28, 0, 1, 8 / 11];
  t.deepEqual(
    report.samples.map((s) => s.fraction),
    byHand,
  );
  t.deepEqual(naiveFractions(), byHand);
  t.deepEqual(
    report.samples.map((s) => s.ngrams),
    [18, 28, 28, 3, 11],
  );
  t.deepEqual(
    report.samples.map((s) => s.verdict),
    ['present', 'present', 'absent', 'present', 'present'],
  );
  t.deepEqual(
    report.samples.map((s) => s.longest_run),
    [18, 8, 0, 3, 8],
  );
  t.deepEqual(report.rule, { name: 'binomial', alpha: 0.001, correction: 'holm', tested: 5 });
  t.true(report.portrait.fpr <= 1e-6);
});

test('stride k stores every k-th n-gram of each document', async (t) => {
  const out = path.join(tmp, 'stride.portrait');
  await buildPortrait([corpus], out, { fpr: 1e-6, stride: 13 });
  const report = await queryPortrait([out], [spec]);
  // Sample 0 covers document windows 26..43: multiples of 13 there are 26 and 39.
  t.is(report.samples[0]!.present, 2);
  // Sample 3's 8-grams start at words 0, 1, 2 of document 2: only 0 is stored.
  t.is(report.samples[3]!.present, 1);
  t.deepEqual(
    report.samples.map((s) => s.fraction),
    naiveFractions(13),
  );
});

test('shards of one build are queried together and give the same answer as one file', async (t) => {
  const out = path.join(tmp, 'sharded.portrait');
  const summary = await buildPortrait([corpus], out, { fpr: 1e-6, shardSize: 1 });
  t.deepEqual(
    summary.files,
    [0, 1, 2].map((i) => `${out}.00${i}`),
  );
  t.false(existsSync(out));
  const report = await queryPortrait([out], [spec]);
  t.deepEqual(report.portrait.files, summary.files);
  t.deepEqual(
    report.samples.map((s) => s.fraction),
    [1, 8 / 28, 0, 1, 8 / 11],
  );
  t.is(report.portrait.documents, 3);
  // A shard of another build is refused.
  const other = path.join(tmp, 'other.portrait');
  await buildPortrait([corpus], other, { fpr: 1e-6, shardSize: 2 });
  await t.throwsAsync(queryPortrait([`${out}.000`, `${other}.000`], [spec]), { code: 'INDEX_MISMATCH' } as never);
});

test('a damaged portrait is refused by its checksum; the header records the settings', async (t) => {
  const out = path.join(tmp, 'check.portrait');
  await buildPortrait([corpus], out, { fpr: 0.01, ngram: 8, stride: 2 });
  const { header } = await readPortraitFile(out);
  t.like(header, { format_version: 1, ngram: 8, stride: 2, fpr_target: 0.01, documents: 3, unit: 'word' });
  t.true(header.fpr_expected <= 0.01);
  const bytes = readFileSync(out);
  bytes[bytes.length - 10]! ^= 1;
  t.throws(() => decodePortrait(bytes, out), { code: 'BAD_INDEX' } as never);
});

test('the measured false-positive rate on absent n-grams stays within the expected rate', async (t) => {
  // A larger corpus: 200 documents of 300 random words (59,600 n-grams) at 1%.
  const big = path.join(tmp, 'big.jsonl');
  writeFileSync(big, `${Array.from({ length: 200 }, (_, i) => JSON.stringify({ id: i, text: words(300).join(' ') })).join('\n')}\n`);
  const out = path.join(tmp, 'big.portrait');
  await buildPortrait([big], out, { fpr: 0.01 });
  // 200 samples of 112 fresh words: 20,000 n-grams that are in no document.
  const absent = path.join(tmp, 'absent.jsonl');
  writeFileSync(absent, `${Array.from({ length: 200 }, (_, i) => JSON.stringify({ text: fresh(112, `q${i}x`).join(' ') })).join('\n')}\n`);
  const report = await queryPortrait([out], [parseEvalArgument(`absent=${absent}#text`)]);
  const total = report.samples.reduce((s, r) => s + r.ngrams, 0);
  const hits = report.samples.reduce((s, r) => s + r.present, 0);
  t.is(total, 20000);
  const p = report.portrait.fpr;
  t.true(p <= 0.01);
  // Within four standard deviations of the expected rate (deterministic data: no flakiness).
  t.true(hits / total <= p + 4 * Math.sqrt((p * (1 - p)) / total), `measured ${hits / total}, expected ${p}`);
  t.log(`measured false-positive rate ${(hits / total).toFixed(5)} against expected ${p.toFixed(5)}`);
  // And the binomial verdict convicts none of them at alpha = 0.001.
  t.is(report.benchmarks[0]!.present, 0);
});

test('binomial tail against direct sums', (t) => {
  // P(X >= 2), X ~ Bin(3, 0.5) = (3 + 1) / 8.
  t.is(binomialTail(3, 0.5, 2), 0.5);
  t.is(binomialTail(10, 0.1, 0), 1);
  t.true(Math.abs(binomialTail(10, 0.1, 1) - (1 - 0.9 ** 10)) < 1e-12);
});

test('repeated n-grams of a sample count once', async (t) => {
  const out = path.join(tmp, 'repeat.portrait');
  await buildPortrait([corpus], out, { fpr: 1e-6 });
  // The answer repeats the question (a SQuAD answer that is its paragraph): 8 distinct 13-grams, not 16;
  // the second repeats a 20-word passage inside one field: of its 28 windows, 20 are distinct
  // (8 inside the passage, whose repeats at 20..27 add nothing, and 12 across the seam), 8 of them present.
  const copy = docs[0]!.slice(50, 70).join(' ');
  const list = [
    { question: copy, answer: copy },
    { question: `${copy} ${copy}`, answer: 'x' },
  ];
  const file = path.join(tmp, 'repeat.jsonl');
  writeFileSync(file, `${list.map((s) => JSON.stringify(s)).join('\n')}\n`);
  const report = await queryPortrait([out], [parseEvalArgument(`rep=${file}#question,answer`)]);
  t.deepEqual(
    report.samples.map((s) => [s.ngrams, s.present]),
    [
      [8, 8],
      [20, 8],
    ],
  );
  t.deepEqual(naiveFractions(1, list), [1, 8 / 20]);
});

test('a sample too small for the test to ever pass is inconclusive, with its reason, not absent', async (t) => {
  const out = path.join(tmp, 'coarse.portrait');
  await buildPortrait([corpus], out, { fpr: 0.01 });
  // An 8-word copy: one 8-gram, present. At the filter's rate p, P = p; Holm needs alpha / 2.
  const list = [
    { question: docs[1]!.slice(40, 48).join(' '), answer: 'x' },
    { question: docs[1]!.slice(100, 140).join(' '), answer: 'x' },
  ];
  const file = path.join(tmp, 'tiny.jsonl');
  writeFileSync(file, `${list.map((s) => JSON.stringify(s)).join('\n')}\n`);
  const report = await queryPortrait([out], [parseEvalArgument(`tiny=${file}#question,answer`)]);
  const [tiny, long] = report.samples;
  t.deepEqual([tiny!.ngrams, tiny!.present, tiny!.verdict], [1, 1, 'inconclusive']);
  const p = report.portrait.fpr;
  t.is(
    tiny!.reason,
    `1 distinct n-gram: even all present, false positives at rate ${p.toExponential(2)} would explain them (p >= ${p.toExponential(2)}, above ${(0.001 / 2).toExponential(2)} = alpha / 2); a portrait built with a false-positive rate below ${(0.001 / 2).toExponential(1)} could tell`,
  );
  t.deepEqual([long!.ngrams, long!.present, long!.verdict, long!.reason], [28, 28, 'present', null]);
  t.deepEqual(report.benchmarks, [{ name: 'tiny', path: file, samples: 2, present: 1, inconclusive: 1, too_short: 0 }]);
});

test('a copy shorter than n words inside a longer field is inconclusive through its min_words-grams, never absent', async (t) => {
  const out = path.join(tmp, 'quote.portrait');
  await buildPortrait([corpus], out, { fpr: 1e-6 });
  // A 20-word question: a 12-word quotation from document 1, then 8 fresh words. None of its 8 13-grams
  // is in the corpus; 5 of its 13 8-grams (those inside the quotation) are. The fresh control has none.
  const list = [
    { question: [...docs[1]!.slice(60, 72), ...fresh(8, 'q')].join(' '), answer: 'x' },
    { question: fresh(20, 'r').join(' '), answer: 'x' },
  ];
  const file = path.join(tmp, 'quote.jsonl');
  writeFileSync(file, `${list.map((s) => JSON.stringify(s)).join('\n')}\n`);
  const report = await queryPortrait([out], [parseEvalArgument(`quote=${file}#question,answer`)]);
  const [quote, control] = report.samples;
  t.deepEqual([quote!.ngrams, quote!.present, quote!.short_ngrams, quote!.short_present, quote!.verdict], [8, 0, 13, 5, 'inconclusive']);
  t.is(
    quote!.reason,
    'none of its 8 distinct n-grams is present, but 5 of its 13 8-grams are: a copy shorter than 13 words (a quotation), or phrases it shares with other text; a scan of the corpus tells which',
  );
  t.deepEqual([control!.ngrams, control!.present, control!.short_ngrams, control!.short_present, control!.verdict, control!.reason], [8, 0, 13, 0, 'absent', null]);
});

test('a sample of short fields that together reach min_words is judged whole, its fields joined in order', async (t) => {
  const out = path.join(tmp, 'joined.portrait');
  await buildPortrait([corpus], out, { fpr: 1e-6 });
  // 5 + 4 words copied in order from document 0: the joined 9 words give two 8-grams, both present.
  // The same shape of fresh words: two 8-grams, none present. 3 + 3 words: too short even joined.
  const list = [
    { question: docs[0]!.slice(100, 105).join(' '), answer: docs[0]!.slice(105, 109).join(' ') },
    { question: fresh(5, 's').join(' '), answer: fresh(4, 't').join(' ') },
    { question: docs[0]!.slice(120, 123).join(' '), answer: docs[0]!.slice(123, 126).join(' ') },
  ];
  const file = path.join(tmp, 'joined.jsonl');
  writeFileSync(file, `${list.map((s) => JSON.stringify(s)).join('\n')}\n`);
  const report = await queryPortrait([out], [parseEvalArgument(`joined=${file}#question,answer`)]);
  t.deepEqual(
    report.samples.map((s) => [s.ngrams, s.present, s.verdict, s.reason]),
    [
      [2, 2, 'present', null],
      [2, 0, 'absent', null],
      [0, 0, 'too_short', 'fewer than 8 words, its fields together'],
    ],
  );
});

test('query options are checked before any work, naming the option', async (t) => {
  const out = path.join(tmp, 'all.portrait');
  await t.throwsAsync(queryPortrait([out], [spec], { alpha: 1 }), { code: 'BAD_ARGUMENT', message: 'alpha: expected a number above 0 and below 1, got 1' } as never);
  await t.throwsAsync(queryPortrait([out], [spec], { minFraction: 1.5 }), { code: 'BAD_ARGUMENT', message: 'minFraction: expected a number from 0 to 1, got 1.5' } as never);
});

test("Holm's step-down rejects in order of p-value, each against alpha / (N - k)", (t) => {
  // Sorted 1e-4 <= 1e-3/4, 3e-4 <= 1e-3/3, 4e-4 <= 1e-3/2, then 0.5 > 1e-3.
  t.deepEqual(holmRejects([1e-4, 4e-4, 3e-4, 0.5], 0.001), [true, true, true, false]);
  // Each below alpha, neither below alpha / 2: none, where an uncorrected test would convict both.
  t.deepEqual(holmRejects([6e-4, 6e-4], 0.001), [false, false]);
  // A step that fails stops the rest, however small they are against their own level.
  t.deepEqual(holmRejects([6e-4, 9e-4, 1e-3], 0.001), [false, false, false]);
  t.deepEqual(holmRejects([], 0.001), []);
});

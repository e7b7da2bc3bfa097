import test from 'ava';
import { buildIndex, shingleConfig } from '../../src/cidx/build.js';
import { entryLength, isTemplate, templateBits, wordSegment, type ContamIndex } from '../../src/cidx/contam-index.js';
import { templateWords } from '../../src/cidx/template.js';
import { SampleWords } from '../../src/cidx/sample-text.js';
import { WordUnits } from '../../src/text/units.js';
import type { BenchmarkSource, EvalSample } from '../../src/types.js';

const words = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}`).join(' ');

/** The length of every entry, in entry order: entries are numbered per segment (or per sample shingled whole). */
function entryLengths(index: ContamIndex): number[] {
  const out: number[] = [];
  for (let s = 0; s + 1 < index.samples.segmentStart.length; s++) {
    for (let g = index.samples.segmentStart[s]!; g < index.samples.segmentStart[s + 1]!; g++) {
      for (let e = index.segments.entryStart[g]!; e < index.segments.entryStart[g + 1]!; e++) out.push(entryLength(index, s, g));
    }
  }
  assertNumbered(index, out.length);
  return out;
}

/** Every entry belongs to exactly one segment, and they are numbered 0..count-1 without gaps. */
function assertNumbered(index: ContamIndex, listed: number): void {
  if (listed !== index.entries.count || index.samples.entryStart.at(-1) !== index.entries.count) throw new Error(`entries: ${listed} listed, ${index.entries.count} counted`);
}

function bench(segmentsPerSample: string[][]): { source: BenchmarkSource; samples: EvalSample[] } {
  const samples = segmentsPerSample.map((segments, row) => ({ benchmark: 'b', row, id: `id-${row}`, segments: segments.map((text, i) => ({ field: `f${i}`, text, label: i > 0 })) }));
  return { source: { name: 'b', path: 'b.jsonl', format: 'jsonl', shape: null, fields: [], idField: 'id', samples: samples.length }, samples };
}

test('shingles are cut per field: n - 12 for long fields, one for 8-12 word fields, none below', async (t) => {
  const index = await buildIndex([bench([[words(20, 'a'), words(10, 'b'), words(7, 'c')], [words(7, 'd')], [words(13, 'e')]])]);
  const per = (s: number) => index.samples.entryStart[s + 1]! - index.samples.entryStart[s]!;
  t.is(per(0), 8 + 1);
  t.is(per(1), 0);
  t.is(per(2), 1);
  t.deepEqual(entryLengths(index), [13, 13, 13, 13, 13, 13, 13, 13, 10, 13]);
  // The shortest entry is the 10-word field: 5-word windows every 6th position (a copy of it holds 6).
  t.deepEqual(index.probe, { width: 5, stride: 6 });
  // The sample text is the segments joined by newlines, and word offsets re-derived from it point into it.
  const text = index.samples.text[0]!;
  t.is(text, `${words(20, 'a')}\n${words(10, 'b')}\n${words(7, 'c')}`);
  t.deepEqual(Array.from(index.segments.textStart.subarray(0, 3)), [0, text.indexOf('b0'), text.indexOf('c0')]);
  const first = index.segments.wordStart[1]!;
  const [start, end] = new SampleWords(index, new WordUnits(0)).span(0, first, first + 2);
  t.is(text.slice(start, end), 'b0 b1');
});

test('a sample whose fields are each too short but together reach min-words is shingled whole, its entries on its first segment', async (t) => {
  // Fields of 7 and 7 words: 14 words joined, two 13-grams; and fields of 5 and 4: one 9-word entry.
  const index = await buildIndex([
    bench([
      [words(7, 'a'), words(7, 'b')],
      [words(5, 'c'), words(4, 'd')],
    ]),
  ]);
  t.deepEqual(Array.from(index.samples.whole), [1, 1]);
  t.deepEqual(Array.from(index.segments.entryStart), [0, 2, 2, 3, 3]);
  t.deepEqual(entryLengths(index), [13, 13, 9]);
});

test("a word's segment is found past empty fields and across blocks of words", async (t) => {
  // Fields of 20, 0, 10, 0, 0 and 17 words, then a sample of 3: words 0-19, 20-29, 30-46, 47-49.
  const index = await buildIndex([bench([[words(20, 'a'), '', words(10, 'b'), '', '', words(17, 'c')], [words(3, 'd')]])]);
  t.deepEqual(Array.from(index.segments.wordStart), [0, 20, 20, 30, 30, 30, 47, 50]);
  const expected = [...Array(20).fill(0), ...Array(10).fill(2), ...Array(17).fill(5), 6, 6, 6];
  t.deepEqual(
    Array.from({ length: 50 }, (_, w) => wordSegment(index, w)),
    expected,
  );
  t.deepEqual(entryLengths(index), [...Array(8).fill(13), 10, ...Array(5).fill(13)]);
});

test('template flags kept one bit a word read back as the flags they were packed from', (t) => {
  // 1,003 words (not a whole number of bytes), flags from a fixed pattern.
  const flags = Uint8Array.from({ length: 1003 }, (_, w) => ((w * 2654435761) >>> 7) & 1);
  const bits = templateBits(flags);
  t.is(bits.length, 126);
  t.deepEqual(
    Array.from(flags, (_, w) => (isTemplate({ hash: new Uint32Array(0), segmentBlock: new Uint32Array(0), templateBits: bits }, w) ? 1 : 0)),
    Array.from(flags),
  );
});

test("a built index's template bits are the flags of the words it was built from", async (t) => {
  // A 9-word frame that 8 samples share, around words of their own: the frame's words are template, the rest not.
  const frame = 'which one of the following is true of the';
  const index = await buildIndex([bench(Array.from({ length: 8 }, (_, s) => [`${frame} ${words(12, `own${s}x`)}`, words(9, `answer${s}x`)]))]);
  const { samples, segments } = index;
  const n = samples.row.length;
  const sampleStart = Array.from({ length: n + 1 }, (_, s) => segments.wordStart[samples.segmentStart[s]!]!);
  const count = index.words.hash.length;
  const flags = templateWords(
    index.words.hash,
    sampleStart,
    n,
    segments.wordStart,
    Array.from({ length: count }, (_, w) => wordSegment(index, w)),
  );
  const read = Array.from({ length: count }, (_, w) => (isTemplate(index.words, w) ? 1 : 0));
  t.deepEqual(read, Array.from(flags));
  // Sample 0: the 9 frame words, then 12 and 9 of its own.
  t.deepEqual(read.slice(0, 30), [...Array(9).fill(1), ...Array(21).fill(0)]);
});

test('the probe leaves a stride that no copy of the shortest entry can fall between', async (t) => {
  // 13-grams alone: 8-word windows every 6th position (a 13-word copy holds 6 of them).
  t.deepEqual((await buildIndex([bench([[words(30, 'a')]])])).probe, { width: 8, stride: 6 });
  // Fields of 8 words: 5-word windows every 4th.
  t.deepEqual((await buildIndex([bench([[words(30, 'a'), words(8, 'b')]])])).probe, { width: 5, stride: 4 });
  t.deepEqual((await buildIndex([bench([[words(30, 'a'), words(11, 'b')]])])).probe, { width: 6, stride: 6 });
  t.deepEqual((await buildIndex([bench([[words(30, 'a')]])], { ngram: 5 })).probe, { width: 5, stride: 1 });
  t.deepEqual((await buildIndex([bench([[words(30, 'a')]])], { ngram: 3 })).probe, { width: 3, stride: 1 });
  t.deepEqual((await buildIndex([bench([[words(60, 'a')]])], { ngram: 50 })).probe, { width: 8, stride: 43 });
  // Every window of the probe width across a sample with entries is an anchor, its fields joined
  // (a copy joins them too); a sample too short to judge has none.
  const index = await buildIndex([
    bench([
      [words(30, 'a'), words(8, 'b'), words(7, 'c')],
      [words(3, 'd'), words(4, 'e')],
    ]),
  ]);
  t.is(index.table.anchor.length, 30 + 8 + 7 - 5 + 1);
  t.is(index.keys, 30 + 8 + 7 - 5 + 1);
});

test('the configuration is validated with messages that say what was expected', (t) => {
  t.throws(() => shingleConfig({ ngram: 0 }), { code: 'BAD_ARGUMENT', message: /^expected ngram to be a whole number from 1 to 1000, got 0$/ } as never);
  t.throws(() => shingleConfig({ minhash: { bands: 100, rows: 50 } }), { code: 'BAD_ARGUMENT', message: /^expected minhash.bands x minhash.rows to be at most 4096, got 5000$/ } as never);
  t.throws(() => shingleConfig({ encoding: 'p50k' as never, unit: 'token' }), { code: 'BAD_ARGUMENT', message: /^expected encoding to be 'cl100k_base' or 'o200k_base', got p50k$/ } as never);
  t.is(shingleConfig({ ngram: 5 }).minWords, 5);
  t.is(shingleConfig({ unit: 'token' }).encoding, 'cl100k_base');
  t.is(shingleConfig({}).encoding, null);
});

test('--ngram auto takes the 5th percentile of sample lengths per benchmark, clipped to 8..13', async (t) => {
  const { autoNgram } = await import('../../src/cidx/build.js');
  t.is(autoNgram([20, 30, 40]), 13);
  t.is(autoNgram([3, 4, 5, 50, 60]), 8);
  // 100 samples: the nearest-rank 5th percentile is sorted[floor(0.05 * 99)] = sorted[4].
  t.is(autoNgram(Array.from({ length: 100 }, (_, i) => i + 6)), 10);
  const short = bench(Array.from({ length: 20 }, (_, i) => [words(10 + (i % 3), `s${i}x`)]));
  const long = bench(Array.from({ length: 20 }, (_, i) => [words(40, `l${i}x`)]));
  const index = await buildIndex([short, { ...long, source: { ...long.source, name: 'long' } }], { ngram: 'auto', minhash: false });
  t.deepEqual(
    index.benchmarks.map((b) => b.ngram),
    [10, 13],
  );
  t.true(index.config.ngramAuto);
  // The shortest n-gram, 10, sets the probe: 5-word windows every 6th.
  t.deepEqual(index.probe, { width: 5, stride: 6 });
  t.deepEqual([...new Set(entryLengths(index))], [10, 13]);
});

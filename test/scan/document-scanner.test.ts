import test from 'ava';
import { buildIndex } from '../../src/cidx/build.js';
import { DocumentScanner } from '../../src/scan/document-scanner.js';
import { xxh32 } from '../../src/text/xxhash32.js';
import { WordUnits } from '../../src/text/units.js';
import type { BenchmarkSource, EvalSample } from '../../src/types.js';

function bench(texts: string[][], labels: boolean[] = []): { source: BenchmarkSource; samples: EvalSample[] } {
  const samples = texts.map((segments, row) => ({
    benchmark: 'b',
    row,
    id: String(row),
    segments: segments.map((text, i) => ({ field: `f${i}`, text, label: labels[i] ?? false })),
  }));
  return { source: { name: 'b', path: 'b.jsonl', format: 'jsonl', shape: null, fields: [], idField: null, samples: samples.length }, samples };
}

const Q = 'the robe takes two bolts of blue fiber and half that much white fiber how many bolts in total does it take';

test('spans are original-text offsets of the first and last matched word, merged across overlapping shingles', async (t) => {
  const index = await buildIndex([bench([[Q]])]);
  const scanner = new DocumentScanner(index, new WordUnits(0));
  const prefix = 'Intro text. ';
  const copy = 'The robe takes TWO bolts of blue fiber, and half that much white fiber!';
  const doc = `${prefix}${copy} Unrelated tail words here.`;
  const [m] = scanner.scan(doc);
  // The copy has 14 words of the sample's 22: shingles at sample positions 0 and 1.
  t.is(m!.shingles, 2);
  t.is(m!.longest, 14);
  t.deepEqual(m!.spans, [[prefix.length, prefix.length + copy.length - 1]]);
  t.deepEqual(m!.sampleSpans, [[0, Q.indexOf('fiber how') + 'fiber'.length]]);
});

test('two separate copies in one document give two spans', async (t) => {
  const index = await buildIndex([bench([[Q]])]);
  const scanner = new DocumentScanner(index, new WordUnits(0));
  const first = Q.split(' ').slice(0, 13).join(' ');
  const second = Q.split(' ').slice(9, 22).join(' ');
  const doc = `${first} and then something else entirely. ${second}`;
  const [m] = scanner.scan(doc);
  t.is(m!.shingles, 2);
  t.is(m!.longest, 13);
  t.deepEqual(m!.spans, [
    [0, first.length],
    [doc.length - second.length, doc.length],
  ]);
});

test('a field of min-words to n-1 words is matched whole, and only whole', async (t) => {
  const short = 'nine words make up this short answer field here';
  const index = await buildIndex([bench([[Q, short]], [false, true])]);
  t.deepEqual(index.probe, { width: 5, stride: 5 });
  const scanner = new DocumentScanner(index, new WordUnits(0));
  const [whole] = scanner.scan(`x ${short.toUpperCase()} y`);
  t.is(whole!.shingles, 1);
  t.is(whole!.longest, 9);
  t.true(whole!.inLabel);
  t.false(whole!.inInput);
  t.deepEqual(scanner.scan(`x ${short.split(' ').slice(0, 8).join(' ')} y`), []);
});

test('a hash collision between two different words is rejected by verification', async (t) => {
  // Find two different words with the same XXH32 (birthday search).
  const seen = new Map<number, string>();
  const enc = new TextEncoder();
  let pair: [string, string] | null = null;
  for (let i = 0; !pair; i++) {
    const w = `w${i.toString(36)}`;
    const bytes = enc.encode(w);
    const h = xxh32(bytes, 0, bytes.length, 0);
    const other = seen.get(h);
    if (other !== undefined) pair = [other, w];
    else seen.set(h, w);
  }
  const [w1, w2] = pair;
  const words = Q.split(' ').slice(0, 13);
  words[5] = w1;
  // Exact n-grams only: MinHash containment works on hashes and would (rightly, for a near-duplicate) accept it.
  const index = await buildIndex([bench([[words.join(' ')]])], { minhash: false });
  const scanner = new DocumentScanner(index, new WordUnits(0));
  words[5] = w2;
  t.deepEqual(scanner.scan(words.join(' ')), []);
  t.true(scanner.counters.rejected > 0, 'the colliding window reached verification and was rejected');
  words[5] = w1;
  t.is(scanner.scan(words.join(' ')).length, 1);
});

/**
 * Every entry as [sample, first index word, length], from the layout as documented: entry e of a
 * segment is its position e - entryStart[g], or of the sample's words when it is shingled whole,
 * and the entries of a range of m words are its (m - length + 1) windows.
 */
function listEntries(index: Awaited<ReturnType<typeof buildIndex>>): [number, number, number][] {
  const { samples, segments } = index;
  const out: [number, number, number][] = [];
  for (let s = 0; s + 1 < samples.entryStart.length; s++) {
    const g0 = samples.segmentStart[s]!;
    for (let g = g0; g < samples.segmentStart[s + 1]!; g++) {
      const whole = samples.whole[s] === 1;
      const from = segments.wordStart[g]!;
      const words = whole ? segments.wordStart[samples.segmentStart[s + 1]!]! - from : segments.wordStart[g + 1]! - from;
      const count = segments.entryStart[g + 1]! - segments.entryStart[g]!;
      for (let q = 0; q < count; q++) out.push([s, from + q, words - count + 1]);
    }
  }
  return out;
}

/** Every (document position, entry) pair whose units are equal, found by comparing every pair. */
function exhaustiveHits(index: Awaited<ReturnType<typeof buildIndex>>, indexWords: string[], docWords: string[]): string[] {
  const wordText = (w: number) => indexWords[w];
  const out: string[] = [];
  for (const [e, [sample, base, len]] of listEntries(index).entries()) {
    for (let p = 0; p + len <= docWords.length; p++) {
      let ok = true;
      for (let t = 0; ok && t < len; t++) ok = docWords[p + t] === wordText(base + t);
      if (ok) out.push(`${sample}:${e}@${p}+${len}`);
    }
  }
  return out.sort();
}

/** Per sample with entries, every maximal run [document position, length] of equal words on one diagonal, at least minRun long. */
function exhaustiveRuns(index: Awaited<ReturnType<typeof buildIndex>>, indexWords: string[], docWords: string[]): Map<number, [number, number][]> {
  const wordText = (w: number) => indexWords[w];
  const minRun = index.probe.width + index.probe.stride - 1;
  const out = new Map<number, [number, number][]>();
  for (let s = 0; s + 1 < index.samples.entryStart.length; s++) {
    if (index.samples.entryStart[s] === index.samples.entryStart[s + 1]) continue;
    const first = index.segments.wordStart[index.samples.segmentStart[s]!]!;
    const sample = Array.from({ length: index.segments.wordStart[index.samples.segmentStart[s + 1]!]! - first }, (_, q) => wordText(first + q));
    for (let d = -sample.length; d < docWords.length; d++) {
      let run = 0;
      for (let q = 0; q <= sample.length; q++) {
        const p = q + d;
        if (q < sample.length && p >= 0 && p < docWords.length && docWords[p] === sample[q]) run++;
        else {
          if (run >= minRun) (out.get(s) ?? out.set(s, []).get(s)!).push([p - run, run]);
          run = 0;
        }
      }
    }
  }
  return out;
}

test('strided probes find exactly the (position, entry) pairs and the evidence runs an exhaustive comparison finds, on 300 random documents', async (t) => {
  // A 6-word vocabulary makes repeats, overlapping copies and partial copies common.
  let seed = 12345;
  const rand = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const vocab = ['ab', 'cd', 'ef', 'gh', 'ij', 'kl'];
  const phrase = (n: number) => Array.from({ length: n }, () => vocab[rand(vocab.length)]).join(' ');
  const samples = Array.from({ length: 40 }, () => [phrase(8 + rand(20)), phrase(3 + rand(12))]);
  const index = await buildIndex([bench(samples, [false, true])], { minhash: false });
  // The index's words, in index order: the samples' words as written (the vocabulary is normalized already).
  const indexWords = samples.flat().flatMap((text) => text.split(' '));
  t.is(indexWords.length, index.words.hash.length);
  const scanner = new DocumentScanner(index, new WordUnits(0));
  let matched = 0;
  for (let d = 0; d < 300; d++) {
    // Stitch random pieces of samples (copies cut at random places) with random filler.
    const pieces: string[] = [];
    for (let k = 0; k < 6; k++) {
      const segment = samples[rand(samples.length)]![rand(2)]!.split(' ');
      const from = rand(Math.ceil(segment.length / 2));
      pieces.push(segment.slice(from, from + 4 + rand(segment.length)).join(' '), phrase(rand(4)));
    }
    const doc = pieces.filter(Boolean).join(' ');
    const words = doc.split(' ');
    const startOf = words.map((_, i) => words.slice(0, i).join(' ').length + (i > 0 ? 1 : 0));
    const expected = exhaustiveHits(index, indexWords, words);
    const matches = scanner.scan(doc);
    // Distinct entries per sample, and the document spans their copies cover (merged).
    t.deepEqual(matches.flatMap((m) => m.entries.map((e) => `${m.sample}:${e}`)).sort(), [...new Set(expected.map((h) => h.split('@')[0]!))].sort(), doc);
    // Evidence runs: every maximal run of equal words on a diagonal of a sample (its fields joined)
    // at least minRun long, the length the strided probe always finds.
    const runs = exhaustiveRuns(index, indexWords, words);
    t.deepEqual(
      matches.map((m) => m.sample),
      [...runs.keys()].sort((x, y) => x - y),
      doc,
    );
    for (const m of matches) {
      const spans = runs
        .get(m.sample)!
        .map(([p, len]) => [startOf[p]!, startOf[p + len - 1]! + words[p + len - 1]!.length] as [number, number])
        .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      const merged: [number, number][] = [];
      for (const s of spans) {
        const last = merged.at(-1);
        if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
        else merged.push([...s]);
      }
      t.deepEqual(m.spans, merged, doc);
    }
    matched += expected.length;
  }
  t.true(matched > 1000, `only ${matched} (position, entry) pairs: the test would not exercise the scan`);
});

test('document frequencies count each entry once per document that verifies it, across many documents and when read mid-scan', async (t) => {
  const index = await buildIndex([bench([[Q]])]);
  const scanner = new DocumentScanner(index, new WordUnits(0));
  const words = Q.split(' ');
  // 22 words: 13-gram entries 0..9. A whole copy verifies all ten; the first 14 words (in other
  // case and punctuation) entries 0 and 1; words 5..21 entries 5..9.
  const whole = `Seen online: ${Q}. End.`;
  const head = `${words.slice(0, 14).join(', ').toUpperCase()} and more`;
  const tail = `prefix ${words.slice(5).join(' ')}`;
  const expected = new Map<number, number>();
  const add = (from: number, to: number) => {
    for (let e = from; e <= to; e++) expected.set(e, (expected.get(e) ?? 0) + 1);
  };
  for (let d = 0; d < 2200; d++) {
    if (d === 1000) t.deepEqual(new Map(scanner.documentFrequencies()), new Map(expected), 'read mid-scan');
    const kind = d % 4;
    if (kind === 0 || kind === 3) {
      scanner.scan(whole);
      add(0, 9);
    } else if (kind === 1) {
      scanner.scan(head);
      add(0, 1);
    } else {
      scanner.scan(d % 8 === 2 ? tail : 'a page about something else entirely, with no copy in it at all');
      if (d % 8 === 2) add(5, 9);
    }
  }
  // 1,100 whole copies, 550 heads and 275 tails: 13,650 (document, entry) records, past the
  // first buffers, so they were counted in several folds.
  t.deepEqual(
    [...scanner.documentFrequencies()].sort((x, y) => x[0] - y[0]),
    [...expected].sort((x, y) => x[0] - y[0]),
  );
  t.is(expected.get(0), 1650);
  t.is(expected.get(5), 1375);
});

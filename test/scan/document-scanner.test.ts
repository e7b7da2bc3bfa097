import test from 'ava';
import { buildIndex } from '../../src/index/build.js';
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

const Q = 'a robe takes two bolts of blue fiber and half that much white fiber how many bolts in total does it take';

test('spans are original-text offsets of the first and last matched word, merged across overlapping shingles', async (t) => {
  const index = await buildIndex([bench([[Q]])]);
  const scanner = new DocumentScanner(index, new WordUnits(0));
  const prefix = 'Intro text. ';
  const copy = 'A robe takes TWO bolts of blue fiber, and half that much white fiber!';
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
  t.deepEqual(index.widths, [8]);
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

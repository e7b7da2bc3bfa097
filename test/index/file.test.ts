import test from 'ava';
import { buildIndex } from '../../src/index/build.js';
import { decodeIndex, encodeIndex } from '../../src/index/file.js';
import { gsm8kSamples } from '../helpers/samples.js';

test('an index survives a round trip through its file format unchanged', async (t) => {
  const index = await buildIndex([gsm8kSamples(10)], { ngram: 10, minWords: 6 });
  const back = decodeIndex(encodeIndex(index));
  t.deepEqual(back.config, index.config);
  t.deepEqual(back.benchmarks, index.benchmarks);
  t.deepEqual(back.samples.id, index.samples.id);
  t.deepEqual(Array.from(back.words.bytes), Array.from(index.words.bytes));
  t.deepEqual(Array.from(back.words.offsets), Array.from(index.words.offsets));
  t.deepEqual(Array.from(back.words.hash), Array.from(index.words.hash));
  t.deepEqual(Array.from(back.entries.position), Array.from(index.entries.position));
  t.deepEqual(Array.from(back.bloom.bits), Array.from(index.bloom.bits));
  t.deepEqual(Array.from(back.table.postings), Array.from(index.table.postings));
  t.deepEqual(back.widths, index.widths);
  t.true(back.bloom.bits.buffer instanceof SharedArrayBuffer);
});

test('a damaged, truncated, foreign or future index file is refused with BAD_INDEX', async (t) => {
  const bytes = encodeIndex(await buildIndex([gsm8kSamples(5)]));
  const flipped = Uint8Array.from(bytes);
  flipped[flipped.length - 20]! ^= 1;
  t.throws(() => decodeIndex(flipped, 'x.cidx'), { code: 'BAD_INDEX', message: /x\.cidx: .*checksum/ } as never);
  t.throws(() => decodeIndex(bytes.subarray(0, bytes.length - 100), 'x.cidx'), { code: 'BAD_INDEX', message: /truncated/ } as never);
  t.throws(() => decodeIndex(new TextEncoder().encode('{"not": "an index"}'), 'x.cidx'), { code: 'BAD_INDEX', message: /magic/ } as never);
  const future = Uint8Array.from(bytes);
  new DataView(future.buffer).setUint32(4, 99, true);
  t.throws(() => decodeIndex(future, 'x.cidx'), { code: 'BAD_INDEX', message: /version 99 is not supported/ } as never);
});

import test from 'ava';
import { buildIndex } from '../../src/cidx/build.js';
import { decodeIndex, encodeIndex } from '../../src/cidx/file.js';
import { indexFromShared, shareIndex } from '../../src/cidx/contam-index.js';
import { sampleText } from '../../src/cidx/sample-text.js';
import type { ContamError } from '../../src/errors.js';
import { gsm8kSamples } from '../helpers/samples.js';

test('an index survives a round trip through its file format unchanged', async (t) => {
  const index = await buildIndex([gsm8kSamples(10)], { ngram: 10, minWords: 6 });
  const back = decodeIndex(encodeIndex(index));
  t.deepEqual(back.config, index.config);
  t.deepEqual(back.benchmarks, index.benchmarks);
  t.deepEqual(back.samples.id, index.samples.id);
  t.deepEqual(back.samples.text, index.samples.text);
  t.deepEqual(Array.from(back.samples.textBytes), Array.from(index.samples.textBytes));
  t.deepEqual(Array.from(back.samples.textStart), Array.from(index.samples.textStart));
  t.deepEqual(Array.from(back.segments.textStart), Array.from(index.segments.textStart));
  t.deepEqual(back.segments.field, index.segments.field);
  t.deepEqual(Array.from(back.words.hash), Array.from(index.words.hash));
  t.deepEqual(Array.from(back.words.segmentBlock), Array.from(index.words.segmentBlock));
  t.deepEqual(Array.from(back.samples.entryStart), Array.from(index.samples.entryStart));
  t.deepEqual(Array.from(back.segments.entryStart), Array.from(index.segments.entryStart));
  t.is(back.entries.count, index.entries.count);
  t.deepEqual(Array.from(back.bloom.bits), Array.from(index.bloom.bits));
  t.deepEqual(Array.from(back.table.bucketStart), Array.from(index.table.bucketStart));
  t.deepEqual(Array.from(back.table.tag), Array.from(index.table.tag));
  t.deepEqual(Array.from(back.table.anchor), Array.from(index.table.anchor));
  t.deepEqual(back.probe, index.probe);
  t.is(back.keys, index.keys);
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
  t.throws(() => decodeIndex(future, 'x.cidx'), { code: 'BAD_INDEX', message: /version 99 is not supported: a newer contam wrote it/ } as never);
});

test('an index of the previous format version is refused in one line that says to rebuild it', async (t) => {
  const old = Uint8Array.from(encodeIndex(await buildIndex([gsm8kSamples(5)])));
  new DataView(old.buffer).setUint32(4, 3, true);
  const error = t.throws(() => decodeIndex(old, 'x.cidx')) as ContamError;
  t.is(error.code, 'BAD_INDEX');
  t.is(error.toLine(), 'x.cidx: index format version 3 is not supported: an older contam wrote it, this one reads version 4 (rebuild the index from its benchmarks with this contam)');
});

test('one flipped bit anywhere in the file, the header and its padding included, is refused with BAD_INDEX', async (t) => {
  const bytes = encodeIndex(await buildIndex([gsm8kSamples(5)]));
  const headerEnd = 16 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  // Every byte of the fixed fields, the header JSON and its padding; then every 97th byte of the sections.
  const positions: number[] = [];
  for (let i = 0; i < headerEnd + 8; i++) positions.push(i);
  for (let i = headerEnd + 8; i < bytes.length; i += 97) positions.push(i);
  positions.push(bytes.length - 1);
  let refused = 0;
  for (const [k, i] of positions.entries()) {
    const damaged = Uint8Array.from(bytes);
    damaged[i]! ^= 1 << (k % 8);
    try {
      decodeIndex(damaged, 'x.cidx');
    } catch (error) {
      if ((error as { code?: string }).code === 'BAD_INDEX') refused++;
    }
  }
  t.is(refused, positions.length);
  t.true(positions.length > 300);
});

test('a byte added at the end is refused', async (t) => {
  const bytes = encodeIndex(await buildIndex([gsm8kSamples(5)]));
  const longer = new Uint8Array(bytes.length + 8);
  longer.set(bytes);
  t.throws(() => decodeIndex(longer, 'x.cidx'), { code: 'BAD_INDEX' } as never);
});

test('sample texts come back as written, lone surrogates and astral characters too, and scan workers re-derive them from bytes', async (t) => {
  const texts = ['plain words here and there', 'a lone \ud800 surrogate and an emoji \u{1F600} here', 'caf\u00e9 na\u00efve \u4e2d\u6587'];
  const samples = texts.map((text, row) => ({ benchmark: 'b', row, id: String(row), segments: [{ field: 'text', text }] }));
  const index = await buildIndex([{ source: { name: 'b', path: 'b.jsonl', format: 'jsonl', shape: null, fields: [], idField: null, samples: samples.length }, samples }]);
  const back = decodeIndex(encodeIndex(index));
  t.deepEqual(back.samples.text, texts);
  const worker = indexFromShared(shareIndex(back));
  t.deepEqual(worker.samples.text, []);
  t.deepEqual(
    texts.map((_, s) => sampleText(worker, s)),
    texts,
  );
});

import test from 'ava';
import { buildIndex } from '../../src/cidx/build.js';
import { decodeIndex, encodeIndex } from '../../src/cidx/file.js';
import { indexFromShared, shareIndex, type IndexSamples } from '../../src/cidx/contam-index.js';
import { decodeTexts, encodeTexts, sampleText, TEXT_BLOCK } from '../../src/cidx/sample-text.js';
import type { ContamError } from '../../src/errors.js';
import { gsm8kSamples } from '../helpers/samples.js';

test('an index survives a round trip through its file format unchanged', async (t) => {
  const index = await buildIndex([gsm8kSamples(10)], { ngram: 10, minWords: 6 });
  const back = decodeIndex(encodeIndex(index));
  t.deepEqual(back.config, index.config);
  t.deepEqual(back.benchmarks, index.benchmarks);
  t.deepEqual(back.samples.id, index.samples.id);
  t.deepEqual(back.samples.text, index.samples.text);
  t.deepEqual(Array.from(back.samples.textBlocks), Array.from(index.samples.textBlocks));
  t.deepEqual(Array.from(back.samples.blockStart), Array.from(index.samples.blockStart));
  t.deepEqual(Array.from(back.samples.blockSample), Array.from(index.samples.blockSample));
  t.deepEqual(Array.from(back.samples.textStart), Array.from(index.samples.textStart));
  t.deepEqual(Array.from(back.words.templateBits), Array.from(index.words.templateBits));
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
  new DataView(old.buffer).setUint32(4, 5, true);
  const error = t.throws(() => decodeIndex(old, 'x.cidx')) as ContamError;
  t.is(error.code, 'BAD_INDEX');
  t.is(error.toLine(), 'x.cidx: index format version 5 is not supported: an older contam wrote it, this one reads version 6 (rebuild the index from its benchmarks with this contam)');
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

/** An eval of one text field per sample. */
function textEval(texts: string[]) {
  const samples = texts.map((text, row) => ({ benchmark: 'b', row, id: String(row), segments: [{ field: 'text', text }] }));
  return { source: { name: 'b', path: 'b.jsonl', format: 'jsonl' as const, shape: null, fields: [], idField: null, samples: samples.length }, samples };
}

test('texts are cut into blocks of whole samples of at most the block size, a longer sample alone in its block', (t) => {
  // Bytes: 30, 30, 100 (longer than a block), 10, 11 (two lone surrogates of 3 bytes, a space, an emoji of 4), 20.
  const texts = ['a'.repeat(30), 'b'.repeat(30), 'c'.repeat(100), 'd'.repeat(10), '\udc00\ud800 \u{1F600}', 'e'.repeat(20)];
  const encoded = encodeTexts(texts, 64);
  t.deepEqual(Array.from(encoded.blockSample), [0, 2, 3, 6]);
  t.deepEqual(Array.from(encoded.textStart), [0, 30, 60, 160, 170, 181, 201]);
  t.is(encoded.blockStart.length, 4);
  t.is(encoded.textBlocks.length, encoded.blockStart[3]);
  t.true(encoded.textBlocks.buffer instanceof SharedArrayBuffer);
  t.deepEqual(decodeTexts({ ...encoded, text: [] } as unknown as IndexSamples), texts);
});

test("every sample's text of a built index comes back from the file and in a scan worker, across block boundaries and past the block cache, a lone surrogate included", async (t) => {
  // Distinct texts of about 400 bytes, about TEXT_BLOCK / 400 a block; a lone surrogate in every 50th.
  const words = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau'.split(' ');
  const texts = Array.from({ length: 2000 }, (_, s) => {
    const own = Array.from({ length: 60 }, (_, k) => words[(s * 7 + k * ((s % 13) + 1)) % words.length]).join(' ');
    return `sample ${s}: ${own}${s % 50 === 7 ? ' lone \ud800 surrogate \u{1F600}' : ''}`;
  });
  const index = await buildIndex([textEval(texts)]);
  // Blocks filled greedily: each at most TEXT_BLOCK bytes, and the next sample would not have fit.
  const { blockSample, textStart } = index.samples;
  const bytes = (from: number, to: number) => textStart[to]! - textStart[from]!;
  t.true(blockSample.length > 6);
  for (let b = 0; b + 1 < blockSample.length; b++) {
    t.true(bytes(blockSample[b]!, blockSample[b + 1]!) <= TEXT_BLOCK);
    if (b + 2 < blockSample.length) t.true(bytes(blockSample[b]!, blockSample[b + 1]! + 1) > TEXT_BLOCK);
  }
  const back = decodeIndex(encodeIndex(index));
  t.deepEqual(back.samples.text, texts);
  const worker = indexFromShared(shareIndex(back));
  t.deepEqual(worker.samples.text, []);
  // In order, then from the end back and by jumps across blocks, so blocks leave the cache and come back.
  const order = [...texts.keys(), ...[...texts.keys()].reverse(), ...texts.map((_, k) => (k * 797) % texts.length)];
  const wrong = order.filter((s) => sampleText(worker, s) !== texts[s]);
  t.deepEqual(wrong, []);
});

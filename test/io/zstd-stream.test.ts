/**
 * Streaming zstd (src/io/zstd-stream.ts): libzstd through zstd-napi is the
 * decoder in use, and it and the fzstd fallback give the exact bytes of real
 * entropy-coded frames (the zstd CLI's fixture, zstd-wasm's encoder at test
 * time), of concatenated and skippable frames, and of a frame larger than a
 * read chunk, which arrives in pieces no larger than the output buffer; bad
 * and truncated input is ZstdDataError with its offset.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { compress, init } from '@bokuweb/zstd-wasm';
import test from 'ava';
import { READ_CHUNK } from '../../src/io/compression.js';
import { inflateZstd, ZstdDataError, zstdStreamDecoder } from '../../src/io/zstd-stream.js';
import { zstdStore } from '../readers/corpus-documents.js';

const SHARED = path.resolve(import.meta.dirname, '../../../shared/data');
const shakespeare = gunzipSync(readFileSync(`${SHARED}/corpus/shakespeare.jsonl.gz`));
const wikitext = gunzipSync(readFileSync(`${SHARED}/corpus/wikitext2.jsonl.gz`));
const first10 = Buffer.from(`${shakespeare.toString('utf8').split('\n').slice(0, 10).join('\n')}\n`);
const decoders = ['zstd-napi-thread', 'zstd-napi', 'fzstd'] as const;

// zstd-wasm's compress, called while another test's stream is being decoded, was seen to
// return a frame of zeros: the frames are made once, before any test runs.
const levelFrames = new Map<number, Uint8Array>();
const frames: Record<'halves' | 'wikitext3' | 'three' | 'first10', Uint8Array> = { halves: new Uint8Array(), wikitext3: new Uint8Array(), three: new Uint8Array(), first10: new Uint8Array() };
const half = shakespeare.length >> 1;
let halfFrameBytes = 0;
const three = Buffer.concat([wikitext, shakespeare, wikitext]);
test.before(async () => {
  await init();
  for (const level of [1, 3, 19]) levelFrames.set(level, compress(wikitext, level));
  const firstHalf = compress(shakespeare.subarray(0, half), 3);
  frames.halves = Buffer.concat([firstHalf, compress(shakespeare.subarray(half), 3)]);
  halfFrameBytes = firstHalf.length;
  frames.wikitext3 = levelFrames.get(3)!;
  frames.three = compress(three, 3);
  frames.first10 = compress(first10, 3);
});

/** The input cut into pieces of `size` bytes, as a file read would hand it over. */
async function* pieces(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, Math.min(data.length, i + size));
}

async function inflate(data: Uint8Array, decoder: (typeof decoders)[number], size = READ_CHUNK): Promise<{ data: Buffer; sizes: number[] }> {
  const out: Uint8Array[] = [];
  for await (const chunk of inflateZstd(pieces(data, size), decoder)) out.push(chunk);
  return { data: Buffer.concat(out), sizes: out.map((c) => c.length) };
}

async function failure(data: Uint8Array, decoder: (typeof decoders)[number]): Promise<ZstdDataError> {
  try {
    await inflate(data, decoder);
  } catch (error) {
    if (error instanceof ZstdDataError) return error;
    throw error;
  }
  throw new Error('expected a ZstdDataError');
}

test('the decoder in use is libzstd (zstd-napi) on a thread of its own, not the slower fallback', (t) => {
  t.is(zstdStreamDecoder, 'zstd-napi-thread');
});

for (const decoder of decoders) {
  test(`${decoder}: the zstd CLI's frame decompresses to the exact source bytes, fed whole or 1,000 bytes at a time`, async (t) => {
    const file = readFileSync('fixtures/io/shakespeare-10.jsonl.zst');
    t.true((await inflate(file, decoder)).data.equals(first10));
    t.true((await inflate(file, decoder, 1000)).data.equals(first10));
  });

  test(`${decoder}: entropy-coded frames made at test time round-trip (levels 1, 3, 19)`, async (t) => {
    for (const level of [1, 3, 19]) {
      const frame = levelFrames.get(level)!;
      t.true(frame.length < wikitext.length / 2, 'really compressed');
      t.true((await inflate(frame, decoder, 65_536)).data.equals(wikitext), `level ${level}`);
    }
  });

  test(`${decoder}: concatenated frames with a skippable frame between them decompress whole`, async (t) => {
    const skippable = Buffer.concat([Buffer.from([0x50, 0x2a, 0x4d, 0x18, 5, 0, 0, 0]), Buffer.from('12345')]);
    const file = Buffer.concat([frames.halves.subarray(0, halfFrameBytes), skippable, frames.halves.subarray(halfFrameBytes), zstdStore(first10, 3)]);
    t.true((await inflate(file, decoder, 100_000)).data.equals(Buffer.concat([shakespeare, first10])));
  });

  test(`${decoder}: a frame larger than a read chunk streams out in pieces of at most 1 MiB`, async (t) => {
    const data = Buffer.concat([wikitext, wikitext, wikitext, wikitext]);
    const frame = zstdStore(data, 1);
    t.true(frame.length > READ_CHUNK * 2, `one frame of ${frame.length} bytes`);
    const { data: out, sizes } = await inflate(frame, decoder);
    t.true(out.equals(data));
    t.true(sizes.length >= Math.ceil(data.length / (1 << 20)));
    t.true(Math.max(...sizes) <= (decoder === 'fzstd' ? READ_CHUNK : 1 << 20));
  });

  test(`${decoder}: input cut inside a frame is a truncation at the bytes taken in`, async (t) => {
    const frame = frames.wikitext3;
    const cut = frame.subarray(0, frame.length >> 1);
    const error = await failure(cut, decoder);
    t.true(error.truncated);
    t.is(error.offset, cut.length);
  });

  test(`${decoder}: a reserved block type is bad data at offset 0, not a truncation`, async (t) => {
    const frame = Buffer.from(zstdStore(first10, 1));
    // Frame header: magic (4), descriptor, window descriptor; then the first block header, block type in bits 1-2.
    frame[6] = frame[6]! | 0b110;
    const error = await failure(frame, decoder);
    t.false(error.truncated);
    t.is(error.offset, 0);
  });
}

test('the three decoders agree on every prefix length of a real frame: the same bytes or all an error', async (t) => {
  const file = readFileSync('fixtures/io/shakespeare-10.jsonl.zst');
  for (const length of [0, 4, 6, 100, 1000, file.length - 1, file.length]) {
    const results = await Promise.all(
      decoders.map(async (decoder) => {
        try {
          return (await inflate(file.subarray(0, length), decoder)).data.toString('base64');
        } catch (error) {
          return error instanceof ZstdDataError ? 'error' : 'other';
        }
      }),
    );
    t.is(results[0], results[1], `prefix of ${length} bytes`);
    t.is(results[0], results[2], `prefix of ${length} bytes`);
  }
});

test('on its thread, libzstd yields the same buffers as inline, for several streams read at once', async (t) => {
  const data = three;
  const frame = frames.three;
  const inline = await inflate(frame, 'zstd-napi', 65_536);
  const threaded = await Promise.all([1, 2, 3].map(() => inflate(frame, 'zstd-napi-thread', 65_536)));
  for (const r of threaded) {
    t.true(r.data.equals(data));
    t.deepEqual(r.sizes, inline.sizes);
  }
});

test('on its thread: a reader that stops early closes its stream, and the next stream still decodes', async (t) => {
  const data = Buffer.concat([wikitext, wikitext, wikitext, wikitext]);
  const frame = zstdStore(data, 1);
  let seen = 0;
  for await (const chunk of inflateZstd(pieces(frame, 100_000), 'zstd-napi-thread')) {
    seen += chunk.length;
    break;
  }
  t.is(seen, (await inflate(frame, 'zstd-napi', 100_000)).sizes[0]);
  t.true((await inflate(frames.first10, 'zstd-napi-thread')).data.equals(first10));
});

import test from 'ava';
import xxhash from 'xxhash-wasm';
import { fmix32, xxh32 } from '../../src/text/xxhash32.js';

/** `n` pseudo-random bytes from a linear congruential generator seeded with `state`. */
function randomBytes(n: number, state: number): Uint8Array {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < bytes.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

test('xxh32 is bit-identical to xxhash-wasm h32Raw for every length from 0 to 100 and several seeds', async (t) => {
  const { h32Raw } = await xxhash();
  const bytes = randomBytes(100, 12345);
  for (const seed of [0, 1, 0x9e3779b1, 0xffffffff]) {
    for (let len = 0; len <= 100; len++) {
      t.is(xxh32(bytes, 0, len, seed), h32Raw(bytes.subarray(0, len), seed), `len ${len} seed ${seed}`);
    }
  }
});

test('long inputs (read as 32-bit lanes when aligned) are bit-identical to xxhash-wasm at aligned and unaligned offsets', async (t) => {
  const { h32Raw } = await xxhash();
  const bytes = randomBytes(5000, 777);
  for (const seed of [0, 0x9e3779b1]) {
    for (const offset of [0, 1, 2, 3, 4, 16]) {
      for (const len of [1023, 1024, 1025, 1039, 1040, 1041, 1055, 4096, 4977]) {
        t.is(xxh32(bytes, offset, len, seed), h32Raw(bytes.subarray(offset, offset + len), seed), `offset ${offset} len ${len} seed ${seed}`);
      }
    }
  }
  // A view that starts inside its buffer: alignment is of the buffer's address, not the view's.
  const view = bytes.subarray(3);
  t.is(xxh32(view, 1, 2048, 0), h32Raw(bytes.subarray(4, 2052), 0));
});

test('xxh32 hashes a byte range in place, not the whole buffer', async (t) => {
  const { h32Raw } = await xxhash();
  const bytes = new TextEncoder().encode('xxjanetsxx');
  t.is(xxh32(bytes, 2, 6, 0), h32Raw(new TextEncoder().encode('janets'), 0));
});

test('fmix32 is the murmur3 finalizer (known values)', (t) => {
  t.is(fmix32(0), 0);
  t.is(fmix32(1), 0x514e28b7);
});

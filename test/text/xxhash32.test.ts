import test from 'ava';
import xxhash from 'xxhash-wasm';
import { fmix32, xxh32 } from '../../src/text/xxhash32.js';

test('xxh32 is bit-identical to xxhash-wasm h32Raw for every length from 0 to 100 and several seeds', async (t) => {
  const { h32Raw } = await xxhash();
  let state = 12345;
  const bytes = new Uint8Array(100);
  for (let i = 0; i < bytes.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  for (const seed of [0, 1, 0x9e3779b1, 0xffffffff]) {
    for (let len = 0; len <= 100; len++) {
      t.is(xxh32(bytes, 0, len, seed), h32Raw(bytes.subarray(0, len), seed), `len ${len} seed ${seed}`);
    }
  }
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

import test from 'ava';
import { rollingShingleKeys, shingleKey } from '../../src/text/shingle.js';

function randomHashes(n: number, seed: number): Uint32Array {
  const out = new Uint32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s;
  }
  return out;
}

test('rolling keys equal the directly computed key at every position, for several widths', (t) => {
  const hashes = randomHashes(200, 7);
  for (const width of [1, 2, 8, 13, 50]) {
    const a = new Uint32Array(200);
    const b = new Uint32Array(200);
    const windows = rollingShingleKeys(hashes, 200, width, a, b);
    t.is(windows, 200 - width + 1);
    for (let p = 0; p < windows; p++) t.deepEqual([a[p], b[p]], shingleKey(hashes, p, width), `width ${width} position ${p}`);
  }
});

test('a text shorter than the width has no shingle', (t) => {
  t.is(rollingShingleKeys(randomHashes(12, 1), 12, 13, new Uint32Array(1), new Uint32Array(1)), 0);
});

test('keys of the same units at different widths differ', (t) => {
  const hashes = randomHashes(13, 3);
  t.notDeepEqual(shingleKey(hashes, 0, 8), shingleKey(hashes, 0, 13));
});

test('keys depend on unit order', (t) => {
  const h = randomHashes(13, 5);
  const swapped = Uint32Array.from(h);
  [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
  t.notDeepEqual(shingleKey(h, 0, 13), shingleKey(swapped, 0, 13));
});

test('no two of 200,000 random 13-unit windows share a 64-bit key', (t) => {
  const hashes = randomHashes(200_012, 11);
  const a = new Uint32Array(200_000);
  const b = new Uint32Array(200_000);
  rollingShingleKeys(hashes, hashes.length, 13, a, b);
  const seen = new Set<string>();
  for (let i = 0; i < 200_000; i++) seen.add(`${a[i]},${b[i]}`);
  t.is(seen.size, 200_000);
});

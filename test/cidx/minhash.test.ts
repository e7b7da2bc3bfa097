import test from 'ava';
import { bandHash, densify, EMPTY_BIN, estimateJaccard, lshCandidateProbability, lshThreshold, minhashSignature } from '../../src/cidx/minhash.js';
import { random } from '../helpers/samples.js';

function keySet(n: number, r: () => number): [number, number][] {
  return Array.from({ length: n }, () => [Math.floor(r() * 2 ** 32), Math.floor(r() * 2 ** 32)]);
}

function signature(keys: [number, number][], k: number): Uint32Array {
  const a = Uint32Array.from(keys, (x) => x[0]);
  const b = Uint32Array.from(keys, (x) => x[1]);
  const sig = new Uint32Array(k);
  minhashSignature(a, b, 0, keys.length, sig);
  return sig;
}

test('the MinHash estimate tracks the exact Jaccard similarity of constructed pairs', (t) => {
  const r = random(5);
  for (const shared of [0, 100, 300, 500, 800, 1000]) {
    const common = keySet(shared, r);
    const x = [...common, ...keySet(1000 - shared, r)];
    const y = [...common, ...keySet(1000 - shared, r)];
    const exact = shared / (2000 - shared);
    const estimate = estimateJaccard(signature(x, 1024), signature(y, 1024));
    // Standard error is sqrt(J(1-J)/K) <= 0.016 at K = 1024; allow four of them.
    t.true(Math.abs(estimate - exact) < 0.065, `shared ${shared}: exact ${exact.toFixed(3)}, estimate ${estimate.toFixed(3)}`);
  }
});

test('identical sets give identical signatures, whatever the order of their keys', (t) => {
  const keys = keySet(50, random(8));
  t.deepEqual(signature(keys, 96), signature([...keys].reverse(), 96));
});

test('densification fills every empty bin from its nearest filled neighbour to the right, and leaves filled bins alone', (t) => {
  const sig = new Uint32Array(16).fill(EMPTY_BIN);
  sig[3] = 7;
  sig[11] = 9;
  densify(sig);
  t.is(sig[3], 7);
  t.is(sig[11], 9);
  // Bin 10 is one step left of bin 11; bin 12 wraps around to bin 3 (7 steps).
  t.is(sig[10], (9 + 0x9e3779b1) >>> 0);
  t.is(sig[12], (7 + Math.imul(7, 0x9e3779b1)) >>> 0);
  t.false(sig.includes(EMPTY_BIN));
  // A set with fewer keys than bins still gets a full signature.
  t.false(Array.from(signature(keySet(3, random(1)), 64)).includes(EMPTY_BIN));
});

test('LSH arithmetic: threshold (1/b)^(1/r) and the S-curve 1 - (1 - J^r)^b', (t) => {
  t.is(lshThreshold(20, 5).toFixed(4), '0.5493');
  t.is(lshThreshold(48, 3).toFixed(4), '0.2752');
  t.is(lshCandidateProbability(0.5, 20, 5), 1 - (1 - 1 / 32) ** 20);
  t.is(lshCandidateProbability(0, 20, 5), 0);
  t.is(lshCandidateProbability(1, 20, 5), 1);
});

test('band hashes depend on the band number and on every row of the band', (t) => {
  const sig = Uint32Array.from({ length: 12 }, (_, i) => i * 1000);
  const other = Uint32Array.from(sig);
  other[5] = 1;
  t.not(bandHash(sig, 0, 3), bandHash(sig, 1, 3));
  t.is(bandHash(sig, 0, 3), bandHash(other, 0, 3));
  t.not(bandHash(sig, 1, 3), bandHash(other, 1, 3));
});

import test from 'ava';
import { BloomFilter, blockedFpr } from '../../src/cidx/bloom.js';
import { random } from '../helpers/samples.js';

function keys(n: number, seed: number): [number, number][] {
  const r = random(seed);
  return Array.from({ length: n }, () => [Math.floor(r() * 2 ** 32), Math.floor(r() * 2 ** 32)]);
}

test('every inserted key is found (no false negatives)', (t) => {
  const bloom = BloomFilter.forCapacity(20_000, 0.01);
  const inserted = keys(20_000, 1);
  for (const [a, b] of inserted) bloom.add(a, b);
  t.true(inserted.every(([a, b]) => bloom.has(a, b)));
});

test('the measured false-positive rate stays within the expected rate (x1.5 margin) on 200,000 absent keys', (t) => {
  for (const fpr of [0.1, 0.01, 0.001]) {
    const bloom = BloomFilter.forCapacity(50_000, fpr);
    for (const [a, b] of keys(50_000, 2)) bloom.add(a, b);
    const absent = keys(200_000, 3);
    const hits = absent.filter(([a, b]) => bloom.has(a, b)).length;
    const expected = bloom.expectedFpr(50_000);
    t.true(expected <= fpr, `expected ${expected} <= asked ${fpr}`);
    t.true(hits / absent.length < expected * 1.5 + 1e-4, `fpr ${fpr}: measured ${hits / absent.length}, expected ${expected}`);
  }
});

test('a filter is the fewest whole blocks that reach the rate (a power of two when asked), and a bad rate is refused with a clear error', (t) => {
  for (const [keys, fpr] of [
    [1000, 0.01],
    [2_191_316, 0.001],
    [50_000, 1e-6],
  ] as const) {
    const bloom = BloomFilter.forCapacity(keys, fpr);
    t.is(bloom.size % 512, 0);
    t.true(bloom.expectedFpr(keys) <= fpr, `${keys} keys at ${fpr}`);
    // Two sizing steps (1/64 each) smaller, with its own best count of hashes, misses the rate.
    const smaller = Math.floor((bloom.size * 62) / 64 / 512) * 512;
    const hashes = Math.max(1, Math.min(16, Math.round((smaller / keys) * Math.LN2)));
    t.true(blockedFpr(keys, smaller, hashes) > fpr, `${keys} keys at ${fpr}: ${smaller} bits would do`);
    const pow2 = BloomFilter.forCapacity(keys, fpr, true);
    t.is(pow2.size & (pow2.size - 1), 0);
    t.true(pow2.expectedFpr(keys) <= fpr && pow2.size >= bloom.size);
  }
  // The 6 benchmarks' 2.19M anchor keys at the default 0.001: a power of two took 2^26 bits (8 MiB), since
  // 2^25 missed the rate; the fewest blocks are within a tenth of a standard filter's 14.4 bits a key.
  t.is(BloomFilter.forCapacity(2_191_316, 0.001, true).size, 2 ** 26);
  t.true(BloomFilter.forCapacity(2_191_316, 0.001).size < 2_191_316 * 14.38 * 1.1);
  t.throws(() => BloomFilter.forCapacity(10, 0), { code: 'BAD_ARGUMENT' } as never);
  t.throws(() => BloomFilter.forCapacity(10, 1), { code: 'BAD_ARGUMENT' } as never);
});

test('a false-positive rate below 1e-9, or one that needs a filter over 2 GiB, is BAD_ARGUMENT, not a RangeError', (t) => {
  t.throws(() => BloomFilter.forCapacity(1000, 1e-300), { code: 'BAD_ARGUMENT', message: /^expected fpr to be a number from 1e-9 to below 1, got 1e-300$/ } as never);
  t.throws(() => BloomFilter.forCapacity(1e9, 1e-9), { code: 'BAD_ARGUMENT', message: /needs 5\.0 GiB, over the 2 GiB contam allows/ } as never);
  t.is(BloomFilter.forCapacity(1000, 1e-9).hashes > 0, true);
});

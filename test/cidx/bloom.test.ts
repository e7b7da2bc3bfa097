import test from 'ava';
import { BloomFilter } from '../../src/cidx/bloom.js';
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

test('the size is a power of two and a bad rate is refused with a clear error', (t) => {
  const bloom = BloomFilter.forCapacity(1000, 0.01);
  t.is(bloom.size & (bloom.size - 1), 0);
  t.true(bloom.size >= 512);
  t.throws(() => BloomFilter.forCapacity(10, 0), { code: 'BAD_ARGUMENT' } as never);
  t.throws(() => BloomFilter.forCapacity(10, 1), { code: 'BAD_ARGUMENT' } as never);
});

test('a false-positive rate below 1e-9, or one that needs a filter over 2 GiB, is BAD_ARGUMENT, not a RangeError', (t) => {
  t.throws(() => BloomFilter.forCapacity(1000, 1e-300), { code: 'BAD_ARGUMENT', message: /^expected fpr to be a number from 1e-9 to below 1, got 1e-300$/ } as never);
  t.throws(() => BloomFilter.forCapacity(1e9, 1e-9), { code: 'BAD_ARGUMENT', message: /needs 5\.0 GiB, over the 2 GiB contam allows/ } as never);
  t.is(BloomFilter.forCapacity(1000, 1e-9).hashes > 0, true);
});

import test from 'ava';
import { bootstrapDeltaInterval, bootstrapMeanInterval, mulberry32, quantile } from '../../src/score/bootstrap.js';

/** mulberry32 restated from its published C-like form, to pin the stream. */
function referenceMulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), 1 | z);
    z = (z + Math.imul(z ^ (z >>> 7), 61 | z)) ^ z;
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** A naive bootstrap written from the documented scheme: stratified, clean then contaminated then other. */
function naiveInterval(clean: number[], contaminated: number[], other: number[], resamples: number, seed: number): [number, number] {
  const random = referenceMulberry32(seed);
  const draw = (xs: number[]) => {
    let s = 0;
    for (let i = 0; i < xs.length; i++) s += xs[Math.floor(random() * xs.length)]!;
    return s;
  };
  const deltas: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const c = draw(clean);
    const x = draw(contaminated);
    const o = other.length ? draw(other) : 0;
    deltas.push(c / clean.length - (c + x + o) / (clean.length + contaminated.length + other.length));
  }
  deltas.sort((a, b) => a - b);
  const q = (p: number) => {
    const h = (deltas.length - 1) * p;
    const lo = Math.floor(h);
    return deltas[lo]! + (h - lo) * (deltas[Math.min(lo + 1, deltas.length - 1)]! - deltas[lo]!);
  };
  return [q(0.025), q(0.975)];
}

test('mulberry32 yields the reference stream for a seed', (t) => {
  const a = mulberry32(42);
  const b = referenceMulberry32(42);
  for (let i = 0; i < 1000; i++) t.is(a(), b());
});

test('quantile interpolates linearly between order statistics', (t) => {
  t.is(quantile([1, 2, 3, 4, 5], 0.5), 3);
  t.is(quantile([0, 10], 0.025), 0.25);
  t.is(quantile([0, 10, 20], 0.975), 19.5);
});

test('the interval equals a naive stratified bootstrap with the same seed', (t) => {
  const clean = [1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0];
  const contaminated = [1, 1, 1, 0, 1, 1, 1];
  const other = [0, 1];
  t.deepEqual(bootstrapDeltaInterval(clean, contaminated, other, { seed: 7, resamples: 500 }), naiveInterval(clean, contaminated, other, 500, 7));
});

test('the interval is reproducible for a seed and changes with it', (t) => {
  const clean = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 0 : 1));
  const contaminated = Array.from({ length: 40 }, (_, i) => (i % 5 === 0 ? 0 : 1));
  const a = bootstrapDeltaInterval(clean, contaminated, [], { seed: 1 });
  t.deepEqual(bootstrapDeltaInterval(clean, contaminated, [], { seed: 1 }), a);
  t.notDeepEqual(bootstrapDeltaInterval(clean, contaminated, [], { seed: 2 }), a);
  t.true(a![0] <= a![1]);
});

test('constant subsets give a zero-width interval at the exact difference', (t) => {
  // clean all 0 (n 3), contaminated all 1 (n 1): all = 1/4, delta = -0.25 in every resample.
  t.deepEqual(bootstrapDeltaInterval([0, 0, 0], [1], [], { resamples: 50 }), [-0.25, -0.25]);
});

test('no interval without both a clean and a contaminated sample', (t) => {
  t.is(bootstrapDeltaInterval([], [1, 0]), null);
  t.is(bootstrapDeltaInterval([1, 0], []), null);
});

test('the interval of a mean equals a naive percentile bootstrap with the same seed', (t) => {
  const values = [1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 0];
  const random = mulberry32(7);
  const means: number[] = [];
  for (let r = 0; r < 500; r++) {
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[Math.floor(random() * values.length)]!;
    means.push(sum / values.length);
  }
  means.sort((a, b) => a - b);
  // numpy-style linear interpolation at 2.5% and 97.5% of 500 sorted means.
  const at = (q: number) => {
    const h = (means.length - 1) * q;
    const lo = Math.floor(h);
    return means[lo]! + (h - lo) * (means[Math.min(lo + 1, means.length - 1)]! - means[lo]!);
  };
  t.deepEqual(bootstrapMeanInterval(values, { seed: 7, resamples: 500 }), [at(0.025), at(0.975)]);
  t.is(bootstrapMeanInterval([1], { seed: 7 }), null);
});

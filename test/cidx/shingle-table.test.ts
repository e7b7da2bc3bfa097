import test from 'ava';
import { ShingleTable } from '../../src/cidx/shingle-table.js';
import { random } from '../helpers/samples.js';

test('lookups return exactly the entries posted under each key, like a Map would', (t) => {
  const r = random(9);
  const n = 5000;
  const a = new Uint32Array(n);
  const b = new Uint32Array(n);
  const reference = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    // About a third of the entries share a key with an earlier one.
    const j = i > 0 && r() < 0.33 ? Math.floor(r() * i) : i;
    a[i] = j === i ? Math.floor(r() * 2 ** 32) : a[j]!;
    b[i] = j === i ? Math.floor(r() * 2 ** 32) : b[j]!;
    const key = `${a[i]},${b[i]}`;
    reference.set(key, [...(reference.get(key) ?? []), i]);
  }
  const table = ShingleTable.build(a, b);
  t.is(table.keys, reference.size);
  for (const [key, entries] of reference) {
    const [ka, kb] = key.split(',').map(Number) as [number, number];
    const slot = table.find(ka, kb);
    t.true(slot >= 0);
    t.deepEqual(Array.from(table.postings.subarray(table.start[slot]!, table.start[slot]! + table.count[slot]!)), entries);
  }
  t.is(table.find(1, 2), -1);
});

test('keys that differ only in one lane are kept apart', (t) => {
  const table = ShingleTable.build(Uint32Array.of(7, 7), Uint32Array.of(1, 2));
  t.is(table.keys, 2);
  t.not(table.find(7, 1), table.find(7, 2));
  t.is(table.find(7, 3), -1);
});

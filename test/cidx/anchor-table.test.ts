import test from 'ava';
import { AnchorTable, distinctKeys } from '../../src/cidx/anchor-table.js';
import { random } from '../helpers/samples.js';

test('a bucket holds, for each key, exactly the kept anchors posted under it, in ascending order, behind its tag', (t) => {
  const r = random(9);
  const n = 5000;
  const a = new Uint32Array(n);
  const b = new Uint32Array(n);
  const anchors = Uint32Array.from({ length: n }, (_, i) => 3 * i + 1);
  const reference = new Map<string, number[]>();
  const keep = (i: number) => i % 7 !== 3;
  for (let i = 0; i < n; i++) {
    // About a third of the entries share a key with an earlier one.
    const j = i > 0 && r() < 0.33 ? Math.floor(r() * i) : i;
    a[i] = j === i ? Math.floor(r() * 2 ** 32) : a[j]!;
    b[i] = j === i ? Math.floor(r() * 2 ** 32) : b[j]!;
    const key = `${a[i]},${b[i]}`;
    if (!reference.has(key)) reference.set(key, []);
    if (keep(i)) reference.get(key)!.push(anchors[i]!);
  }
  const table = AnchorTable.build(a, b, anchors, n, keep);
  t.is(
    table.anchor.length,
    [...reference.values()].reduce((sum, list) => sum + list.length, 0),
  );
  // 5000 less the 714 dropped is 4286 postings; at 8 a bucket, 512 buckets hold 4096: 1024.
  t.is(table.bucketStart.length, 1024 + 1);
  t.is(distinctKeys(a, b, n), reference.size);
  const keyOf = new Map<number, string>();
  for (let i = 0; i < n; i++) keyOf.set(anchors[i]!, `${a[i]},${b[i]}`);
  for (const [key, expected] of reference) {
    const [ka, kb] = key.split(',').map(Number) as [number, number];
    const bucket = ka & table.mask;
    const found: number[] = [];
    for (let k = table.bucketStart[bucket]!; k < table.bucketStart[bucket + 1]!; k++) {
      // A tag may match another key's posting (the scan rejects it on the words); the key's own all match.
      if (table.tag[k] === kb >>> 16 && keyOf.get(table.anchor[k]!) === key) found.push(table.anchor[k]!);
    }
    t.deepEqual(found, expected);
  }
  for (let k = 0; k + 1 < table.bucketStart.length; k++) {
    const bucket = Array.from(table.anchor.subarray(table.bucketStart[k]!, table.bucketStart[k + 1]!));
    t.deepEqual(
      bucket,
      [...bucket].sort((x, y) => x - y),
    );
  }
});

test('keys that differ only in one lane are distinct keys', (t) => {
  t.is(distinctKeys(Uint32Array.of(7, 7, 7), Uint32Array.of(1, 2, 1), 3), 2);
  t.is(distinctKeys(Uint32Array.of(7, 8, 9), Uint32Array.of(1, 2, 3), 2), 2);
  const empty = AnchorTable.build(new Uint32Array(0), new Uint32Array(0), new Uint32Array(0), 0, () => true);
  t.deepEqual(Array.from(empty.bucketStart), [0, 0]);
});

test('distinctKeys counts keys that differ in any one byte of either lane, the key (0, 0) too, as a set of the pairs does', (t) => {
  const r = random(21);
  const n = 20000;
  const a = new Uint32Array(n);
  const b = new Uint32Array(n);
  const base = [0x12345678, 0x9abcdef0];
  for (let i = 0; i < n; i++) {
    // Variants of two base keys, one byte of one lane changed, often to the same value again;
    // and (0, 0) and fully random keys now and then.
    const kind = r();
    if (kind < 0.05) continue;
    if (kind < 0.15) {
      a[i] = Math.floor(r() * 2 ** 32);
      b[i] = Math.floor(r() * 2 ** 32);
      continue;
    }
    const byte = Math.floor(r() * 8);
    const value = Math.floor(r() * 4);
    a[i] = base[0]!;
    b[i] = base[1]!;
    if (byte < 4) b[i] = ((b[i]! & ~(255 << (byte * 8))) | (value << (byte * 8))) >>> 0;
    else a[i] = ((a[i]! & ~(255 << ((byte - 4) * 8))) | (value << ((byte - 4) * 8))) >>> 0;
  }
  const reference = new Set<string>();
  for (let i = 0; i < n; i++) reference.add(`${a[i]},${b[i]}`);
  t.is(distinctKeys(a, b, n), reference.size);
  // Only the first n count; the inputs are left as they were.
  const half = new Set<string>();
  for (let i = 0; i < n / 2; i++) half.add(`${a[i]},${b[i]}`);
  const copyA = a.slice();
  t.is(distinctKeys(a, b, n / 2), half.size);
  t.deepEqual(a, copyA);
  t.is(distinctKeys(new Uint32Array(0), new Uint32Array(0), 0), 0);
});

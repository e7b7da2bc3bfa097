/**
 * An exact table from a 64-bit key to the numbers posted under it (the MinHash
 * index's LSH bands, to the samples that have them). Open addressing with linear
 * probing over typed arrays; the entries of one key are contiguous in
 * `postings`, so a lookup yields a range. Built in two passes (count, then
 * place) so building is linear, with no sort and no per-key object.
 */

export class ShingleTable {
  readonly keyA: Uint32Array;
  readonly keyB: Uint32Array;
  /** Start of the key's entries in `postings`; count 0 marks an empty slot. */
  readonly start: Uint32Array;
  readonly count: Uint32Array;
  readonly postings: Uint32Array;
  private readonly mask: number;

  constructor(keyA: Uint32Array, keyB: Uint32Array, start: Uint32Array, count: Uint32Array, postings: Uint32Array) {
    this.keyA = keyA;
    this.keyB = keyB;
    this.start = start;
    this.count = count;
    this.postings = postings;
    this.mask = keyA.length - 1;
  }

  /** Build from parallel arrays of entry keys; entry i is posted under (keysA[i], keysB[i]). */
  static build(keysA: Uint32Array, keysB: Uint32Array): ShingleTable {
    const n = keysA.length;
    let capacity = 16;
    while (capacity < n * 2) capacity *= 2;
    const shared = (length: number) => new Uint32Array(new SharedArrayBuffer(Math.max(length, 1) * 4));
    const keyA = shared(capacity);
    const keyB = shared(capacity);
    const start = shared(capacity);
    const count = shared(capacity);
    const mask = capacity - 1;
    const slotOf = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const a = keysA[i]!;
      const b = keysB[i]!;
      let s = a & mask;
      while (count[s]! !== 0 && (keyA[s] !== a || keyB[s] !== b)) s = (s + 1) & mask;
      keyA[s] = a;
      keyB[s] = b;
      count[s]! += 1;
      slotOf[i] = s;
    }
    let offset = 0;
    for (let s = 0; s < capacity; s++) {
      start[s] = offset;
      offset += count[s]!;
    }
    const fill = new Uint32Array(capacity);
    const postings = shared(n);
    for (let i = 0; i < n; i++) {
      const s = slotOf[i]!;
      postings[start[s]! + fill[s]!] = i;
      fill[s]! += 1;
    }
    return new ShingleTable(keyA, keyB, start, count, postings);
  }

  /** Number of distinct keys. */
  get keys(): number {
    let k = 0;
    for (let s = 0; s < this.count.length; s++) if (this.count[s] !== 0) k++;
    return k;
  }

  /** The slot holding key (a, b), or -1. */
  find(a: number, b: number): number {
    const mask = this.mask;
    let s = a & mask;
    for (;;) {
      if (this.count[s] === 0) return -1;
      if (this.keyA[s] === a && this.keyB[s] === b) return s;
      s = (s + 1) & mask;
    }
  }
}

/**
 * A set of 64-bit keys (two 32-bit lanes) over typed arrays: open addressing
 * with linear probing, sized once for the most keys it will hold, at load at
 * most 3/4 should they all be distinct (they rarely are: the index's windows
 * repeat). `add` returns the key's id, dense in order of first sight
 * (0 .. size - 1), so callers keep per-key counts and flags in arrays of
 * `size` beside it, with no per-key object, where arrays of the table's
 * capacity would cost two to four entries a key.
 */
export class KeySet {
  /** Distinct keys added. */
  size = 0;
  private readonly mask: number;
  private readonly keyA: Uint32Array;
  private readonly keyB: Uint32Array;
  /** Id + 1 of the key in each slot; 0: empty. */
  private readonly slotId: Uint32Array;

  constructor(most: number) {
    let capacity = 16;
    while (capacity * 3 < most * 4) capacity *= 2;
    this.mask = capacity - 1;
    this.keyA = new Uint32Array(capacity);
    this.keyB = new Uint32Array(capacity);
    this.slotId = new Uint32Array(capacity);
  }

  /** The id of key (a, b), added if new. */
  add(a: number, b: number): number {
    const mask = this.mask;
    const slotId = this.slotId;
    let slot = a & mask;
    for (;;) {
      const id = slotId[slot]!;
      if (id === 0) break;
      if (this.keyA[slot] === a && this.keyB[slot] === b) return id - 1;
      slot = (slot + 1) & mask;
    }
    this.keyA[slot] = a;
    this.keyB[slot] = b;
    slotId[slot] = ++this.size;
    return this.size - 1;
  }
}

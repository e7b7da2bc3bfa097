/**
 * A set of 64-bit keys (two 32-bit lanes) over typed arrays: open addressing
 * with linear probing at load at most 1/2, sized once for the most keys it
 * will hold. `add` returns the key's slot, so callers keep per-key counts and
 * flags in arrays of `capacity` beside it, with no per-key object.
 */
export class KeySet {
  readonly capacity: number;
  /** Distinct keys added. */
  size = 0;
  private readonly mask: number;
  private readonly keyA: Uint32Array;
  private readonly keyB: Uint32Array;
  private readonly used: Uint8Array;

  constructor(most: number) {
    let capacity = 16;
    while (capacity < most * 2) capacity *= 2;
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.keyA = new Uint32Array(capacity);
    this.keyB = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
  }

  /** The slot of key (a, b), added if new. */
  add(a: number, b: number): number {
    const mask = this.mask;
    let slot = a & mask;
    while (this.used[slot] === 1 && (this.keyA[slot] !== a || this.keyB[slot] !== b)) slot = (slot + 1) & mask;
    if (this.used[slot] === 0) {
      this.used[slot] = 1;
      this.keyA[slot] = a;
      this.keyB[slot] = b;
      this.size++;
    }
    return slot;
  }
}

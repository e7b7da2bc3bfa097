/**
 * A Bloom filter over 64-bit shingle keys (two 32-bit lanes), with k probes by
 * double hashing (Kirsch and Mitzenmacher 2006: bit_i = a + i*b mod m).
 * Misses are exact; hits are probabilistic and must be verified.
 *
 * The size is a power of two (so a probe is a mask, not a division), chosen
 * from the key count and the wanted false-positive rate; the rate actually
 * achieved is computed and recorded. Bits live in a SharedArrayBuffer so scan
 * workers read one copy.
 */
import { ContamError } from '../errors.js';

export class BloomFilter {
  readonly bits: Uint32Array;
  readonly hashes: number;
  private readonly mask: number;

  constructor(bits: Uint32Array, hashes: number) {
    const m = bits.length * 32;
    if (m < 32 || (m & (m - 1)) !== 0) throw new Error('Bloom filter size must be a power of two');
    this.bits = bits;
    this.hashes = hashes;
    this.mask = (m - 1) >>> 0;
  }

  /** A filter sized for `keys` keys at false-positive rate `fpr`. */
  static forCapacity(keys: number, fpr: number): BloomFilter {
    if (!(fpr > 0 && fpr < 1)) {
      throw new ContamError('BAD_ARGUMENT', `expected --fpr to be a number between 0 and 1, got ${fpr}`);
    }
    const n = Math.max(keys, 1);
    const ideal = Math.ceil((-n * Math.log(fpr)) / (Math.LN2 * Math.LN2));
    let m = 1024;
    while (m < ideal && m < 2 ** 32) m *= 2;
    const k = Math.max(1, Math.min(16, Math.round((m / n) * Math.LN2)));
    return new BloomFilter(new Uint32Array(new SharedArrayBuffer(m / 8)), k);
  }

  get size(): number {
    return this.bits.length * 32;
  }

  /** The false-positive rate expected with `keys` keys inserted. */
  expectedFpr(keys: number): number {
    return Math.pow(1 - Math.exp((-this.hashes * keys) / this.size), this.hashes);
  }

  add(a: number, b: number): void {
    const bits = this.bits;
    const step = b | 1;
    let x = a;
    for (let i = 0; i < this.hashes; i++) {
      const bit = (x & this.mask) >>> 0;
      bits[bit >>> 5]! |= 1 << (bit & 31);
      x = (x + step) | 0;
    }
  }

  has(a: number, b: number): boolean {
    const bits = this.bits;
    const mask = this.mask;
    const step = b | 1;
    let x = a;
    for (let i = 0; i < this.hashes; i++) {
      const bit = (x & mask) >>> 0;
      if ((bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
      x = (x + step) | 0;
    }
    return true;
  }
}

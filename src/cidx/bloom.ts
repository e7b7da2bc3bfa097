/**
 * A blocked Bloom filter over 64-bit shingle keys (two 32-bit lanes): lane A
 * picks one 512-bit block (a cache line; lane A modulo the number of blocks,
 * which is the low bits of A when that number is a power of two, as portrait
 * files and indexes before format 6 have it), and all k probe bits fall inside it,
 * derived from lane B by a multiplicative sequence (Putze, Sanders and
 * Singler 2007). A probe costs one cache miss instead of k,
 * which matters once the filter outgrows the CPU caches; the price is a
 * slightly higher false-positive rate at equal size, which the sizing accounts
 * for exactly (Poisson mixture over block loads).
 *
 * Misses are exact; hits are probabilistic and always verified downstream.
 * Bits live in a SharedArrayBuffer so scan workers read one copy.
 */
import { ContamError } from '../errors.js';

const BLOCK_BITS = 512;
const BLOCK_WORDS = BLOCK_BITS / 32;

/** False-positive rate of a blocked filter of `bits` bits, `hashes` probes, holding `keys` keys. */
export function blockedFpr(keys: number, bits: number, hashes: number): number {
  const blocks = bits / BLOCK_BITS;
  const lambda = keys / blocks;
  // Sum over the number j of keys in the probed block (Poisson, in log space so large loads
  // do not underflow), of the standard formula within one block.
  const spread = 12 * Math.sqrt(lambda + 1) + 12;
  const from = Math.max(0, Math.floor(lambda - spread));
  const to = Math.ceil(lambda + spread);
  let logFactorial = 0;
  for (let j = 2; j <= from; j++) logFactorial += Math.log(j);
  let fpr = 0;
  for (let j = from; j <= to; j++) {
    if (j > from && j > 1) logFactorial += Math.log(j);
    const p = Math.exp(-lambda + (j === 0 ? 0 : j * Math.log(lambda)) - logFactorial);
    fpr += p * (1 - (1 - 1 / BLOCK_BITS) ** (j * hashes)) ** hashes;
  }
  return Math.min(1, fpr);
}

/**
 * The lowest false-positive rate a filter is sized for. Hits are verified, so a
 * lower rate buys nothing but memory; and the size grows with -ln(rate): at
 * 1e-300 the filter would need more bits than a typed array can hold.
 */
export const MIN_FPR = 1e-9;

/** The largest filter: 2^34 bits, 2 GiB. */
const MAX_BITS = 2 ** 34;

export class BloomFilter {
  readonly bits: Uint32Array;
  readonly hashes: number;
  private readonly blocks: number;

  constructor(bits: Uint32Array, hashes: number) {
    const blocks = bits.length / BLOCK_WORDS;
    if (!(blocks >= 1 && Number.isInteger(blocks))) throw new Error('Bloom filter size must be a whole number of 512-bit blocks');
    this.bits = bits;
    this.hashes = hashes;
    this.blocks = blocks;
  }

  /**
   * A filter sized for `keys` keys at false-positive rate `fpr` or better: the fewest blocks
   * that reach it, or, with `powerOfTwo` (portrait files, whose readers take no other size),
   * the fewest in a power of two, which may be up to twice that.
   */
  static forCapacity(keys: number, fpr: number, powerOfTwo = false): BloomFilter {
    if (!(fpr >= MIN_FPR && fpr < 1)) {
      throw new ContamError('BAD_ARGUMENT', `expected fpr to be a number from ${MIN_FPR} to below 1, got ${fpr}`, {
        hint: 'Bloom hits are verified, so a lower rate only costs memory; the default is 0.001',
      });
    }
    const n = Math.max(keys, 1);
    // Start from the size a standard Bloom filter would need; blocking only ever needs more.
    const ideal = (-n * Math.log(fpr)) / (Math.LN2 * Math.LN2);
    if (ideal > MAX_BITS) {
      throw new ContamError('BAD_ARGUMENT', `a Bloom filter of ${n} keys at fpr ${fpr} needs ${(ideal / 8 / 2 ** 30).toFixed(1)} GiB, over the ${MAX_BITS / 8 / 2 ** 30} GiB contam allows`, {
        hint: 'raise fpr, or index fewer benchmarks at once',
      });
    }
    const hashesFor = (m: number) => Math.max(1, Math.min(16, Math.round((m / n) * Math.LN2)));
    let m = BLOCK_BITS;
    if (powerOfTwo) {
      while (m * 2 <= ideal) m *= 2;
      while (blockedFpr(n, m, hashesFor(m)) > fpr && m < MAX_BITS) m *= 2;
    } else {
      // From the standard filter's size, up by 1/64 at a time: blocking needs a little more.
      m = Math.max(BLOCK_BITS, Math.ceil(ideal / BLOCK_BITS) * BLOCK_BITS);
      while (blockedFpr(n, m, hashesFor(m)) > fpr && m < MAX_BITS) m = Math.min(MAX_BITS, Math.ceil((m * 65) / 64 / BLOCK_BITS) * BLOCK_BITS);
    }
    return new BloomFilter(new Uint32Array(new SharedArrayBuffer(m / 8)), hashesFor(m));
  }

  get size(): number {
    return this.bits.length * 32;
  }

  /** The false-positive rate expected with `keys` keys inserted. */
  expectedFpr(keys: number): number {
    return blockedFpr(keys, this.size, this.hashes);
  }

  add(a: number, b: number): void {
    const base = ((a >>> 0) % this.blocks) * BLOCK_WORDS;
    let x = b | 1;
    for (let i = 0; i < this.hashes; i++) {
      // Multiplicative sequence: each probe's 9 bits come from all 32 bits of lane B.
      x = Math.imul(x, 0x9e3779b1) + 0x7f4a7c15;
      const bit = x >>> 23;
      this.bits[base + (bit >>> 5)]! |= 1 << (bit & 31);
    }
  }

  has(a: number, b: number): boolean {
    const bits = this.bits;
    const base = ((a >>> 0) % this.blocks) * BLOCK_WORDS;
    let x = b | 1;
    for (let i = 0; i < this.hashes; i++) {
      x = Math.imul(x, 0x9e3779b1) + 0x7f4a7c15;
      const bit = x >>> 23;
      if ((bits[base + (bit >>> 5)]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

/**
 * MinHash signatures by one-permutation hashing with optimal densification
 * (Li, Owen and Zhang 2012; Shrivastava 2017): each shingle key falls into one
 * of K bins and each bin keeps its minimum, so a signature costs one pass over
 * the shingles instead of K; empty bins borrow from a pseudo-randomly chosen
 * filled bin. The probability that two signatures agree in a bin is the
 * Jaccard similarity of the two shingle sets.
 *
 * LSH banding: K = bands x rows; a pair becomes a candidate when all rows of
 * some band agree, with probability 1 - (1 - J^rows)^bands, which crosses 1/2
 * near J = (1/bands)^(1/rows). Candidates are always verified by exact
 * containment before they count.
 */
import { fmix32 } from '../text/xxhash32.js';

export const EMPTY_BIN = 0xffffffff;

/** The Jaccard similarity at which the LSH candidate probability is about one half. */
export function lshThreshold(bands: number, rows: number): number {
  return Math.pow(1 / bands, 1 / rows);
}

/** Probability that a pair with Jaccard similarity `j` becomes a candidate. */
export function lshCandidateProbability(j: number, bands: number, rows: number): number {
  return 1 - Math.pow(1 - Math.pow(j, rows), bands);
}

/**
 * Fill `out` (length K) with the signature of keys[from, to) (two lanes per key).
 * Returns false when the range is empty (no signature).
 */
export function minhashSignature(keysA: Uint32Array, keysB: Uint32Array, from: number, to: number, out: Uint32Array): boolean {
  const k = out.length;
  out.fill(EMPTY_BIN);
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    // Lane B picks the bin, lane A is the value: independent bits of the same 64-bit key.
    const bin = ((keysB[i]! >>> 0) % k) | 0;
    const v = keysA[i]! >>> 0;
    if (v < out[bin]!) out[bin] = v;
  }
  densify(out);
  return true;
}

/** Optimal densification: an empty bin takes the value of the first filled bin its own probe sequence meets. */
let filledScratch = new Uint8Array(256);

export function densify(sig: Uint32Array): void {
  const k = sig.length;
  let empty = 0;
  for (let i = 0; i < k; i++) if (sig[i] === EMPTY_BIN) empty++;
  if (empty === 0 || empty === k) return;
  if (filledScratch.length < k) filledScratch = new Uint8Array(k);
  const filled = filledScratch;
  for (let i = 0; i < k; i++) filled[i] = sig[i] === EMPTY_BIN ? 0 : 1;
  for (let i = 0; i < k; i++) {
    if (filled[i]) continue;
    let attempt = 1;
    for (;;) {
      const j = fmix32((Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca6b)) >>> 0) % k;
      if (filled[j]) {
        sig[i] = sig[j]!;
        break;
      }
      attempt++;
    }
  }
}

/** The hash of band `band` (rows values starting at band * rows) of a signature. */
export function bandHash(sig: Uint32Array, band: number, rows: number): number {
  let h = Math.imul(band + 1, 0x27d4eb2f);
  const start = band * rows;
  for (let r = 0; r < rows; r++) h = Math.imul(h ^ sig[start + r]!, 0x9e3779b1) + 0x7f4a7c15;
  return fmix32(h >>> 0);
}

/** Fraction of signature bins that agree: the MinHash estimate of Jaccard similarity. */
export function estimateJaccard(x: Uint32Array, y: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < x.length; i++) if (x[i] === y[i]) same++;
  return same / x.length;
}

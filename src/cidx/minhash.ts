/**
 * MinHash signatures by one-permutation hashing with densification (Li, Owen
 * and Zhang 2012; Shrivastava and Li 2014): each shingle key falls into one of
 * K bins and each bin keeps its minimum, so a signature costs one pass over the
 * shingles instead of K; empty bins borrow from their filled neighbour. The probability that two signatures agree in a bin is the
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
  return (1 / bands) ** (1 / rows);
}

/** Probability that a pair with Jaccard similarity `j` becomes a candidate. */
export function lshCandidateProbability(j: number, bands: number, rows: number): number {
  return 1 - (1 - j ** rows) ** bands;
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

/**
 * The same signature from precomputed bins (`bins[i]` = keysB[i] mod K), for
 * scans that take many overlapping windows of one key sequence.
 */
export function minhashSignatureFromBins(values: Uint32Array, bins: Uint16Array, from: number, to: number, out: Uint32Array): boolean {
  out.fill(EMPTY_BIN);
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const bin = bins[i]!;
    const v = values[i]!;
    if (v < out[bin]!) out[bin] = v;
  }
  densify(out);
  return true;
}

/**
 * Densification by rotation (Shrivastava and Li 2014): an empty bin takes the
 * value of the nearest filled bin to its right, plus a constant times the
 * distance, so that equal sets still give equal signatures and the estimate
 * stays close to Jaccard. One backward pass: O(K) however many bins are empty.
 */
export function densify(sig: Uint32Array): void {
  const k = sig.length;
  let f = -1;
  for (let i = k - 1; i >= 0; i--) {
    if (sig[i] !== EMPTY_BIN) {
      f = i;
      break;
    }
  }
  if (f < 0) return;
  let current = sig[f]!;
  let distance = 0;
  for (let step = 1; step < k; step++) {
    const i = (f - step + k) % k;
    const v = sig[i]!;
    if (v !== EMPTY_BIN) {
      current = v;
      distance = 0;
    } else {
      distance++;
      sig[i] = (current + Math.imul(distance, 0x9e3779b1)) >>> 0;
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

/**
 * Near-duplicate detection in one document: cut it into windows of each
 * bucket's length (stride half a window), take each window's MinHash
 * signature, look its LSH bands up, and verify every candidate sample by
 * exact containment: the fraction of the sample's distinct short shingles
 * present in the window widened by half a window on each side (so a copy that
 * straddles two windows is still seen whole). Only candidates whose
 * containment reaches the threshold are returned.
 */
import type { MinhashIndex } from '../cidx/minhash-index.js';
import { MINHASH_WINDOWS } from '../cidx/minhash-index.js';
import { bandHash, minhashSignatureFromBins } from '../cidx/minhash.js';
import { rollingShingleKeys } from '../text/shingle.js';

export interface MinhashMatch {
  sample: number;
  /** Fraction of the sample's distinct shingles found in the region. */
  containment: number;
  spans: [number, number][];
  /** Index-wide word numbers of the first unit of each matched sample shingle. */
  sampleWords: number[];
}

const pack = (a: number, b: number) => a * 2097152 + (b >>> 11);

function merge(list: [number, number][]): [number, number][] {
  list.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: [number, number][] = [];
  for (const cur of list) {
    const last = out[out.length - 1];
    if (last && cur[0] <= last[1]) last[1] = Math.max(last[1], cur[1]);
    else out.push([cur[0], cur[1]]);
  }
  return out;
}

export class MinhashScanner {
  private readonly minhash: MinhashIndex;
  private keysA = new Uint32Array(4096);
  private keysB = new Uint32Array(4096);
  private bins = new Uint16Array(4096);
  private readonly sig: Uint32Array;
  windows = 0;
  candidates = 0;

  constructor(minhash: MinhashIndex) {
    this.minhash = minhash;
    this.sig = new Uint32Array(minhash.config.bands * minhash.config.rows);
  }

  scan(hashes: Uint32Array, starts: Int32Array, ends: Int32Array, count: number): MinhashMatch[] {
    const minhash = this.minhash;
    const n = minhash.config.shingle;
    if (count < n || minhash.buckets.length === 0) return [];
    if (this.keysA.length < count) {
      this.keysA = new Uint32Array(count * 2);
      this.keysB = new Uint32Array(count * 2);
      this.bins = new Uint16Array(count * 2);
    }
    const total = rollingShingleKeys(hashes, count, n, this.keysA, this.keysB);
    const k = this.sig.length;
    for (let i = 0; i < total; i++) this.bins[i] = (this.keysB[i]! >>> 0) % k;
    const best = new Map<number, MinhashMatch>();
    const tried = new Set<string>();
    const { bands, rows } = minhash.config;
    for (const bucket of minhash.buckets) {
      const size = MINHASH_WINDOWS[bucket]! - n + 1;
      const stride = Math.max(1, size >> 1);
      for (let w = 0; w < total; w += stride) {
        const end = Math.min(total, w + size);
        this.windows++;
        minhashSignatureFromBins(this.keysA, this.bins, w, end, this.sig);
        for (let band = 0; band < bands; band++) {
          const key = bandHash(this.sig, band, rows);
          const tag = band | (bucket << 16);
          if (!minhash.lshBloom.has(key, tag)) continue;
          const slot = minhash.lsh.find(key, tag);
          if (slot < 0) continue;
          const from = minhash.lsh.start[slot]!;
          const to = from + minhash.lsh.count[slot]!;
          for (let k = from; k < to; k++) {
            const sample = minhash.lsh.postings[k]!;
            const seen = `${sample}:${w}`;
            if (tried.has(seen)) continue;
            tried.add(seen);
            this.candidates++;
            const match = this.verify(sample, Math.max(0, w - stride), Math.min(total, end + stride), starts, ends);
            const previous = best.get(sample);
            if (match && (!previous || match.containment > previous.containment)) best.set(sample, match);
          }
        }
        if (end === total) break;
      }
    }
    return [...best.values()].filter((m) => m.containment >= minhash.config.minContainment).sort((x, y) => x.sample - y.sample);
  }

  private verify(sample: number, from: number, to: number, starts: Int32Array, ends: Int32Array): MinhashMatch | null {
    const minhash = this.minhash;
    const n = minhash.config.shingle;
    const k0 = minhash.keyStart[sample]!;
    const k1 = minhash.keyStart[sample + 1]!;
    const wordOf = new Map<number, number>();
    for (let k = k0; k < k1; k++) wordOf.set(pack(minhash.keyA[k]!, minhash.keyB[k]!), minhash.keyWord[k]!);
    const found = new Set<number>();
    const spans: [number, number][] = [];
    for (let p = from; p < to; p++) {
      const key = pack(this.keysA[p]!, this.keysB[p]!);
      if (wordOf.has(key)) {
        found.add(key);
        spans.push([starts[p]!, ends[p + n - 1]!]);
      }
    }
    if (found.size === 0) return null;
    return { sample, containment: found.size / (k1 - k0), spans: merge(spans), sampleWords: [...found].map((key) => wordOf.get(key)!).sort((x, y) => x - y) };
  }
}

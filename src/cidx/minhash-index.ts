/**
 * The MinHash index (near-duplicates): for each eval sample long enough to have a
 * meaningful signature, its distinct short-shingle keys (sorted, for exact
 * containment) and a MinHash signature split into LSH bands.
 *
 * Samples are grouped by length into buckets whose scan window is about the
 * sample's length (12, 24, 48, 96, 192, 384 words), because MinHash estimates
 * Jaccard similarity, which only approximates containment when the window and
 * the sample are of similar size. Band keys carry the bucket so a window is
 * compared only with samples of its own size class.
 */
import { shingleKey } from '../text/shingle.js';
import type { MinhashConfig } from '../types.js';
import { bandHash, lshThreshold, minhashSignature } from './minhash.js';
import { DEFAULTS } from '../defaults.js';
import { BloomFilter } from './bloom.js';
import { ShingleTable } from './shingle-table.js';

export const MINHASH_DEFAULTS: MinhashConfig = { ...DEFAULTS.minhash };

/** Samples shorter than this many units get no signature. */
export const MINHASH_MIN_UNITS = 8;
/** Nor do samples with fewer distinct shingles than this: a signature of one or two shingles says nothing. */
export const MINHASH_MIN_SHINGLES = 4;
/** Window length of each length bucket: bucket b holds samples of 8 * 2^b to 8 * 2^(b+1) - 1 units. */
export const MINHASH_WINDOWS = [12, 24, 48, 96, 192, 384];

export interface MinhashIndex {
  config: MinhashConfig;
  /** Bucket of each sample, 255 when the sample has no signature. */
  sampleBucket: Uint8Array;
  /** Keys of sample s: [keyStart[s], keyStart[s + 1]). Sorted by (A, B), distinct. */
  keyStart: Uint32Array;
  keyA: Uint32Array;
  keyB: Uint32Array;
  /** Index-wide word number of the key's first unit (for sample spans). */
  keyWord: Uint32Array;
  /** (bandHash, band | bucket << 16) -> samples. */
  lsh: ShingleTable;
  /** The band keys again, in a small Bloom filter: most window bands match no sample, and this answers that from cache. */
  lshBloom: BloomFilter;
  /** Buckets that hold at least one sample. */
  buckets: number[];
}

export function minhashThreshold(config: MinhashConfig): number {
  return lshThreshold(config.bands, config.rows);
}

export function bucketOf(units: number): number {
  if (units < MINHASH_MIN_UNITS) return 255;
  let b = 0;
  while (b < MINHASH_WINDOWS.length - 1 && units >= MINHASH_MIN_UNITS * 2 ** (b + 1)) b++;
  return b;
}

const shared32 = (n: number) => new Uint32Array(new SharedArrayBuffer(Math.max(n, 1) * 4)).subarray(0, n);

/**
 * Build from the index's words: `segmentStart`/`segWordStart` describe each
 * sample's segments and their ranges in `hashes` (index-wide word hashes).
 */
export function buildMinhashIndex(config: MinhashConfig, samples: number, segmentStart: Uint32Array, segWordStart: Uint32Array, hashes: Uint32Array): MinhashIndex {
  const n = config.shingle;
  const k = config.bands * config.rows;
  const sampleBucket = new Uint8Array(new SharedArrayBuffer(Math.max(samples, 1))).subarray(0, samples);
  const keyStart = shared32(samples + 1);
  const keysA: number[] = [];
  const keysB: number[] = [];
  const keysWord: number[] = [];
  const lshA: number[] = [];
  const lshB: number[] = [];
  const lshSample: number[] = [];
  const sig = new Uint32Array(k);
  const present = new Set<number>();
  for (let s = 0; s < samples; s++) {
    keyStart[s] = keysA.length;
    const local: [number, number, number][] = [];
    let units = 0;
    for (let g = segmentStart[s]!; g < segmentStart[s + 1]!; g++) {
      const from = segWordStart[g]!;
      const to = segWordStart[g + 1]!;
      units += to - from;
      for (let p = from; p + n <= to; p++) {
        const [a, b] = shingleKey(hashes, p, n);
        local.push([a, b, p]);
      }
    }
    local.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
    const distinct = local.filter((x, i) => i === 0 || x[0] !== local[i - 1]![0] || x[1] !== local[i - 1]![1]);
    for (const [a, b, p] of distinct) {
      keysA.push(a);
      keysB.push(b);
      keysWord.push(p);
    }
    const bucket = bucketOf(units);
    sampleBucket[s] = distinct.length < MINHASH_MIN_SHINGLES ? 255 : bucket;
    if (sampleBucket[s] === 255) continue;
    present.add(bucket);
    const a = Uint32Array.from(distinct, (x) => x[0]);
    const b = Uint32Array.from(distinct, (x) => x[1]);
    minhashSignature(a, b, 0, a.length, sig);
    for (let band = 0; band < config.bands; band++) {
      lshA.push(bandHash(sig, band, config.rows));
      lshB.push(band | (bucket << 16));
      lshSample.push(s);
    }
  }
  keyStart[samples] = keysA.length;
  const table = ShingleTable.build(Uint32Array.from(lshA), Uint32Array.from(lshB));
  const lshBloom = BloomFilter.forCapacity(lshA.length, 0.01);
  for (let i = 0; i < lshA.length; i++) lshBloom.add(lshA[i]! >>> 0, lshB[i]! >>> 0);
  // ShingleTable posts entry numbers; map them to sample ids in place.
  const postings = table.postings;
  for (let i = 0; i < postings.length; i++) postings[i] = lshSample[postings[i]!]!;
  const copy = (values: number[]) => {
    const out = shared32(values.length);
    out.set(values);
    return out;
  };
  return {
    config,
    sampleBucket,
    keyStart,
    keyA: copy(keysA),
    keyB: copy(keysB),
    keyWord: copy(keysWord),
    lsh: table,
    lshBloom,
    buckets: [...present].sort((x, y) => x - y),
  };
}

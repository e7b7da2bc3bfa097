/**
 * The exact table behind the Bloom filter: from a probe-window key (64 bits,
 * two 32-bit lanes) to the anchors posted under it (index word numbers), laid
 * out as compressed rows: lane A picks a bucket, `bucketStart` gives the
 * bucket's range of postings, and each posting holds a 16-bit tag (the top of
 * lane B) and its anchor. 6 bytes a posting, and 4 a bucket at BUCKET_LOAD
 * postings a bucket: against about 44 for an open-addressing table of whole
 * keys at load 1/2 with a posting list beside it.
 *
 * A lookup extends every posting of the key's bucket whose tag matches. A
 * posting of another key that shares the bucket and the tag (a chance of
 * 2^-16 per posting in the bucket) is a candidate whose words differ from the
 * document's somewhere in the window, so the scan rejects it on the word
 * hashes, as it rejects a 64-bit key collision: it costs a comparison, never a
 * match.
 *
 * Invariants: the postings of a bucket are contiguous and in ascending anchor
 * order; the number of buckets is a power of two. Built by counting sort, in
 * linear time with no per-key object.
 */

/**
 * Average postings per bucket: a bucket's tags still share one cache line, and the scan
 * reaches the table only for keys past the Bloom filter, so longer buckets cost it little
 * while fewer of them shrink bucketStart.
 */
const BUCKET_LOAD = 8;

const shared32 = (n: number) => new Uint32Array(new SharedArrayBuffer(Math.max(n, 1) * 4)).subarray(0, n);

export class AnchorTable {
  /** Postings of bucket k: [bucketStart[k], bucketStart[k + 1]). */
  readonly bucketStart: Uint32Array;
  /** Per posting: lane B of its key >>> 16. */
  readonly tag: Uint16Array;
  /** Per posting: the index word where the anchor window starts. */
  readonly anchor: Uint32Array;
  readonly mask: number;

  constructor(bucketStart: Uint32Array, tag: Uint16Array, anchor: Uint32Array) {
    const buckets = bucketStart.length - 1;
    if (buckets < 1 || (buckets & (buckets - 1)) !== 0) throw new Error('an anchor table has a power-of-two number of buckets');
    this.bucketStart = bucketStart;
    this.tag = tag;
    this.anchor = anchor;
    this.mask = buckets - 1;
  }

  /**
   * Post anchors[i] under (keysA[i], keysB[i]) for every i < n with keep(i), in
   * ascending i within each bucket.
   */
  static build(keysA: Uint32Array, keysB: Uint32Array, anchors: Uint32Array, n: number, keep: (i: number) => boolean): AnchorTable {
    let kept = 0;
    const alive = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (!keep(i)) continue;
      alive[i] = 1;
      kept++;
    }
    let buckets = 1;
    while (buckets * BUCKET_LOAD < kept) buckets *= 2;
    const mask = buckets - 1;
    const bucketStart = shared32(buckets + 1);
    for (let i = 0; i < n; i++) if (alive[i] === 1) bucketStart[(keysA[i]! & mask) + 1]! += 1;
    for (let k = 0; k < buckets; k++) bucketStart[k + 1]! += bucketStart[k]!;
    const fill = bucketStart.slice(0, buckets);
    const tag = new Uint16Array(new SharedArrayBuffer(Math.max(kept, 1) * 2)).subarray(0, kept);
    const anchor = shared32(kept);
    for (let i = 0; i < n; i++) {
      if (alive[i] === 0) continue;
      const at = fill[keysA[i]! & mask]!++;
      tag[at] = keysB[i]! >>> 16;
      anchor[at] = anchors[i]!;
    }
    return new AnchorTable(bucketStart, tag, anchor);
  }
}

/**
 * How many distinct keys (keysA[i], keysB[i]), i < n, there are: the keys as 64-bit integers
 * (written through a 32-bit view, no BigInt made), sorted natively, equal neighbours counted
 * once. A hash set at load 1/2 took four times the memory, at the build's peak, and twice the time.
 */
export function distinctKeys(keysA: Uint32Array, keysB: Uint32Array, n: number): number {
  if (n === 0) return 0;
  const keys = new BigUint64Array(n);
  const lanes = new Uint32Array(keys.buffer);
  // Which lane is the high half does not matter: equal pairs are equal integers, whatever the order.
  for (let i = 0; i < n; i++) {
    lanes[2 * i] = keysA[i]!;
    lanes[2 * i + 1] = keysB[i]!;
  }
  keys.sort();
  let distinct = 1;
  for (let i = 2; i < 2 * n; i += 2) if (lanes[i] !== lanes[i - 2] || lanes[i + 1] !== lanes[i - 1]) distinct++;
  return distinct;
}

/** Rebuilding a ContamIndex view inside a scan worker from the shared arrays. */
import { BloomFilter } from '../index/bloom.js';
import type { ContamIndex, SharedIndex } from '../index/contam-index.js';
import { ShingleTable } from '../index/shingle-table.js';

export function indexFromShared(shared: SharedIndex): ContamIndex {
  const a = shared.arrays as Record<string, never>;
  const u32 = (name: string) => a[name] as unknown as Uint32Array;
  return {
    formatVersion: shared.formatVersion,
    config: shared.config,
    benchmarks: [],
    samples: { benchmark: u32('sampleBenchmark'), row: u32('sampleRow'), id: [], text: [], segmentStart: u32('segmentStart'), entryStart: u32('entryStart') },
    segments: { sample: u32('segSample'), wordStart: u32('segWordStart'), label: a.segLabel as unknown as Uint8Array, field: [] },
    words: { bytes: a.wordBytes as unknown as Uint8Array, offsets: u32('wordOffsets'), hash: u32('wordHash'), start: a.wordStart as unknown as Int32Array, end: a.wordEnd as unknown as Int32Array },
    entries: { segment: u32('entrySegment'), position: u32('entryPosition'), length: u32('entryLength') },
    table: new ShingleTable(u32('keyA'), u32('keyB'), u32('tableStart'), u32('tableCount'), u32('postings')),
    bloom: new BloomFilter(u32('bloom'), shared.bloomHashes),
    keys: shared.keys,
    widths: shared.widths,
    near:
      shared.config.near && a.nearKeyStart
        ? {
            config: shared.config.near,
            sampleBucket: a.nearSampleBucket as unknown as Uint8Array,
            keyStart: u32('nearKeyStart'),
            keyA: u32('nearKeyA'),
            keyB: u32('nearKeyB'),
            keyWord: u32('nearKeyWord'),
            lsh: new ShingleTable(u32('nearLshA'), u32('nearLshB'), u32('nearLshStart'), u32('nearLshCount'), u32('nearLshPostings')),
            lshBloom: new BloomFilter(u32('nearLshBloom'), shared.nearBloomHashes),
            buckets: shared.nearBuckets,
          }
        : null,
  };
}

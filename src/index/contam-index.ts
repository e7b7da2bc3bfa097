/**
 * The in-memory index of eval samples: what `contam index` builds and saves,
 * and what the scan probes.
 *
 * Layout (all typed arrays, so they can live in SharedArrayBuffers and be read
 * by scan workers without copies):
 *   samples  -> segments (one per field value)  -> words (normalized, with hashes
 *   and offsets into the sample's text) ; entries (shingles) point at a segment,
 *   a word position and a length; the ShingleTable maps keys to entries and the
 *   BloomFilter screens keys before the table is touched.
 *
 * Invariants: a sample's segments and entries are contiguous and in sample
 * order; an entry of length `config.ngram` is a regular shingle, a shorter one is
 * a whole short field keyed on its first `config.minWords` words.
 */
import type { BenchmarkSource, ShingleConfig } from '../types.js';
import type { BloomFilter } from './bloom.js';
import type { NearIndex } from './near-index.js';
import type { ShingleTable } from './shingle-table.js';

export interface IndexSamples {
  /** Index into `benchmarks` of each sample. */
  benchmark: Uint32Array;
  row: Uint32Array;
  id: string[];
  /** The sample's segments joined by "\n". */
  text: string[];
  /** Segment range of sample s: [segmentStart[s], segmentStart[s + 1]). */
  segmentStart: Uint32Array;
  /** Entry (shingle) range of sample s: [entryStart[s], entryStart[s + 1]). */
  entryStart: Uint32Array;
}

export interface IndexSegments {
  sample: Uint32Array;
  /** Word range of segment g: [wordStart[g], wordStart[g + 1]). */
  wordStart: Uint32Array;
  /** 1 when the segment is a label (answer) field. */
  label: Uint8Array;
  /** Field path of each segment (`question`, `choices[2]`). */
  field: string[];
}

export interface IndexWords {
  /** Normalized words as UTF-8, back to back (token ids in decimal, for token units). */
  bytes: Uint8Array;
  /** Word w is bytes[offsets[w], offsets[w + 1]). */
  offsets: Uint32Array;
  hash: Uint32Array;
  /** [start, end) offsets of the word in its sample's text. */
  start: Int32Array;
  end: Int32Array;
}

export interface IndexEntries {
  segment: Uint32Array;
  /** Position of the entry's first word within its segment. */
  position: Uint32Array;
  /** Number of words the entry covers. */
  length: Uint32Array;
}

export interface ContamIndex {
  formatVersion: number;
  config: ShingleConfig;
  benchmarks: BenchmarkSource[];
  samples: IndexSamples;
  segments: IndexSegments;
  words: IndexWords;
  entries: IndexEntries;
  table: ShingleTable;
  bloom: BloomFilter;
  /** Distinct keys inserted into the Bloom filter. */
  keys: number;
  /** Widths the scan must probe: always config.ngram, plus config.minWords when short fields exist. */
  widths: number[];
  /** The MinHash/LSH index, when config.near is set. */
  near: NearIndex | null;
  /** Where the index was read from, and its checksum (for merges and checkpoints). */
  source?: { path: string; checksum: number };
}

export function sampleCount(index: ContamIndex): number {
  return index.samples.row.length;
}

const utf8 = new TextDecoder();

/** The normalized text of word `w`. */
export function indexWord(index: ContamIndex, w: number): string {
  return utf8.decode(index.words.bytes.subarray(index.words.offsets[w]!, index.words.offsets[w + 1]!));
}

/** Does word `w` of the index have exactly these UTF-8 bytes? */
export function indexWordEquals(index: ContamIndex, w: number, bytes: Uint8Array): boolean {
  const start = index.words.offsets[w]!;
  const end = index.words.offsets[w + 1]!;
  if (end - start !== bytes.length) return false;
  const all = index.words.bytes;
  for (let i = 0; i < bytes.length; i++) if (all[start + i] !== bytes[i]) return false;
  return true;
}

/**
 * What scan workers need of an index: every typed array (SharedArrayBuffer-backed,
 * so posting it shares rather than copies) and the config; not the sample texts
 * and ids, which only the report needs.
 */
export interface SharedIndex {
  formatVersion: number;
  config: ShingleConfig;
  keys: number;
  widths: number[];
  bloomHashes: number;
  arrays: Record<string, Uint32Array | Int32Array | Uint8Array>;
  nearBuckets: number[];
  nearBloomHashes: number;
}

export function shareIndex(index: ContamIndex): SharedIndex {
  return {
    formatVersion: index.formatVersion,
    config: index.config,
    keys: index.keys,
    widths: index.widths,
    bloomHashes: index.bloom.hashes,
    arrays: {
      sampleBenchmark: index.samples.benchmark,
      sampleRow: index.samples.row,
      segmentStart: index.samples.segmentStart,
      entryStart: index.samples.entryStart,
      segSample: index.segments.sample,
      segWordStart: index.segments.wordStart,
      segLabel: index.segments.label,
      wordBytes: index.words.bytes,
      wordOffsets: index.words.offsets,
      wordHash: index.words.hash,
      wordStart: index.words.start,
      wordEnd: index.words.end,
      entrySegment: index.entries.segment,
      entryPosition: index.entries.position,
      entryLength: index.entries.length,
      keyA: index.table.keyA,
      keyB: index.table.keyB,
      tableStart: index.table.start,
      tableCount: index.table.count,
      postings: index.table.postings,
      bloom: index.bloom.bits,
      ...(index.near
        ? {
            nearSampleBucket: index.near.sampleBucket,
            nearKeyStart: index.near.keyStart,
            nearKeyA: index.near.keyA,
            nearKeyB: index.near.keyB,
            nearKeyWord: index.near.keyWord,
            nearLshA: index.near.lsh.keyA,
            nearLshB: index.near.lsh.keyB,
            nearLshStart: index.near.lsh.start,
            nearLshCount: index.near.lsh.count,
            nearLshPostings: index.near.lsh.postings,
            nearLshBloom: index.near.lshBloom.bits,
          }
        : {}),
    },
    nearBuckets: index.near?.buckets ?? [],
    nearBloomHashes: index.near?.lshBloom.hashes ?? 0,
  };
}

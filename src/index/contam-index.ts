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
  /** Normalized word (or token id as a string, for token units). */
  text: string[];
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
}

export function sampleCount(index: ContamIndex): number {
  return index.samples.row.length;
}

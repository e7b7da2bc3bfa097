/**
 * The in-memory index of eval samples: what `contam index` builds and saves,
 * and what the scan probes.
 *
 * Layout (all typed arrays, so they can live in SharedArrayBuffers and be read
 * by scan workers without copies):
 *   samples  -> segments (one per field value)  -> words (normalized, with hashes
 *   and offsets into the sample's text) ; entries (shingles) point at a segment,
 *   a word position and a length; the ShingleTable maps probe-window keys to
 *   anchors (the index of the window's first word) and the BloomFilter screens
 *   keys before the table is touched.
 *
 * Invariants: a sample's segments and entries are contiguous and in sample
 * order; so are a segment's entries, one per position from 0 (an n-gram) or a
 * single one at 0 covering the whole field (a short field); every window of
 * `probe.width` words of a segment with entries is posted in the table.
 */
import type { BenchmarkSource, ShingleConfig } from '../types.js';
import { BloomFilter } from './bloom.js';
import type { Probe } from './build.js';
import type { NearIndex } from './minhash-index.js';
import { ShingleTable } from './shingle-table.js';

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
  /**
   * 1 when the sample is shingled whole: no field reaches minWords but together they do.
   * Its entries then belong to its first segment at sample positions and span its fields.
   */
  whole: Uint8Array;
}

/** Roles of a segment: what a copy of it alone says about the sample. */
export const ROLE_INPUT = 0;
export const ROLE_LABEL = 1;
export const ROLE_DISTRACTOR = 2;

export interface IndexSegments {
  sample: Uint32Array;
  /** Word range of segment g: [wordStart[g], wordStart[g + 1]). */
  wordStart: Uint32Array;
  /** Entry range of segment g: [entryStart[g], entryStart[g + 1]); its entry at position q is entryStart[g] + q. */
  entryStart: Uint32Array;
  /** ROLE_INPUT, ROLE_LABEL (an answer field, a gold choice) or ROLE_DISTRACTOR (a wrong choice or answer). */
  role: Uint8Array;
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
  /** The segment each word belongs to (the table posts anchors as word indexes). */
  segment: Uint32Array;
  /** 1 for a template word, shared by many samples (see template.ts). */
  template: Uint8Array;
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
  /** The window width the scan probes, every `stride` windows (see probeFor in build.ts). */
  probe: Probe;
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

type IndexArray = Uint32Array | Int32Array | Uint8Array;

/** Every typed array of an index, by the name it has in the .cidx file and in worker messages. */
export const INDEX_ARRAYS: Record<string, 'u32' | 'i32' | 'u8'> = {
  'samples.benchmark': 'u32',
  'samples.row': 'u32',
  'samples.segmentStart': 'u32',
  'samples.entryStart': 'u32',
  'samples.whole': 'u8',
  'segments.sample': 'u32',
  'segments.wordStart': 'u32',
  'segments.entryStart': 'u32',
  'segments.role': 'u8',
  'words.bytes': 'u8',
  'words.offsets': 'u32',
  'words.hash': 'u32',
  'words.start': 'i32',
  'words.end': 'i32',
  'words.segment': 'u32',
  'words.template': 'u8',
  'entries.segment': 'u32',
  'entries.position': 'u32',
  'entries.length': 'u32',
  'table.keyA': 'u32',
  'table.keyB': 'u32',
  'table.start': 'u32',
  'table.count': 'u32',
  'table.postings': 'u32',
  'table.live': 'u32',
  'bloom.bits': 'u32',
};

/** The MinHash arrays, present when the index has near-duplicate detection. */
export const NEAR_ARRAYS: Record<string, 'u32' | 'u8'> = {
  'near.sampleBucket': 'u8',
  'near.keyStart': 'u32',
  'near.keyA': 'u32',
  'near.keyB': 'u32',
  'near.keyWord': 'u32',
  'near.lsh.keyA': 'u32',
  'near.lsh.keyB': 'u32',
  'near.lsh.start': 'u32',
  'near.lsh.count': 'u32',
  'near.lsh.postings': 'u32',
  'near.lshBloom': 'u32',
};

/** The typed arrays of an index by name (see INDEX_ARRAYS and NEAR_ARRAYS). */
export function indexArrays(index: ContamIndex): Record<string, IndexArray> {
  const arrays: Record<string, IndexArray> = {
    'samples.benchmark': index.samples.benchmark,
    'samples.row': index.samples.row,
    'samples.segmentStart': index.samples.segmentStart,
    'samples.entryStart': index.samples.entryStart,
    'samples.whole': index.samples.whole,
    'segments.sample': index.segments.sample,
    'segments.wordStart': index.segments.wordStart,
    'segments.entryStart': index.segments.entryStart,
    'segments.role': index.segments.role,
    'words.bytes': index.words.bytes,
    'words.offsets': index.words.offsets,
    'words.hash': index.words.hash,
    'words.start': index.words.start,
    'words.end': index.words.end,
    'words.segment': index.words.segment,
    'words.template': index.words.template,
    'entries.segment': index.entries.segment,
    'entries.position': index.entries.position,
    'entries.length': index.entries.length,
    'table.keyA': index.table.keyA,
    'table.keyB': index.table.keyB,
    'table.start': index.table.start,
    'table.count': index.table.count,
    'table.postings': index.table.postings,
    'table.live': index.table.live,
    'bloom.bits': index.bloom.bits,
  };
  const near = index.near;
  if (near) {
    Object.assign(arrays, {
      'near.sampleBucket': near.sampleBucket,
      'near.keyStart': near.keyStart,
      'near.keyA': near.keyA,
      'near.keyB': near.keyB,
      'near.keyWord': near.keyWord,
      'near.lsh.keyA': near.lsh.keyA,
      'near.lsh.keyB': near.lsh.keyB,
      'near.lsh.start': near.lsh.start,
      'near.lsh.count': near.lsh.count,
      'near.lsh.postings': near.lsh.postings,
      'near.lshBloom': near.lshBloom.bits,
    });
  }
  return arrays;
}

/** What an index is besides its typed arrays (the .cidx header holds the same). */
export interface IndexMeta {
  formatVersion: number;
  config: ShingleConfig;
  benchmarks: BenchmarkSource[];
  keys: number;
  probe: Probe;
  bloomHashes: number;
  nearBuckets: number[];
  nearBloomHashes: number;
}

export function indexMeta(index: ContamIndex): IndexMeta {
  return {
    formatVersion: index.formatVersion,
    config: index.config,
    benchmarks: index.benchmarks,
    keys: index.keys,
    probe: index.probe,
    bloomHashes: index.bloom.hashes,
    nearBuckets: index.near?.buckets ?? [],
    nearBloomHashes: index.near?.lshBloom.hashes ?? 0,
  };
}

/**
 * Put an index together from its parts: one path for the file reader and for
 * scan workers. `strings` (sample ids and texts, segment fields) are only
 * needed to write a report; workers go without them.
 */
export function assembleIndex(meta: IndexMeta, array: (name: string) => IndexArray, strings: { ids: string[]; texts: string[]; fields: string[] } = { ids: [], texts: [], fields: [] }): ContamIndex {
  const u32 = (name: string) => array(name) as Uint32Array;
  const near = meta.config.near;
  return {
    formatVersion: meta.formatVersion,
    config: meta.config,
    benchmarks: meta.benchmarks,
    samples: { benchmark: u32('samples.benchmark'), row: u32('samples.row'), id: strings.ids, text: strings.texts, segmentStart: u32('samples.segmentStart'), entryStart: u32('samples.entryStart'), whole: array('samples.whole') as Uint8Array },
    segments: { sample: u32('segments.sample'), wordStart: u32('segments.wordStart'), entryStart: u32('segments.entryStart'), role: array('segments.role') as Uint8Array, field: strings.fields },
    words: { bytes: array('words.bytes') as Uint8Array, offsets: u32('words.offsets'), hash: u32('words.hash'), start: array('words.start') as Int32Array, end: array('words.end') as Int32Array, segment: u32('words.segment'), template: array('words.template') as Uint8Array },
    entries: { segment: u32('entries.segment'), position: u32('entries.position'), length: u32('entries.length') },
    table: new ShingleTable(u32('table.keyA'), u32('table.keyB'), u32('table.start'), u32('table.count'), u32('table.postings'), u32('table.live')),
    bloom: new BloomFilter(u32('bloom.bits'), meta.bloomHashes),
    keys: meta.keys,
    probe: meta.probe,
    near: near
      ? {
          config: near,
          sampleBucket: array('near.sampleBucket') as Uint8Array,
          keyStart: u32('near.keyStart'),
          keyA: u32('near.keyA'),
          keyB: u32('near.keyB'),
          keyWord: u32('near.keyWord'),
          lsh: new ShingleTable(u32('near.lsh.keyA'), u32('near.lsh.keyB'), u32('near.lsh.start'), u32('near.lsh.count'), u32('near.lsh.postings')),
          lshBloom: new BloomFilter(u32('near.lshBloom'), meta.nearBloomHashes),
          buckets: meta.nearBuckets,
        }
      : null,
  };
}

/**
 * What scan workers need of an index: its meta and every typed array
 * (SharedArrayBuffer-backed, so posting them shares rather than copies); not
 * the sample texts and ids, which only the report needs.
 */
export interface SharedIndex {
  meta: IndexMeta;
  arrays: Record<string, IndexArray>;
}

export function shareIndex(index: ContamIndex): SharedIndex {
  return { meta: indexMeta(index), arrays: indexArrays(index) };
}

export function indexFromShared(shared: SharedIndex): ContamIndex {
  return assembleIndex(shared.meta, (name) => shared.arrays[name]!);
}

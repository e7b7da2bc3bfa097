/**
 * The in-memory index of eval samples: what `contam index` builds and saves,
 * and what the scan probes.
 *
 * Layout (all typed arrays, so they can live in SharedArrayBuffers and be read
 * by scan workers without copies):
 *   samples (with their texts, as UTF-8 in zstd blocks: sample-text.ts)  ->
 *   segments (one per field value)  -> words (their hashes, and template flags,
 *   one bit each); the AnchorTable maps probe-window keys to anchors (the index
 *   of the window's first word) and the BloomFilter screens keys before the
 *   table is touched.
 *
 * Entries (shingles) are not stored: they are numbered, not listed. A
 * segment's entries are one per word position from 0 (n-grams) or a single
 * one at 0 covering the whole field (a short field), so entry e of segment g
 * is position e - entryStart[g], and its length is the segment's words minus
 * its entries plus one (entryLength). A sample shingled whole has its entries
 * on its first segment at sample positions, the same way over the sample's
 * words. A word's segment is found from `words.segmentBlock` (wordSegment).
 * Nor are words' normalized bytes and text offsets: the scan re-derives them
 * from the sample's text for the samples a document matches (sample-text.ts).
 *
 * Invariants: a sample's segments and entries are contiguous and in sample
 * order; so are a segment's entries; every window of `probe.width` words of a
 * sample with entries that is not made of template words alone is posted in
 * the table (the scan extends no other), and every one is in the Bloom filter.
 */
import type { BenchmarkSource, ShingleConfig } from '../types.js';
import { BloomFilter } from './bloom.js';
import type { Probe } from './build.js';
import type { MinhashIndex } from './minhash-index.js';
import { AnchorTable } from './anchor-table.js';
import { ShingleTable } from './shingle-table.js';

export interface IndexSamples {
  /** Index into `benchmarks` of each sample. */
  benchmark: Uint32Array;
  row: Uint32Array;
  id: string[];
  /** The sample's segments joined by "\n" (empty in scan workers: see sampleText). */
  text: string[];
  /** The same texts as UTF-8 in blocks of whole samples, each one zstd frame: frame b is textBlocks[blockStart[b], blockStart[b + 1]). */
  textBlocks: Uint8Array;
  blockStart: Uint32Array;
  /** Samples of block b: [blockSample[b], blockSample[b + 1]). */
  blockSample: Uint32Array;
  /** Where text s starts in the texts back to back, uncompressed: [textStart[s], textStart[s + 1]). */
  textStart: Uint32Array;
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
  /** Where segment g starts in its sample's text (UTF-16 units); it ends one before the next, or with the text. */
  textStart: Uint32Array;
  /** Field path of each segment (`question`, `choices[2]`). */
  field: string[];
}

export interface IndexWords {
  /** The unit's 32-bit value: XXH32 of a word's normalized UTF-8, or a token id. */
  hash: Uint32Array;
  /**
   * The segment holding word k * SEGMENT_BLOCK, for each k: a word's segment is found from
   * its block's by stepping over the few segments that start inside the block (wordSegment).
   */
  segmentBlock: Uint32Array;
  /** Bit w % 8 of byte w / 8 is set for a template word w, shared by many samples (see template.ts and isTemplate). */
  templateBits: Uint8Array;
}

/** Entries are derived (see the header): only their number is kept. */
export interface IndexEntries {
  count: number;
}

/** Whether index word `w` is a template word. */
export function isTemplate(words: IndexWords, w: number): boolean {
  return ((words.templateBits[w >>> 3]! >>> (w & 7)) & 1) === 1;
}

/** Template flags (1 = template word) as `words.templateBits`, in a SharedArrayBuffer. */
export function templateBits(flags: Uint8Array): Uint8Array {
  const bytes = (flags.length + 7) >>> 3;
  const bits = new Uint8Array(new SharedArrayBuffer(Math.max(bytes, 1))).subarray(0, bytes);
  for (let w = 0; w < flags.length; w++) if (flags[w] !== 0) bits[w >>> 3]! |= 1 << (w & 7);
  return bits;
}

/** Words per block of `words.segmentBlock`. */
export const SEGMENT_BLOCK = 16;

export function indexEntries(count: number): IndexEntries {
  return { count };
}

export interface ContamIndex {
  formatVersion: number;
  config: ShingleConfig;
  benchmarks: BenchmarkSource[];
  samples: IndexSamples;
  segments: IndexSegments;
  words: IndexWords;
  entries: IndexEntries;
  table: AnchorTable;
  bloom: BloomFilter;
  /** Distinct keys inserted into the Bloom filter. */
  keys: number;
  /** The window width the scan probes, every `stride` windows (see probeFor in build.ts). */
  probe: Probe;
  /** The MinHash/LSH index, when config.minhash is set. */
  minhash: MinhashIndex | null;
  /** Where the index was read from, and its checksum (for merges and checkpoints). */
  source?: { path: string; checksum: number };
}

export function sampleCount(index: ContamIndex): number {
  return index.samples.row.length;
}

/** The segment holding index word `w`. */
export function wordSegment(index: ContamIndex, w: number): number {
  const wordStart = index.segments.wordStart;
  let g = index.words.segmentBlock[Math.floor(w / SEGMENT_BLOCK)]!;
  while (wordStart[g + 1]! <= w) g++;
  return g;
}

/**
 * The words of the entries of segment `g` of sample `s`, when the segment has any: the
 * segment's, or the sample's when it is shingled whole (its entries are then all on its first segment).
 */
export function entryLength(index: ContamIndex, s: number, g: number): number {
  const { samples, segments } = index;
  if (samples.whole[s]) {
    const words = segments.wordStart[samples.segmentStart[s + 1]!]! - segments.wordStart[samples.segmentStart[s]!]!;
    return words - (samples.entryStart[s + 1]! - samples.entryStart[s]!) + 1;
  }
  return segments.wordStart[g + 1]! - segments.wordStart[g]! - (segments.entryStart[g + 1]! - segments.entryStart[g]!) + 1;
}

type IndexArray = Uint32Array | Int32Array | Uint16Array | Uint8Array;
type ArrayType = 'u32' | 'i32' | 'u16' | 'u8';

/** Every typed array of an index, by the name it has in the .cidx file and in worker messages. */
export const INDEX_ARRAYS: Record<string, ArrayType> = {
  'samples.benchmark': 'u32',
  'samples.row': 'u32',
  'samples.segmentStart': 'u32',
  'samples.entryStart': 'u32',
  'samples.whole': 'u8',
  'samples.textBlocks': 'u8',
  'samples.blockStart': 'u32',
  'samples.blockSample': 'u32',
  'samples.textStart': 'u32',
  'segments.sample': 'u32',
  'segments.wordStart': 'u32',
  'segments.entryStart': 'u32',
  'segments.role': 'u8',
  'segments.textStart': 'u32',
  'words.hash': 'u32',
  'words.segmentBlock': 'u32',
  'words.templateBits': 'u8',
  'table.bucketStart': 'u32',
  'table.tag': 'u16',
  'table.anchor': 'u32',
  'bloom.bits': 'u32',
};

/** The MinHash arrays, present when the index has near-duplicate detection. */
export const MINHASH_ARRAYS: Record<string, ArrayType> = {
  'minhash.sampleBucket': 'u8',
  'minhash.keyStart': 'u32',
  'minhash.keyA': 'u32',
  'minhash.keyB': 'u32',
  'minhash.keyWord': 'u32',
  'minhash.lsh.keyA': 'u32',
  'minhash.lsh.keyB': 'u32',
  'minhash.lsh.start': 'u32',
  'minhash.lsh.count': 'u32',
  'minhash.lsh.postings': 'u32',
  'minhash.lshBloom': 'u32',
};

/** The typed arrays of an index by name (see INDEX_ARRAYS and MINHASH_ARRAYS). */
export function indexArrays(index: ContamIndex): Record<string, IndexArray> {
  const arrays: Record<string, IndexArray> = {
    'samples.benchmark': index.samples.benchmark,
    'samples.row': index.samples.row,
    'samples.segmentStart': index.samples.segmentStart,
    'samples.entryStart': index.samples.entryStart,
    'samples.whole': index.samples.whole,
    'samples.textBlocks': index.samples.textBlocks,
    'samples.blockStart': index.samples.blockStart,
    'samples.blockSample': index.samples.blockSample,
    'samples.textStart': index.samples.textStart,
    'segments.sample': index.segments.sample,
    'segments.wordStart': index.segments.wordStart,
    'segments.entryStart': index.segments.entryStart,
    'segments.role': index.segments.role,
    'segments.textStart': index.segments.textStart,
    'words.hash': index.words.hash,
    'words.segmentBlock': index.words.segmentBlock,
    'words.templateBits': index.words.templateBits,
    'table.bucketStart': index.table.bucketStart,
    'table.tag': index.table.tag,
    'table.anchor': index.table.anchor,
    'bloom.bits': index.bloom.bits,
  };
  const minhash = index.minhash;
  if (minhash) {
    Object.assign(arrays, {
      'minhash.sampleBucket': minhash.sampleBucket,
      'minhash.keyStart': minhash.keyStart,
      'minhash.keyA': minhash.keyA,
      'minhash.keyB': minhash.keyB,
      'minhash.keyWord': minhash.keyWord,
      'minhash.lsh.keyA': minhash.lsh.keyA,
      'minhash.lsh.keyB': minhash.lsh.keyB,
      'minhash.lsh.start': minhash.lsh.start,
      'minhash.lsh.count': minhash.lsh.count,
      'minhash.lsh.postings': minhash.lsh.postings,
      'minhash.lshBloom': minhash.lshBloom.bits,
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
  /** Entries (shingles) in the index. */
  entries: number;
  probe: Probe;
  bloomHashes: number;
  minhashBuckets: number[];
  minhashBloomHashes: number;
}

export function indexMeta(index: ContamIndex): IndexMeta {
  return {
    formatVersion: index.formatVersion,
    config: index.config,
    benchmarks: index.benchmarks,
    keys: index.keys,
    entries: index.entries.count,
    probe: index.probe,
    bloomHashes: index.bloom.hashes,
    minhashBuckets: index.minhash?.buckets ?? [],
    minhashBloomHashes: index.minhash?.lshBloom.hashes ?? 0,
  };
}

/**
 * Put an index together from its parts: one path for the file reader and for
 * scan workers. `strings` (sample ids, decoded texts, segment fields) are
 * only needed to write a report; workers go without them (a scan re-derives
 * the texts it needs from samples.textBlocks).
 */
export function assembleIndex(meta: IndexMeta, array: (name: string) => IndexArray, strings: { ids: string[]; texts: string[]; fields: string[] } = { ids: [], texts: [], fields: [] }): ContamIndex {
  const u32 = (name: string) => array(name) as Uint32Array;
  const u8 = (name: string) => array(name) as Uint8Array;
  const minhash = meta.config.minhash;
  return {
    formatVersion: meta.formatVersion,
    config: meta.config,
    benchmarks: meta.benchmarks,
    samples: {
      benchmark: u32('samples.benchmark'),
      row: u32('samples.row'),
      id: strings.ids,
      text: strings.texts,
      textBlocks: u8('samples.textBlocks'),
      blockStart: u32('samples.blockStart'),
      blockSample: u32('samples.blockSample'),
      textStart: u32('samples.textStart'),
      segmentStart: u32('samples.segmentStart'),
      entryStart: u32('samples.entryStart'),
      whole: u8('samples.whole'),
    },
    segments: {
      sample: u32('segments.sample'),
      wordStart: u32('segments.wordStart'),
      entryStart: u32('segments.entryStart'),
      role: u8('segments.role'),
      textStart: u32('segments.textStart'),
      field: strings.fields,
    },
    words: { hash: u32('words.hash'), segmentBlock: u32('words.segmentBlock'), templateBits: u8('words.templateBits') },
    entries: indexEntries(meta.entries),
    table: new AnchorTable(u32('table.bucketStart'), array('table.tag') as Uint16Array, u32('table.anchor')),
    bloom: new BloomFilter(u32('bloom.bits'), meta.bloomHashes),
    keys: meta.keys,
    probe: meta.probe,
    minhash: minhash
      ? {
          config: minhash,
          sampleBucket: u8('minhash.sampleBucket'),
          keyStart: u32('minhash.keyStart'),
          keyA: u32('minhash.keyA'),
          keyB: u32('minhash.keyB'),
          keyWord: u32('minhash.keyWord'),
          lsh: new ShingleTable(u32('minhash.lsh.keyA'), u32('minhash.lsh.keyB'), u32('minhash.lsh.start'), u32('minhash.lsh.count'), u32('minhash.lsh.postings')),
          lshBloom: new BloomFilter(u32('minhash.lshBloom'), meta.minhashBloomHashes),
          buckets: meta.minhashBuckets,
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

/**
 * The `.cidx` index file.
 *
 *   offset 0   "CIDX"                magic
 *          4   u32 format version    (INDEX_FORMAT_VERSION; another version is refused)
 *          8   u32 header length     (bytes of UTF-8 JSON)
 *         12   u32 checksum          (XXH32, seed 0, of every byte after the header)
 *         16   header JSON           (config, benchmarks, counts, section table), padded to 8
 *              sections              (raw little-endian typed arrays and one JSON blob), each padded to 8
 *
 * The header records the shingling configuration; scanning asks for the same
 * configuration and a mismatch is an error, never a silent miss. Sections are
 * copied into SharedArrayBuffers on load, so scan workers share one copy.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ContamError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { xxh32 } from '../text/xxhash32.js';
import type { BenchmarkSource, ShingleConfig } from '../types.js';
import { VERSION } from '../version.js';
import { BloomFilter } from './bloom.js';
import { INDEX_FORMAT_VERSION } from './build.js';
import type { ContamIndex } from './contam-index.js';
import { ShingleTable } from './shingle-table.js';

const MAGIC = 'CIDX';

type SectionType = 'u32' | 'i32' | 'u8' | 'json';

interface SectionEntry {
  name: string;
  type: SectionType;
  offset: number;
  bytes: number;
}

export interface IndexHeader {
  format_version: number;
  tool_version: string;
  config: ShingleConfig;
  benchmarks: BenchmarkSource[];
  counts: { samples: number; segments: number; words: number; shingles: number; keys: number };
  bloom: { bits: number; hashes: number; fpr: number };
  widths: number[];
  near_buckets: number[];
  near_bloom_hashes: number;
  sections: SectionEntry[];
}

function pad8(n: number): number {
  return (n + 7) & ~7;
}

/** Serialize an index to bytes. */
export function encodeIndex(index: ContamIndex): Uint8Array {
  if (os.endianness() !== 'LE') throw new Error('contam index files are little-endian; this machine is not');
  const strings = {
    ids: index.samples.id,
    texts: index.samples.text,
    fields: index.segments.field,
  };
  const typed: [string, SectionType, Uint8Array][] = [];
  const add = (name: string, type: SectionType, array: Uint32Array | Int32Array | Uint8Array) =>
    typed.push([name, type, new Uint8Array(array.buffer, array.byteOffset, array.byteLength)]);
  add('samples.benchmark', 'u32', index.samples.benchmark);
  add('samples.row', 'u32', index.samples.row);
  add('samples.segmentStart', 'u32', index.samples.segmentStart);
  add('samples.entryStart', 'u32', index.samples.entryStart);
  add('segments.sample', 'u32', index.segments.sample);
  add('segments.wordStart', 'u32', index.segments.wordStart);
  add('segments.label', 'u8', index.segments.label);
  add('words.bytes', 'u8', index.words.bytes);
  add('words.offsets', 'u32', index.words.offsets);
  add('words.hash', 'u32', index.words.hash);
  add('words.start', 'i32', index.words.start);
  add('words.end', 'i32', index.words.end);
  add('entries.segment', 'u32', index.entries.segment);
  add('entries.position', 'u32', index.entries.position);
  add('entries.length', 'u32', index.entries.length);
  add('table.keyA', 'u32', index.table.keyA);
  add('table.keyB', 'u32', index.table.keyB);
  add('table.start', 'u32', index.table.start);
  add('table.count', 'u32', index.table.count);
  add('table.postings', 'u32', index.table.postings);
  add('bloom.bits', 'u32', index.bloom.bits);
  if (index.near) {
    add('near.sampleBucket', 'u8', index.near.sampleBucket);
    add('near.keyStart', 'u32', index.near.keyStart);
    add('near.keyA', 'u32', index.near.keyA);
    add('near.keyB', 'u32', index.near.keyB);
    add('near.keyWord', 'u32', index.near.keyWord);
    add('near.lsh.keyA', 'u32', index.near.lsh.keyA);
    add('near.lsh.keyB', 'u32', index.near.lsh.keyB);
    add('near.lsh.start', 'u32', index.near.lsh.start);
    add('near.lsh.count', 'u32', index.near.lsh.count);
    add('near.lsh.postings', 'u32', index.near.lsh.postings);
    add('near.lshBloom', 'u32', index.near.lshBloom.bits);
  }
  typed.push(['strings', 'json', new TextEncoder().encode(JSON.stringify(strings))]);

  const sections: SectionEntry[] = [];
  let offset = 0;
  for (const [name, type, bytes] of typed) {
    sections.push({ name, type, offset, bytes: bytes.byteLength });
    offset = pad8(offset + bytes.byteLength);
  }
  const bodyLength = offset;
  const header: IndexHeader = {
    format_version: INDEX_FORMAT_VERSION,
    tool_version: VERSION,
    config: index.config,
    benchmarks: index.benchmarks,
    counts: {
      samples: index.samples.row.length,
      segments: index.segments.sample.length,
      words: index.words.hash.length,
      shingles: index.entries.segment.length,
      keys: index.keys,
    },
    bloom: { bits: index.bloom.size, hashes: index.bloom.hashes, fpr: index.bloom.expectedFpr(index.keys) },
    widths: index.widths,
    near_buckets: index.near?.buckets ?? [],
    near_bloom_hashes: index.near?.lshBloom.hashes ?? 0,
    sections,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const bodyStart = pad8(16 + headerBytes.length);
  const out = new Uint8Array(bodyStart + bodyLength);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(4, INDEX_FORMAT_VERSION, true);
  view.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, 16);
  typed.forEach(([, , bytes], i) => out.set(bytes, bodyStart + sections[i]!.offset));
  view.setUint32(12, xxh32(out, bodyStart, bodyLength, 0), true);
  return out;
}

/** Write an index file atomically. */
export async function writeIndexFile(index: ContamIndex, file: string): Promise<void> {
  await writeFileAtomic(file, encodeIndex(index));
}

function corrupt(file: string, what: string): ContamError {
  return new ContamError('BAD_INDEX', `not a valid contam index: ${what}`, {
    file,
    hint: 'rebuild it with `contam index`',
  });
}

/** Read only the header of an index file (cheap: for `contam index --info` and checks). */
export function decodeIndexHeader(bytes: Uint8Array, file = 'index'): { header: IndexHeader; bodyStart: number } {
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) throw corrupt(file, 'bad magic bytes');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== INDEX_FORMAT_VERSION) {
    throw new ContamError('BAD_INDEX', `index format version ${version} is not supported (this contam reads version ${INDEX_FORMAT_VERSION})`, {
      file,
      hint: 'rebuild the index with this version of contam',
    });
  }
  const headerLength = view.getUint32(8, true);
  if (16 + headerLength > bytes.length) throw corrupt(file, 'truncated header');
  let header: IndexHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength))) as IndexHeader;
  } catch {
    throw corrupt(file, 'unreadable header');
  }
  return { header, bodyStart: pad8(16 + headerLength) };
}

/** Decode an index from bytes, verifying its checksum. */
export function decodeIndex(bytes: Uint8Array, file = 'index'): ContamIndex {
  const { header, bodyStart } = decodeIndexHeader(bytes, file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const last = header.sections.at(-1);
  const bodyLength = last ? pad8(last.offset + last.bytes) : 0;
  if (bodyStart + bodyLength > bytes.length) throw corrupt(file, `truncated (${bytes.length} bytes, expected ${bodyStart + bodyLength})`);
  if (xxh32(bytes, bodyStart, bodyLength, 0) !== view.getUint32(12, true)) throw corrupt(file, 'checksum mismatch (the file is damaged)');

  const section = (name: string) => {
    const entry = header.sections.find((s) => s.name === name);
    if (!entry) throw corrupt(file, `missing section ${name}`);
    return bytes.subarray(bodyStart + entry.offset, bodyStart + entry.offset + entry.bytes);
  };
  const shared = (name: string, type: 'u32' | 'i32' | 'u8') => {
    const raw = section(name);
    const buffer = new SharedArrayBuffer(Math.max(raw.byteLength, 8));
    new Uint8Array(buffer).set(raw);
    const n = type === 'u8' ? raw.byteLength : raw.byteLength / 4;
    if (type === 'u32') return new Uint32Array(buffer, 0, n);
    if (type === 'i32') return new Int32Array(buffer, 0, n);
    return new Uint8Array(buffer, 0, n);
  };
  const u32 = (name: string) => shared(name, 'u32') as Uint32Array;
  const strings = JSON.parse(new TextDecoder().decode(section('strings'))) as {
    ids: string[];
    texts: string[];
    fields: string[];
  };
  const bloomBits = u32('bloom.bits');
  return {
    formatVersion: header.format_version,
    config: header.config,
    benchmarks: header.benchmarks,
    samples: {
      benchmark: u32('samples.benchmark'),
      row: u32('samples.row'),
      id: strings.ids,
      text: strings.texts,
      segmentStart: u32('samples.segmentStart'),
      entryStart: u32('samples.entryStart'),
    },
    segments: {
      sample: u32('segments.sample'),
      wordStart: u32('segments.wordStart'),
      label: shared('segments.label', 'u8') as Uint8Array,
      field: strings.fields,
    },
    words: { bytes: shared('words.bytes', 'u8') as Uint8Array, offsets: u32('words.offsets'), hash: u32('words.hash'), start: shared('words.start', 'i32') as Int32Array, end: shared('words.end', 'i32') as Int32Array },
    entries: { segment: u32('entries.segment'), position: u32('entries.position'), length: u32('entries.length') },
    table: new ShingleTable(u32('table.keyA'), u32('table.keyB'), u32('table.start'), u32('table.count'), u32('table.postings')),
    bloom: new BloomFilter(bloomBits, header.bloom.hashes),
    keys: header.counts.keys,
    widths: header.widths,
    near: header.config.near
      ? {
          config: header.config.near,
          sampleBucket: shared('near.sampleBucket', 'u8') as Uint8Array,
          keyStart: u32('near.keyStart'),
          keyA: u32('near.keyA'),
          keyB: u32('near.keyB'),
          keyWord: u32('near.keyWord'),
          lsh: new ShingleTable(u32('near.lsh.keyA'), u32('near.lsh.keyB'), u32('near.lsh.start'), u32('near.lsh.count'), u32('near.lsh.postings')),
          lshBloom: new BloomFilter(u32('near.lshBloom'), header.near_bloom_hashes),
          buckets: header.near_buckets,
        }
      : null,
  };
}

/** Read and verify an index file. */
export async function readIndexFile(file: string): Promise<ContamIndex> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ContamError('FILE_NOT_FOUND', 'no such index file', { file, hint: 'build one with `contam index`' });
    }
    throw error;
  }
  const index = decodeIndex(bytes, file);
  index.source = { path: path.resolve(file), checksum: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(12, true) };
  return index;
}

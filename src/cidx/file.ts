/**
 * The `.cidx` index file.
 *
 *   offset 0   "CIDX"                magic
 *          4   u32 format version    (INDEX_FORMAT_VERSION; another version is refused)
 *          8   u32 header length     (bytes of UTF-8 JSON)
 *         12   u32 checksum          (of every other byte of the file: see fileChecksum)
 *         16   header JSON           (config, benchmarks, counts, section table), padded to 8
 *              sections              (raw little-endian typed arrays, and one zstd frame of JSON:
 *                                     the sample ids and segment fields), each padded to 8
 *
 * The header records the shingling configuration; scanning asks for the same
 * configuration and a mismatch is an error, never a silent miss. A file is
 * read in one pass into one SharedArrayBuffer and its sections are views of
 * it (each starts at a multiple of 8), so loading copies nothing and scan
 * workers share the one copy. The sample texts are a section of zstd blocks
 * (samples.textBlocks, see sample-text.ts) that workers share too; the ids
 * and fields, which only the report reads, are compressed as one frame.
 *
 * Invariant: the checksum covers every byte of the file but its own four (the
 * magic, version, header length, the header JSON with the settings and every
 * section's offset, the padding, the sections), and the file ends exactly
 * where its last section does; so any damage is refused before a byte of the
 * header is believed.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ContamError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { xxh32 } from '../text/xxhash32.js';
import type { BenchmarkSource, ShingleConfig } from '../types.js';
import { VERSION } from '../version.js';
import { INDEX_FORMAT_VERSION, type Probe } from './build.js';
import { zstdDecompress } from '../io/zstd.js';
import { compressSection, decodeTexts } from './sample-text.js';
import { assembleIndex, INDEX_ARRAYS, indexArrays, MINHASH_ARRAYS, type ContamIndex, type IndexMeta } from './contam-index.js';

const MAGIC = 'CIDX';

type SectionType = 'u32' | 'i32' | 'u16' | 'u8' | 'json.zst';

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
  probe: Probe;
  minhash_buckets: number[];
  minhash_bloom_hashes: number;
  sections: SectionEntry[];
}

function pad8(n: number): number {
  return (n + 7) & ~7;
}

/** Serialize an index to bytes. */
export function encodeIndex(index: ContamIndex): Uint8Array {
  if (os.endianness() !== 'LE') throw new Error('contam index files are little-endian; this machine is not');
  // Texts are a section of bytes (samples.textBlocks), which scan workers share.
  const strings = { ids: index.samples.id, fields: index.segments.field };
  const typed: [string, SectionType, Uint8Array][] = [];
  const types: Record<string, SectionType> = { ...INDEX_ARRAYS, ...MINHASH_ARRAYS };
  for (const [name, array] of Object.entries(indexArrays(index))) {
    typed.push([name, types[name]!, new Uint8Array(array.buffer, array.byteOffset, array.byteLength)]);
  }
  typed.push(['strings', 'json.zst', compressSection(new TextEncoder().encode(JSON.stringify(strings)))]);

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
      shingles: index.entries.count,
      keys: index.keys,
    },
    bloom: { bits: index.bloom.size, hashes: index.bloom.hashes, fpr: index.bloom.expectedFpr(index.keys) },
    probe: index.probe,
    minhash_buckets: index.minhash?.buckets ?? [],
    minhash_bloom_hashes: index.minhash?.lshBloom.hashes ?? 0,
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
  for (const [i, [, , bytes]] of typed.entries()) out.set(bytes, bodyStart + sections[i]!.offset);
  view.setUint32(12, fileChecksum(out), true);
  return out;
}

/**
 * XXH32 of the whole file but the checksum field: bytes [0, 12) hashed with
 * seed 0 give the seed for bytes [16, end). Checked before the header is parsed.
 */
function fileChecksum(bytes: Uint8Array): number {
  return xxh32(bytes, 16, bytes.length - 16, xxh32(bytes, 0, 12, 0));
}

/** Write an index file atomically. */
export async function writeIndexFile(index: ContamIndex, file: string): Promise<void> {
  await writeFileAtomic(file, encodeIndex(index));
}

function corrupt(file: string, what: string): ContamError {
  return new ContamError('BAD_INDEX', `not a valid contam index: ${what}`, {
    file,
    hint: 'rebuild the index from its benchmarks with this contam',
  });
}

/** Read only the header of an index file (cheap: for `contam index --info` and checks). */
export function decodeIndexHeader(bytes: Uint8Array, file = 'index'): { header: IndexHeader; bodyStart: number } {
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) throw corrupt(file, 'bad magic bytes');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== INDEX_FORMAT_VERSION) {
    const age = version < INDEX_FORMAT_VERSION ? 'an older' : 'a newer';
    throw new ContamError('BAD_INDEX', `index format version ${version} is not supported: ${age} contam wrote it, this one reads version ${INDEX_FORMAT_VERSION}`, {
      file,
      hint: 'rebuild the index from its benchmarks with this contam',
    });
  }
  const headerLength = view.getUint32(8, true);
  if (16 + headerLength > bytes.length) throw corrupt(file, `truncated (${bytes.length} bytes, header of ${headerLength})`);
  if (fileChecksum(bytes) !== view.getUint32(12, true)) {
    // Refused either way; the header, if it still parses, tells a file cut short from one damaged.
    const expected = expectedLength(bytes, headerLength);
    throw corrupt(file, expected !== null && expected > bytes.length ? `truncated (${bytes.length} bytes, expected ${expected})` : 'checksum mismatch (the file is damaged)');
  }
  let header: IndexHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength))) as IndexHeader;
  } catch {
    throw corrupt(file, 'unreadable header');
  }
  const bodyStart = pad8(16 + headerLength);
  checkSections(header, bytes.length - bodyStart, file);
  return { header, bodyStart };
}

/** The file length an unverified header claims, or null when it does not parse. */
function expectedLength(bytes: Uint8Array, headerLength: number): number | null {
  try {
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength))) as IndexHeader;
    const last = header.sections.at(-1);
    return pad8(16 + headerLength) + (last ? pad8(last.offset + last.bytes) : 0);
  } catch {
    return null;
  }
}

/**
 * The header's section table must tile the body exactly: a file whose checksum
 * holds but whose table does not (written by hand, or by a bug) is refused
 * here rather than failing later with a stack trace.
 */
function checkSections(header: IndexHeader, bodyLength: number, file: string): void {
  if (header === null || typeof header !== 'object' || !Array.isArray(header.sections)) throw corrupt(file, 'the header has no section table');
  let end = 0;
  for (const s of header.sections) {
    if (!s || typeof s.name !== 'string' || !Number.isSafeInteger(s.offset) || !Number.isSafeInteger(s.bytes) || s.offset !== end || s.bytes < 0) {
      throw corrupt(file, `section ${String(s?.name)} is out of place`);
    }
    if ((s.type === 'u32' || s.type === 'i32') && s.bytes % 4 !== 0) throw corrupt(file, `section ${s.name} is not a whole number of 4-byte values`);
    if (s.type === 'u16' && s.bytes % 2 !== 0) throw corrupt(file, `section ${s.name} is not a whole number of 2-byte values`);
    end = pad8(s.offset + s.bytes);
  }
  if (end !== bodyLength) throw corrupt(file, `${bodyLength < end ? 'truncated' : 'trailing bytes'} (${bodyLength} bytes of sections, expected ${end})`);
}

/** Decode an index from bytes, verifying its checksum; its arrays are views of `bytes`, copied first into a SharedArrayBuffer unless they are in one. */
export function decodeIndex(bytes: Uint8Array, file = 'index'): ContamIndex {
  if (!(bytes.buffer instanceof SharedArrayBuffer) || bytes.byteOffset % 8 !== 0) {
    const copy = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
    copy.set(bytes);
    bytes = copy;
  }
  const { header, bodyStart } = decodeIndexHeader(bytes, file);
  try {
    return assembleFromSections(bytes, header, bodyStart, file);
  } catch (error) {
    // The checksum held, so the file is as written; contents that still do not fit are refused, not a crash.
    if (error instanceof ContamError) throw error;
    throw corrupt(file, `inconsistent contents (${(error as Error).message})`);
  }
}

function assembleFromSections(bytes: Uint8Array, header: IndexHeader, bodyStart: number, file: string): ContamIndex {
  const section = (name: string) => {
    const entry = header.sections.find((s) => s.name === name);
    if (!entry) throw corrupt(file, `missing section ${name}`);
    return bytes.subarray(bodyStart + entry.offset, bodyStart + entry.offset + entry.bytes);
  };
  const shared = (name: string, type: 'u32' | 'i32' | 'u16' | 'u8') => {
    const raw = section(name);
    const { buffer, byteOffset } = raw;
    if (type === 'u32') return new Uint32Array(buffer, byteOffset, raw.byteLength / 4);
    if (type === 'i32') return new Int32Array(buffer, byteOffset, raw.byteLength / 4);
    if (type === 'u16') return new Uint16Array(buffer, byteOffset, raw.byteLength / 2);
    return new Uint8Array(buffer, byteOffset, raw.byteLength);
  };
  const strings = JSON.parse(new TextDecoder().decode(zstdDecompress(section('strings')))) as { ids: string[]; fields: string[] };
  const types = { ...INDEX_ARRAYS, ...MINHASH_ARRAYS };
  const meta: IndexMeta = {
    formatVersion: header.format_version,
    config: header.config,
    benchmarks: header.benchmarks,
    keys: header.counts.keys,
    entries: header.counts.shingles,
    probe: header.probe,
    bloomHashes: header.bloom.hashes,
    minhashBuckets: header.minhash_buckets,
    minhashBloomHashes: header.minhash_bloom_hashes,
  };
  const index = assembleIndex(meta, (name) => shared(name, types[name]!), { ...strings, texts: [] });
  index.samples.text = decodeTexts(index.samples);
  return index;
}

/** The bytes of `file`, read in one pass into a SharedArrayBuffer. */
async function readShared(file: string): Promise<Uint8Array> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(bytes, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return bytes.subarray(0, at);
  } finally {
    await handle.close();
  }
}

/** Read and verify an index file. */
export async function readIndexFile(file: string): Promise<ContamIndex> {
  let bytes: Uint8Array;
  try {
    bytes = await readShared(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ContamError('FILE_NOT_FOUND', 'no such index file', { file, hint: 'build the index first, or check the path' });
    }
    if (code === 'EISDIR') throw new ContamError('BAD_INDEX', 'this is a folder, not an index file', { file, hint: 'name the .cidx file the index was written to' });
    throw new ContamError('BAD_INDEX', `cannot read the index: ${(error as Error).message}`, { file, cause: error, hint: 'check the path and its permissions' });
  }
  const index = decodeIndex(bytes, file);
  index.source = { path: path.resolve(file), checksum: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(12, true) };
  return index;
}

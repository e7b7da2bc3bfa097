/**
 * The `.portrait` file: a corpus's n-gram Bloom filter, publishable without the text
 * (after Data Portraits, Marone and Van Durme 2023).
 *
 * Layout (little-endian):
 *   magic "CPORTRT1" (8 bytes) | u32 header length | header JSON (UTF-8) | zero padding to 4 bytes
 *   | Bloom bits (u32 words, blocked filter of src/cidx/bloom.ts) | u32 XXH32 (seed 0) of everything before it
 * The header records the format version, the shingling (normalization, n,
 * stride, hash seed), the filter (bits, hashes, block size), the counts and the
 * false-positive rate targeted and expected, and a build id shared by the
 * shards of one build. A file with a bad magic, version or checksum is refused.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import { ContamError } from '../errors.js';
import { BloomFilter } from '../cidx/bloom.js';
import { writeFileAtomic } from '../io/atomic.js';
import { xxh32 } from '../text/xxhash32.js';

export const PORTRAIT_MAGIC = 'CPORTRT1';
export const PORTRAIT_FORMAT_VERSION = 1;

/** What a portrait file says about itself (snake_case: it is stored as JSON). */
export interface PortraitHeader {
  format_version: number;
  tool: { name: 'contam'; version: string };
  normalization: string;
  unit: 'word';
  ngram: number;
  /**
   * Every `min_words`-gram was stored too (keys tagged apart), so fields shorter
   * than `ngram` words can be judged; 0, or absent in portraits built before, when not.
   */
  min_words?: number;
  /** Every `stride`-th n-gram of each document was stored (1: all). */
  stride: number;
  seed: number;
  /** Shared by the shards of one build, so shards of different builds are never mixed. */
  build_id: string;
  /** This file's shard number, from 0. */
  shard: number;
  fpr_target: number;
  /** Expected false-positive rate with `ngrams` keys inserted (an upper bound: repeats count once in the filter). */
  fpr_expected: number;
  bloom: { bits: number; hashes: number; block_bits: 512 };
  documents: number;
  /** Keys inserted (n-grams, and min_words-grams when stored), repeats included. */
  ngrams: number;
  /** UTF-8 bytes of the documents' text. */
  bytes: number;
}

export interface Portrait {
  header: PortraitHeader;
  bloom: BloomFilter;
}

if (os.endianness() !== 'LE') throw new Error('portrait files are written on little-endian machines only');

/** Serialize a portrait. */
export function encodePortrait(portrait: Portrait): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify(portrait.header));
  const headerEnd = 12 + header.length;
  const bitsStart = (headerEnd + 3) & ~3;
  const bits = portrait.bloom.bits;
  const out = new Uint8Array(bitsStart + bits.byteLength + 4);
  out.set(new TextEncoder().encode(PORTRAIT_MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, header.length, true);
  out.set(header, 12);
  out.set(new Uint8Array(bits.buffer, bits.byteOffset, bits.byteLength), bitsStart);
  view.setUint32(out.length - 4, xxh32(out, 0, out.length - 4, 0), true);
  return out;
}

function bad(file: string, message: string): ContamError {
  return new ContamError('BAD_INDEX', message, { file, hint: 'pass a file written by `contam portrait build`; it may be truncated' });
}

/**
 * Parse a portrait file's bytes, checking magic, version and checksum.
 *
 * @throws ContamError `BAD_INDEX`
 */
export function decodePortrait(bytes: Uint8Array, file = 'portrait'): Portrait {
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 8)) !== PORTRAIT_MAGIC) throw bad(file, 'not a contam portrait (bad magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stored = view.getUint32(bytes.length - 4, true);
  if (xxh32(bytes, 0, bytes.length - 4, 0) !== stored) throw bad(file, 'the checksum does not match: the file is damaged or truncated');
  const length = view.getUint32(8, true);
  let header: PortraitHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length))) as PortraitHeader;
  } catch (error) {
    throw bad(file, `the header is not JSON: ${(error as Error).message}`);
  }
  if (header.format_version !== PORTRAIT_FORMAT_VERSION) {
    throw new ContamError('BAD_INDEX', `portrait format version ${header.format_version} is not supported (this contam reads version ${PORTRAIT_FORMAT_VERSION})`, {
      file,
      hint: 'rebuild the portrait with this version of contam',
    });
  }
  const bitsStart = (12 + length + 3) & ~3;
  const words = header.bloom.bits / 32;
  if (bitsStart + words * 4 + 4 !== bytes.length) throw bad(file, 'the filter size in the header does not match the file size');
  const bits = new Uint32Array(words);
  new Uint8Array(bits.buffer).set(bytes.subarray(bitsStart, bitsStart + words * 4));
  return { header, bloom: new BloomFilter(bits, header.bloom.hashes) };
}

/** Write a portrait atomically. */
export async function writePortraitFile(portrait: Portrait, file: string): Promise<void> {
  await writeFileAtomic(file, encodePortrait(portrait));
}

/**
 * Read a portrait file.
 *
 * @throws ContamError `FILE_NOT_FOUND`, `BAD_INDEX`
 */
export async function readPortraitFile(file: string): Promise<Portrait> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    throw new ContamError('FILE_NOT_FOUND', 'no such portrait file', { file, cause: error, hint: 'build one with `contam portrait build`' });
  }
  return decodePortrait(bytes, file);
}

/**
 * Sample texts as compressed bytes, and a sample's words re-derived from its text.
 *
 * The index keeps each sample's text (its segments joined by "\n") once, as
 * UTF-8, and where each segment starts in it; not each word's normalized
 * bytes or offsets. Normalization is deterministic (src/text/), so cutting a
 * segment's text into units again gives back the very units the index hashed:
 * their normalized text (to verify a run byte by byte) and their offsets in
 * the sample's text (to show evidence). Only the few samples a document
 * matches are ever re-derived.
 *
 * The texts, back to back, are cut into blocks of whole samples (about
 * TEXT_BLOCK bytes, or one sample when it is longer), each compressed on its
 * own as one zstd frame: a scan worker decompresses only the blocks of the
 * samples it matches, keeping the last few (a bounded cache, whatever the
 * size of the index).
 *
 * Invariants: block b holds samples [blockSample[b], blockSample[b + 1]) and
 * is the frame at textBlocks[blockStart[b], blockStart[b + 1]) (no frame for
 * a block of no bytes); textStart[s] is where text s starts in the texts back
 * to back, uncompressed, so it starts textStart[s] - textStart[blockSample[b]]
 * into its block.
 *
 * A text with a lone surrogate (JSON's "\ud800") is stored as WTF-8 (its
 * surrogates as 3-byte sequences) and decoded back as it was, so a report
 * shows the text the eval file had.
 */
import { zstdCompress, zstdDecompress } from '../io/zstd.js';
import { ContamError } from '../errors.js';
import type { UnitExtractor } from '../text/units.js';
import type { ContamIndex, IndexSamples } from './contam-index.js';

const strict = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/**
 * Bytes of text a block is filled to: a scan worker decompresses a whole block for one
 * sample it has not seen, so the cost of a miss grows with the block, and its ratio with it.
 */
export const TEXT_BLOCK = 16384;
/** zstd's level for the texts and the index's strings: about the ratio of the higher levels, at a fraction of their time. */
const ZSTD_LEVEL = 6;
/** Decompressed blocks kept per index (see textBlock). */
const CACHED_BLOCKS = 32;

/** One zstd frame of `bytes`, at the index's level. */
export function compressSection(bytes: Uint8Array): Uint8Array {
  return zstdCompress(bytes, ZSTD_LEVEL);
}

/** WTF-8 bytes of `text` at `at` in `out` (which has room for 3 per UTF-16 unit); returns the end. */
function encodeInto(text: string, out: Uint8Array, at: number): number {
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      i++;
      continue;
    }
    // A lone surrogate, which UTF-8 has no bytes for: its 3-byte form.
    at += encoder.encodeInto(text.slice(from, i), out.subarray(at)).written;
    out[at++] = 0xe0 | (c >> 12);
    out[at++] = 0x80 | ((c >> 6) & 63);
    out[at++] = 0x80 | (c & 63);
    from = i + 1;
  }
  return at + encoder.encodeInto(text.slice(from), out.subarray(at)).written;
}

/** The text of UTF-8 (or WTF-8) `bytes`. */
function decode(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    let out = '';
    for (let i = 0; i < bytes.length; ) {
      const b = bytes[i]!;
      const n = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
      let c = n === 1 ? b : b & (0xff >> (n + 1));
      for (let k = 1; k < n; k++) c = (c << 6) | (bytes[i + k]! & 63);
      out += String.fromCodePoint(c);
      i += n;
    }
    return out;
  }
}

/** The texts of an index as it stores them (see the header). */
export interface EncodedTexts {
  textBlocks: Uint8Array;
  blockStart: Uint32Array;
  blockSample: Uint32Array;
  textStart: Uint32Array;
}

const shared32 = (values: number[]) => {
  const out = new Uint32Array(new SharedArrayBuffer(values.length * 4));
  out.set(values);
  return out;
};

/** `texts` as WTF-8 cut into blocks of whole samples of about `blockBytes`, each compressed; in SharedArrayBuffers. */
export function encodeTexts(texts: string[], blockBytes = TEXT_BLOCK): EncodedTexts {
  const textStart = new Uint32Array(new SharedArrayBuffer((texts.length + 1) * 4));
  const frames: Uint8Array[] = [];
  const blockSample = [0];
  const blockStart = [0];
  // Only the block being filled is held uncompressed.
  let scratch = new Uint8Array(blockBytes * 2);
  let fill = 0;
  let total = 0;
  const flush = (end: number, next: number) => {
    if (end > 0) frames.push(compressSection(scratch.subarray(0, end)));
    blockStart.push(blockStart.at(-1)! + (end > 0 ? frames.at(-1)!.length : 0));
    blockSample.push(next);
  };
  texts.forEach((text, s) => {
    if (fill + text.length * 3 > scratch.length) {
      const grown = new Uint8Array(fill + text.length * 3 + blockBytes);
      grown.set(scratch.subarray(0, fill));
      scratch = grown;
    }
    const end = encodeInto(text, scratch, fill);
    textStart[s] = total;
    total += end - fill;
    if (fill > 0 && end > blockBytes) {
      // Sample s does not fit: the block ends before it, and it starts the next.
      flush(fill, s);
      scratch.copyWithin(0, fill, end);
      fill = end - fill;
    } else fill = end;
  });
  textStart[texts.length] = total;
  if (total > 0xffffffff) throw new ContamError('BAD_ARGUMENT', `the samples' texts take ${total} bytes; an index holds at most 4 GB of them`);
  if (texts.length > 0) flush(fill, texts.length);
  const textBlocks = new Uint8Array(new SharedArrayBuffer(Math.max(blockStart.at(-1)!, 1))).subarray(0, blockStart.at(-1)!);
  frames.reduce((at, frame) => {
    textBlocks.set(frame, at);
    return at + frame.length;
  }, 0);
  return { textBlocks, blockStart: shared32(blockStart), blockSample: shared32(blockSample), textStart };
}

/** Block b's texts, uncompressed. */
function decompressBlock(samples: IndexSamples, b: number): Uint8Array {
  const { textBlocks, blockStart, blockSample, textStart } = samples;
  const length = textStart[blockSample[b + 1]!]! - textStart[blockSample[b]!]!;
  if (length === 0) return new Uint8Array(0);
  const bytes = zstdDecompress(textBlocks.subarray(blockStart[b]!, blockStart[b + 1]!), length);
  if (bytes.length !== length) throw new Error(`text block ${b} holds ${bytes.length} bytes, not ${length}`);
  return bytes;
}

/** The last blocks decompressed, per index (keyed by its compressed texts), most recent last. */
const blockCache = new WeakMap<Uint8Array, Map<number, Uint8Array>>();

/** Block b's texts, from the cache or decompressed into it. */
function textBlock(samples: IndexSamples, b: number): Uint8Array {
  let cache = blockCache.get(samples.textBlocks);
  if (!cache) {
    cache = new Map();
    blockCache.set(samples.textBlocks, cache);
  }
  let bytes = cache.get(b);
  if (bytes) cache.delete(b);
  else {
    bytes = decompressBlock(samples, b);
    if (cache.size >= CACHED_BLOCKS) cache.delete(cache.keys().next().value!);
  }
  cache.set(b, bytes);
  return bytes;
}

/** The block holding sample s: the last b with blockSample[b] <= s. */
function blockOf(blockSample: Uint32Array, s: number): number {
  let lo = 0;
  let hi = blockSample.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (blockSample[mid]! <= s) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Every sample's text, decoded (for the report). */
export function decodeTexts(samples: IndexSamples): string[] {
  const { blockSample, textStart } = samples;
  const texts: string[] = [];
  for (let b = 0; b + 1 < blockSample.length; b++) {
    const bytes = decompressBlock(samples, b);
    const base = textStart[blockSample[b]!]!;
    for (let s = blockSample[b]!; s < blockSample[b + 1]!; s++) texts.push(decode(bytes.subarray(textStart[s]! - base, textStart[s + 1]! - base)));
  }
  return texts;
}

/** The text of sample `s`: from the index's strings when it has them (not in scan workers), else from its block. */
export function sampleText(index: ContamIndex, s: number): string {
  const text = index.samples.text[s];
  if (text !== undefined) return text;
  const { blockSample, textStart } = index.samples;
  const b = blockOf(blockSample, s);
  const base = textStart[blockSample[b]!]!;
  return decode(textBlock(index.samples, b).subarray(textStart[s]! - base, textStart[s + 1]! - base));
}

/** A sample's units as the index cut them: index word first + k is unit k. */
export interface SampleUnits {
  first: number;
  /** The sample's text (its segments joined by "\n"), which the offsets point into. */
  text: string;
  /** [start, end) offsets of each unit in the sample's text. */
  starts: Int32Array;
  ends: Int32Array;
  /**
   * Normalized UTF-8 of the units, back to back, unit k at [byteStarts[k], byteEnds[k]); empty
   * for units whose values prove them equal (tokens), which are never verified byte by byte.
   */
  bytes: Uint8Array;
  byteStarts: Int32Array;
  byteEnds: Int32Array;
}

/** Samples kept re-derived: those one document matches, and more. */
const CACHED = 256;
/** Units and bytes a SampleArena hands out before it starts a new block of each. */
const ARENA_UNITS = 1 << 16;
const ARENA_BYTES = 1 << 18;

/**
 * Room for re-derived samples' arrays, handed out as views of a few large
 * blocks: a sample's five typed arrays, each allocated (and zeroed) on its
 * own, were most of the re-derivation's time. A full block is replaced, never
 * reused, so every view handed out stays valid while anyone holds it.
 */
class SampleArena {
  private units = new Int32Array(0);
  private unitsAt = 0;
  private bytes = new Uint8Array(0);
  private bytesAt = 0;

  /** `n` fresh 32-bit slots. */
  int32(n: number): Int32Array {
    if (this.unitsAt + n > this.units.length) {
      this.units = new Int32Array(Math.max(ARENA_UNITS, n));
      this.unitsAt = 0;
    }
    this.unitsAt += n;
    return this.units.subarray(this.unitsAt - n, this.unitsAt);
  }

  /** Room for up to `n` bytes; `keep(used)` then takes the first `used` of them. */
  room(n: number): Uint8Array {
    if (this.bytesAt + n > this.bytes.length) {
      this.bytes = new Uint8Array(Math.max(ARENA_BYTES, n));
      this.bytesAt = 0;
    }
    return this.bytes.subarray(this.bytesAt, this.bytesAt + n);
  }

  keep(used: number): void {
    this.bytesAt += used;
  }
}

/** Re-derives samples' units with `units` (an extractor of the index's configuration), keeping the last few. */
export class SampleWords {
  private readonly index: ContamIndex;
  private readonly units: UnitExtractor;
  private readonly cache = new Map<number, SampleUnits>();
  private readonly arena = new SampleArena();

  constructor(index: ContamIndex, units: UnitExtractor) {
    this.index = index;
    this.units = units;
  }

  get(s: number): SampleUnits {
    let got = this.cache.get(s);
    if (got) return got;
    const { samples, segments } = this.index;
    const text = sampleText(this.index, s);
    const g0 = samples.segmentStart[s]!;
    const g1 = samples.segmentStart[s + 1]!;
    const first = segments.wordStart[g0]!;
    const count = segments.wordStart[g1]! - first;
    const verified = !this.units.exact;
    const ints = this.arena.int32(verified ? 4 * count : 2 * count);
    // Normalized bytes are at most 3 per UTF-16 unit of the text (NFKC may expand, so grown below when not).
    const room = verified ? this.arena.room(text.length * 3 + 16) : new Uint8Array(0);
    got = {
      first,
      text,
      starts: ints.subarray(0, count),
      ends: ints.subarray(count, 2 * count),
      bytes: room,
      byteStarts: verified ? ints.subarray(2 * count, 3 * count) : new Int32Array(0),
      byteEnds: verified ? ints.subarray(3 * count, 4 * count) : new Int32Array(0),
    };
    let at = 0;
    for (let g = g0; g < g1; g++) {
      const offset = segments.textStart[g]!;
      const end = g + 1 < g1 ? segments.textStart[g + 1]! - 1 : text.length;
      const { units, joined } = this.units.extractNormalized(text.slice(offset, end));
      const base = segments.wordStart[g]! - first;
      if (units.count !== segments.wordStart[g + 1]! - segments.wordStart[g]!) {
        throw new ContamError('BAD_INDEX', `sample ${s}'s text does not give back the ${segments.wordStart[g + 1]! - segments.wordStart[g]!} units the index holds for its field ${g - g0}`, {
          hint: 'rebuild the index from its benchmarks with this contam',
        });
      }
      for (let k = 0; k < units.count; k++) {
        got.starts[base + k] = units.starts[k]! + offset;
        got.ends[base + k] = units.ends[k]! + offset;
      }
      if (verified && joined && units.count > 0) {
        const length = joined.byteEnds[units.count - 1]!;
        if (at + length > got.bytes.length) {
          const grown = new Uint8Array((at + length) * 2);
          grown.set(got.bytes.subarray(0, at));
          got.bytes = grown;
        }
        got.bytes.set(joined.bytes.subarray(0, length), at);
        for (let k = 0; k < units.count; k++) {
          got.byteStarts[base + k] = at + (k === 0 ? 0 : joined.byteEnds[k - 1]! + 1);
          got.byteEnds[base + k] = at + joined.byteEnds[k]!;
        }
        at += length;
      }
    }
    if (got.bytes === room) {
      this.arena.keep(at);
      got.bytes = room.subarray(0, at);
    }
    if (this.cache.size >= CACHED) this.cache.clear();
    this.cache.set(s, got);
    return got;
  }

  /** [start, end) in sample `s`'s text of index words [from, to). */
  span(s: number, from: number, to: number): [number, number] {
    const sample = this.get(s);
    return [sample.starts[from - sample.first]!, sample.ends[to - 1 - sample.first]!];
  }
}

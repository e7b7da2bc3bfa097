/**
 * Sample texts as bytes, and a sample's words re-derived from its text.
 *
 * The index keeps each sample's text (its segments joined by "\n") once, as
 * UTF-8 back to back, and where each segment starts in it; not each word's
 * normalized bytes or offsets. Normalization is deterministic (src/text/), so
 * cutting a segment's text into units again gives back the very units the
 * index hashed: their normalized text (to verify a run byte by byte) and
 * their offsets in the sample's text (to show evidence). Only the few samples
 * a document matches are ever re-derived.
 *
 * A text with a lone surrogate (JSON's "\ud800") is stored as WTF-8 (its
 * surrogates as 3-byte sequences) and decoded back as it was, so a report
 * shows the text the eval file had.
 */
import { ContamError } from '../errors.js';
import type { UnitExtractor } from '../text/units.js';
import type { ContamIndex } from './contam-index.js';

const strict = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

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

/** Texts back to back in a SharedArrayBuffer, text s at bytes [start[s], start[s + 1]). */
export function encodeTexts(texts: string[]): { bytes: Uint8Array; start: Uint32Array } {
  let most = 0;
  for (const t of texts) most += t.length * 3;
  const scratch = new Uint8Array(most);
  const start = new Uint32Array(new SharedArrayBuffer((texts.length + 1) * 4));
  let at = 0;
  texts.forEach((text, s) => {
    start[s] = at;
    at = encodeInto(text, scratch, at);
  });
  start[texts.length] = at;
  const bytes = new Uint8Array(new SharedArrayBuffer(Math.max(at, 1))).subarray(0, at);
  bytes.set(scratch.subarray(0, at));
  return { bytes, start };
}

/** Every sample's text, decoded (for the report). */
export function decodeTexts(bytes: Uint8Array, start: Uint32Array): string[] {
  return Array.from({ length: start.length - 1 }, (_, s) => decode(bytes.subarray(start[s]!, start[s + 1]!)));
}

/** The text of sample `s`: from the index's strings when it has them (not in scan workers), else from its bytes. */
export function sampleText(index: ContamIndex, s: number): string {
  return index.samples.text[s] ?? decode(index.samples.textBytes.subarray(index.samples.textStart[s]!, index.samples.textStart[s + 1]!));
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

/** Re-derives samples' units with `units` (an extractor of the index's configuration), keeping the last few. */
export class SampleWords {
  private readonly index: ContamIndex;
  private readonly units: UnitExtractor;
  private readonly cache = new Map<number, SampleUnits>();

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
    got = {
      first,
      text,
      starts: new Int32Array(count),
      ends: new Int32Array(count),
      // Normalized bytes are at most 3 per UTF-16 unit of the text (NFKC may expand, so grown below when not).
      bytes: new Uint8Array(verified ? text.length * 3 + 16 : 0),
      byteStarts: new Int32Array(verified ? count : 0),
      byteEnds: new Int32Array(verified ? count : 0),
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

/**
 * Units are what shingles are made of: normalized words, or tiktoken tokens of
 * the normalized text. Both give, per unit, a 32-bit value and the [start, end)
 * offsets in the original text.
 *
 * For words the value is XXH32 of the word, so two equal values still need a
 * string comparison to prove equality (`exact` is false). For tokens the value
 * is the token id itself, so equal values are equal tokens (`exact` is true).
 */
import type { ShingleConfig, TokenEncoding } from '../types.js';
import { extractWordHashesFast } from './ascii-words.js';
import { extractWords, WordBuffer } from './normalize.js';

export interface UnitBuffer {
  count: number;
  hashes: Uint32Array;
  starts: Int32Array;
  ends: Int32Array;
}

export interface UnitExtractor {
  /** True when equal unit values prove equal units. */
  readonly exact: boolean;
  /** Cut `text` into units; the returned buffer is reused by the next call. */
  extract(text: string): UnitBuffer;
  /**
   * Like extract, and, where equal values do not prove equal units (words), their normalized
   * UTF-8 to verify them by: unit k is joined.bytes[k === 0 ? 0 : joined.byteEnds[k - 1] + 1,
   * joined.byteEnds[k]) (each unit is followed by one space). Null for tokens. Reused by the next call.
   */
  extractNormalized(text: string): { units: UnitBuffer; joined: { bytes: Uint8Array; byteEnds: Int32Array } | null };
}

/** Normalized words hashed with XXH32. */
export class WordUnits implements UnitExtractor {
  readonly exact = false;
  private readonly buffer = new WordBuffer();
  private readonly seed: number;

  constructor(seed: number) {
    this.seed = seed;
  }

  extract(text: string): UnitBuffer {
    extractWordHashesFast(text, this.buffer, this.seed);
    return this.buffer;
  }

  extractNormalized(text: string): { units: UnitBuffer; joined: { bytes: Uint8Array; byteEnds: Int32Array } } {
    extractWords(text, this.buffer, this.seed, 'joined');
    return { units: this.buffer, joined: { bytes: this.buffer.joined, byteEnds: this.buffer.byteEnds } };
  }
}

interface Encoder {
  encode_ordinary(text: string): Uint32Array;
  decode_single_token_bytes(token: number): Uint8Array;
}

const encoders = new Map<TokenEncoding, Encoder>();

async function loadEncoder(name: TokenEncoding): Promise<Encoder> {
  let encoder = encoders.get(name);
  if (!encoder) {
    const tiktoken = await import('@dqbd/tiktoken');
    encoder = tiktoken.get_encoding(name) as unknown as Encoder;
    encoders.set(name, encoder);
  }
  return encoder;
}

const joinedDecoder = new TextDecoder();

/**
 * tiktoken tokens of the normalized text (words each preceded by one space). A
 * token's offsets are those of the words it overlaps, so spans stay in the
 * original text even though tokens are cut from the normalized one.
 */
export class TokenUnits implements UnitExtractor {
  readonly exact = true;
  private readonly words = new WordBuffer();
  private readonly encoder: Encoder;
  private readonly tokenBytes = new Int32Array(300_000).fill(-1);
  private out: UnitBuffer = { count: 0, hashes: new Uint32Array(0), starts: new Int32Array(1024), ends: new Int32Array(1024) };

  private constructor(encoder: Encoder) {
    this.encoder = encoder;
  }

  static async create(encoding: TokenEncoding): Promise<TokenUnits> {
    return new TokenUnits(await loadEncoder(encoding));
  }

  private byteLength(token: number): number {
    let n = token < this.tokenBytes.length ? this.tokenBytes[token]! : -1;
    if (n < 0) {
      n = this.encoder.decode_single_token_bytes(token).length;
      if (token < this.tokenBytes.length) this.tokenBytes[token] = n;
    }
    return n;
  }

  extract(text: string): UnitBuffer {
    return this.tokenize(text);
  }

  extractNormalized(text: string): { units: UnitBuffer; joined: null } {
    return { units: this.tokenize(text), joined: null };
  }

  private wordEndByte = new Int32Array(1024);

  private tokenize(text: string): UnitBuffer {
    const words = this.words;
    extractWords(text, words, 0, 'joined');
    // A leading space makes the first word tokenize as it does mid-text (" word"), so a copy
    // matches whether or not it opens the document. The joined buffer ends with a space: drop it.
    const normalized = words.count === 0 ? '' : ` ${joinedDecoder.decode(words.joined.subarray(0, words.joinedLength - 1))}`;
    const ids = normalized.length === 0 ? new Uint32Array(0) : this.encoder.encode_ordinary(normalized);
    const n = ids.length;
    if (this.out.starts.length < n) this.out = { count: 0, hashes: ids, starts: new Int32Array(n * 2), ends: new Int32Array(n * 2) };
    const out = this.out;
    out.hashes = ids;
    out.count = n;
    // Byte offset where each word ends in the normalized UTF-8, after the leading space.
    if (this.wordEndByte.length < words.count) this.wordEndByte = new Int32Array(words.count * 2);
    const wordEndByte = this.wordEndByte;
    for (let w = 0; w < words.count; w++) wordEndByte[w] = words.byteEnds[w]! + 1;
    let byte = 0;
    let w = 0;
    for (let t = 0; t < n; t++) {
      const id = ids[t]!;
      const len = this.byteLength(id);
      // First word whose bytes reach past this token's first non-space byte.
      while (w < words.count - 1 && wordEndByte[w]! <= byte) w++;
      let last = w;
      const endByte = byte + len;
      while (last < words.count - 1 && wordEndByte[last]! < endByte - 1) last++;
      out.starts[t] = words.count ? words.starts[w]! : 0;
      out.ends[t] = words.count ? words.ends[last]! : 0;
      byte = endByte;
    }
    return out;
  }
}

/** The unit extractor a shingle configuration calls for. */
export async function createUnitExtractor(config: ShingleConfig): Promise<UnitExtractor> {
  if (config.unit === 'token') return TokenUnits.create(config.encoding ?? 'cl100k_base');
  return new WordUnits(config.seed);
}

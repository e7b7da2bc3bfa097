/**
 * Normalization and word segmentation, in one pass over the original text.
 *
 * A word is a maximal run of letters, digits and marks after:
 *   - HTML tags (`<p class="x">`, `</b>`, `<!-- ... -->`) are removed and act as word breaks;
 *   - HTML entities (`&amp;`, `&#8217;`, `&#x2019;`) are decoded;
 *   - each character (with its combining marks) is put in Unicode NFKC and case folded;
 *   - punctuation and symbols are deleted (so `don't` and `don’t` and `dont` agree, as in
 *     lm-evaluation-harness's Janitor, which deletes `string.punctuation`);
 *   - whitespace (any Unicode space, line break or control character) separates words;
 *   - a word that is a single letter a-j is dropped: web pages put option labels (`A.`, `(b)`,
 *     `Answer: C`) between a question and its choices, and a copy must read the same without
 *     them; the article "a" carries no evidence either (DROPPED_LETTERS).
 *
 * Invariants the index and the scan rely on:
 *   - Every word carries the [start, end) UTF-16 offsets of its first and last word
 *     character in the ORIGINAL text, so matches are reported against what the user has.
 *   - Re-normalizing the original slice [start, end) of a word yields exactly that word:
 *     verification re-derives a document's words on demand from offsets alone.
 *   - A word's hash is XXH32 of its normalized UTF-8 bytes (see xxhash32.ts).
 *
 * ASCII takes a table-driven fast path; other characters go through
 * String.prototype.normalize with a per-code-point cache.
 */
import { matchEntity, matchTag } from './html.js';
import { xxh32 } from './xxhash32.js';

/** Name recorded in indexes; bump the version whenever the output can change. */
export const NORMALIZATION = 'nfkc-casefold-html-punct-v2';

/** Single-letter words dropped (see the header): the option labels of multiple-choice layouts. */
export const DROPPED_LETTERS = 'abcdefghij';

const CLS_SPACE = 0;
const CLS_WORD = 1;
const CLS_PUNCT = 2;
const CLS_LT = 3;
const CLS_AMP = 4;

const ASCII_CLASS = new Uint8Array(128);
const ASCII_LOWER = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  ASCII_LOWER[c] = c;
  if ((c >= 48 && c <= 57) || (c >= 97 && c <= 122)) ASCII_CLASS[c] = CLS_WORD;
  else if (c >= 65 && c <= 90) {
    ASCII_CLASS[c] = CLS_WORD;
    ASCII_LOWER[c] = c + 32;
  } else if (c <= 32 || c === 127) ASCII_CLASS[c] = CLS_SPACE;
  else ASCII_CLASS[c] = CLS_PUNCT;
}
ASCII_CLASS[60] = CLS_LT;
ASCII_CLASS[38] = CLS_AMP;
// For every UTF-16 code unit: its lower-case byte if it is an ASCII letter or digit, else 0.
// One load per character in the word loop, with no range check (non-ASCII reads 0).
const ASCII_WORD_BYTE = new Uint8Array(65536);
for (let c = 0; c < 128; c++) if (ASCII_CLASS[c] === CLS_WORD) ASCII_WORD_BYTE[c] = ASCII_LOWER[c]!;

// Classes of non-ASCII code points, filled lazily: 0 unknown, then CLS_* + 1.
const UNICODE_CLASS = new Uint8Array(0x110000);
const RE_WORD = /[\p{L}\p{N}\p{M}]/u;
const RE_SPACE = /[\p{Z}\p{Cc}\u2028\u2029\u0085]/u;
const RE_MARK = /\p{M}/u;

const MARK_FLAG = 8;

function unicodeInfo(cp: number): number {
  let k = UNICODE_CLASS[cp]!;
  if (k === 0) {
    const ch = String.fromCodePoint(cp);
    k = (RE_WORD.test(ch) ? CLS_WORD : RE_SPACE.test(ch) ? CLS_SPACE : CLS_PUNCT) + 1;
    if (RE_MARK.test(ch)) k |= MARK_FLAG;
    UNICODE_CLASS[cp] = k;
  }
  return k;
}

function unicodeClass(cp: number): number {
  return (unicodeInfo(cp) & 7) - 1;
}

function isMark(cp: number): boolean {
  // Combining marks live at U+0300 and above; the caller's range test keeps Latin text fast.
  return (unicodeInfo(cp) & MARK_FLAG) !== 0;
}

// NFKC + case fold of single code points, cached: most text repeats few of them.
const FOLD_CACHE = new Map<number, string>();

function foldUnit(unit: string): string {
  // Full case folding differs from toLowerCase for a few letters; handle the common ones.
  return unit.normalize('NFKC').toLowerCase().replace(/ß/g, 'ss').replace(/ς/g, 'σ').normalize('NFKC');
}

function foldCodePoint(cp: number): string {
  let s = FOLD_CACHE.get(cp);
  if (s === undefined) {
    s = foldUnit(String.fromCodePoint(cp));
    FOLD_CACHE.set(cp, s);
  }
  return s;
}

/**
 * A reusable, growable buffer of the words of one text: their hashes and
 * original offsets (and, when collecting, their normalized strings).
 */
export class WordBuffer {
  count = 0;
  hashes = new Uint32Array(1024);
  starts = new Int32Array(1024);
  ends = new Int32Array(1024);
  /**
   * With `extractWords(..., collect = 'joined')`: the normalized words as UTF-8,
   * each followed by one space, and where each word's bytes end. Cheaper than
   * one string per word when the caller wants the normalized text whole.
   */
  joined = new Uint8Array(4096);
  joinedLength = 0;
  byteEnds = new Int32Array(1024);
  /** Normalized words, filled only by `extractWords(..., collect = true)`. */
  words: string[] = [];

  /** @internal */
  grow(): void {
    const size = this.hashes.length * 2;
    const h = new Uint32Array(size);
    h.set(this.hashes);
    this.hashes = h;
    const s = new Int32Array(size);
    s.set(this.starts);
    this.starts = s;
    const e = new Int32Array(size);
    e.set(this.ends);
    this.ends = e;
  }
}

let bytes = new Uint8Array(4096);
// The same bytes read four at a time (XXH32 reads little-endian 32-bit lanes).
let bytes32 = new Uint32Array(bytes.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const utf8 = new TextDecoder();

function growBytes(): void {
  const b = new Uint8Array(bytes.length * 2);
  b.set(bytes);
  bytes = b;
  bytes32 = new Uint32Array(b.buffer);
}

// XXH32's primes as local constants: the JIT folds these into the inlined short path below,
// which it did not do for the same constants imported from xxhash32.ts.
const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;
const P3 = 0xc2b2ae3d;
const P4 = 0x27d4eb2f;
const P5 = 0x165667b1;

type Collect = boolean | 'joined';

function pushWord(out: WordBuffer, nb: number, start: number, end: number, seed: number, collect: Collect): void {
  if (nb === 1 && bytes[0]! - 97 < 10 && bytes[0]! >= 97) return;
  if (out.count === out.hashes.length) out.grow();
  const k = out.count++;
  out.hashes[k] = xxh32(bytes, 0, nb, seed);
  out.starts[k] = start;
  out.ends[k] = end;
  if (collect === 'joined') {
    if (out.joinedLength + nb + 1 > out.joined.length) {
      const grown = new Uint8Array(Math.max(out.joined.length * 2, out.joinedLength + nb + 1));
      grown.set(out.joined.subarray(0, out.joinedLength));
      out.joined = grown;
    }
    if (out.byteEnds.length < out.hashes.length) {
      const grown = new Int32Array(out.hashes.length);
      grown.set(out.byteEnds);
      out.byteEnds = grown;
    }
    // A loop, not set(subarray): a view per word was the scan's largest allocation.
    const joined = out.joined;
    let at = out.joinedLength;
    for (let i = 0; i < nb; i++) joined[at++] = bytes[i]!;
    out.joinedLength = at;
    out.byteEnds[k] = out.joinedLength;
    out.joined[out.joinedLength++] = 32;
  } else if (collect) out.words.push(utf8.decode(bytes.subarray(0, nb)));
}

/** Word-in-progress state shared between the fast loop and the slow path. */
interface WordState {
  start: number;
  end: number;
  nb: number;
}

/** Feed a normalized (folded) string whose characters all come from original [from, to). */
function feed(s: string, from: number, to: number, st: WordState, out: WordBuffer, seed: number, collect: Collect): void {
  for (let k = 0; k < s.length; k++) {
    let cp = s.charCodeAt(k);
    if (cp >= 0xd800 && cp <= 0xdbff && k + 1 < s.length) {
      cp = s.codePointAt(k)!;
      if (cp > 0xffff) k++;
    }
    const cls = cp < 128 ? (ASCII_CLASS[cp] === CLS_WORD ? CLS_WORD : ASCII_CLASS[cp] === CLS_SPACE ? CLS_SPACE : CLS_PUNCT) : unicodeClass(cp);
    if (cls === CLS_WORD) {
      if (st.start < 0) st.start = from;
      st.end = to;
      if (st.nb + 4 > bytes.length) growBytes();
      let nb = st.nb;
      if (cp < 0x80) bytes[nb++] = cp;
      else if (cp < 0x800) {
        bytes[nb++] = 0xc0 | (cp >> 6);
        bytes[nb++] = 0x80 | (cp & 63);
      } else if (cp < 0x10000) {
        bytes[nb++] = 0xe0 | (cp >> 12);
        bytes[nb++] = 0x80 | ((cp >> 6) & 63);
        bytes[nb++] = 0x80 | (cp & 63);
      } else {
        bytes[nb++] = 0xf0 | (cp >> 18);
        bytes[nb++] = 0x80 | ((cp >> 12) & 63);
        bytes[nb++] = 0x80 | ((cp >> 6) & 63);
        bytes[nb++] = 0x80 | (cp & 63);
      }
      st.nb = nb;
    } else if (cls === CLS_SPACE && st.start >= 0) {
      pushWord(out, st.nb, st.start, st.end, seed, collect);
      st.nb = 0;
      st.start = -1;
    }
    // Punctuation, symbols and format characters are deleted without breaking the word.
  }
}

/**
 * Split `text` into normalized words, writing hashes and original offsets into `out`.
 * With `collect`, also fill `out.words` with the normalized strings (collect = true: display,
 * tests) or `out.joined` with their UTF-8 (collect = 'joined': index time, verification).
 * The reference for extractWordHashes, which the scan calls.
 */
export function extractWords(text: string, out: WordBuffer, seed: number, collect: Collect = false): void {
  out.count = 0;
  out.joinedLength = 0;
  if (collect === true) out.words = [];
  const len = text.length;
  const st: WordState = { start: -1, end: 0, nb: 0 };
  // Locals mirror `st` in the fast loop; they are synced around every slow-path call.
  let wordStart = -1;
  let wordEnd = 0;
  let nb = 0;
  let i = 0;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      const cls = ASCII_CLASS[c]!;
      if (cls === CLS_WORD) {
        // A run of ASCII letters and digits in one tight loop (a combining mark after it is
        // rare and handled when met: see the slow path).
        if (wordStart < 0) wordStart = i;
        if (nb === bytes.length) growBytes();
        let b = bytes;
        // One bound for both the text's end and the byte buffer's: a single compare per character.
        let limit = Math.min(len, i + b.length - nb);
        let low = ASCII_LOWER[c]!;
        for (;;) {
          b[nb++] = low;
          if (++i === limit) {
            if (limit === len) break;
            growBytes();
            b = bytes;
            limit = Math.min(len, i + b.length - nb);
          }
          low = ASCII_WORD_BYTE[text.charCodeAt(i)]!;
          if (low === 0) break;
        }
        wordEnd = i;
        continue;
      } else if (cls === CLS_SPACE) {
        if (wordStart >= 0) {
          if (nb === 1 && bytes[0]! - 97 < 10 && bytes[0]! >= 97) {
            // A dropped letter (see the header), as in pushWord.
          } else pushWord(out, nb, wordStart, wordEnd, seed, collect);
          nb = 0;
          wordStart = -1;
        }
        i++;
        continue;
      } else if (cls === CLS_LT) {
        const end = matchTag(text, i);
        if (end > 0) {
          if (wordStart >= 0) {
            pushWord(out, nb, wordStart, wordEnd, seed, collect);
            nb = 0;
            wordStart = -1;
          }
          i = end;
          continue;
        }
        i++;
        continue;
      } else if (cls === CLS_AMP) {
        const entity = matchEntity(text, i);
        if (entity) {
          st.start = wordStart;
          st.end = wordEnd;
          st.nb = nb;
          feed(foldUnit(entity[0]), i, entity[1], st, out, seed, collect);
          wordStart = st.start;
          wordEnd = st.end;
          nb = st.nb;
          i = entity[1];
          continue;
        }
        i++;
        continue;
      } else {
        i++; // punctuation: deleted
        continue;
      }
    }
    // Slow path: a code point plus the combining marks that follow it form one unit.
    if (c >= 0x300 && wordEnd === i && i > 0 && text.charCodeAt(i - 1) < 128 && ASCII_CLASS[text.charCodeAt(i - 1)] === CLS_WORD && isMark(text.codePointAt(i)!)) {
      // Marks after an ASCII letter that the fast path already took: take the letter back and
      // normalize it with its marks (e + U+0301 composes to é under NFKC).
      let k = i;
      while (k < len) {
        const d = text.codePointAt(k)!;
        if (d < 0x300 || !isMark(d)) break;
        k += d > 0xffff ? 2 : 1;
      }
      nb -= 1;
      if (nb === 0) wordStart = -1;
      st.start = wordStart;
      st.end = wordEnd;
      st.nb = nb;
      feed(foldUnit(text.slice(i - 1, k)), i - 1, k, st, out, seed, collect);
      wordStart = st.start;
      wordEnd = st.end;
      nb = st.nb;
      i = k;
      continue;
    }
    let cp = c;
    let j = i + 1;
    if (c >= 0xd800 && c <= 0xdbff && j < len) {
      cp = text.codePointAt(i)!;
      if (cp > 0xffff) j++;
    }
    let k = j;
    while (k < len) {
      const d = text.codePointAt(k)!;
      if (d < 0x300 || !isMark(d)) break;
      k += d > 0xffff ? 2 : 1;
    }
    st.start = wordStart;
    st.end = wordEnd;
    st.nb = nb;
    feed(k === j ? foldCodePoint(cp) : foldUnit(text.slice(i, k)), i, k, st, out, seed, collect);
    wordStart = st.start;
    wordEnd = st.end;
    nb = st.nb;
    i = k;
  }
  if (wordStart >= 0) pushWord(out, nb, wordStart, wordEnd, seed, collect);
}

/**
 * extractWords(text, out, seed) inlined on purpose: the scan's hot path. A copy of its own so
 * that V8 compiles it for the scan's documents alone: sharing one function with the verifier's
 * and the index builder's calls (other modes, sliced strings) made it run at two thirds of the
 * speed. A test pins it to extractWords on every kind of text.
 */
export function extractWordHashes(text: string, out: WordBuffer, seed: number): void {
  out.count = 0;
  out.joinedLength = 0;
  const len = text.length;
  const st: WordState = { start: -1, end: 0, nb: 0 };
  // Locals mirror `st` in the fast loop; they are synced around every slow-path call.
  let wordStart = -1;
  let wordEnd = 0;
  let nb = 0;
  let i = 0;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      const cls = ASCII_CLASS[c]!;
      if (cls === CLS_WORD) {
        // A run of ASCII letters and digits in one tight loop (a combining mark after it is
        // rare and handled when met: see the slow path).
        if (wordStart < 0) wordStart = i;
        if (nb === bytes.length) growBytes();
        let b = bytes;
        // One bound for both the text's end and the byte buffer's: a single compare per character.
        let limit = Math.min(len, i + b.length - nb);
        let low = ASCII_LOWER[c]!;
        for (;;) {
          b[nb++] = low;
          if (++i === limit) {
            if (limit === len) break;
            growBytes();
            b = bytes;
            limit = Math.min(len, i + b.length - nb);
          }
          low = ASCII_WORD_BYTE[text.charCodeAt(i)]!;
          if (low === 0) break;
        }
        wordEnd = i;
        continue;
      } else if (cls === CLS_SPACE) {
        if (wordStart >= 0) {
          if (nb === 1 && bytes[0]! - 97 < 10 && bytes[0]! >= 97) {
            // A dropped letter (see the header), as in pushWord.
          } else {
            // pushWord, inlined.
            const k = out.count;
            if (k === out.hashes.length) out.grow();
            let h: number;
            if (nb < 16 && LITTLE_ENDIAN) {
              // XXH32's short path (words under 16 bytes, nearly all) inlined, reading aligned
              // 32-bit lanes: a call per word here cost 15% of the scan. Pinned to xxhash-wasm by test.
              const lanes = bytes32;
              h = (seed + P5 + nb) | 0;
              let p = 0;
              for (; p + 4 <= nb; p += 4) {
                h = (h + Math.imul(lanes[p >> 2]!, P3)) | 0;
                h = Math.imul((h << 17) | (h >>> 15), P4);
              }
              for (; p < nb; p++) {
                h = (h + Math.imul(bytes[p]!, P5)) | 0;
                h = Math.imul((h << 11) | (h >>> 21), P1);
              }
              h ^= h >>> 15;
              h = Math.imul(h, P2);
              h ^= h >>> 13;
              h = Math.imul(h, P3);
              h ^= h >>> 16;
            } else h = xxh32(bytes, 0, nb, seed);
            out.hashes[k] = h >>> 0;
            out.starts[k] = wordStart;
            out.ends[k] = wordEnd;
            out.count = k + 1;
          }
          nb = 0;
          wordStart = -1;
        }
        i++;
        continue;
      } else if (cls === CLS_LT) {
        const end = matchTag(text, i);
        if (end > 0) {
          if (wordStart >= 0) {
            pushWord(out, nb, wordStart, wordEnd, seed, false);
            nb = 0;
            wordStart = -1;
          }
          i = end;
          continue;
        }
        i++;
        continue;
      } else if (cls === CLS_AMP) {
        const entity = matchEntity(text, i);
        if (entity) {
          st.start = wordStart;
          st.end = wordEnd;
          st.nb = nb;
          feed(foldUnit(entity[0]), i, entity[1], st, out, seed, false);
          wordStart = st.start;
          wordEnd = st.end;
          nb = st.nb;
          i = entity[1];
          continue;
        }
        i++;
        continue;
      } else {
        i++; // punctuation: deleted
        continue;
      }
    }
    // Slow path: a code point plus the combining marks that follow it form one unit.
    if (c >= 0x300 && wordEnd === i && i > 0 && text.charCodeAt(i - 1) < 128 && ASCII_CLASS[text.charCodeAt(i - 1)] === CLS_WORD && isMark(text.codePointAt(i)!)) {
      // Marks after an ASCII letter that the fast path already took: take the letter back and
      // normalize it with its marks (e + U+0301 composes to é under NFKC).
      let k = i;
      while (k < len) {
        const d = text.codePointAt(k)!;
        if (d < 0x300 || !isMark(d)) break;
        k += d > 0xffff ? 2 : 1;
      }
      nb -= 1;
      if (nb === 0) wordStart = -1;
      st.start = wordStart;
      st.end = wordEnd;
      st.nb = nb;
      feed(foldUnit(text.slice(i - 1, k)), i - 1, k, st, out, seed, false);
      wordStart = st.start;
      wordEnd = st.end;
      nb = st.nb;
      i = k;
      continue;
    }
    let cp = c;
    let j = i + 1;
    if (c >= 0xd800 && c <= 0xdbff && j < len) {
      cp = text.codePointAt(i)!;
      if (cp > 0xffff) j++;
    }
    let k = j;
    while (k < len) {
      const d = text.codePointAt(k)!;
      if (d < 0x300 || !isMark(d)) break;
      k += d > 0xffff ? 2 : 1;
    }
    st.start = wordStart;
    st.end = wordEnd;
    st.nb = nb;
    feed(k === j ? foldCodePoint(cp) : foldUnit(text.slice(i, k)), i, k, st, out, seed, false);
    wordStart = st.start;
    wordEnd = st.end;
    nb = st.nb;
    i = k;
  }
  if (wordStart >= 0) pushWord(out, nb, wordStart, wordEnd, seed, false);
}

/** The normalized words of `text`, joined by single spaces (for display, tests and tokenization). */
export function normalizeText(text: string): string {
  const out = new WordBuffer();
  extractWords(text, out, 0, true);
  return out.words.join(' ');
}

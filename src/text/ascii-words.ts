/**
 * The scan's word extraction for ASCII texts, in WebAssembly
 * (ascii-words.c, built by scripts/build-wasm.mjs): about twice the speed of
 * the JavaScript loop on such texts (bench/hotpath.bench.ts prints both).
 *
 * Invariant: on any text it takes, the words, hashes and offsets are those
 * extractWordHashes gives (normalize.ts; pinned by test on random texts). It
 * takes a text only when every character is ASCII (checked as the text is
 * copied in) and none is '<' or '&' (the kernel gives up at the first), so
 * HTML, entities and Unicode stay with the JavaScript normalizer.
 *
 * One instance a thread (each worker loads this module); its memory holds one
 * text at a time and grows to the longest seen, up to MAX_KERNEL_CHARS.
 */
import { ASCII_WORDS_WASM } from './ascii-words-wasm.js';
import { extractWordHashes, type WordBuffer } from './normalize.js';

/**
 * Longer texts stay with JavaScript: the kernel's memory, about 8 bytes a character of the
 * longest text it took, is never given back, so each scanning thread keeps at most 32 MiB.
 */
export const MAX_KERNEL_CHARS = 1 << 22;
const PAGE = 65536;

// The WebAssembly API as far as it is used here (the project's lib has no DOM types, where Node's live).
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
};

interface Kernel {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  __heap_base: { value: number };
  extract(text: number, len: number, seed: number, word: number, hashes: number, starts: number, ends: number): number;
}

const kernel = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(ASCII_WORDS_WASM, 'base64')), {}).exports as unknown as Kernel;
const base = (kernel.__heap_base.value + 15) & ~15;
const encoder = new TextEncoder();
let bytes = new Uint8Array(kernel.memory.buffer);

/**
 * The words of `text` into `out`, as extractWordHashes would give them, when
 * the text is one this path takes (see the header); false, and `out` holds
 * nothing of use, when it is not.
 */
export function extractAsciiWordHashes(text: string, out: WordBuffer, seed: number): boolean {
  const len = text.length;
  if (len > MAX_KERNEL_CHARS) return false;
  // Text, then word scratch, then hashes, starts and ends, room for len / 2 + 1 words each.
  const words = (len >> 1) + 1;
  const word = base + len;
  const hashes = (word + len + 3) & ~3;
  const starts = hashes + 4 * words;
  const ends = starts + 4 * words;
  const need = ends + 4 * words;
  if (need > bytes.length) {
    kernel.memory.grow(Math.ceil((need - bytes.length) / PAGE));
    bytes = new Uint8Array(kernel.memory.buffer);
  }
  // One byte a character only when every character is ASCII.
  const copied = encoder.encodeInto(text, bytes.subarray(base, base + len));
  if (copied.read !== len || copied.written !== len) return false;
  const count = kernel.extract(base, len, seed, word, hashes, starts, ends);
  if (count < 0) return false;
  while (out.hashes.length < count) out.grow();
  const buffer = kernel.memory.buffer;
  out.hashes.set(new Uint32Array(buffer, hashes, count));
  out.starts.set(new Int32Array(buffer, starts, count));
  out.ends.set(new Int32Array(buffer, ends, count));
  out.count = count;
  out.joinedLength = 0;
  return true;
}

/** extractWordHashes, through the kernel when it takes the text: what the scan and the portrait call. */
export function extractWordHashesFast(text: string, out: WordBuffer, seed: number): void {
  if (!extractAsciiWordHashes(text, out, seed)) extractWordHashes(text, out, seed);
}

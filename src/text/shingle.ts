/**
 * Shingle keys: a 64-bit key (two 32-bit lanes) for every run of `width`
 * consecutive word (or token) hashes, computed with a rolling polynomial hash so
 * that each position costs a few multiplications, with no n-gram string, no
 * BigInt and no allocation.
 *
 * Lane A is  sum(h[i] * A^(width-1-i)) mod 2^32 over the unit hashes, lane B the
 * same over a bijective remix of them with another base; both are finalized with
 * the width mixed in, so keys of different widths never coincide by
 * construction. Keys only select candidates: every match is verified word by
 * word, so a key collision can cost time but never produce a false match.
 */
import { fmix32 } from './xxhash32.js';

export const BASE_A = 0x9e3779b1;
export const BASE_B = 0x85ebca6b;

function remix(h: number): number {
  return Math.imul(h ^ (h >>> 16), 0x7feb352d);
}

/** base^exp mod 2^32. */
export function power(base: number, exp: number): number {
  let r = 1;
  for (let i = 0; i < exp; i++) r = Math.imul(r, base);
  return r;
}

function finalizeA(lane: number, width: number): number {
  return fmix32((lane + Math.imul(width, 0x27d4eb2f)) | 0);
}

function finalizeB(lane: number, width: number): number {
  return fmix32(lane ^ Math.imul(width, 0x165667b1));
}

/** The key of hashes[start, start + width), computed directly (the reference for the rolling form). */
export function shingleKey(hashes: ArrayLike<number>, start: number, width: number): [number, number] {
  let a = 0;
  let b = 0;
  for (let i = start; i < start + width; i++) {
    a = (Math.imul(a, BASE_A) + hashes[i]!) | 0;
    b = (Math.imul(b, BASE_B) + remix(hashes[i]!)) | 0;
  }
  return [finalizeA(a, width), finalizeB(b, width)];
}

/**
 * Keys of every window of `width` among the first `count` hashes, written to
 * outA/outB (which must hold count - width + 1 values). Returns the number of windows.
 */
export function rollingShingleKeys(hashes: Uint32Array, count: number, width: number, outA: Uint32Array, outB: Uint32Array): number {
  const windows = count - width + 1;
  if (windows <= 0) return 0;
  const topA = power(BASE_A, width - 1);
  const topB = power(BASE_B, width - 1);
  const wa = Math.imul(width, 0x27d4eb2f);
  const wb = Math.imul(width, 0x165667b1);
  let a = 0;
  let b = 0;
  for (let i = 0; i < width; i++) {
    const h = hashes[i]!;
    a = (Math.imul(a, BASE_A) + h) | 0;
    b = (Math.imul(b, BASE_B) + Math.imul(h ^ (h >>> 16), 0x7feb352d)) | 0;
  }
  for (let p = 0; ; p++) {
    let x = (a + wa) | 0;
    x ^= x >>> 16;
    x = Math.imul(x, 0x85ebca6b);
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35);
    x ^= x >>> 16;
    outA[p] = x;
    let y = b ^ wb;
    y ^= y >>> 16;
    y = Math.imul(y, 0x85ebca6b);
    y ^= y >>> 13;
    y = Math.imul(y, 0xc2b2ae35);
    y ^= y >>> 16;
    outB[p] = y;
    if (p + 1 === windows) break;
    const out = hashes[p]!;
    const inn = hashes[p + width]!;
    a = (Math.imul((a - Math.imul(out, topA)) | 0, BASE_A) + inn) | 0;
    b = (Math.imul((b - Math.imul(Math.imul(out ^ (out >>> 16), 0x7feb352d), topB)) | 0, BASE_B) + Math.imul(inn ^ (inn >>> 16), 0x7feb352d)) | 0;
  }
  return windows;
}

/**
 * XXH32 (https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md) over a
 * byte range, in plain 32-bit integer arithmetic so the scan's hot loop hashes
 * each word without a call into WebAssembly, a BigInt or an allocation.
 * Bit-identical to xxhash-wasm's `h32Raw` (pinned by test/text/xxhash32.test.ts,
 * for long inputs too, which read aligned stripes as 32-bit lanes).
 */

const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;
const P3 = 0xc2b2ae3d;
const P4 = 0x27d4eb2f;
const P5 = 0x165667b1;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function read32(buf: Uint8Array, p: number): number {
  return buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24);
}

function round(acc: number, input: number): number {
  acc = (acc + Math.imul(input, P2)) | 0;
  return Math.imul(rotl(acc, 13), P1);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Inputs from this many bytes on read their stripes as 32-bit lanes (a file checksum; words stay byte-wise). */
const LANES_FROM = 1024;

/** 32-bit lanes per laneRounds call (64 KiB). */
const LANE_BLOCK = 1 << 14;
const accumulators = new Int32Array(4);

/** XXH32's four accumulators `v` over lanes [from, to), four lanes (one stripe) at a time. */
function laneRounds(lanes: Uint32Array, from: number, to: number, v: Int32Array): void {
  let v1 = v[0]!;
  let v2 = v[1]!;
  let v3 = v[2]!;
  let v4 = v[3]!;
  for (let i = from; i < to; i += 4) {
    v1 = Math.imul(rotl((v1 + Math.imul(lanes[i]!, P2)) | 0, 13), P1);
    v2 = Math.imul(rotl((v2 + Math.imul(lanes[i + 1]!, P2)) | 0, 13), P1);
    v3 = Math.imul(rotl((v3 + Math.imul(lanes[i + 2]!, P2)) | 0, 13), P1);
    v4 = Math.imul(rotl((v4 + Math.imul(lanes[i + 3]!, P2)) | 0, 13), P1);
  }
  v[0] = v1;
  v[1] = v2;
  v[2] = v3;
  v[3] = v4;
}

/** XXH32 of `buf[offset, offset + length)` with `seed`, as an unsigned 32-bit integer. */
export function xxh32(buf: Uint8Array, offset: number, length: number, seed: number): number {
  const end = offset + length;
  let p = offset;
  let h: number;
  if (length >= 16) {
    let v1 = (seed + P1 + P2) | 0;
    let v2 = (seed + P2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - P1) | 0;
    const limit = end - 16;
    if (length >= LANES_FROM && LITTLE_ENDIAN && (buf.byteOffset + p) % 4 === 0) {
      // The same rounds over aligned 32-bit loads: one load per lane instead of four loads and
      // three shifts. An index file's checksum is verified on every load, over all its bytes.
      const stripes = Math.floor((limit - p) / 16) + 1;
      const lanes = new Uint32Array(buf.buffer, buf.byteOffset + p, stripes * 4);
      const v = accumulators;
      v[0] = v1;
      v[1] = v2;
      v[2] = v3;
      v[3] = v4;
      // In blocks, each a call: V8 optimizes a function called often far better than one long loop
      // replaced on the stack, which made a first checksum of a large file several times slower.
      for (let i = 0; i < lanes.length; i += LANE_BLOCK) laneRounds(lanes, i, Math.min(lanes.length, i + LANE_BLOCK), v);
      v1 = v[0]!;
      v2 = v[1]!;
      v3 = v[2]!;
      v4 = v[3]!;
      p += lanes.length * 4;
    } else {
      do {
        v1 = round(v1, read32(buf, p));
        v2 = round(v2, read32(buf, p + 4));
        v3 = round(v3, read32(buf, p + 8));
        v4 = round(v4, read32(buf, p + 12));
        p += 16;
      } while (p <= limit);
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
  } else {
    h = (seed + P5) | 0;
  }
  h = (h + length) | 0;
  while (p + 4 <= end) {
    h = (h + Math.imul(read32(buf, p), P3)) | 0;
    h = Math.imul(rotl(h, 17), P4);
    p += 4;
  }
  while (p < end) {
    h = (h + Math.imul(buf[p]!, P5)) | 0;
    h = Math.imul(rotl(h, 11), P1);
    p += 1;
  }
  h ^= h >>> 15;
  h = Math.imul(h, P2);
  h ^= h >>> 13;
  h = Math.imul(h, P3);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Murmur3's 32-bit finalizer: a bijective avalanche used to derive independent hash lanes. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

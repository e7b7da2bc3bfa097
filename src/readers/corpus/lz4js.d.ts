/**
 * Types for lz4js (pure-JS LZ4, no bundled types), as far as contam uses it:
 * whole LZ4 frames in and out, for Arrow IPC LZ4_FRAME buffers.
 */
declare module 'lz4js' {
  /** Decompress one LZ4 frame; `maxSize` bounds the output when known. */
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array;
  /** Compress to one LZ4 frame. */
  export function compress(src: Uint8Array, maxSize?: number): Uint8Array;
}

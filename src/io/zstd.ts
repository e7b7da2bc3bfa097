/**
 * Whole-buffer zstd for bounded inputs: decompression of Parquet pages, Arrow
 * IPC buffers and index sections, compression of written Parquet pages and
 * index sections, through zstd's own C code compiled to WebAssembly
 * (@bokuweb/zstd-wasm), several times faster than the pure-JavaScript fzstd
 * (the README's Benchmarks give figures). Streamed .jsonl.zst files go through
 * zstd-stream.ts instead: this WebAssembly build has no streaming API, and a
 * whole-frame decoder cannot take a frame larger than memory.
 */
import { compress, decompress, init } from '@bokuweb/zstd-wasm';

await init();

/** Decompress one zstd frame; `outputLength`, when known, sizes the output buffer up front. */
export function zstdDecompress(input: Uint8Array, outputLength?: number): Uint8Array {
  return decompress(input, outputLength ? { defaultHeapSize: outputLength + 1024 } : undefined);
}

/** One zstd frame of `input` at compression `level`. */
export function zstdCompress(input: Uint8Array, level: number): Uint8Array {
  return compress(input, level);
}

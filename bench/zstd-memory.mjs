/**
 * Streamed zstd decompression in a process of its own, so its peak RSS is the decoder's:
 *   node bench/zstd-memory.mjs <file.zst>
 * Prints one JSON line {bytes, rss_mb}: the decompressed bytes and VmHWM.
 */
import { readFileSync } from 'node:fs';
import { readFileChunks } from '../dist/src/io/compression.js';
import { inflateZstd } from '../dist/src/io/zstd-stream.js';

let bytes = 0;
for await (const chunk of inflateZstd(readFileChunks(process.argv[2]))) bytes += chunk.length;
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
console.log(JSON.stringify({ bytes, rss_mb: hwm ? Math.round(Number(hwm[1]) / 1024) : 0 }));

/**
 * Loading an index, in its own process (built code in dist/):
 *   node bench/index-load.mjs <index.cidx>
 * Times readIndexFile, and beside it the floor: the file's bytes read alone
 * (readFile) in the same process, fastest of 3 each, interleaved. Prints one
 * JSON line {bytes, read_s, load_s, rss_mb}.
 */
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { readIndexFile } from '../dist/src/cidx/file.js';

const file = process.argv[2];
let read = Infinity;
let load = Infinity;
for (let run = 0; run < 3; run++) {
  let t = performance.now();
  const bytes = await readFile(file);
  read = Math.min(read, (performance.now() - t) / 1000);
  if (bytes.length === 0) throw new Error('empty index');
  t = performance.now();
  const index = await readIndexFile(file);
  load = Math.min(load, (performance.now() - t) / 1000);
  if (index.entries.segment.length === 0) throw new Error('no shingles');
}
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
console.log(JSON.stringify({ bytes: statSync(file).size, read_s: read, load_s: load, rss_mb: hwm ? Math.round(Number(hwm[1]) / 1024) : 0 }));

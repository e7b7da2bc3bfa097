/**
 * Loading an index, in its own process (built code in dist/):
 *   node bench/index-load.mjs <index.cidx>
 * Times readIndexFile, and beside it the floor: the file's bytes read alone
 * (readFile) in the same process, fastest of 3 each, interleaved. Then counts,
 * from the loaded index, the bytes the same index took in format 3, the layout
 * before entries were derived and word bytes and offsets re-derived (see
 * legacyBytes). Prints one JSON line {bytes, read_s, load_s, rss_mb, format3_bytes}.
 */
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { readIndexFile } from '../dist/src/cidx/file.js';
import { SampleWords } from '../dist/src/cidx/sample-text.js';
import { WordUnits } from '../dist/src/text/units.js';

const file = process.argv[2];
let read = Infinity;
let load = Infinity;
let index;
for (let run = 0; run < 3; run++) {
  let t = performance.now();
  const bytes = await readFile(file);
  read = Math.min(read, (performance.now() - t) / 1000);
  if (bytes.length === 0) throw new Error('empty index');
  t = performance.now();
  index = await readIndexFile(file);
  load = Math.min(load, (performance.now() - t) / 1000);
  if (index.entries.count === 0) throw new Error('no shingles');
}
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
const rss = hwm ? Math.round(Number(hwm[1]) / 1024) : 0;
// Magic, version, header length, checksum and the header JSON, padded to 8: format 3's was about as long.
const headerBytes = (16 + readFileSync(file).readUInt32LE(8) + 7) & ~7;
console.log(JSON.stringify({ bytes: statSync(file).size, read_s: read, load_s: load, rss_mb: rss, format3_bytes: legacyBytes(index, headerBytes) }));

/**
 * The size of `index` written in format 3, section by section, each padded to 8 as the
 * file pads them: per sample, segment and word the arrays it had (words' normalized bytes
 * and offsets, start/end offsets and segment, 4 bytes each, re-derived here from the
 * texts), 12 bytes per entry, an open-addressing table of every anchor at load at most
 * 1/2 (keyA, keyB, start, count, live: 20 bytes a slot) with a 4-byte posting per anchor,
 * the same Bloom filter, and the ids, texts and fields as one JSON string. The header is
 * taken as long as the new one (format 3's was a few bytes longer).
 */
function legacyBytes(index, headerBytes) {
  const pad8 = (n) => (n + 7) & ~7;
  const n = index.samples.row.length;
  const segments = index.segments.sample.length;
  const words = index.words.hash.length;
  const units = new SampleWords(index, new WordUnits(index.config.seed));
  let wordBytes = 0;
  let anchors = 0;
  for (let s = 0; s < n; s++) {
    const got = units.get(s);
    for (let k = 0; k < got.byteEnds.length; k++) wordBytes += got.byteEnds[k] - got.byteStarts[k];
    if (index.samples.entryStart[s + 1] === index.samples.entryStart[s]) continue;
    const count = index.segments.wordStart[index.samples.segmentStart[s + 1]] - index.segments.wordStart[index.samples.segmentStart[s]];
    anchors += Math.max(0, count - index.probe.width + 1);
  }
  let capacity = 16;
  while (capacity < anchors * 2) capacity *= 2;
  // The JSON {"ids":[...],"texts":[...],"fields":[...]}, counted piece by piece: past about 512 MB
  // it is longer than a V8 string can be (format 3 could not write 1M samples' texts at all).
  const array = (list) => 2 + Math.max(0, list.length - 1) + list.reduce((sum, x) => sum + Buffer.byteLength(JSON.stringify(x)), 0);
  const strings = '{"ids":,"texts":,"fields":}'.length + array(index.samples.id) + array(index.samples.text) + array(index.segments.field);
  const sections = [
    ...[4 * n, 4 * n, 4 * (n + 1), 4 * (n + 1), n],
    ...[4 * segments, 4 * (segments + 1), 4 * (segments + 1), segments],
    ...[wordBytes, 4 * (words + 1), 4 * words, 4 * words, 4 * words, 4 * words, words],
    ...[4 * index.entries.count, 4 * index.entries.count, 4 * index.entries.count],
    ...[4 * capacity, 4 * capacity, 4 * capacity, 4 * capacity, 4 * anchors, 4 * capacity],
    index.bloom.bits.byteLength,
    strings,
  ];
  return headerBytes + sections.reduce((sum, b) => sum + pad8(b), 0);
}

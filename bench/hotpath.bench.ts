/**
 * Where a word scan's time goes, stage by stage, on the same texts in memory:
 *   node --import=tsx bench/hotpath.bench.ts [--mb 100] [--web]
 * --web runs it on the web-like corpus (bench/web-corpus.ts) instead of prose.
 * Stages: JSON.parse of the lines; extractWords (normalize + XXH32) in
 * JavaScript, then as the scan does it (the WebAssembly kernel for ASCII texts,
 * src/text/ascii-words.ts), each also on the texts the kernel takes alone; +
 * the keys of the probed windows; + Bloom probes; the full DocumentScanner.
 */
import { openSync, readSync, closeSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { indexBenchmarks } from '../src/pipeline.js';
import { generateCorpus } from './corpus-gen.js';
import { generateWebCorpus } from './web-corpus.js';
import { benchmarkEvals } from './shared-data.js';
import { extractAsciiWordHashes, extractWordHashesFast } from '../src/text/ascii-words.js';
import { extractWordHashes, WordBuffer } from '../src/text/normalize.js';
import { shingleKey } from '../src/text/shingle.js';
import { DocumentScanner } from '../src/scan/document-scanner.js';
import { WordUnits } from '../src/text/units.js';

const args = process.argv.slice(2);
const mb = Number(args[args.indexOf('--mb') + 1] ?? 100) || 100;
const out = path.resolve(import.meta.dirname, 'out');
const web = args.includes('--web');
const file = web ? (await generateWebCorpus(out, mb * 1e6)).file : (await generateCorpus(out, mb * 1e6, ['jsonl'])).jsonl![0]!;
console.log(`corpus: ${web ? 'web-like' : 'prose'}, ${mb} MB`);
const fd = openSync(file, 'r');
const buf = Buffer.alloc(mb * 1e6);
const got = readSync(fd, buf, 0, buf.length, 0);
closeSync(fd);
const raw = buf.subarray(0, buf.lastIndexOf(10, got) + 1);
const lines = raw.toString('utf8').split('\n').filter(Boolean);
const evals = benchmarkEvals();
const { index } = await indexBenchmarks(evals, { minhash: false, fpr: Number(process.env.FPR ?? 0.001) });
console.log(`index: ${index.keys} keys, Bloom ${(index.bloom.bits.byteLength / 1e6).toFixed(1)} MB with ${index.bloom.hashes} hashes, probe ${JSON.stringify(index.probe)}`);
const MB = raw.length / 1e6;
const time = (name: string, f: () => number, mb = MB): number => {
  let speed = 0;
  for (let r = 0; r < 2; r++) {
    const t = performance.now();
    const x = f();
    const s = (performance.now() - t) / 1000;
    speed = mb / s;
    if (r === 1) console.log(`${name.padEnd(28)} ${speed.toFixed(1)} MB/s  (${x})`);
  }
  return speed;
};
let texts: string[] = [];
time('JSON.parse', () => {
  texts = lines.map((l) => (JSON.parse(l) as { text: string }).text);
  return texts.length;
});
const wb = new WordBuffer();
/** Words of every text in `list` by `extract`; their count. */
const wordsOf = (list: string[], extract: (text: string, out: WordBuffer, seed: number) => unknown) => () => {
  let n = 0;
  for (const t of list) {
    extract(t, wb, 0);
    n += wb.count;
  }
  return n;
};
const js = time('extractWords', wordsOf(texts, extractWordHashes));
// The scan's extraction: ASCII texts through the WebAssembly kernel, the others (HTML, Unicode) in JavaScript.
const kernel = time('+ WebAssembly for ASCII', wordsOf(texts, extractWordHashesFast));
// The same two on the texts the kernel takes, alone.
const taken = texts.filter((t) => extractAsciiWordHashes(t, wb, 0));
const takenMb = taken.reduce((sum, t) => sum + t.length, 0) / 1e6;
const jsTaken = time('  JavaScript, those texts', wordsOf(taken, extractWordHashes), takenMb);
const kernelTaken = time('  WebAssembly, those texts', wordsOf(taken, extractAsciiWordHashes), takenMb);
console.log(
  `WebAssembly word kernel: ${(kernelTaken / jsTaken).toFixed(2)}x the JavaScript loop on the ${taken.length} of ${texts.length} texts it takes (${((100 * takenMb) / MB).toFixed(0)}% of the bytes; target for WebAssembly: at least 1.5x), ${(kernel / js).toFixed(2)}x on all texts`,
);
const keys = (probe: boolean) => () => {
  let n = 0;
  for (const t of texts) {
    extractWordHashesFast(t, wb, 0);
    const hashes = wb.hashes;
    const count = wb.count;
    {
      const { width, stride } = index.probe;
      for (let p = 0; p + width <= count; p += stride) {
        const [a, b] = shingleKey(hashes, p, width);
        if (probe) {
          if (index.bloom.has(a, b)) n++;
        } else n ^= a ^ b;
      }
    }
  }
  return n;
};
time('+ strided probe keys', keys(false));
time('+ bloom probes', keys(true));
const scanner = new DocumentScanner(index, new WordUnits(index.config.seed));
time('DocumentScanner.scan', () => {
  let n = 0;
  for (const t of texts) n += scanner.scan(t).length;
  return n;
});
time('JSON.parse + scan', () => {
  let n = 0;
  for (const l of lines) n += scanner.scan((JSON.parse(l) as { text: string }).text).length;
  return n;
});
const c = scanner.counters;
const per = (x: number) => (x / (MB * 4)).toFixed(0);
console.log(
  `per MB: ${per(c.units)} units, ${per(c.windows)} windows probed, ${per(c.bloomHits)} Bloom hits, ${per(c.candidates)} anchors extended, ${per(c.rejected)} rejected, ${per(c.verified)} verified hits`,
);
const inlineKeys = (probe: number) => () => {
  let n = 0;
  const bloom = index.bloom;
  for (const text of texts) {
    extractWordHashesFast(text, wb, 0);
    const hashes = wb.hashes;
    const count = wb.count;
    {
      const { width, stride } = index.probe;
      const wa = Math.imul(width, 0x27d4eb2f);
      const wb2 = Math.imul(width, 0x165667b1);
      for (let p = 0; p + width <= count; p += stride) {
        let la = 0;
        let lb = 0;
        for (let t = p; t < p + width; t++) {
          const h = hashes[t]!;
          la = (Math.imul(la, 0x9e3779b1) + h) | 0;
          lb = (Math.imul(lb, 0x85ebca6b) + Math.imul(h ^ (h >>> 16), 0x7feb352d)) | 0;
        }
        let a = (la + wa) | 0;
        a ^= a >>> 16;
        a = Math.imul(a, 0x85ebca6b);
        a ^= a >>> 13;
        a = Math.imul(a, 0xc2b2ae35);
        a ^= a >>> 16;
        let b = lb ^ wb2;
        b ^= b >>> 16;
        b = Math.imul(b, 0x85ebca6b);
        b ^= b >>> 13;
        b = Math.imul(b, 0xc2b2ae35);
        b ^= b >>> 16;
        if (probe === 0) n ^= a ^ b;
        else if (bloom.has(a >>> 0, b >>> 0)) n++;
      }
    }
  }
  return n;
};
time('extract + inline keys', inlineKeys(0));
time('extract + inline keys + bloom', inlineKeys(1));
time('extractWords again', () => {
  let n = 0;
  for (const t of texts) {
    extractWordHashes(t, wb, 0);
    n += wb.count;
  }
  return n;
});
time('DocumentScanner.scan again', () => {
  let n = 0;
  for (const t of texts) n += scanner.scan(t).length;
  return n;
});

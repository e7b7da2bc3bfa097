/**
 * Scan throughput and memory, against baselines run on the same files.
 *
 *   node --import=tsx bench/scan.bench.ts [--mb 1000] [--small-mb 200] [--large-mb 2000] [--baseline-mb 50] [--token-mb 10] [--runs 3]
 *
 * Index: the real benchmarks of ../shared/data (GSM8K, MMLU, HellaSwag, ARC,
 * TruthfulQA, HumanEval), word 13-grams, no MinHash. Corpus: real prose from
 * ../shared/data/corpus repeated to size (bench/corpus-gen.ts), as 16 JSONL
 * files and as one zstd Parquet file (row groups of 8,192 rows). Each
 * measurement runs in its own process (bench/scan-run.mjs, on the built code
 * in dist/, as `contam` runs) so its peak RSS is
 * its own. Prints, per format: reading alone (the floor any scanner pays), the
 * scan on one worker and on all cores, their ratio, and peak RSS at three corpus
 * sizes; then the Janitor-style baseline (a Set of normalized 13-gram strings)
 * and, for --unit token, tiktoken's own encoding speed.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { writeIndexFile } from '../src/index/file.js';
import { readEvalSamples } from '../src/io/evals.js';
import { indexBenchmarks } from '../src/pipeline.js';
import { scanDocuments } from '../src/scan/corpus-scanner.js';
import { generateCorpus } from './corpus-gen.js';
import { benchmarkEvals } from './shared-data.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const bigMb = arg('mb', 1000);
const smallMb = arg('small-mb', 200);
const largeMb = arg('large-mb', 2000);
const baselineMb = arg('baseline-mb', 50);
const tokenMb = arg('token-mb', 10);
// Each measurement is the fastest of `runs` (this machine's throughput varies by 10-20% from run to run).
const runs = Math.max(1, arg('runs', 3));
const cores = os.availableParallelism();

const out = path.resolve(import.meta.dirname, 'out');
const evals = benchmarkEvals();

/** Split one JSONL file into `n` files of about equal size, so parts can go to different cores. */
async function split(file: string, n: number): Promise<string[]> {
  const dir = `${file}.split${n}`;
  const files = Array.from({ length: n }, (_, i) => path.join(dir, `part-${String(i).padStart(2, '0')}.jsonl`));
  if (existsSync(files[n - 1]!)) return files;
  mkdirSync(dir, { recursive: true });
  const total = (await import('node:fs')).statSync(file).size;
  let k = 0;
  let written = 0;
  let stream = createWriteStream(`${files[0]}.tmp`);
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (written > ((k + 1) * total) / n && k < n - 1) {
      await new Promise((r) => stream.end(r));
      renameSync(`${files[k]}.tmp`, files[k]!);
      k++;
      stream = createWriteStream(`${files[k]}.tmp`);
    }
    const chunk = `${line}\n`;
    written += Buffer.byteLength(chunk);
    if (!stream.write(chunk)) await new Promise((r) => stream.once('drain', r));
  }
  await new Promise((r) => stream.end(r));
  renameSync(`${files[k]}.tmp`, files[k]!);
  return files.slice(0, k + 1);
}

type Run = { mode: string; bytes: number; text_bytes: number; documents: number; seconds: number; mbps: number; text_mbps: number; rss_mb: number };

function runOnce(mode: string, index: string, files: string[], textBytes: number): Run {
  const line = execFileSync(process.execPath, [path.join(import.meta.dirname, 'scan-run.mjs'), mode, index, ...files], { encoding: 'utf8', maxBuffer: 1 << 20, env: { ...process.env, TEXT_BYTES: String(textBytes) } });
  return JSON.parse(line.trim().split('\n').pop()!) as Run;
}

/** The fastest of `runs` runs, with the highest peak RSS of them (memory is reported at its worst). */
function run(mode: string, index: string, files: string[], textBytes = 0): Run {
  let best: Run | null = null;
  let rss = 0;
  for (let r = 0; r < runs; r++) {
    const one = runOnce(mode, index, files, textBytes);
    rss = Math.max(rss, one.rss_mb);
    if (!best || one.seconds < best.seconds) best = one;
  }
  return { ...best!, rss_mb: rss };
}

console.log(`# scan throughput (node ${process.version}, ${cores} cores; each figure the fastest of ${runs} runs)`);
let t0 = performance.now();
const { index } = await indexBenchmarks(evals, { minhash: false });
const indexFile = path.join(out, 'bench.cidx');
mkdirSync(out, { recursive: true });
await writeIndexFile(index, indexFile);
console.log(`index: ${index.samples.row.length} samples of 6 benchmarks, ${index.entries.segment.length} 13-gram shingles, built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const small = await generateCorpus(out, smallMb * 1e6, ['jsonl']);
const large = await generateCorpus(out, largeMb * 1e6, ['jsonl']);
const big = await generateCorpus(out, bigMb * 1e6, ['jsonl', 'parquet']);
const sets: [string, string[], string[]][] = [
  ['JSONL (16 files)', await split(big.jsonl![0]!, 16), await split(small.jsonl![0]!, 16)],
  ['zstd Parquet', big.parquet!, []],
];
for (const [name, files, smallFiles] of sets) {
  const textBytes = runOnce('text-bytes', indexFile, files, 0).text_bytes;
  const read = run('read', indexFile, files, textBytes);
  const one = run('scan-1', indexFile, files, textBytes);
  const all = run(`scan-${cores}`, indexFile, files, textBytes);
  const rate = (r: typeof one) => `${r.mbps} MB/s on disk = ${r.text_mbps} MB/s of text`;
  console.log(`${name}: ${(read.bytes / 1e6).toFixed(0)} MB on disk, ${(read.text_bytes / 1e6).toFixed(0)} MB of text, ${read.documents} documents`);
  console.log(`  read + decompress only:  ${rate(read)} (1 core), peak RSS ${read.rss_mb} MB`);
  console.log(`  scan, 1 worker:          ${rate(one)} per core, ${(one.documents / one.seconds).toFixed(0)} docs/s, peak RSS ${one.rss_mb} MB; ${(read.mbps / one.mbps).toFixed(2)}x the time of reading alone`);
  console.log(`  scan, ${cores} workers:         ${rate(all)} (${(all.mbps / one.mbps).toFixed(2)}x one worker), peak RSS ${all.rss_mb} MB`);
  if (smallFiles.length) {
    const s = run('scan-1', indexFile, smallFiles);
    const l = runOnce('scan-1', indexFile, large.jsonl!, 0);
    console.log(`  memory: a ${(s.bytes / 1e6).toFixed(0)} MB corpus peaks at ${s.rss_mb} MB RSS, ${(one.bytes / 1e6).toFixed(0)} MB at ${one.rss_mb} MB, ${(l.bytes / 1e6).toFixed(0)} MB (one file) at ${l.rss_mb} MB (1 worker; the index alone is part of all three)`);
  }
}

// --- one large file: a plain JSONL file over 64 MiB is cut into parts, so it too is scanned on every core ---
{
  const file = big.jsonl![0]!;
  const textBytes = runOnce('text-bytes', indexFile, [file], 0).text_bytes;
  const one = run('scan-1', indexFile, [file], textBytes);
  const all = run(`scan-${cores}`, indexFile, [file], textBytes);
  console.log(`one ${(one.bytes / 1e6).toFixed(0)} MB JSONL file: 1 worker ${one.seconds} s, ${cores} workers ${all.seconds} s (${(one.seconds / all.seconds).toFixed(2)}x; counting its lines included), peak RSS ${one.rss_mb} / ${all.rss_mb} MB`);
}

// --- baseline: the Janitor's approach, a Set of normalized 13-gram strings, same files, same process ---------
const PUNCT = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
const janitor = (s: string) => s.toLowerCase().replace(PUNCT, '').split(/\s+/).filter(Boolean);
const grams = new Set<string>();
for (const spec of evals) {
  for (const sample of (await readEvalSamples(spec)).samples) {
    for (const segment of sample.segments) {
      const w = janitor(segment.text);
      for (let i = 0; i + 13 <= w.length; i++) grams.add(w.slice(i, i + 13).join(' '));
    }
  }
}
const texts: string[] = [];
let textBytes = 0;
for await (const line of createInterface({ input: createReadStream(small.jsonl![0]!), crlfDelay: Infinity })) {
  texts.push((JSON.parse(line) as { text: string }).text);
  textBytes += Buffer.byteLength(line) + 1;
  if (textBytes >= baselineMb * 1e6) break;
}
t0 = performance.now();
let hits = 0;
for (const text of texts) {
  const w = janitor(text);
  for (let i = 0; i + 13 <= w.length; i++) if (grams.has(w.slice(i, i + 13).join(' '))) hits++;
}
const baseRate = textBytes / 1e6 / ((performance.now() - t0) / 1000);
t0 = performance.now();
await scanDocuments(index, texts.map((text, row) => ({ file: 'b', row, id: null, text })));
const ourRate = textBytes / 1e6 / ((performance.now() - t0) / 1000);
console.log(`baseline, same ${(textBytes / 1e6).toFixed(0)} MB in memory: Set of 13-gram strings ${baseRate.toFixed(1)} MB/s (${hits} hits); contam ${ourRate.toFixed(1)} MB/s = ${(ourRate / baseRate).toFixed(1)}x`);

// --- tokens ------------------------------------------------------------------------------------------
const { index: tokenIndex } = await indexBenchmarks(evals, { unit: 'token', minhash: false });
const sample: string[] = [];
let sampleBytes = 0;
for (const text of texts) {
  sample.push(text);
  sampleBytes += Buffer.byteLength(text);
  if (sampleBytes >= tokenMb * 1e6) break;
}
const tiktoken = await import('@dqbd/tiktoken');
const enc = tiktoken.get_encoding('cl100k_base');
t0 = performance.now();
for (const text of sample) enc.encode_ordinary(text);
const tikRate = sampleBytes / 1e6 / ((performance.now() - t0) / 1000);
t0 = performance.now();
await scanDocuments(tokenIndex, sample.map((text, row) => ({ file: 't', row, id: null, text })));
const tokRate = sampleBytes / 1e6 / ((performance.now() - t0) / 1000);
console.log(`tokens (cl100k_base, ${(sampleBytes / 1e6).toFixed(0)} MB): tiktoken encoding alone ${tikRate.toFixed(2)} MB/s; contam token 13-gram scan ${tokRate.toFixed(2)} MB/s = ${((tokRate / tikRate) * 100).toFixed(0)}% of tiktoken`);


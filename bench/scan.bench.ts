/**
 * Scan throughput and memory, against baselines run on the same files.
 *
 *   node --import=tsx bench/scan.bench.ts [--mb 1000] [--small-mb 200] [--large-mb 2000] [--web-mb 200] [--baseline-mb 50] [--token-mb 10] [--runs 3]
 *
 * Index: the real benchmarks of ../shared/data (GSM8K, MMLU, HellaSwag, ARC,
 * TruthfulQA, HumanEval), word 13-grams, exact only (no template discount); and the same with
 * `check`'s defaults (the graded verdict). Corpus: real prose from
 * ../shared/data/corpus repeated to size (bench/corpus-gen.ts), as 16 JSONL
 * files, the same 16 as .jsonl.gz and .jsonl.zst, and one zstd Parquet file
 * (row groups of 8,192 rows); and a web-like corpus (bench/web-corpus.ts:
 * sources interleaved, web page lengths, ~11% benchmark-like pages). Each
 * measurement runs in its own process (bench/scan-run.mjs, on the built code
 * in dist/, as `contam` runs) so its peak RSS is its own. Prints, per format:
 * reading alone (the floor any scanner pays), the scan on one worker and on
 * all cores, their ratio, and peak RSS at three corpus sizes, each by wall and
 * by CPU time (user+sys of the whole process: a shared machine disturbs it
 * less); for .jsonl.zst, one worker with the decoder on its own thread (now)
 * and inline (before) beside plain JSONL in the same minute; the MB/s per
 * core with `check`'s defaults against the Pile goal; the web-like corpus with
 * its scan counters per MB; then the Janitor-style baseline (a Set of
 * normalized 13-gram strings), in memory on prose and as a whole process on
 * the web-like corpus, and, for --unit token, tiktoken's own encoding speed.
 */
import { execFileSync } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { writeIndexFile } from '../src/cidx/file.js';
import { readEvalSamples } from '../src/readers/evals/evals.js';
import { indexBenchmarks } from '../src/pipeline.js';
import { scanDocuments } from '../src/scan/corpus-scanner.js';
import { zstdStreamDecoder } from '../src/io/zstd-stream.js';
import { generateCorpus, hasZstdCli } from './corpus-gen.js';
import { benchmarkArguments, benchmarkEvals } from './shared-data.js';
import { generateWebCorpus, WEB_MIX } from './web-corpus.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const bigMb = arg('mb', 1000);
const smallMb = arg('small-mb', 200);
const largeMb = arg('large-mb', 2000);
const baselineMb = arg('baseline-mb', 50);
const webMb = arg('web-mb', 200);
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

/** Each file compressed beside it (`.gz` by node:zlib level 6, `.zst` by the zstd CLI level 3), as a corpus of many compressed files is. */
async function compressEach(files: string[], kind: 'gz' | 'zst'): Promise<string[]> {
  const out: string[] = [];
  for (const file of files) {
    const target = `${file}.${kind}`;
    if (!existsSync(target)) {
      if (kind === 'gz') await pipeline(createReadStream(file), createGzip({ level: 6 }), createWriteStream(`${target}.tmp`));
      else if (spawnSync('zstd', ['-q', '-3', '-f', file, '-o', `${target}.tmp`], { stdio: 'inherit' }).status !== 0) throw new Error('zstd failed');
      renameSync(`${target}.tmp`, target);
    }
    out.push(target);
  }
  return out;
}

type Counters = { windows: number; bloomHits: number; candidates: number; verified: number; rejected: number; minhashWindows: number; minhashCandidates: number; minhashMatches: number };
type Run = {
  mode: string;
  bytes: number;
  text_bytes: number;
  documents: number;
  seconds: number;
  cpu_seconds: number;
  mbps: number;
  cpu_mbps: number;
  text_mbps: number;
  rss_mb: number;
  counters: Counters | null;
};

function runOnce(mode: string, index: string, files: string[], textBytes: number, env: Record<string, string> = {}): Run {
  const line = execFileSync(process.execPath, [path.join(import.meta.dirname, 'scan-run.mjs'), mode, index, ...files], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    env: { ...process.env, ...env, TEXT_BYTES: String(textBytes) },
  });
  return JSON.parse(line.trim().split('\n').pop()!) as Run;
}

/**
 * The fastest of `runs` runs (wall and CPU time each at its best), with the highest peak RSS of
 * them (memory is reported at its worst).
 */
function run(mode: string, index: string, files: string[], textBytes = 0, env: Record<string, string> = {}): Run {
  let best: Run | null = null;
  let rss = 0;
  let cpu = Infinity;
  for (let r = 0; r < runs; r++) {
    const one = runOnce(mode, index, files, textBytes, env);
    rss = Math.max(rss, one.rss_mb);
    cpu = Math.min(cpu, one.cpu_seconds);
    if (!best || one.seconds < best.seconds) best = one;
  }
  return { ...best!, rss_mb: rss, cpu_seconds: cpu, cpu_mbps: Number((best!.bytes / 1e6 / cpu).toFixed(1)) };
}

console.log(`# scan throughput (node ${process.version}, ${cores} cores; each figure the fastest of ${runs} runs)`);
let t0 = performance.now();
// Exact only: GPT-3's view, every anchor extended (no template discount), no near-duplicates.
const { index } = await indexBenchmarks(evals, { templates: false });
const indexFile = path.join(out, 'bench.cidx');
mkdirSync(out, { recursive: true });
await writeIndexFile(index, indexFile);
console.log(`index: ${index.samples.row.length} samples of 6 benchmarks, ${index.entries.count} 13-gram shingles, built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
// `check`'s defaults: the graded verdict's index (template words discounted; near-duplicates are its evidence runs).
const defaultsFile = path.join(out, 'bench-defaults.cidx');
await writeIndexFile((await indexBenchmarks(evals)).index, defaultsFile);

const small = await generateCorpus(out, smallMb * 1e6, ['jsonl']);
const large = await generateCorpus(out, largeMb * 1e6, ['jsonl']);
const big = await generateCorpus(out, bigMb * 1e6, ['jsonl', 'parquet']);
const bigParts = await split(big.jsonl![0]!, 16);
const sets: [string, string[], string[]][] = [
  ['JSONL (16 files)', bigParts, await split(small.jsonl![0]!, 16)],
  ['.jsonl.gz (16 files)', await compressEach(bigParts, 'gz'), []],
  ...(hasZstdCli() ? [[`.jsonl.zst (16 files, ${zstdStreamDecoder})`, await compressEach(bigParts, 'zst'), []] as [string, string[], string[]]] : []),
  ['zstd Parquet', big.parquet!, []],
];
if (!hasZstdCli()) console.log('.jsonl.zst: skipped (the zstd CLI is missing: apt-get install -y zstd)');
const oneWorker: Record<string, Run> = {};
for (const [name, files, smallFiles] of sets) {
  const textBytes = runOnce('text-bytes', indexFile, files, 0).text_bytes;
  const read = run('read', indexFile, files, textBytes);
  const one = run('scan-1', indexFile, files, textBytes);
  const all = run(`scan-${cores}`, indexFile, files, textBytes);
  const rate = (r: typeof one) => `${r.mbps} MB/s on disk = ${r.text_mbps} MB/s of text (by CPU time ${r.cpu_mbps} MB/s on disk)`;
  console.log(`${name}: ${(read.bytes / 1e6).toFixed(0)} MB on disk, ${(read.text_bytes / 1e6).toFixed(0)} MB of text, ${read.documents} documents`);
  console.log(`  read + decompress only:  ${rate(read)} (1 core), peak RSS ${read.rss_mb} MB`);
  console.log(
    `  scan, 1 worker:          ${rate(one)} per core, ${(one.documents / one.seconds).toFixed(0)} docs/s, peak RSS ${one.rss_mb} MB; ${(read.mbps / one.mbps).toFixed(2)}x the time of reading alone`,
  );
  console.log(`  scan, ${cores} workers:         ${rate(all)} (${(all.mbps / one.mbps).toFixed(2)}x one worker), peak RSS ${all.rss_mb} MB`);
  oneWorker[name] = one;
  if (name.startsWith('.jsonl.zst')) {
    // Before: libzstd inline, on the scanning thread. Plain JSONL measured again beside both, so all three share the minute.
    const plain = run('scan-1', indexFile, bigParts, textBytes);
    const inline = run('scan-1', indexFile, files, textBytes, { ZSTD_DECODER: 'zstd-napi' });
    const ahead = run('scan-1', indexFile, files, textBytes);
    const pct = (x: number, y: number) => `${x >= y ? '+' : ''}${((x / y - 1) * 100).toFixed(1)}%`;
    console.log(
      `  1 worker, the same corpus as plain JSONL / .jsonl.zst decoded on its own thread (now) / .jsonl.zst decoded inline (before): wall ${plain.seconds} / ${ahead.seconds} / ${inline.seconds} s = ${pct(ahead.seconds, plain.seconds)} now, ${pct(inline.seconds, plain.seconds)} before (target: within 15%); CPU ${plain.cpu_seconds} / ${ahead.cpu_seconds} / ${inline.cpu_seconds} s`,
    );
  }
  if (smallFiles.length) {
    const s = run('scan-1', indexFile, smallFiles);
    const l = runOnce('scan-1', indexFile, large.jsonl!, 0);
    console.log(
      `  memory: a ${(s.bytes / 1e6).toFixed(0)} MB corpus peaks at ${s.rss_mb} MB RSS, ${(one.bytes / 1e6).toFixed(0)} MB at ${one.rss_mb} MB, ${(l.bytes / 1e6).toFixed(0)} MB (one file) at ${l.rss_mb} MB (1 worker; the index alone is part of all three)`,
    );
  }
}

// --- one large file: a plain JSONL file over 64 MiB is cut into parts, so it too is scanned on every core ---
{
  const file = big.jsonl![0]!;
  const textBytes = runOnce('text-bytes', indexFile, [file], 0).text_bytes;
  const one = run('scan-1', indexFile, [file], textBytes);
  const all = run(`scan-${cores}`, indexFile, [file], textBytes);
  console.log(
    `one ${(one.bytes / 1e6).toFixed(0)} MB JSONL file: 1 worker ${one.seconds} s, ${cores} workers ${all.seconds} s (${(one.seconds / all.seconds).toFixed(2)}x; counting its lines included), peak RSS ${one.rss_mb} / ${all.rss_mb} MB`,
  );
}

// --- the Pile goal: MB/s per core with `check`'s defaults (graded, near-duplicates included), one worker ----------------
{
  // On the small corpus: the graded default against the exact scan alone.
  const files = await split(small.jsonl![0]!, 16);
  const textBytes = runOnce('text-bytes', defaultsFile, files, 0).text_bytes;
  const exact = run('scan-1', indexFile, files, textBytes);
  const d = run('scan-1', defaultsFile, files, textBytes);
  // 825 GB in 5 minutes on a 64-core node.
  const goal = 825e3 / 300 / 64;
  const best = Math.max(d.mbps, d.cpu_mbps);
  console.log(
    `per core with check's defaults (graded), ${(d.bytes / 1e6).toFixed(0)} MB of JSONL, 1 worker: ${d.mbps} MB/s, by CPU time ${d.cpu_mbps} (exact only: ${exact.mbps}, by CPU time ${exact.cpu_mbps}); the Pile goal needs ${goal.toFixed(0)} MB/s per core: ${best >= goal ? 'met' : 'not met'}, ${(best / goal).toFixed(2)}x`,
  );
}

// --- the web-like corpus: sources interleaved, web page lengths, ~11% benchmark-like pages ----------------
const perMb = (c: Counters, mb: number) =>
  `windows ${(c.windows / mb).toFixed(0)}, Bloom hits ${(c.bloomHits / mb).toFixed(1)}, candidates (postings visited = anchors extended) ${(c.candidates / mb).toFixed(1)}, verified ${(c.verified / mb).toFixed(2)}, rejected ${(c.rejected / mb).toFixed(2)}, near windows ${(c.minhashWindows / mb).toFixed(0)}, near candidates ${(c.minhashCandidates / mb).toFixed(1)}`;
{
  const web = await generateWebCorpus(out, webMb * 1e6);
  const files = [web.file];
  const textBytes = runOnce('text-bytes', indexFile, files, 0).text_bytes;
  const read = run('read', indexFile, files, textBytes);
  const mix = Object.entries(web.kinds)
    .map(([k, v]) => `${k} ${((100 * v) / web.documents).toFixed(1)}%`)
    .join(', ');
  console.log(`web-like corpus: ${(read.bytes / 1e6).toFixed(0)} MB, ${web.documents} documents (${mix}; planned ${JSON.stringify(WEB_MIX)}); read alone ${read.mbps} MB/s`);
  for (const [label, index] of [
    ['defaults (graded)', defaultsFile],
    ['exact only', indexFile],
  ] as const) {
    const one = run('scan-1', index, files, textBytes);
    const mb = one.bytes / 1e6;
    console.log(
      `  ${label}, 1 worker: ${one.mbps} MB/s per core (by CPU time ${one.cpu_mbps}), ${(one.documents / one.seconds).toFixed(0)} docs/s, peak RSS ${one.rss_mb} MB${label.startsWith('defaults') ? ` (target: at least 70 MB/s: ${Math.max(one.mbps, one.cpu_mbps) >= 70 ? 'met' : 'not met'}; the Pile goal, 43 MB/s per core: ${Math.max(one.mbps, one.cpu_mbps) >= 43 ? 'met' : 'not met'})` : ''}`,
    );
    if (one.counters) console.log(`    per MB: ${perMb(one.counters, mb)}`);
    if (label.startsWith('defaults')) {
      const all = run(`scan-${cores}`, index, files, textBytes);
      console.log(`  defaults, ${cores} workers: ${all.mbps} MB/s (${(all.mbps / one.mbps).toFixed(2)}x one worker; the one file is cut into parts at line ends), by CPU time ${all.cpu_mbps} MB/s`);
    }
  }
}

// --- the Janitor as a whole process, one core, on a web-like corpus: against `contam check --workers 1` -------
{
  const web = await generateWebCorpus(out, baselineMb * 1e6);
  const specs = benchmarkArguments();
  // Wall and CPU time (bench/cpu-at-exit.mjs, preloaded) of the whole process, each the best of `runs`.
  const preload = `--import=${pathToFileURL(path.join(import.meta.dirname, 'cpu-at-exit.mjs')).href}`;
  const timed = (args: string[]) => {
    let best = { seconds: Infinity, cpu: Infinity, stdout: '' };
    for (let r = 0; r < runs; r++) {
      const start = performance.now();
      const child = spawnSync(process.execPath, [preload, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
      if (child.status !== 0) throw new Error(`${args.join(' ')} failed: ${child.stderr}`);
      const seconds = (performance.now() - start) / 1000;
      const usage = JSON.parse(/cpu-at-exit (.*)/.exec(child.stderr)![1]!) as { user: number; system: number };
      best = { seconds: Math.min(best.seconds, seconds), cpu: Math.min(best.cpu, usage.user + usage.system), stdout: child.stdout };
    }
    return best;
  };
  const janitor = timed([path.join(import.meta.dirname, 'janitor-run.mjs'), web.file, ...specs]);
  const j = JSON.parse(janitor.stdout.trim()) as { hits: number; rss_mb: number };
  const cli = path.join(import.meta.dirname, '../dist/src/cli/main.js');
  const report = path.join(out, 'web-check.json');
  const check = timed([cli, 'check', ...specs.flatMap((e) => ['--eval', e]), '--corpus', web.file, '--workers', '1', '-o', report, '--quiet']);
  const mb = statSync(web.file).size / 1e6;
  console.log(
    `Janitor baseline, whole process, 1 worker, web-like ${mb.toFixed(0)} MB: Janitor ${janitor.seconds.toFixed(1)} s wall, ${janitor.cpu.toFixed(1)} s CPU (${(mb / janitor.seconds).toFixed(1)} MB/s, ${j.hits} 13-gram hits, peak RSS ${j.rss_mb} MB); contam check --workers 1 (defaults, indexing included) ${check.seconds.toFixed(1)} s wall, ${check.cpu.toFixed(1)} s CPU (${(mb / check.seconds).toFixed(1)} MB/s) = ${(janitor.seconds / check.seconds).toFixed(1)}x by wall time, ${(janitor.cpu / check.cpu).toFixed(1)}x by CPU time (target: at least 25x)`,
  );
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
await scanDocuments(
  index,
  texts.map((text, row) => ({ file: 'b', row, id: null, text })),
);
const ourRate = textBytes / 1e6 / ((performance.now() - t0) / 1000);
console.log(
  `baseline, same ${(textBytes / 1e6).toFixed(0)} MB in memory: Set of 13-gram strings ${baseRate.toFixed(1)} MB/s (${hits} hits); contam ${ourRate.toFixed(1)} MB/s = ${(ourRate / baseRate).toFixed(1)}x`,
);

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
await scanDocuments(
  tokenIndex,
  sample.map((text, row) => ({ file: 't', row, id: null, text })),
);
const tokRate = sampleBytes / 1e6 / ((performance.now() - t0) / 1000);
console.log(
  `tokens (cl100k_base, ${(sampleBytes / 1e6).toFixed(0)} MB): tiktoken encoding alone ${tikRate.toFixed(2)} MB/s; contam token 13-gram scan ${tokRate.toFixed(2)} MB/s = ${((tokRate / tikRate) * 100).toFixed(0)}% of tiktoken`,
);

/**
 * How the index grows: `contam index` over 10k, 100k and 1M samples.
 *
 *   node --import=tsx bench/index.bench.ts [--sizes 10000,100000,1000000] [--skip-index-1m] [--index-minutes 10]
 *
 * Samples: the real ones of the 7 benchmarks of ../shared/data (GSM8K, MMLU,
 * HellaSwag, ARC-Challenge, TruthfulQA, HumanEval, SQuAD: ~41,000), taken
 * evenly across them up to the size; past them, synthetic samples of the same
 * word lengths (cycling through the real ones'), each a chain of 4-12 word
 * fragments from the corpus prose at seeded random places, so nearly every
 * 13-gram spans a junction and is new, as a fresh benchmark's would be. Each
 * size is written as one JSONL eval file and indexed by the built CLI
 * (`contam index --eval bench=FILE#text`, its defaults) in a child process, so
 * the peak RSS is the build's own; another child loads the result with
 * readIndexFile beside a plain read of its bytes. Prints, per size: shingles,
 * bytes per shingle on disk, peak RSS and time to build, time to load against
 * the time to read the bytes; and the growth from size to size, which is
 * linear when the ratios match the sizes'.
 *
 * Before: the same index's bytes in format 3 (the layout before index format
 * 4), counted in the same run from the loaded index (bench/index-load.mjs);
 * build time, peak RSS and load time of format 3 cannot run in this checkout,
 * so they are printed as measured by this bench on this machine before the
 * change (BEFORE), labelled so. Format 4 (the layout before format 5, which
 * compressed the sample texts) likewise, as this bench measured it
 * (BEFORE_FORMAT_4).
 *
 * The 1M case is skipped when the 10k and 100k builds predict, by linear
 * growth, more than --index-minutes or more than 80% of the machine's memory
 * (the prediction is printed), or when --skip-index-1m is given.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEvalArgument, readEvalSamples } from '../src/readers/evals/evals.js';
import { mulberry32 } from '../src/score/bootstrap.js';
import { sourceDocuments } from './corpus-gen.js';
import { benchmarkArguments, SHARED_DATA } from './shared-data.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const sizes = (option('sizes') ?? '10000,100000,1000000').split(',').map(Number);
const skip1m = args.includes('--skip-index-1m');
const budgetMinutes = Number(option('index-minutes') ?? 10);
const out = path.resolve(import.meta.dirname, 'out');
mkdirSync(out, { recursive: true });
const cli = path.resolve(import.meta.dirname, '../dist/src/cli/main.js');

/** The texts of the 7 benchmarks' samples, their segments joined by newlines, benchmark by benchmark. */
async function realSamples(): Promise<string[]> {
  const specs = [...benchmarkArguments(), `squad=${SHARED_DATA}/squad/dev-v1.1.qa.jsonl.gz`].map(parseEvalArgument);
  const texts: string[] = [];
  for (const spec of specs) for (const sample of (await readEvalSamples(spec)).samples) texts.push(sample.segments.map((s) => s.text).join('\n'));
  return texts;
}

/**
 * Samples per eval file: the eval reader decodes a file as one string, and V8's strings stop
 * at 2^29 - 24 UTF-16 units (a 700 MB file of 1M samples was refused as "not valid UTF-8").
 */
const PART = 250_000;

/** Write `n` samples as `{id, text}` JSONL, PART samples a file (reused when there); their paths. */
async function evalFiles(n: number, real: string[]): Promise<string[]> {
  const parts = Math.ceil(n / PART);
  const files = Array.from({ length: parts }, (_, k) => path.join(out, parts === 1 ? `index-bench-${n}.jsonl` : `index-bench-${n}-part${k}.jsonl`));
  if (files.every((f) => existsSync(f))) return files;
  const prose = sourceDocuments()
    .map((d) => d.text)
    .join(' ');
  const rnd = mulberry32(n);
  const lengths = real.map((t) => t.split(/\s+/).length);
  // A fragment of 4-12 words from a random place in the prose, from a word start.
  const fragment = () => {
    let at = prose.indexOf(' ', Math.floor(rnd() * (prose.length - 2000))) + 1;
    const words: string[] = [];
    const want = 4 + Math.floor(rnd() * 9);
    while (words.length < want) {
      let end = prose.indexOf(' ', at);
      if (end < 0) end = prose.length;
      if (end > at) words.push(prose.slice(at, end));
      at = end + 1;
    }
    return words.join(' ');
  };
  let stream = createWriteStream(`${files[0]}.tmp`);
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % PART === 0) {
      await new Promise((resolve) => stream.end(resolve));
      stream = createWriteStream(`${files[i / PART]}.tmp`);
    }
    let text: string;
    if (n <= real.length) text = real[Math.floor((i * real.length) / n)]!;
    else if (i < real.length) text = real[i]!;
    else {
      const want = lengths[i % lengths.length]!;
      const parts: string[] = [];
      for (let words = 0; words < want; ) {
        const f = fragment();
        parts.push(f);
        words += f.split(' ').length;
      }
      text = parts.join(' ');
    }
    if (!stream.write(`${JSON.stringify({ id: `s${i}`, text })}\n`)) await new Promise((resolve) => stream.once('drain', resolve));
  }
  await new Promise((resolve) => stream.end(resolve));
  for (const file of files) renameSync(`${file}.tmp`, file);
  return files;
}

/**
 * Format 3 as this bench measured it on this machine (2 cores shared, load average about 12),
 * 2026-11-30, at commit 3f08b51: bytes per shingle, build seconds, build peak RSS MB, load seconds.
 */
const BEFORE: Record<string, { perShingle: number; buildSeconds: number; rssMb: number; loadSeconds: number }> = {
  '7-benchmarks': { perShingle: 136.7, buildSeconds: 35.5, rssMb: 967, loadSeconds: 7.44 },
  '10000': { perShingle: 99.6, buildSeconds: 11.6, rssMb: 344, loadSeconds: 2.09 },
  '100000': { perShingle: 127.4, buildSeconds: 306.1, rssMb: 2570, loadSeconds: 52.18 },
};
const BEFORE_1M = 'skipped by this bench before: predicted 51 min to build, peak RSS 24.2 GB';

/** Format 4 as this bench measured it on this machine (2 cores shared, load average 4-5), 2026-11-30, at commit 35c93ac. */
const BEFORE_FORMAT_4: Record<string, { perShingle: number; buildSeconds: number; rssMb: number; loadSeconds: number }> = {
  '7-benchmarks': { perShingle: 33.8, buildSeconds: 16.4, rssMb: 453, loadSeconds: 0.96 },
  '10000': { perShingle: 23.1, buildSeconds: 4.4, rssMb: 216, loadSeconds: 0.25 },
  '100000': { perShingle: 23.5, buildSeconds: 35.0, rssMb: 817, loadSeconds: 1.68 },
};

interface Built {
  name: string;
  samples: number;
  shingles: number;
  bytes: number;
  /** The same index in format 3, counted in-process. */
  format3Bytes: number;
  buildSeconds: number;
  rssMb: number;
  readSeconds: number;
  loadSeconds: number;
  loadRssMb: number;
}

/** Build with `contam index` from `evalArgs` (each an --eval argument) in a child, then load the index in another. */
function buildAndLoad(n: number, name: string, evalArgs: string[]): Built {
  const index = path.join(out, `index-bench-${name}.cidx`);
  const rssFile = path.join(out, `index-bench-${name}.rss`);
  rmSync(rssFile, { force: true });
  const start = performance.now();
  const build = spawnSync(process.execPath, ['--import', path.join(import.meta.dirname, 'peak-rss.mjs'), cli, 'index', ...evalArgs.flatMap((e) => ['--eval', e]), '-o', index, '--json'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, PEAK_RSS_FILE: rssFile },
  });
  const buildSeconds = (performance.now() - start) / 1000;
  if (build.status !== 0) throw new Error(`contam index of ${name} failed (${build.status}): ${build.stderr}`);
  const info = JSON.parse(build.stdout) as { shingles: number };
  const load = spawnSync(process.execPath, [path.join(import.meta.dirname, 'index-load.mjs'), index], { encoding: 'utf8' });
  if (load.status !== 0) throw new Error(`loading ${index} failed: ${load.stderr}`);
  const l = JSON.parse(load.stdout.trim()) as { bytes: number; read_s: number; load_s: number; rss_mb: number; format3_bytes: number };
  return {
    name,
    samples: n,
    shingles: info.shingles,
    bytes: statSync(index).size,
    format3Bytes: l.format3_bytes,
    buildSeconds,
    rssMb: Number(readFileSync(rssFile, 'utf8')),
    readSeconds: l.read_s,
    loadSeconds: l.load_s,
    loadRssMb: l.rss_mb,
  };
}

console.log(`# index growth (node ${process.version}, ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; contam index defaults, 13-grams)`);
const real = await realSamples();
console.log(`real samples of the 7 benchmarks: ${real.length}; past them, synthetic samples from ../shared/data/corpus prose`);
const report = (label: string, r: Built) => {
  console.log(
    `${label}: ${r.shingles} shingles, ${(r.bytes / 1e6).toFixed(1)} MB on disk = ${(r.bytes / r.shingles).toFixed(1)} bytes per shingle (target: at most 24); build ${r.buildSeconds.toFixed(1)} s, peak RSS ${r.rssMb} MB; load ${r.loadSeconds.toFixed(2)} s (${(r.bytes / 1e6 / r.loadSeconds).toFixed(0)} MB/s) against ${r.readSeconds.toFixed(2)} s to read its bytes (${(r.loadSeconds / r.readSeconds).toFixed(1)}x), peak RSS ${r.loadRssMb} MB`,
  );
  const before = BEFORE[r.name];
  const measured = before
    ? `; measured before the change (format 3, this machine, not this run): ${before.perShingle} bytes per shingle, build ${before.buildSeconds} s, peak RSS ${before.rssMb} MB, load ${before.loadSeconds} s`
    : r.samples >= 1_000_000
      ? `; ${BEFORE_1M}`
      : '';
  const format4 = BEFORE_FORMAT_4[r.name];
  if (format4) {
    console.log(
      `  before, format 4 (measured by this bench before format 5, this machine, not this run): ${format4.perShingle} bytes per shingle, build ${format4.buildSeconds} s, peak RSS ${format4.rssMb} MB, load ${format4.loadSeconds} s`,
    );
  }
  console.log(
    `  before, format 3: the same index counted in this run ${(r.format3Bytes / 1e6).toFixed(1)} MB = ${(r.format3Bytes / r.shingles).toFixed(1)} bytes per shingle (${(r.format3Bytes / r.bytes).toFixed(1)}x the bytes now)${measured}`,
  );
};
{
  const seven = [...benchmarkArguments(), `squad=${SHARED_DATA}/squad/dev-v1.1.qa.jsonl.gz`];
  const r = buildAndLoad(real.length, '7-benchmarks', seven);
  report(`the 7 benchmarks as files (${real.length} samples; target: peak RSS under 1 GB)`, r);
}
const results: Built[] = [];
for (const n of sizes) {
  if (n >= 1_000_000 && results.length >= 2) {
    const [a, b] = results.slice(-2) as [Built, Built];
    const scale = (v1: number, v2: number) => v2 + ((v2 - v1) * (n - b.samples)) / (b.samples - a.samples);
    const minutes = (b.buildSeconds * (n / b.samples)) / 60;
    const rss = scale(a.rssMb, b.rssMb);
    const note = `predicted by linear growth from ${a.samples} and ${b.samples}: ${minutes.toFixed(0)} min to build, peak RSS ${(rss / 1024).toFixed(1)} GB`;
    if (skip1m || minutes > budgetMinutes || rss > (0.8 * os.totalmem()) / 2 ** 20) {
      console.log(`${n} samples: skipped (${skip1m ? '--skip-index-1m' : `over the budget of ${budgetMinutes} min or 80% of memory`}); ${note}`);
      continue;
    }
    console.log(`${n} samples: ${note}`);
  } else if (n >= 1_000_000 && skip1m) {
    console.log(`${n} samples: skipped (--skip-index-1m)`);
    continue;
  }
  const evals = await evalFiles(n, real);
  const r = buildAndLoad(
    n,
    String(n),
    evals.map((file, k) => `${evals.length === 1 ? 'bench' : `bench${k}`}=${file}#text`),
  );
  results.push(r);
  report(`${n} samples`, r);
}
for (let i = 1; i < results.length; i++) {
  const a = results[i - 1]!;
  const b = results[i]!;
  const x = (f: (r: Built) => number) => (f(b) / f(a)).toFixed(1);
  console.log(
    `growth ${a.samples} -> ${b.samples} (${x((r) => r.samples)}x samples): shingles ${x((r) => r.shingles)}x, disk ${x((r) => r.bytes)}x, build time ${x((r) => r.buildSeconds)}x, peak RSS ${x((r) => r.rssMb)}x, load time ${x((r) => r.loadSeconds)}x`,
  );
}

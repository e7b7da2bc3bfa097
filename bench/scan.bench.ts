/**
 * Scan throughput on one core, against baselines run in the same process.
 *
 *   node --import=tsx bench/scan.bench.ts [--mb 200] [--baseline-mb 50] [--token-mb 10]
 *
 * Index: the real benchmarks of ../shared/data (GSM8K, MMLU, HellaSwag, ARC,
 * TruthfulQA, HumanEval). Corpus: JSONL generated from ../shared/data/corpus
 * (bench/corpus-gen.ts). Prints MB/s and docs/s of `scanCorpus` (reading and
 * JSON parsing included), of the baseline lm-evaluation-harness's Janitor
 * uses (a Set of normalized n-gram strings), and, for --unit token, of
 * tiktoken's own encoding of the same text.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { createReadStream } from 'node:fs';
import { indexBenchmarks } from '../src/pipeline.js';
import { parseEvalArgument } from '../src/io/evals.js';
import { scanCorpus } from '../src/scan/scan.js';
import { readEvalSamples } from '../src/io/evals.js';
import { generateCorpus } from './corpus-gen.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const totalMb = arg('mb', 200);
const baselineMb = arg('baseline-mb', 50);
const tokenMb = arg('token-mb', 10);

const data = path.resolve(import.meta.dirname, '../../shared/data');
const evals = [
  `gsm8k=${data}/gsm8k/test.jsonl`,
  `mmlu=${data}/mmlu/test.jsonl`,
  `hellaswag=${data}/hellaswag/val.jsonl`,
  `arc=${data}/arc/ARC-Challenge-Test.jsonl`,
  `truthfulqa=${data}/truthfulqa/TruthfulQA.csv`,
  `humaneval=${data}/humaneval/HumanEval.jsonl.gz`,
].map(parseEvalArgument);

const rss = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);
const mbps = (bytes: number, ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(1);

console.log(`# scan throughput, one core (node ${process.version})`);
const out = path.resolve(import.meta.dirname, 'out');
const generated = await generateCorpus(out, totalMb * 1e6, ['jsonl']);
const files = generated.jsonl!;

let t0 = performance.now();
const { index } = await indexBenchmarks(evals);
console.log(`index: ${index.samples.row.length} samples, ${index.entries.segment.length} shingles, built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// --- contam, words, 13-grams -------------------------------------------------
t0 = performance.now();
const report = await scanCorpus(index, files);
const contamMs = performance.now() - t0;
const bytes = report.corpus.bytes;
const contamRate = bytes / 1e6 / (contamMs / 1000);
console.log(`contam scan (word 13-grams): ${(bytes / 1e6).toFixed(0)} MB, ${report.corpus.documents} docs in ${(contamMs / 1000).toFixed(1)} s = ${mbps(bytes, contamMs)} MB/s, ${(report.corpus.documents / (contamMs / 1000)).toFixed(0)} docs/s; peak RSS ${rss()} MB; ${report.benchmarks.reduce((s, b) => s + b.contaminated, 0)} samples contaminated`);

// --- baseline: the Janitor's approach, a Set of normalized n-gram strings ----------
const PUNCT = new RegExp(`[${'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'.replace(/[\]\\^-]/g, '\\$&')}]`, 'g');
const janitorNormalize = (s: string) => s.toLowerCase().replace(PUNCT, '');
const grams = new Set<string>();
for (const spec of evals) {
  const { samples } = await readEvalSamples(spec);
  for (const sample of samples) {
    for (const segment of sample.segments) {
      const w = janitorNormalize(segment.text).split(/\s+/).filter(Boolean);
      for (let i = 0; i + 13 <= w.length; i++) grams.add(w.slice(i, i + 13).join(' '));
    }
  }
}
let baseBytes = 0;
let baseHits = 0;
t0 = performance.now();
outer: for (const file of files) {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    baseBytes += Buffer.byteLength(line) + 1;
    const text = (JSON.parse(line) as { text: string }).text;
    const w = janitorNormalize(text).split(/\s+/).filter(Boolean);
    for (let i = 0; i + 13 <= w.length; i++) if (grams.has(w.slice(i, i + 13).join(' '))) baseHits++;
    if (baseBytes >= baselineMb * 1e6) break outer;
  }
}
const baseMs = performance.now() - t0;
const baseRate = baseBytes / 1e6 / (baseMs / 1000);
console.log(`baseline (Set of 13-gram strings, Janitor normalization): ${(baseBytes / 1e6).toFixed(0)} MB in ${(baseMs / 1000).toFixed(1)} s = ${baseRate.toFixed(1)} MB/s (${baseHits} n-gram hits)`);
console.log(`ratio contam / baseline: ${(contamRate / baseRate).toFixed(1)}x`);

// --- tokens ------------------------------------------------------------------------
const { index: tokenIndex } = await indexBenchmarks(evals.slice(0, 2), { unit: 'token' });
const sample: string[] = [];
let sampleBytes = 0;
for (const line of readFileSync(files[0]!, 'utf8').split('\n')) {
  if (!line) continue;
  const text = (JSON.parse(line) as { text: string }).text;
  sample.push(text);
  sampleBytes += Buffer.byteLength(text);
  if (sampleBytes >= tokenMb * 1e6) break;
}
const tiktoken = await import('@dqbd/tiktoken');
const enc = tiktoken.get_encoding('cl100k_base');
t0 = performance.now();
let tokens = 0;
for (const text of sample) tokens += enc.encode_ordinary(text).length;
const tikMs = performance.now() - t0;
const { scanDocuments } = await import('../src/scan/corpus-scanner.js');
t0 = performance.now();
await scanDocuments(tokenIndex, sample.map((text, row) => ({ file: 'sample', row, id: null, text })));
const tokMs = performance.now() - t0;
console.log(`tiktoken cl100k_base encode alone: ${(sampleBytes / 1e6).toFixed(1)} MB = ${mbps(sampleBytes, tikMs)} MB/s (${tokens} tokens)`);
console.log(`contam scan (token 13-grams, cl100k_base): ${mbps(sampleBytes, tokMs)} MB/s = ${((tikMs / tokMs) * 100).toFixed(0)}% of tiktoken's speed`);

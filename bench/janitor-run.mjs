/**
 * The Janitor-style baseline as a whole process, one core:
 *   node bench/janitor-run.mjs <corpus.jsonl> <evalSpec...>
 * What lm-evaluation-harness's Janitor does, in JavaScript: every benchmark
 * text lowercased, stripped of ASCII punctuation, split on whitespace, its
 * word 13-grams put in a Set of strings; then every corpus document
 * normalized the same way and each of its 13-grams looked up. The benchmark
 * texts are the ones contam indexes (readEvalSamples, built code in dist/).
 * The parent times the process from spawn to exit; this prints one JSON line
 * {documents, grams, hits, rss_mb}.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseEvalArgument, readEvalSamples } from '../dist/src/readers/evals/evals.js';

const [corpus, ...specs] = process.argv.slice(2);
const PUNCT = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
const words = (s) => s.toLowerCase().replace(PUNCT, '').split(/\s+/).filter(Boolean);
const grams = new Set();
for (const spec of specs) {
  for (const sample of (await readEvalSamples(parseEvalArgument(spec))).samples) {
    for (const segment of sample.segments) {
      const w = words(segment.text);
      for (let i = 0; i + 13 <= w.length; i++) grams.add(w.slice(i, i + 13).join(' '));
    }
  }
}
let documents = 0;
let hits = 0;
for await (const line of createInterface({ input: createReadStream(corpus), crlfDelay: Infinity })) {
  if (line === '') continue;
  const w = words(JSON.parse(line).text);
  documents++;
  for (let i = 0; i + 13 <= w.length; i++) if (grams.has(w.slice(i, i + 13).join(' '))) hits++;
}
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
console.log(JSON.stringify({ documents, grams: grams.size, hits, rss_mb: hwm ? Math.round(Number(hwm[1]) / 1024) : 0 }));

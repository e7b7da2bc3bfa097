/**
 * Portrait benchmark: builds a portrait of ~200 MB of JSONL generated from
 * ../shared/data/corpus (bench/corpus-gen.ts) on one core at 1% false
 * positives, and prints build throughput (MB/s), portrait size per GB of
 * corpus, and the false-positive rate measured on 100,000 n-grams known to be
 * absent (words that occur in no document), beside the rate the file states.
 * Baseline in the same run: reading the same corpus without hashing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readCorpusDocuments } from '../src/readers/corpus/documents.js';
import { parseEvalArgument } from '../src/readers/evals/evals.js';
import { buildPortrait } from '../src/portrait/build.js';
import { queryPortrait } from '../src/portrait/query.js';
import { generateCorpus, sizeOf } from './corpus-gen.js';

const OUT = path.resolve(path.dirname(new URL(import.meta.url).pathname), 'out/portrait');
mkdirSync(OUT, { recursive: true });
const target = Number(process.env.PORTRAIT_BENCH_MB ?? 200) * 1e6;
const files = (await generateCorpus(path.join(OUT, 'corpus'), target, ['jsonl'])).jsonl!;
const bytes = sizeOf(files);
const columns = { text: 'text', id: 'id' };

let t0 = performance.now();
let docs = 0;
for await (const batch of readCorpusDocuments(files, { columns })) docs += batch.documents.length;
const readSeconds = (performance.now() - t0) / 1000;

t0 = performance.now();
const summary = await buildPortrait(files, path.join(OUT, 'corpus.portrait'), { fpr: 0.01 });
const buildSeconds = (performance.now() - t0) / 1000;

// 1,000 samples of 112 made-up words: 100,000 n-grams that occur in no document.
const absent = path.join(OUT, 'absent.jsonl');
writeFileSync(absent, `${Array.from({ length: 1000 }, (_, s) => JSON.stringify({ text: Array.from({ length: 112 }, (_, i) => `qx${s}z${i}`).join(' ') })).join('\n')}\n`);
const report = await queryPortrait(summary.files, [parseEvalArgument(`absent=${absent}#text`)]);
const total = report.samples.reduce((s, r) => s + r.ngrams, 0);
const hits = report.samples.reduce((s, r) => s + r.present, 0);

const mb = bytes / 1e6;
console.log(`corpus: ${mb.toFixed(1)} MB JSONL, ${docs} documents, ${summary.ngrams} 13-grams`);
console.log(`read only (baseline): ${(mb / readSeconds).toFixed(1)} MB/s`);
console.log(`portrait build, one core: ${(mb / buildSeconds).toFixed(1)} MB/s (${buildSeconds.toFixed(1)} s), peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
console.log(
  `portrait size: ${(summary.portrait_bytes / 1e6).toFixed(1)} MB = ${((summary.portrait_bytes / bytes) * 1000).toFixed(0)} MB per GB of corpus at 1% target (file states ${summary.fpr_expected.toExponential(2)})`,
);
console.log(`false positives on ${total} absent 13-grams: ${hits} = ${(hits / total).toExponential(2)} (stated ${report.portrait.fpr.toExponential(2)})`);

/**
 * Detection quality on a labelled test set: real benchmark samples planted into
 * real prose under perturbations, with the planted rows as ground truth.
 *
 *   npm run bench:quality            (node --import=tsx bench/quality.bench.ts [--per 30] [--seed 1])
 *
 * Benchmarks: GSM8K, MMLU, TruthfulQA, HellaSwag, HumanEval from ../shared/data.
 * Corpus: the 5,551 prose documents of ../shared/data/corpus. For each benchmark
 * and perturbation, `--per` samples are drawn (seeded) and each is planted
 * into its own document. Samples that share text with the prose by nature,
 * and samples that share text with another planted sample (MMLU passages are
 * shared by several questions), count as neither positive nor negative.
 *
 * Prints recall per perturbation and overall precision for each rule, for the
 * defaults of `contam check`, and for lm-evaluation-harness's Janitor rule
 * re-implemented here (ASCII lower-casing, Python's string.punctuation deleted,
 * split on whitespace, any shared 13-gram).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildIndex, type IndexOptions } from '../src/cidx/build.js';
import { mulberry32 } from '../src/score/bootstrap.js';
import { parseEvalArgument, readEvalSamples } from '../src/readers/evals/evals.js';
import { scanDocuments, type ScanOptions } from '../src/scan/corpus-scanner.js';
import type { BenchmarkSource, CorpusDocument, EvalSample, ReportSample } from '../src/types.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const PER = arg('per', 30);
const SEED = arg('seed', 1);
// MinHash settings for the defaults column, to explore others than contam's defaults.
const NEAR = { minContainment: arg('min-containment', 0.4), bands: arg('bands', 20), rows: arg('rows', 3) };
const ONLY = args.includes('--defaults-only');

const rand = mulberry32(SEED);
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;

const data = path.resolve(import.meta.dirname, '../../shared/data');
const specs = ['gsm8k/test.jsonl', 'mmlu/test.jsonl', 'truthfulqa/TruthfulQA.csv', 'hellaswag/val.jsonl', 'humaneval/HumanEval.jsonl.gz'].map((p) => parseEvalArgument(`${data}/${p}`));
const benchmarks: { source: BenchmarkSource; samples: EvalSample[] }[] = [];
for (const spec of specs) benchmarks.push(await readEvalSamples(spec));

const prose: string[] = [];
for (const f of ['gutenberg', 'movie_reviews', 'kjv_bible', 'us_presidential_speeches', 'wikitext2', 'debian_docs', 'fortunes', 'shakespeare']) {
  for (const line of gunzipSync(readFileSync(`${data}/corpus/${f}.jsonl.gz`))
    .toString('utf8')
    .split('\n')) {
    if (line) prose.push((JSON.parse(line) as { text: string }).text);
  }
}

// --- perturbations -------------------------------------------------------------------
const fillers = ['river', 'seven', 'blue', 'market', 'quietly', 'window', 'paper', 'orange', 'north', 'silver', 'garden', 'twelve'];
const perturbations: [string, (s: string) => string][] = [
  ['exact', (s) => s],
  ['case+whitespace', (s) => s.toUpperCase().replace(/ /g, () => (rand() < 0.3 ? '  \n ' : ' '))],
  ['punctuation', (s) => (rand() < 0.5 ? s.replace(/[.,;:!?'"()-]/g, '') : s.replace(/[.,;:!?]/g, (c) => ({ '.': ';', ',': ' -', ';': ',', ':': ' —', '!': '.', '?': '.' })[c]!))],
  [
    'unicode',
    (s) =>
      s
        .replace(/'/g, '\u2019')
        .replace(/"/g, () => '\u201c')
        .replace(/ /g, () => (rand() < 0.2 ? '\u00a0' : ' '))
        .replace(/fi/g, '\ufb01')
        .replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))),
  ],
  [
    'markup',
    (s) =>
      `<div class="post"><p>${s
        .split('\n')
        .map((line) => line.replace(/(\w+)/, '<b>$1</b>').replace(/&/g, '&amp;').replace(/'/g, '&#39;'))
        .join('</p>\n<p>')}</p></div>`,
  ],
  [
    'partial 50-70%',
    (s) => {
      const words = s.split(/(?<=\s)/);
      const keep = Math.ceil(words.length * (0.5 + rand() * 0.2));
      const from = Math.floor(rand() * (words.length - keep + 1));
      return words.slice(from, from + keep).join('');
    },
  ],
  [
    '8% words replaced',
    (s) =>
      s
        .split(/(\s+)/)
        .map((w) => (/\S/.test(w) && rand() < 0.08 ? pick(fillers) : w))
        .join(''),
  ],
];

// --- the labelled corpus ---------------------------------------------------------------
interface Plant {
  sample: number; // global sample number (benchmarks in order)
  perturbation: string;
  doc: number;
}
const offsets: number[] = [];
let total = 0;
for (const b of benchmarks) {
  offsets.push(total);
  total += b.samples.length;
}
const textOf = (s: number) => {
  const b = offsets.findLastIndex((o) => o <= s);
  return benchmarks[b]!.samples[s - offsets[b]!]!.segments.map((g) => g.text).join('\n');
};
const docOrder = prose.map((_, i) => i).sort(() => rand() - 0.5);
const plants: Plant[] = [];
const used = new Set<number>();
const docs = [...prose];
for (let b = 0; b < benchmarks.length; b++) {
  // Each sample is planted once: a small benchmark (HumanEval has 164) gets fewer per perturbation.
  const per = Math.min(PER, Math.floor(benchmarks[b]!.samples.length / perturbations.length));
  for (const [name, perturb] of perturbations) {
    for (let k = 0; k < per; k++) {
      let s: number;
      do s = offsets[b]! + Math.floor(rand() * benchmarks[b]!.samples.length);
      while (used.has(s));
      used.add(s);
      const doc = docOrder[plants.length % docOrder.length]!;
      const text = docs[doc]!;
      let at = text.indexOf('\n', Math.floor(rand() * text.length));
      if (at < 0) at = text.length;
      docs[doc] = `${text.slice(0, at)}\n${perturb(textOf(s))}\n${text.slice(at)}`;
      plants.push({ sample: s, perturbation: name, doc });
    }
  }
}
console.log(`# quality: ${plants.length} plants (${PER} per benchmark and perturbation) in ${prose.length} real prose documents; ${total} samples indexed`);

const asDocs = (texts: string[]): CorpusDocument[] => texts.map((text, row) => ({ file: 'corpus', row, id: String(row), text }));

// --- detectors -----------------------------------------------------------------------------
type Detector = (texts: string[]) => Promise<Map<number, Set<number>>>; // sample -> documents

function contamDetector(indexOptions: IndexOptions, scanOptions: ScanOptions, verdict: (s: ReportSample) => boolean = (s) => s.contaminated): Detector {
  const indexPromise = buildIndex(benchmarks, indexOptions);
  return async (texts) => {
    const report = await scanDocuments(await indexPromise, asDocs(texts), { maxMatches: 1000, ...scanOptions });
    const found = new Map<number, Set<number>>();
    report.samples.forEach((sample, s) => {
      if (verdict(sample)) found.set(s, new Set(sample.matches.map((m) => m.row)));
    });
    return found;
  };
}

const PUNCT = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
const janitorWords = (s: string) =>
  s
    .replace(/[A-Z]/g, (c) => c.toLowerCase())
    .replace(PUNCT, '')
    .split(/\s+/)
    .filter(Boolean);
const janitor: Detector = async (texts) => {
  const grams = new Map<string, number[]>();
  for (let s = 0; s < total; s++) {
    const b = offsets.findLastIndex((o) => o <= s);
    for (const g of benchmarks[b]!.samples[s - offsets[b]!]!.segments) {
      const w = janitorWords(g.text);
      for (let i = 0; i + 13 <= w.length; i++) {
        const key = w.slice(i, i + 13).join(' ');
        const list = grams.get(key);
        if (!list) grams.set(key, [s]);
        else if (list[list.length - 1] !== s) list.push(s);
      }
    }
  }
  const found = new Map<number, Set<number>>();
  texts.forEach((text, d) => {
    const w = janitorWords(text);
    for (let i = 0; i + 13 <= w.length; i++) {
      for (const s of grams.get(w.slice(i, i + 13).join(' ')) ?? []) {
        if (!found.has(s)) found.set(s, new Set());
        found.get(s)!.add(d);
      }
    }
  });
  return found;
};

const detectors: [string, Detector][] = [
  ['13-gram any', contamDetector({ templates: false }, { rule: { name: 'any-ngram', minOverlap: 0 }, maxDocFreq: 0 })],
  ['GPT-3 (10-doc guard)', contamDetector({ templates: false }, { rule: { name: 'any-ngram', minOverlap: 0 } })],
  ['PaLM 8-gram 70%', contamDetector({ templates: false, ngram: 8 }, { rule: { name: 'min-overlap', minOverlap: 0.7 }, maxDocFreq: 0 })],
  ['Llama 2 dirty', contamDetector({ templates: false }, { rule: { name: 'llama2', minOverlap: 0 } })],
  ...(args.includes('--minhash') ? ([['MinHash only', contamDetector({ minhash: NEAR }, { maxDocFreq: 0 }, (s) => s.rules.minhash?.fired === true)]] as [string, Detector][]) : []),
  ['contam check defaults', contamDetector({}, {})],
  ['Janitor (lm-eval)', janitor],
];

// --- evaluate ------------------------------------------------------------------------------
if (ONLY) detectors.splice(0, detectors.length, ...detectors.filter(([n]) => n === 'contam check defaults'));
// Samples contam cannot judge (too short for any rule) are neither positive nor negative.
const tooShort = new Set<number>();
{
  const probe = await scanDocuments(await buildIndex(benchmarks, { minhash: NEAR }), []);
  probe.samples.forEach((s, i) => {
    if (s.too_short) tooShort.add(i);
  });
}
const plantedTooShort = plants.filter((p) => tooShort.has(p.sample)).length;
console.log(`${tooShort.size} indexed samples are too short to judge (${plantedTooShort} of the plants); they count as neither positive nor negative`);
// Neither positive nor negative: what any detector finds in the unplanted prose (natural overlap),
// and samples that share their own text with another sample's plant (an MMLU passage shared by
// several questions, a HellaSwag context continued by the next item): any 8-gram they share with
// the plant that is not a template 8-gram (found in TEMPLATE_SAMPLES or more samples). A sample that
// shares only template text with another plant stays a negative: finding it is a false positive.
const natural = new Set<number>();
for (const [, detect] of detectors) for (const s of (await detect(prose)).keys()) natural.add(s);
const TEMPLATE_SAMPLES = 6;
const grams = (words: string[]) => Array.from({ length: Math.max(0, words.length - 7) }, (_, i) => words.slice(i, i + 8).join(' '));
const sampleWords = Array.from({ length: total }, (_, s) => janitorWords(textOf(s)));
const gramSamples = new Map<string, number>();
for (const words of sampleWords) for (const g of new Set(grams(words))) gramSamples.set(g, (gramSamples.get(g) ?? 0) + 1);
const plantOf = new Map<string, Set<number>>();
for (const p of plants) for (const g of grams(sampleWords[p.sample]!)) if (gramSamples.get(g)! < TEMPLATE_SAMPLES) (plantOf.get(g) ?? plantOf.set(g, new Set()).get(g)!).add(p.sample);
const linked = new Set<number>();
for (let s = 0; s < total; s++) {
  const words = sampleWords[s]!;
  const covered = new Uint8Array(words.length);
  grams(words).forEach((g, i) => {
    const from = plantOf.get(g);
    if (from && [...from].some((p) => p !== s)) covered.fill(1, i, i + 8);
  });
  const n = covered.reduce((x, y) => x + y, 0);
  if (n > 0) linked.add(s);
}
console.error(`  ${natural.size} samples share text with the prose by nature, ${linked.size} with another sample's plant`);
const results: { name: string; recall: Map<string, [number, number]>; precision: [number, number] }[] = [];
for (const [name, detect] of detectors) {
  const found = await detect(docs);
  const planted = new Map(plants.map((p) => [p.sample, p]));
  const recall = new Map<string, [number, number]>();
  let tp = 0;
  let fp = 0;
  for (const p of plants) {
    if (natural.has(p.sample) || tooShort.has(p.sample)) continue;
    const r = recall.get(p.perturbation) ?? [0, 0];
    r[1]++;
    if (found.get(p.sample)?.has(p.doc)) r[0]++;
    else if (process.env.SHOW_MISSES && name === 'contam check defaults') {
      const b = offsets.findLastIndex((o) => o <= p.sample);
      console.error(`    missed (${p.perturbation}) ${benchmarks[b]!.source.name} row ${p.sample - offsets[b]!}: ${JSON.stringify(textOf(p.sample).slice(0, 160))}`);
    }
    recall.set(p.perturbation, r);
  }
  for (const [s] of found) {
    if (natural.has(s) || tooShort.has(s)) continue;
    if (planted.has(s)) tp++;
    else if (!linked.has(s)) {
      fp++;
      if (process.env.SHOW_MISSES) {
        const b = offsets.findLastIndex((o) => o <= s);
        console.error(`    false positive (${name}) ${benchmarks[b]!.source.name} row ${s - offsets[b]!}: ${JSON.stringify(textOf(s).slice(0, 120))}`);
      }
    }
  }
  results.push({ name, recall, precision: [tp, tp + fp] });
  console.error(`  ${name}: done`);
}

// --- table -----------------------------------------------------------------------------
const col = (s: string, w: number) => s.padStart(w);
const w0 = 20;
const w = 24;
console.log(`\n${'perturbation'.padEnd(w0)}${results.map((r) => col(r.name, w)).join('')}`);
const fmt = ([a, b]: [number, number]) => `${(a / Math.max(1, b)).toFixed(3)} (${a}/${b})`;
for (const [p] of perturbations) console.log(`${`recall ${p}`.padEnd(w0)}${results.map((r) => col(fmt(r.recall.get(p) ?? [0, 0]), w)).join('')}`);
console.log(`${'precision'.padEnd(w0)}${results.map((r) => col(fmt(r.precision), w)).join('')}`);

// --- the natural overlaps of ../shared/data, against hand-judged labels -------------------------
// bench/calibration.jsonl holds my judgments of every sample that `contam check` flags on the real
// benchmarks against the real prose, or nearly flags (graded incidental), or flagged before graded
// verdicts: one line each with the reason. A flagged sample missing from the file counts as wrong.
{
  const allSpecs = [...specs, ...['arc/ARC-Challenge-Test.jsonl', 'squad/dev-v1.1.json.gz', 'boolq/dev.jsonl'].map((p) => parseEvalArgument(`${data}/${p}`))];
  const all: { source: BenchmarkSource; samples: EvalSample[] }[] = [];
  for (const spec of allSpecs) all.push(await readEvalSamples(spec));
  const labels = new Map<string, { contaminated: boolean; reason: string }>();
  for (const line of readFileSync(path.join(import.meta.dirname, 'calibration.jsonl'), 'utf8').split('\n')) {
    if (!line) continue;
    const l = JSON.parse(line) as { benchmark: string; row: number; contaminated: boolean; reason: string };
    labels.set(`${l.benchmark}/${l.row}`, l);
  }
  const positives = [...labels.values()].filter((l) => l.contaminated).length;
  console.log(
    `\n# natural overlaps: ${all.reduce((n, b) => n + b.samples.length, 0)} samples of ${all.length} benchmarks against the ${prose.length} prose documents; ${labels.size} hand-judged samples, ${positives} contaminated (bench/calibration.jsonl)`,
  );
  const rules: [string, IndexOptions, ScanOptions][] = [
    ['contam check defaults', {}, {}],
    ['GPT-3 (13-gram, 10-doc guard)', { templates: false }, { rule: { name: 'any-ngram', minOverlap: 0 } }],
    ['PaLM 8-gram 70%', { templates: false, ngram: 8 }, { rule: { name: 'min-overlap', minOverlap: 0.7 } }],
    ['Llama 2 dirty', { templates: false }, { rule: { name: 'llama2', minOverlap: 0 } }],
  ];
  console.log(`${'rule'.padEnd(32)}${col('flagged', 9)}${col('right', 7)}${col('wrong', 7)}${col('missed', 8)}${col('precision', 11)}${col('recall', 8)}`);
  for (const [name, indexOptions, scanOptions] of rules) {
    const report = await scanDocuments(await buildIndex(all, indexOptions), asDocs(prose), scanOptions);
    let right = 0;
    let wrong = 0;
    let found = 0;
    for (const s of report.samples) {
      const label = labels.get(`${s.benchmark}/${s.row}`);
      if (s.contaminated) {
        if (label?.contaminated) right++;
        else {
          wrong++;
          if (process.env.SHOW_MISSES && name === 'contam check defaults') console.error(`    wrong: ${s.benchmark} row ${s.row}: ${label?.reason ?? 'not judged'}`);
        }
      }
      if (label?.contaminated && s.contaminated) found++;
    }
    console.log(
      `${name.padEnd(32)}${col(String(right + wrong), 9)}${col(String(right), 7)}${col(String(wrong), 7)}${col(String(positives - found), 8)}${col((right / Math.max(1, right + wrong)).toFixed(3), 11)}${col((found / positives).toFixed(3), 8)}`,
    );
  }
}

// --- a test question on 1, 11 and 50 pages ---------------------------------------------------------
// The wider a question leaks the cleaner it must not look: each GSM8K question below is pasted word
// for word (the question alone, no answer) into 1, 11 and 50 prose documents of its own.
{
  const gsm8k = benchmarks[0]!;
  const index = await buildIndex([gsm8k], {});
  const copies = [1, 11, 50];
  const picks = [3, 101, 777];
  const texts = [...prose.slice(0, 300)];
  let at = 0;
  picks.forEach((row, k) => {
    const question = gsm8k.samples[row]!.segments[0]!.text;
    for (let c = 0; c < copies[k]!; c++, at++) texts[at] = `${texts[at]}\n\nCan anyone help with this? ${question}\nThanks in advance!`;
  });
  const report = await scanDocuments(index, asDocs(texts), {});
  console.log(
    `\n# a GSM8K question pasted into 1, 11 and 50 documents: ${picks.map((row, k) => `${copies[k]} -> ${report.samples[row]!.grade}${report.samples[row]!.contaminated ? ' (flagged)' : ' (MISSED)'}`).join(', ')}`,
  );
}

// --- few-shot pages built from the dev and train splits ----------------------------------------------
// Pages of MMLU dev questions in the "A. ... Answer: B" layout of few-shot prompts (five to a page) and
// of GSM8K train problems with their solutions, beside 300 prose documents, scanned for the test sets.
// Test items that share only a template with a page must stay unflagged; the flagged ones are listed
// (SHOW_MISSES=1) for a reviewer.
{
  const dev = await readEvalSamples(parseEvalArgument(`${data}/mmlu/dev.jsonl`));
  const train = await readEvalSamples(parseEvalArgument(`${data}/gsm8k/train.jsonl`));
  const pages: string[] = [];
  const letters = 'ABCDEFGHIJ';
  for (let i = 0; i < dev.samples.length; i += 5) {
    pages.push(
      dev.samples
        .slice(i, i + 5)
        .map((s) => {
          const choices = s.segments.filter((g) => g.field.startsWith('choices'));
          const gold = choices.findIndex((g) => g.label);
          return `${s.segments[0]!.text}\n${choices.map((g, k) => `${letters[k]}. ${g.text}`).join('\n')}\nAnswer: ${letters[gold] ?? 'A'}`;
        })
        .join('\n\n'),
    );
  }
  for (let i = 0; i < 1500; i += 3)
    pages.push(
      train.samples
        .slice(i, i + 3)
        .map((s) => s.segments.map((g) => g.text).join('\n'))
        .join('\n\n'),
    );
  const texts = [...pages, ...prose.slice(0, 300)];
  const testSets = [benchmarks[0]!, benchmarks[1]!];
  const index = await buildIndex(testSets, {});
  const report = await scanDocuments(index, asDocs(texts), {});
  const flagged = report.samples.filter((s) => s.contaminated);
  const byGrade = (g: string) => report.samples.filter((s) => s.grade === g).length;
  console.log(
    `\n# few-shot pages: ${pages.length} pages (MMLU dev, 1,500 GSM8K train) beside 300 prose documents: ${flagged.length} GSM8K/MMLU test items flagged (${byGrade('verbatim')} verbatim, ${byGrade('partial')} partial), ${byGrade('incidental')} incidental`,
  );
  if (process.env.SHOW_MISSES) for (const s of flagged) console.error(`    ${s.benchmark} row ${s.row} ${s.grade}: ${s.verdict?.reason}`);
}

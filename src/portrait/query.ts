/**
 * Querying portraits: each eval sample's word n-grams (per field, as the index
 * cuts them, so none spans two fields) are looked up in every shard of a
 * portrait; a key is present when any shard's Bloom filter holds it.
 *
 * Verdict. A Bloom filter answers "present" falsely at rate p (the union of
 * the shards': 1 - prod(1 - p_i)), so m n-grams of a sample never seen give
 * about Binomial(m, p) false hits: with p = 1% and 50 n-grams, one false hit
 * or more happens to 40% of clean samples, and "any n-gram present" would
 * convict them. The default verdict is therefore a test against that null:
 * `present` when P(Binomial(m, p) >= hits) < alpha (default 0.001), i.e. when
 * the hits are too many for false positives to explain. `minFraction` replaces
 * it with a plain threshold on the fraction present. A sample with no field of
 * n words has no n-gram and is `too_short`. With stride k the portrait holds
 * every k-th n-gram of each document, so a copied sample shows about 1/k of
 * its n-grams; the binomial test still applies (its null does not depend on k).
 * Shards are read one at a time, so a portrait larger than memory can be queried.
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { ContamError } from '../errors.js';
import { readEvalSamples } from '../io/evals.js';
import { extractWords, NORMALIZATION, WordBuffer } from '../text/normalize.js';
import { rollingShingleKeys } from '../text/shingle.js';
import type { BenchmarkSpec } from '../types.js';
import { VERSION } from '../version.js';
import { readPortraitFile, type PortraitHeader } from './file.js';

export interface PortraitQueryOptions {
  /** Significance of the binomial test against false positives. @default 0.001 */
  alpha?: number;
  /** Instead of the test: `present` when at least this fraction of the n-grams is present. */
  minFraction?: number;
}

export interface PortraitSampleResult {
  benchmark: string;
  row: number;
  id: string;
  /** N-grams of the sample (fields shorter than n words give none). */
  ngrams: number;
  /** N-grams found in the portrait. */
  present: number;
  /** present / ngrams (0 for too-short samples). */
  fraction: number;
  /** Longest run of consecutive n-grams present within one field. */
  longest_run: number;
  /** ngrams x false-positive rate: hits expected from a clean sample. */
  expected_false_hits: number;
  /** P(Binomial(ngrams, fpr) >= present): the chance false positives alone give this many hits. */
  p_value: number;
  verdict: 'present' | 'absent' | 'too_short';
}

export interface PortraitReport {
  version: 1;
  tool: { name: 'contam'; version: string };
  portrait: { files: string[]; ngram: number; stride: number; normalization: string; seed: number; documents: number; ngrams: number; bytes: number; fpr_target: number; fpr: number };
  rule: { name: 'binomial'; alpha: number } | { name: 'min-fraction'; min_fraction: number };
  benchmarks: { name: string; path: string; samples: number; present: number; too_short: number }[];
  samples: PortraitSampleResult[];
}

/** Each argument as files: itself when it exists, else its numbered shards `<name>.000`, `.001`, ... */
export async function expandPortraitFiles(args: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const arg of args) {
    if (existsSync(arg)) {
      out.push(arg);
      continue;
    }
    const dir = path.dirname(arg);
    const base = path.basename(arg);
    const names = (await fs.readdir(dir).catch(() => [] as string[])).filter((n) => n.startsWith(`${base}.`) && /^\d{3,}$/.test(n.slice(base.length + 1))).sort();
    if (names.length === 0) throw new ContamError('FILE_NOT_FOUND', 'no such portrait, nor shards of it (.000, .001, ...)', { file: arg, hint: 'build one with `contam portrait build`' });
    out.push(...names.map((n) => path.join(dir, n)));
  }
  return out;
}

/** P(X >= k) for X ~ Binomial(m, p), summed in log space. */
export function binomialTail(m: number, p: number, k: number): number {
  if (k <= 0) return 1;
  if (k > m) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let logC = 0; // log C(m, j), built up from j = 0
  for (let j = 1; j <= k; j++) logC += Math.log(m - j + 1) - Math.log(j);
  let sum = 0;
  for (let j = k; j <= m; j++) {
    if (j > k) logC += Math.log(m - j + 1) - Math.log(j);
    const term = Math.exp(logC + j * Math.log(p) + (m - j) * Math.log1p(-p));
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return Math.min(1, sum);
}

/**
 * Check eval samples against a portrait (one file or its shards).
 *
 * @throws ContamError `FILE_NOT_FOUND`, `BAD_INDEX`, `INDEX_MISMATCH` (shards of
 *   different builds or settings), the eval readers' errors, `BAD_ARGUMENT`
 */
export async function queryPortrait(portraitArgs: string[], specs: BenchmarkSpec[], options: PortraitQueryOptions = {}): Promise<PortraitReport> {
  const alpha = options.alpha ?? 0.001;
  if (!(alpha > 0 && alpha < 1)) throw new ContamError('BAD_ARGUMENT', `expected --alpha to be a number between 0 and 1, got ${alpha}`);
  const files = await expandPortraitFiles(portraitArgs);
  // The first shard fixes the shingling; the others must agree.
  let first: PortraitHeader | null = null;
  const benchmarks = [];
  for (const spec of specs) benchmarks.push(await readEvalSamples(spec));

  let keysA: Uint32Array = new Uint32Array(0);
  let keysB: Uint32Array = new Uint32Array(0);
  let hits = new Uint8Array(0);
  // Per sample: [first key, end key) and per-field key boundaries for runs.
  const sampleStart: number[] = [];
  const fieldEnds: number[][] = [];
  let fpr = 0;
  let notFpr = 1;
  let documents = 0;
  let ngrams = 0;
  let bytes = 0;
  for (const file of files) {
    const { header, bloom } = await readPortraitFile(file);
    if (first === null) {
      if (header.normalization !== NORMALIZATION) {
        throw new ContamError('INDEX_MISMATCH', `the portrait was built with normalization ${header.normalization}; this contam has ${NORMALIZATION}`, { file, hint: 'query it with the contam version that built it, or rebuild it' });
      }
      first = header;
      ({ keysA, keysB } = sampleKeys(benchmarks.flatMap((b) => b.samples), header, sampleStart, fieldEnds));
      hits = new Uint8Array(keysA.length);
    } else {
      for (const key of ['ngram', 'stride', 'seed', 'normalization', 'build_id'] as const) {
        if (header[key] !== first[key]) {
          throw new ContamError('INDEX_MISMATCH', `this shard has ${key} ${JSON.stringify(header[key])}, the first one (${files[0]}) ${JSON.stringify(first[key])}`, { file, hint: 'query shards of one build together' });
        }
      }
    }
    notFpr *= 1 - header.fpr_expected;
    documents += header.documents;
    ngrams += header.ngrams;
    bytes += header.bytes;
    for (let i = 0; i < keysA.length; i++) if (hits[i] === 0 && bloom.has(keysA[i]!, keysB[i]!)) hits[i] = 1;
  }
  fpr = 1 - notFpr;
  const header = first!;

  const samples: PortraitSampleResult[] = [];
  const flat = benchmarks.flatMap((b) => b.samples);
  for (let s = 0; s < flat.length; s++) {
    const sample = flat[s]!;
    const from = sampleStart[s]!;
    const to = sampleStart[s + 1]!;
    let present = 0;
    let longest = 0;
    let run = 0;
    let field = 0;
    for (let i = from; i < to; i++) {
      while (i >= fieldEnds[s]![field]!) {
        field++;
        run = 0;
      }
      if (hits[i]) {
        present++;
        run++;
        if (run > longest) longest = run;
      } else run = 0;
    }
    const m = to - from;
    const pValue = m === 0 ? 1 : binomialTail(m, fpr, present);
    const fraction = m === 0 ? 0 : present / m;
    const verdict = m === 0 ? 'too_short' : (options.minFraction !== undefined ? fraction >= options.minFraction && present > 0 : pValue < alpha) ? 'present' : 'absent';
    samples.push({ benchmark: sample.benchmark, row: sample.row, id: sample.id, ngrams: m, present, fraction, longest_run: longest, expected_false_hits: m * fpr, p_value: pValue, verdict });
  }
  return {
    version: 1,
    tool: { name: 'contam', version: VERSION },
    portrait: { files, ngram: header.ngram, stride: header.stride, normalization: header.normalization, seed: header.seed, documents, ngrams, bytes, fpr_target: header.fpr_target, fpr },
    rule: options.minFraction !== undefined ? { name: 'min-fraction', min_fraction: options.minFraction } : { name: 'binomial', alpha },
    benchmarks: benchmarks.map(({ source }) => {
      const mine = samples.filter((r) => r.benchmark === source.name);
      return { name: source.name, path: source.path, samples: mine.length, present: mine.filter((r) => r.verdict === 'present').length, too_short: mine.filter((r) => r.verdict === 'too_short').length };
    }),
    samples,
  };
}

/** Every sample's n-gram keys, per field, in sample order; fills the sample and field boundaries. */
function sampleKeys(samples: { segments: { text: string }[] }[], header: PortraitHeader, sampleStart: number[], fieldEnds: number[][]): { keysA: Uint32Array; keysB: Uint32Array } {
  const words = new WordBuffer();
  const a: number[] = [];
  const b: number[] = [];
  let wa = new Uint32Array(1024);
  let wb = new Uint32Array(1024);
  for (const sample of samples) {
    sampleStart.push(a.length);
    const ends: number[] = [];
    for (const segment of sample.segments) {
      extractWords(segment.text, words, header.seed, false);
      const windows = words.count - header.ngram + 1;
      if (windows > 0) {
        if (windows > wa.length) {
          wa = new Uint32Array(windows);
          wb = new Uint32Array(windows);
        }
        rollingShingleKeys(words.hashes, words.count, header.ngram, wa, wb);
        for (let p = 0; p < windows; p++) {
          a.push(wa[p]!);
          b.push(wb[p]!);
        }
      }
      ends.push(a.length);
    }
    ends.push(Infinity);
    fieldEnds.push(ends);
  }
  sampleStart.push(a.length);
  return { keysA: Uint32Array.from(a), keysB: Uint32Array.from(b) };
}

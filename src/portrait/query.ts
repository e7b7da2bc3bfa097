/**
 * Querying portraits: each eval sample's word n-grams (per field, as the index
 * cuts them, so none spans two fields) are looked up in every shard of a
 * portrait; a key is present when any shard's Bloom filter holds it. A field
 * shorter than n words is judged as the main index judges it, whole, down to
 * the portrait's `min_words`: through its `min_words`-grams, which a copy of
 * the field holds every one of; a sample whose fields are each shorter, but
 * together reach `min_words`, whole, its fields joined in order, as the index
 * shingles it. Each distinct n-gram of a sample counts once
 * (a SQuAD answer that repeats its paragraph adds nothing). Longer fields are
 * looked up through their `min_words`-grams too, though these never count
 * towards the test: a copy shorter than n words (a quotation that is most of
 * a question) holds none of the field's n-grams, and the portrait must not
 * call such a sample `absent`, since its scan finds the copy. With no n-gram
 * present and more shorter grams than false positives explain (uncorrected
 * p-value at most alpha: a quotation's grams come in a run, false hits one by
 * one), the sample is `inconclusive`, with the reason. `absent` thus means no
 * n-gram present and no more shorter grams than false positives give.
 *
 * Verdict. A Bloom filter answers "present" falsely at rate p (the union of
 * the shards': 1 - prod(1 - p_i)), so the m distinct n-grams of a sample never
 * seen give about Binomial(m, p) false hits: with p = 1% and 50 n-grams, one
 * false hit or more happens to 40% of clean samples, and "any n-gram present"
 * would convict them. Each sample is therefore tested against that null,
 * p-value P(Binomial(m, p) >= hits), and since thousands of samples are tested
 * at once the p-values are corrected by Holm's step-down method: the chance
 * that any sample never seen is called `present` stays below alpha (default
 * 0.001). A Bloom filter has no false negatives, so `absent` (no n-gram
 * present) is exact; a sample with hits that do not pass is `inconclusive`,
 * with the reason: too few n-grams for the test to ever pass (p^m above
 * alpha / N, N samples tested), or too few hits to tell a shared n-gram from
 * false positives. With stride k, a sample of fewer than k n-grams and no hit
 * is inconclusive too. One of fewer than `min_words` words in all is
 * `too_short`. `minFraction` replaces the test with a plain threshold on the
 * fraction present. With stride k the portrait holds every k-th n-gram of
 * each document, so a copied sample shows about 1/k of its n-grams; the test
 * still applies (its null does not depend on k). Shards are read one at a
 * time, so a portrait larger than memory can be queried.
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { ContamError } from '../errors.js';
import { checkOption, DEFAULTS } from '../options.js';
import { readEvalSamples } from '../readers/evals/evals.js';
import { extractWordHashes, NORMALIZATION, WordBuffer } from '../text/normalize.js';
import { rollingShingleKeys } from '../text/shingle.js';
import type { BenchmarkSpec } from '../types.js';
import { VERSION } from '../version.js';
import { SHORT_GRAM_TAG } from './build.js';
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
  /** Distinct n-grams of the sample (min_words-grams for fields shorter than n words). */
  ngrams: number;
  /** Distinct n-grams found in the portrait. */
  present: number;
  /** Distinct min_words-grams of fields of n words or more: looked up, not tested (see the header). */
  short_ngrams: number;
  /** Of those, found in the portrait. */
  short_present: number;
  /** present / ngrams (0 for too-short samples). */
  fraction: number;
  /** Longest run of consecutive n-grams present within one field. */
  longest_run: number;
  /** ngrams x false-positive rate: hits expected from a clean sample. */
  expected_false_hits: number;
  /** P(Binomial(ngrams, fpr) >= present): the chance false positives alone give this many hits (before correction). */
  p_value: number;
  verdict: 'present' | 'absent' | 'inconclusive' | 'too_short';
  /** Why the verdict is `inconclusive` or `too_short`; null otherwise. */
  reason: string | null;
}

export interface PortraitReport {
  version: 1;
  tool: { name: 'contam'; version: string };
  portrait: {
    files: string[];
    ngram: number;
    min_words: number;
    stride: number;
    normalization: string;
    seed: number;
    documents: number;
    ngrams: number;
    bytes: number;
    fpr_target: number;
    fpr: number;
  };
  /** The test; `tested` samples had n-grams, and Holm's correction keeps the chance of any false `present` among them below alpha. */
  rule: { name: 'binomial'; alpha: number; correction: 'holm'; tested: number } | { name: 'min-fraction'; min_fraction: number };
  benchmarks: { name: string; path: string; samples: number; present: number; inconclusive: number; too_short: number }[];
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
 * Holm's step-down correction: which null hypotheses are rejected at family-wise
 * error rate `alpha`. The k-th smallest p-value (from 0) must be at most
 * alpha / (N - k), and so must every smaller one; ties keep their order.
 *
 * @example holmRejects([0.0006, 0.0006], 0.001) // [false, false]: each is below alpha, neither below alpha / 2
 */
export function holmRejects(pValues: readonly number[], alpha: number): boolean[] {
  const order = pValues.map((_, i) => i).sort((x, y) => pValues[x]! - pValues[y]! || x - y);
  const out = new Array<boolean>(pValues.length).fill(false);
  for (let k = 0; k < order.length && pValues[order[k]!]! <= alpha / (order.length - k); k++) out[order[k]!] = true;
  return out;
}

/**
 * Check eval samples against a portrait (one file or its shards).
 *
 * @throws ContamError `FILE_NOT_FOUND`, `BAD_INDEX`, `INDEX_MISMATCH` (shards of
 *   different builds or settings), the eval readers' errors, `BAD_ARGUMENT`
 */
export async function queryPortrait(portraitArgs: string[], specs: BenchmarkSpec[], options: PortraitQueryOptions = {}): Promise<PortraitReport> {
  const alpha = checkOption('alpha', options.alpha ?? DEFAULTS.alpha);
  if (options.minFraction !== undefined) checkOption('minFraction', options.minFraction);
  const files = await expandPortraitFiles(portraitArgs);
  // The first shard fixes the shingling; the others must agree.
  let first: PortraitHeader | null = null;
  const benchmarks = [];
  for (const spec of specs) benchmarks.push(await readEvalSamples(spec));

  let keysA: Uint32Array = new Uint32Array(0);
  let keysB: Uint32Array = new Uint32Array(0);
  let hits = new Uint8Array(0);
  let firstSeen: Uint8Array = new Uint8Array(0);
  let shorter: Uint8Array = new Uint8Array(0);
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
        throw new ContamError('INDEX_MISMATCH', `the portrait was built with normalization ${header.normalization}; this contam has ${NORMALIZATION}`, {
          file,
          hint: 'query it with the contam version that built it, or rebuild it',
        });
      }
      first = header;
      ({ keysA, keysB, firstSeen, shorter } = sampleKeys(
        benchmarks.flatMap((b) => b.samples),
        header,
        sampleStart,
        fieldEnds,
      ));
      hits = new Uint8Array(keysA.length);
    } else {
      for (const key of ['ngram', 'min_words', 'stride', 'seed', 'normalization', 'build_id'] as const) {
        if (header[key] !== first[key]) {
          throw new ContamError('INDEX_MISMATCH', `this shard has ${key} ${JSON.stringify(header[key])}, the first one (${files[0]}) ${JSON.stringify(first[key])}`, {
            file,
            hint: 'query shards of one build together',
          });
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
  const minWords = header.min_words ?? 0;
  for (let s = 0; s < flat.length; s++) {
    const sample = flat[s]!;
    const from = sampleStart[s]!;
    const to = sampleStart[s + 1]!;
    let present = 0;
    let m = 0;
    let shortM = 0;
    let shortPresent = 0;
    let longest = 0;
    let run = 0;
    let field = 0;
    for (let i = from; i < to; i++) {
      while (i >= fieldEnds[s]![field]!) {
        field++;
        run = 0;
      }
      if (shorter[i]) {
        if (firstSeen[i]) {
          shortM++;
          if (hits[i]) shortPresent++;
        }
        continue;
      }
      if (firstSeen[i]) {
        m++;
        if (hits[i]) present++;
      }
      if (hits[i]) {
        run++;
        if (run > longest) longest = run;
      } else run = 0;
    }
    const pValue = m === 0 ? 1 : binomialTail(m, fpr, present);
    const fraction = m === 0 ? 0 : present / m;
    const tooShort = m === 0 ? (minWords > 0 ? `fewer than ${minWords} words, its fields together` : `no field of ${header.ngram} words or more (the portrait holds no shorter n-grams)`) : null;
    samples.push({
      benchmark: sample.benchmark,
      row: sample.row,
      id: sample.id,
      ngrams: m,
      present,
      short_ngrams: shortM,
      short_present: shortPresent,
      fraction,
      longest_run: longest,
      expected_false_hits: m * fpr,
      p_value: pValue,
      verdict: m === 0 ? 'too_short' : 'absent',
      reason: tooShort,
    });
  }
  const tested = samples.filter((r) => r.verdict !== 'too_short');
  if (options.minFraction !== undefined) {
    for (const r of tested) if (r.fraction >= options.minFraction && r.present > 0) r.verdict = 'present';
  } else {
    const rejected = holmRejects(
      tested.map((r) => r.p_value),
      alpha,
    );
    tested.forEach((r, i) => {
      if (rejected[i]) r.verdict = 'present';
    });
    const level = alpha / Math.max(1, tested.length);
    for (const r of tested) {
      if (r.verdict === 'present') continue;
      const best = fpr ** r.ngrams; // the smallest p-value it could reach, all its n-grams present
      const lower = `a portrait built with a false-positive rate below ${(level ** (1 / r.ngrams)).toExponential(1)} could tell`;
      if (r.present > 0 && best > level) {
        r.verdict = 'inconclusive';
        r.reason = `${r.ngrams} distinct n-gram${r.ngrams === 1 ? '' : 's'}: even all present, false positives at rate ${fpr.toExponential(2)} would explain them (p >= ${best.toExponential(2)}, above ${level.toExponential(2)} = alpha / ${tested.length}); ${lower}`;
      } else if (r.present > 0) {
        r.verdict = 'inconclusive';
        r.reason = `${r.present} of ${r.ngrams} distinct n-grams present, as many as false positives at rate ${fpr.toExponential(2)} can give (p = ${r.p_value.toExponential(2)}, not significant after Holm's correction): a few shared n-grams, or none`;
      } else if (r.short_present > 0 && binomialTail(r.short_ngrams, fpr, r.short_present) <= alpha) {
        r.verdict = 'inconclusive';
        r.reason = `none of its ${r.ngrams} distinct n-gram${r.ngrams === 1 ? '' : 's'} is present, but ${r.short_present} of its ${r.short_ngrams} ${minWords}-grams are: a copy shorter than ${header.ngram} words (a quotation), or phrases it shares with other text; a scan of the corpus tells which`;
      } else if (header.stride > 1 && r.ngrams < header.stride) {
        r.verdict = 'inconclusive';
        r.reason = `none of its ${r.ngrams} n-grams is present, but the portrait holds only every ${header.stride}th n-gram of each document, so a copy this short can fall between them`;
      }
      // Otherwise absent: a Bloom filter has no false negatives, so none of its n-grams is in the corpus.
    }
  }
  return {
    version: 1,
    tool: { name: 'contam', version: VERSION },
    portrait: {
      files,
      ngram: header.ngram,
      min_words: header.min_words ?? 0,
      stride: header.stride,
      normalization: header.normalization,
      seed: header.seed,
      documents,
      ngrams,
      bytes,
      fpr_target: header.fpr_target,
      fpr,
    },
    rule: options.minFraction !== undefined ? { name: 'min-fraction', min_fraction: options.minFraction } : { name: 'binomial', alpha, correction: 'holm', tested: tested.length },
    benchmarks: benchmarks.map(({ source }) => {
      const mine = samples.filter((r) => r.benchmark === source.name);
      const count = (verdict: PortraitSampleResult['verdict']) => mine.filter((r) => r.verdict === verdict).length;
      return { name: source.name, path: source.path, samples: mine.length, present: count('present'), inconclusive: count('inconclusive'), too_short: count('too_short') };
    }),
    samples,
  };
}

/**
 * Every sample's keys, per field, in sample order: the n-grams of fields of n
 * words or more, then their (tagged) min_words-grams, marked `shorter`; the
 * min_words-grams of shorter fields down to min_words; a sample with no such
 * field whose fields together reach min_words, whole. Fills the sample and
 * field boundaries, and marks each key's first occurrence within its sample
 * (`firstSeen`), so repeats count once.
 */
function sampleKeys(
  samples: { segments: { text: string }[] }[],
  header: PortraitHeader,
  sampleStart: number[],
  fieldEnds: number[][],
): { keysA: Uint32Array; keysB: Uint32Array; firstSeen: Uint8Array; shorter: Uint8Array } {
  const words = new WordBuffer();
  const a: number[] = [];
  const b: number[] = [];
  const first: number[] = [];
  const shorter: number[] = [];
  const minWords = header.min_words ?? 0;
  let wa = new Uint32Array(1024);
  let wb = new Uint32Array(1024);
  for (const sample of samples) {
    sampleStart.push(a.length);
    const ends: number[] = [];
    const seen = new Set<string>();
    // The words' keys of `width` words; min_words-grams are tagged apart from n-grams.
    const push = (hashes: Uint32Array, count: number, width: number, ofLongField: boolean) => {
      const windows = count - width + 1;
      if (windows > wa.length) {
        wa = new Uint32Array(windows);
        wb = new Uint32Array(windows);
      }
      rollingShingleKeys(hashes, count, width, wa, wb);
      const tag = width === header.ngram ? 0 : SHORT_GRAM_TAG;
      for (let p = 0; p < windows; p++) {
        const keyB = (wb[p]! ^ tag) >>> 0;
        const key = `${wa[p]!}:${keyB}`;
        first.push(seen.has(key) ? 0 : 1);
        seen.add(key);
        shorter.push(ofLongField ? 1 : 0);
        a.push(wa[p]!);
        b.push(keyB);
      }
    };
    let total = 0;
    let judged = false;
    for (const segment of sample.segments) {
      extractWordHashes(segment.text, words, header.seed);
      const long = words.count >= header.ngram;
      if (long) push(words.hashes, words.count, header.ngram, false);
      if (minWords > 0 && words.count >= minWords) push(words.hashes, words.count, minWords, long);
      judged ||= words.count >= (minWords > 0 ? minWords : header.ngram);
      total += words.count;
      ends.push(a.length);
    }
    // No field long enough, but together they are (a short multiple-choice item): the sample
    // whole, its fields joined in order, as the index shingles it (no word spans a line end, so
    // the joined text has the fields' words in order). Rare, so extracted a second time only then.
    if (!judged && minWords > 0 && total >= minWords) {
      extractWordHashes(sample.segments.map((g) => g.text).join('\n'), words, header.seed);
      push(words.hashes, words.count, words.count >= header.ngram ? header.ngram : minWords, false);
      ends.push(a.length);
    }
    ends.push(Infinity);
    fieldEnds.push(ends);
  }
  sampleStart.push(a.length);
  return { keysA: Uint32Array.from(a), keysB: Uint32Array.from(b), firstSeen: Uint8Array.from(first), shorter: Uint8Array.from(shorter) };
}

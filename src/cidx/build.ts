/**
 * Builds a ContamIndex from eval samples: normalize each text segment into
 * units, cut shingles of `ngram` units (per segment, so no shingle spans two
 * fields), key them, and fill the exact table and the Bloom filter.
 *
 * Segments shorter than `ngram` but at least `minWords` units long become one
 * whole-field entry; shorter segments give no entry. A sample with no entry at
 * all is "too short to judge".
 *
 * The table is not keyed on entries but on anchors: every window of the probe
 * width `w` in a segment that has entries. A copy of an entry of length m holds
 * m - w + 1 consecutive windows of width w, so the scan need only probe every
 * (m - w + 1)-th window of a document to meet one of them; from that anchor it
 * extends the match along the diagonal, word by word, and reads off every entry
 * the verified run covers (the bff-style stride). See `probeFor`.
 *
 * Entries are counted, not listed (see contam-index.ts): a segment's entries
 * are numbered from its first, one per position.
 */
import { DEFAULTS } from '../defaults.js';
import { ContamError } from '../errors.js';
import { NORMALIZATION } from '../text/normalize.js';
import { shingleKey } from '../text/shingle.js';
import { createUnitExtractor } from '../text/units.js';
import type { BenchmarkSource, EvalSample, MinhashConfig, ShingleConfig, ShingleUnit, TokenEncoding } from '../types.js';
import { BloomFilter } from './bloom.js';
import { indexEntries, SEGMENT_BLOCK, templateBits, type ContamIndex } from './contam-index.js';
import { buildMinhashIndex, MINHASH_DEFAULTS } from './minhash-index.js';
import { ROLE_DISTRACTOR, ROLE_INPUT, ROLE_LABEL } from './contam-index.js';
import { AnchorTable, distinctKeys } from './anchor-table.js';
import { encodeTexts } from './sample-text.js';
import { templateWords } from './template.js';

export const INDEX_FORMAT_VERSION = 6;

export interface IndexOptions {
  /** @default 'word' */
  unit?: ShingleUnit;
  /** Shingle length in units, or 'auto' for GPT-3's per-benchmark choice. @default 13 */
  ngram?: number | 'auto';
  /** Shortest field matched whole. @default 8 (capped at ngram) */
  minWords?: number;
  /** tiktoken encoding for unit 'token'. @default 'cl100k_base' */
  encoding?: TokenEncoding;
  /** Bloom filter false-positive rate. @default 0.001 */
  fpr?: number;
  /** Seed of the word hash. @default 0 */
  seed?: number;
  /** Discount template words shared by many samples (index/template.ts); false gives every word weight, as GPT-3's rule did. @default true */
  templates?: boolean;
  /**
   * MinHash/LSH near-duplicates over sliding document windows: true or settings to turn on.
   * The graded verdict finds near-duplicates from the exact scan's anchors without it. @default off
   */
  minhash?: boolean | Partial<MinhashConfig>;
}

/** The shingle configuration that `options` stand for, validated. */
export function shingleConfig(options: IndexOptions = {}): ShingleConfig {
  const unit = options.unit ?? 'word';
  // The fewest units a shingle (ngram) or a field matched whole (minWords) may have.
  const MIN_UNITS = 3;
  const ngramAuto = options.ngram === 'auto';
  const ngram = options.ngram === 'auto' || options.ngram === undefined ? DEFAULTS.ngram : options.ngram;
  if (!Number.isInteger(ngram) || ngram < 1 || ngram > 1000) {
    throw new ContamError('BAD_ARGUMENT', `expected ngram to be a whole number from 1 to 1000, got ${ngram}`);
  }
  // Below MIN_UNITS, shingles are common phrases met in nearly every document, and the work per
  // document grows with every one of them.
  if (ngram < MIN_UNITS) {
    throw new ContamError('BAD_ARGUMENT', `expected ngram to be at least ${MIN_UNITS}, got ${ngram}: shorter n-grams are common phrases, found in nearly every document`, {
      hint: "published rules use 8 to 13 (ngram 'auto' chooses in that range)",
    });
  }
  const minWords = Math.min(options.minWords ?? DEFAULTS.minWords, ngram);
  if (!Number.isInteger(minWords) || minWords < 1) {
    throw new ContamError('BAD_ARGUMENT', `expected minWords to be a whole number from 1 up, got ${options.minWords}`);
  }
  if (minWords < MIN_UNITS) {
    throw new ContamError('BAD_ARGUMENT', `expected minWords to be at least ${MIN_UNITS}, got ${minWords}: a field of fewer words, matched whole, is found in nearly every document`, {
      hint: 'the default is 8',
    });
  }
  if (unit !== 'word' && unit !== 'token') {
    throw new ContamError('BAD_ARGUMENT', `expected unit to be 'word' or 'token', got ${String(unit)}`);
  }
  const encoding = unit === 'token' ? (options.encoding ?? 'cl100k_base') : null;
  if (encoding !== null && encoding !== 'cl100k_base' && encoding !== 'o200k_base') {
    throw new ContamError('BAD_ARGUMENT', `expected encoding to be 'cl100k_base' or 'o200k_base', got ${String(encoding)}`);
  }
  let minhash: MinhashConfig | null = null;
  if (options.minhash !== undefined && options.minhash !== false) {
    minhash = { ...MINHASH_DEFAULTS, ...(typeof options.minhash === 'object' ? options.minhash : {}) };
    const { shingle, bands, rows, minContainment } = minhash;
    for (const [name, v, max] of [
      ['minhash.shingle', shingle, 100],
      ['minhash.bands', bands, 1000],
      ['minhash.rows', rows, 100],
    ] as const) {
      if (!Number.isInteger(v) || v < 1 || v > max) throw new ContamError('BAD_ARGUMENT', `expected ${name} to be a whole number from 1 to ${max}, got ${v}`);
    }
    if (bands * rows > 4096) throw new ContamError('BAD_ARGUMENT', `expected minhash.bands x minhash.rows to be at most 4096, got ${bands * rows}`);
    if (!(minContainment > 0 && minContainment <= 1)) throw new ContamError('BAD_ARGUMENT', `expected minhash.minContainment to be above 0 and at most 1, got ${minContainment}`);
  }
  return { unit, ngram, ngramAuto, minWords, encoding, normalization: NORMALIZATION, seed: options.seed ?? DEFAULTS.seed, templates: options.templates ?? DEFAULTS.templates, minhash };
}

/**
 * GPT-3's automatic n: the 5th percentile of the benchmark's sample lengths
 * (nearest rank), clipped to 8..13.
 */
export function autoNgram(lengths: number[]): number {
  if (lengths.length === 0) return 13;
  const sorted = [...lengths].sort((x, y) => x - y);
  const p5 = sorted[Math.floor(0.05 * (sorted.length - 1))]!;
  return Math.min(13, Math.max(8, p5));
}

/** A growable column of 32-bit integers, handed over in a SharedArrayBuffer once built. */
class Column<T extends Uint32Array | Int32Array> {
  data: T;
  length = 0;
  private readonly Kind: { new (length: number): T; new (buffer: SharedArrayBuffer, offset: number, length: number): T };

  constructor(Kind: { new (length: number): T; new (buffer: SharedArrayBuffer, offset: number, length: number): T }) {
    this.Kind = Kind;
    this.data = new Kind(1024);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new this.Kind(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  /** The filled part, copied into a SharedArrayBuffer (so workers share it). */
  shared(): T {
    const result = new this.Kind(new SharedArrayBuffer(Math.max(this.length, 1) * 4), 0, this.length);
    result.set(this.data.subarray(0, this.length));
    return result;
  }
}

const u32 = () => new Column(Uint32Array);

/** Index the samples of several benchmarks under one configuration. */
export async function buildIndex(benchmarks: { source: BenchmarkSource; samples: EvalSample[] }[], options: IndexOptions = {}): Promise<ContamIndex> {
  const config = shingleConfig(options);
  const fpr = options.fpr ?? DEFAULTS.fpr;
  const units = await createUnitExtractor(config);

  const sampleBenchmark = u32();
  const sampleRow = u32();
  const sampleIds: string[] = [];
  const sampleTexts: string[] = [];
  const segmentStart = u32();
  const entryStart = u32();
  const segSample = u32();
  const segWordStart = u32();
  const segRole: number[] = [];
  const wholeSample: number[] = [];
  const segField: string[] = [];
  let wordCount = 0;
  const wordHash = u32();
  const segTextStart = u32();
  let entries = 0;

  const perBenchmarkNgram: number[] = [];
  const segEntryStart = u32();
  // The shortest entry sets the probe width and stride.
  let shortest = Infinity;
  benchmarks.forEach(({ samples }, b) => {
    // Pass 1: units of every segment; sample lengths for --ngram auto.
    const firstSample = sampleIds.length;
    const lengths: number[] = [];
    for (const sample of samples) {
      const s = sampleIds.length;
      wholeSample.push(0);
      sampleBenchmark.push(b);
      sampleRow.push(sample.row);
      sampleIds.push(sample.id);
      segmentStart.push(segSample.length);
      let offset = 0;
      let length = 0;
      const parts: string[] = [];
      for (const segment of sample.segments) {
        segSample.push(s);
        segWordStart.push(wordCount);
        segRole.push(segment.label ? ROLE_LABEL : segment.distractor ? ROLE_DISTRACTOR : ROLE_INPUT);
        segField.push(segment.field);
        segTextStart.push(offset);
        // Only the hashes are kept: a scan re-derives the rest from the text (sample-text.ts). With
        // extract() here, a scan later in the same process normalized at half the speed (V8 tunes
        // the normalizer to its first callers); extractNormalized leaves it tuned as before.
        const u = units.extractNormalized(segment.text).units;
        for (let k = 0; k < u.count; k++) wordHash.push(u.hashes[k]!);
        wordCount += u.count;
        length += u.count;
        parts.push(segment.text);
        offset += segment.text.length + 1;
      }
      sampleTexts.push(parts.join('\n'));
      lengths.push(length);
    }
    const ngram = config.ngramAuto ? autoNgram(lengths) : config.ngram;
    const minWords = Math.min(config.minWords, ngram);
    perBenchmarkNgram.push(ngram);
    // Pass 2: shingles, per segment so none spans two fields; a sample with none whose
    // fields together reach minWords (a short multiple-choice item) is shingled whole.
    for (let s = firstSample; s < sampleIds.length; s++) {
      entryStart.push(entries);
      const segFirst = segmentStart.data[s]!;
      const segEnd = s + 1 < sampleIds.length ? segmentStart.data[s + 1]! : segSample.length;
      for (let g = segFirst; g < segEnd; g++) {
        const first = segWordStart.data[g]!;
        const count = (g + 1 < segSample.length ? segWordStart.data[g + 1]! : wordCount) - first;
        segEntryStart.push(entries);
        if (count >= ngram) {
          entries += count - ngram + 1;
          if (ngram < shortest) shortest = ngram;
        } else if (count >= minWords) {
          entries += 1;
          if (count < shortest) shortest = count;
        }
      }
      const sampleFirst = segFirst < segEnd ? segWordStart.data[segFirst]! : wordCount;
      const sampleEnd = segEnd < segSample.length ? segWordStart.data[segEnd]! : wordCount;
      const total = sampleEnd - sampleFirst;
      if (entries === entryStart.data[s]! && segEnd > segFirst && total >= minWords) {
        // Entries of the whole sample belong to its first segment, at sample positions
        // (the segment starts the sample, so its positions are the sample's).
        wholeSample[s] = 1;
        const length = Math.min(ngram, total);
        entries += total - length + 1;
        for (let g = segFirst + 1; g < segEnd; g++) segEntryStart.data[g] = entries;
        if (length < shortest) shortest = length;
      }
    }
  });
  segmentStart.push(segSample.length);
  entryStart.push(entries);
  segEntryStart.push(entries);
  segWordStart.push(wordCount);

  // Anchors: every window of the probe width over each sample that has entries, across
  // its fields (a copy joins them).
  const probe = probeFor(Number.isFinite(shortest) ? shortest : config.minWords);
  // Each word's segment, for template detection; the index keeps one per block of words.
  const wordSegment = new Uint32Array(wordCount);
  for (let g = 0; g < segSample.length; g++) wordSegment.fill(g, segWordStart.data[g]!, segWordStart.data[g + 1]!);
  const segmentBlock = new Uint32Array(new SharedArrayBuffer(Math.max(Math.ceil(wordCount / SEGMENT_BLOCK), 1) * 4)).subarray(0, Math.ceil(wordCount / SEGMENT_BLOCK));
  for (let k = 0; k < segmentBlock.length; k++) segmentBlock[k] = wordSegment[k * SEGMENT_BLOCK]!;
  const sampleWordStart = Array.from({ length: sampleIds.length + 1 }, (_, s) => segWordStart.data[segmentStart.data[s]!]!);
  const template = config.templates
    ? templateWords(wordHash.data.subarray(0, wordCount), sampleWordStart, sampleIds.length, segWordStart.data.subarray(0, segSample.length + 1), wordSegment)
    : new Uint8Array(wordCount);
  const keysA = u32();
  const keysB = u32();
  const anchorWord = u32();
  const samplesCount = sampleIds.length;
  for (let s = 0; s < samplesCount; s++) {
    if (entryStart.data[s + 1] === entryStart.data[s]) continue;
    const first = segWordStart.data[segmentStart.data[s]!]!;
    const count = segWordStart.data[segmentStart.data[s + 1]!]! - first;
    const width = probe.width;
    const hashes = wordHash.data.subarray(first, first + count);
    for (let q = 0; q + width <= count; q++) {
      const [ka, kb] = shingleKey(hashes, q, width);
      keysA.push(ka);
      keysB.push(kb);
      anchorWord.push(first + q);
    }
  }
  // Post only the anchors with a word that is not template: the scan extends no other (an anchor
  // of template words alone is no evidence, and a run through it is met from its other anchors).
  // Every key goes into the Bloom filter, sized for all of them.
  const isTemplateAnchor = (w: number) => {
    for (let t = w; t < w + probe.width; t++) if (template[t] === 0) return false;
    return true;
  };
  const anchors = keysA.length;
  const table = AnchorTable.build(keysA.data, keysB.data, anchorWord.data, anchors, (i) => !isTemplateAnchor(anchorWord.data[i]!));
  const keys = distinctKeys(keysA.data, keysB.data, anchors);
  const bloom = BloomFilter.forCapacity(keys, fpr);
  for (let i = 0; i < anchors; i++) bloom.add(keysA.data[i]!, keysB.data[i]!);

  const shared = {
    segmentStart: segmentStart.shared(),
    segWordStart: segWordStart.shared(),
    wordHash: wordHash.shared(),
  };
  const minhash = config.minhash ? buildMinhashIndex(config.minhash, samplesCount, shared.segmentStart, shared.segWordStart, shared.wordHash) : null;

  const sharedBytes = (values: number[]) => {
    const out = new Uint8Array(new SharedArrayBuffer(Math.max(values.length, 1))).subarray(0, values.length);
    out.set(values);
    return out;
  };

  const texts = encodeTexts(sampleTexts);
  return {
    formatVersion: INDEX_FORMAT_VERSION,
    config,
    benchmarks: benchmarks.map(({ source }, b) => ({ ...source, ngram: perBenchmarkNgram[b]! })),
    samples: {
      benchmark: sampleBenchmark.shared(),
      row: sampleRow.shared(),
      id: sampleIds,
      text: sampleTexts,
      textBlocks: texts.textBlocks,
      blockStart: texts.blockStart,
      blockSample: texts.blockSample,
      textStart: texts.textStart,
      segmentStart: shared.segmentStart,
      entryStart: entryStart.shared(),
      whole: sharedBytes(wholeSample),
    },
    segments: { sample: segSample.shared(), wordStart: shared.segWordStart, entryStart: segEntryStart.shared(), role: sharedBytes(segRole), textStart: segTextStart.shared(), field: segField },
    words: { hash: shared.wordHash, segmentBlock, templateBits: templateBits(template) },
    entries: indexEntries(entries),
    table,
    bloom,
    keys,
    probe,
    minhash,
  };
}

/** The window width the scan probes, and how many windows it steps over between probes. */
export interface Probe {
  width: number;
  stride: number;
}

/** Narrowest probe width: 4-word windows of prose hit common phrases of the table too often. */
const MIN_PROBE_WIDTH = 5;
/** Widest probe width: 8 units already make a selective key; wider only shortens the stride. */
const MAX_PROBE_WIDTH = 8;

/**
 * The probe for an index whose shortest entry (n-gram or whole field) has
 * `shortest` units: a copy of it holds shortest - width + 1 consecutive windows,
 * so probing every that-many-th window meets one. With the defaults (13-grams,
 * fields from 8 words) that is 5-unit windows every 4th position, a quarter of
 * the probes of every window; with 13-grams alone, 8-unit windows every 6th.
 */
export function probeFor(shortest: number): Probe {
  const width = Math.min(shortest, Math.max(MIN_PROBE_WIDTH, Math.min(MAX_PROBE_WIDTH, shortest - 5)));
  return { width, stride: shortest - width + 1 };
}

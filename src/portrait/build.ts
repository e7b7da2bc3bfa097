/**
 * Building a corpus portrait: every document's normalized words (the
 * normalization of text/normalize.ts, as the index uses) are cut into word
 * n-grams, keyed with the rolling 64-bit keys of text/shingle.ts, and every
 * `stride`-th key of each document goes into a blocked Bloom filter sized for
 * the target false-positive rate.
 *
 * Short fields: the main index matches a field shorter than n words whole,
 * down to `min_words`. A portrait cannot hold every field length, so it also
 * stores the document's `min_words`-grams (their keys tagged apart from the
 * n-grams'); a copy of a short field of L words holds all L - min_words + 1 of
 * them, which is what a query looks up. `minWords: 0` stores n-grams only.
 *
 * The filter must be sized before keys go in, and the number of n-grams is only
 * known after reading: keys are buffered per shard (8 bytes each, in typed
 * arrays), then the shard's filter is sized for the count and filled. A shard
 * closes after `shardSize` documents or `maxShardNgrams` keys, whichever comes
 * first, which bounds memory; shards are files `<output>.000`, `.001`, ...
 * queried together. A build that made one shard without `shardSize` is
 * written as `<output>` itself.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFAULTS, resolvePortraitOptions } from '../options.js';
import { BloomFilter } from '../cidx/bloom.js';
import { readCorpusDocuments } from '../readers/corpus/documents.js';
import { extractWordHashesFast } from '../text/ascii-words.js';
import { NORMALIZATION, WordBuffer } from '../text/normalize.js';
import { rollingShingleKeys } from '../text/shingle.js';
import type { CorpusColumns } from '../types.js';
import { VERSION } from '../version.js';
import { writePortraitFile, type Portrait, type PortraitHeader } from './file.js';

export interface PortraitOptions {
  /** N-gram length in words. @default 13 */
  ngram?: number;
  /** Store every k-th n-gram of each document (Data Portraits stride). @default 1 */
  stride?: number;
  /** Target false-positive rate. @default 0.01 */
  fpr?: number;
  /** Seed of the word hash. @default 0 */
  seed?: number;
  /** Also store every `minWords`-gram, so fields shorter than `ngram` words can be judged; 0: off. @default 8 */
  minWords?: number;
}

/** XORed into the second half of a short-gram key, so a min_words-gram never answers for an n-gram. */
export const SHORT_GRAM_TAG = 0x5bd1e995;

/** Sync core: documents in, one portrait out (tests and shards use it directly). */
export class PortraitBuilder {
  readonly ngram: number;
  readonly stride: number;
  readonly fpr: number;
  readonly seed: number;
  readonly minWords: number;
  documents = 0;
  bytes = 0;
  private count = 0;
  private keysA = new Uint32Array(1 << 16);
  private keysB = new Uint32Array(1 << 16);
  private windowA = new Uint32Array(1024);
  private windowB = new Uint32Array(1024);
  private readonly words = new WordBuffer();

  constructor(options: PortraitOptions = {}) {
    const resolved = resolvePortraitOptions(options);
    this.ngram = resolved.ngram;
    this.stride = resolved.stride;
    this.fpr = resolved.fpr;
    this.seed = options.seed ?? 0;
    // Short grams at or above n would duplicate the n-grams.
    this.minWords = resolved.minWords >= this.ngram ? 0 : resolved.minWords;
  }

  /** N-grams buffered so far. */
  get ngrams(): number {
    return this.count;
  }

  add(text: string): void {
    this.documents++;
    this.bytes += Buffer.byteLength(text, 'utf8');
    extractWordHashesFast(text, this.words, this.seed);
    this.addWindows(this.ngram, 0);
    if (this.minWords > 0) this.addWindows(this.minWords, SHORT_GRAM_TAG);
  }

  /** Buffer every `stride`-th key of the current document's windows of `width` words, `tag` XORed into the second half. */
  private addWindows(width: number, tag: number): void {
    const windows = this.words.count - width + 1;
    if (windows <= 0) return;
    if (windows > this.windowA.length) {
      this.windowA = new Uint32Array(windows * 2);
      this.windowB = new Uint32Array(windows * 2);
    }
    rollingShingleKeys(this.words.hashes, this.words.count, width, this.windowA, this.windowB);
    const stored = Math.ceil(windows / this.stride);
    if (this.count + stored > this.keysA.length) {
      const size = Math.max(this.keysA.length * 2, this.count + stored);
      const a = new Uint32Array(size);
      a.set(this.keysA.subarray(0, this.count));
      this.keysA = a;
      const b = new Uint32Array(size);
      b.set(this.keysB.subarray(0, this.count));
      this.keysB = b;
    }
    const ka = this.keysA;
    const kb = this.keysB;
    const wa = this.windowA;
    const wb = this.windowB;
    let c = this.count;
    for (let p = 0; p < windows; p += this.stride) {
      ka[c] = wa[p]!;
      kb[c] = (wb[p]! ^ tag) >>> 0;
      c++;
    }
    this.count = c;
  }

  /** The portrait of everything added; the builder is emptied for the next shard. */
  finish(buildId: string, shard: number): Portrait {
    // A power of two, as portrait files have always had: they are shared, and contam before index format 6 reads no other size.
    const bloom = BloomFilter.forCapacity(this.count, this.fpr, true);
    const ka = this.keysA;
    const kb = this.keysB;
    for (let i = 0; i < this.count; i++) bloom.add(ka[i]!, kb[i]!);
    const header: PortraitHeader = {
      format_version: 1,
      tool: { name: 'contam', version: VERSION },
      normalization: NORMALIZATION,
      unit: 'word',
      ngram: this.ngram,
      min_words: this.minWords,
      stride: this.stride,
      seed: this.seed,
      build_id: buildId,
      shard,
      fpr_target: this.fpr,
      fpr_expected: bloom.expectedFpr(this.count),
      bloom: { bits: bloom.size, hashes: bloom.hashes, block_bits: 512 },
      documents: this.documents,
      ngrams: this.count,
      bytes: this.bytes,
    };
    this.count = 0;
    this.documents = 0;
    this.bytes = 0;
    this.keysA = new Uint32Array(1 << 16);
    this.keysB = new Uint32Array(1 << 16);
    return { header, bloom: new BloomFilter(bloom.bits, bloom.hashes) };
  }
}

export interface PortraitBuildOptions extends PortraitOptions {
  columns?: CorpusColumns;
  /** Close a shard after this many documents (then files are always numbered). */
  shardSize?: number;
  /** Close a shard once this many n-grams are buffered (8 bytes each). @default 2^26 */
  maxShardNgrams?: number;
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (progress: { documents: number; bytes: number; shards: number }) => void;
}

export interface PortraitBuildSummary {
  files: string[];
  documents: number;
  ngrams: number;
  bytes: number;
  /** Bytes of the portrait files. */
  portrait_bytes: number;
  fpr_target: number;
  /** Largest expected rate of any shard. */
  fpr_expected: number;
}

/** `<output>.000`-style shard name. */
export function shardFile(output: string, shard: number): string {
  return `${output}.${String(shard).padStart(3, '0')}`;
}

/**
 * Build the portrait of a corpus (files, folders, globs) into `output`, or into
 * numbered shard files beside it.
 *
 * @throws ContamError from the corpus readers, `BAD_ARGUMENT`, `WRITE_FAILED`, `DISK_FULL`
 */
export async function buildPortrait(inputs: string[], output: string, options: PortraitBuildOptions = {}): Promise<PortraitBuildSummary> {
  const builder = new PortraitBuilder(resolvePortraitOptions(options));
  const maxNgrams = options.maxShardNgrams ?? 2 ** 26;
  const buildId = `${Date.now().toString(36)}-${process.pid.toString(36)}-${Math.floor(Math.random() * 2 ** 32).toString(36)}`;
  const summary: PortraitBuildSummary = { files: [], documents: 0, ngrams: 0, bytes: 0, portrait_bytes: 0, fpr_target: builder.fpr, fpr_expected: 0 };
  const flush = async (): Promise<void> => {
    summary.documents += builder.documents;
    summary.ngrams += builder.ngrams;
    summary.bytes += builder.bytes;
    const portrait = builder.finish(buildId, summary.files.length);
    const file = shardFile(output, summary.files.length);
    await writePortraitFile(portrait, file);
    summary.files.push(file);
    summary.portrait_bytes += portrait.bloom.bits.byteLength;
    summary.fpr_expected = Math.max(summary.fpr_expected, portrait.header.fpr_expected);
  };
  try {
    for await (const batch of readCorpusDocuments(inputs, { columns: options.columns ?? DEFAULTS.columns, batchSize: options.batchSize, signal: options.signal })) {
      for (const doc of batch.documents) {
        builder.add(doc.text);
        if ((options.shardSize !== undefined && builder.documents >= options.shardSize) || builder.ngrams >= maxNgrams) await flush();
      }
      options.onProgress?.({ documents: summary.documents + builder.documents, bytes: summary.bytes + builder.bytes, shards: summary.files.length });
    }
    if (builder.documents > 0 || summary.files.length === 0) await flush();
  } catch (error) {
    await Promise.all(summary.files.map((f) => fs.rm(f, { force: true })));
    throw error;
  }
  if (summary.files.length === 1 && options.shardSize === undefined) {
    await fs.rename(summary.files[0]!, output);
    summary.files = [output];
  }
  // Files of an earlier build under the same name would be picked up by a query: remove them.
  const dir = path.dirname(output);
  const base = path.basename(output);
  const ours = new Set(summary.files.map((f) => path.resolve(f)));
  for (const name of await fs.readdir(dir)) {
    const stale = name === base || (name.startsWith(`${base}.`) && /^\d{3,}$/.test(name.slice(base.length + 1)));
    if (stale && !ours.has(path.resolve(dir, name))) await fs.rm(path.join(dir, name), { force: true });
  }
  return summary;
}

/** A plain summary of an index: what `contam index` prints and `--json` emits. */
import type { ContamIndex } from './contam-index.js';
import { fieldSpecText } from '../readers/evals/fields.js';
import { lshThreshold } from './minhash.js';

export interface IndexDescription {
  config: ContamIndex['config'];
  benchmarks: {
    name: string;
    path: string;
    format: string;
    shape: string | null;
    fields: string[];
    id_field: string | null;
    samples: number;
    ngram: number;
    shingles: number;
    too_short: number;
    minhash_samples: number;
  }[];
  shingles: number;
  keys: number;
  bloom_bytes: number;
  bloom_hashes: number;
  bloom_fpr: number;
  /** MinHash/LSH settings and the Jaccard similarity at which a pair becomes a candidate with probability 1/2. */
  minhash: { shingle: number; bands: number; rows: number; jaccard_threshold: number; min_containment: number } | null;
}

export function describeIndex(index: ContamIndex): IndexDescription {
  const perBenchmark = index.benchmarks.map(() => ({ shingles: 0, tooShort: 0, minhash: 0 }));
  for (let s = 0; s < index.samples.row.length; s++) {
    const n = index.samples.entryStart[s + 1]! - index.samples.entryStart[s]!;
    const b = perBenchmark[index.samples.benchmark[s]!]!;
    b.shingles += n;
    const signed = index.minhash !== null && index.minhash.sampleBucket[s] !== 255;
    if (signed) b.minhash++;
    if (n === 0 && !signed) b.tooShort++;
  }
  return {
    config: index.config,
    benchmarks: index.benchmarks.map((source, i) => ({
      name: source.name,
      path: source.path,
      format: source.format,
      shape: source.shape,
      fields: source.fields.map(fieldSpecText),
      id_field: source.idField,
      samples: source.samples,
      ngram: source.ngram ?? index.config.ngram,
      shingles: perBenchmark[i]!.shingles,
      too_short: perBenchmark[i]!.tooShort,
      minhash_samples: perBenchmark[i]!.minhash,
    })),
    shingles: index.entries.count,
    keys: index.keys,
    bloom_bytes: index.bloom.size / 8,
    bloom_hashes: index.bloom.hashes,
    bloom_fpr: index.bloom.expectedFpr(index.keys),
    minhash: index.config.minhash
      ? { ...index.config.minhash, jaccard_threshold: lshThreshold(index.config.minhash.bands, index.config.minhash.rows), min_containment: index.config.minhash.minContainment }
      : null,
  };
}

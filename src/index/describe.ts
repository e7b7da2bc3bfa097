/** A plain summary of an index: what `contam index` prints and `--json` emits. */
import type { ContamIndex } from './contam-index.js';

export interface IndexDescription {
  config: ContamIndex['config'];
  benchmarks: { name: string; path: string; format: string; shape: string | null; fields: string[]; id_field: string | null; samples: number; shingles: number; too_short: number }[];
  shingles: number;
  keys: number;
  bloom_bytes: number;
  bloom_hashes: number;
  bloom_fpr: number;
}

export function describeIndex(index: ContamIndex): IndexDescription {
  const perBenchmark = index.benchmarks.map(() => ({ shingles: 0, tooShort: 0 }));
  for (let s = 0; s < index.samples.row.length; s++) {
    const n = index.samples.entryStart[s + 1]! - index.samples.entryStart[s]!;
    const b = perBenchmark[index.samples.benchmark[s]!]!;
    b.shingles += n;
    if (n === 0) b.tooShort++;
  }
  return {
    config: index.config,
    benchmarks: index.benchmarks.map((source, i) => ({
      name: source.name,
      path: source.path,
      format: source.format,
      shape: source.shape,
      fields: source.fields.map((f) => (f.label ? `${f.path}:label` : f.path)),
      id_field: source.idField,
      samples: source.samples,
      shingles: perBenchmark[i]!.shingles,
      too_short: perBenchmark[i]!.tooShort,
    })),
    shingles: index.entries.segment.length,
    keys: index.keys,
    bloom_bytes: index.bloom.size / 8,
    bloom_hashes: index.bloom.hashes,
    bloom_fpr: index.bloom.expectedFpr(index.keys),
  };
}

/**
 * From a scan's result to the Report: the one place that hands report/ what
 * it needs of the index (a ReportIndex of plain figures) and of the scan (the
 * tallies, the counters, and each sample's verdict from src/verdict/), so
 * that report/ reads neither the index nor the scan's state.
 */
import { INDEX_FORMAT_VERSION } from '../cidx/build.js';
import { ROLE_LABEL, type ContamIndex } from '../cidx/contam-index.js';
import { lshThreshold } from '../cidx/minhash.js';
import { buildReport } from '../report/build.js';
import type { CorpusColumns, Report, ReportIndex, VerdictRule } from '../types.js';
import { judgeSample } from '../verdict/sample.js';
import { scanWork, type PartResult } from './part-result.js';

/** What the report reads of `index`. */
export function reportIndex(index: ContamIndex): ReportIndex {
  // A benchmark has labels when any of its segments is one (a marked answer field, a gold choice).
  const labelled = index.benchmarks.map(() => false);
  for (let g = 0; g < index.segments.role.length; g++) if (index.segments.role[g] === ROLE_LABEL) labelled[index.samples.benchmark[index.segments.sample[g]!]!] = true;
  const config = index.config;
  const minhash = config.minhash;
  return {
    benchmarks: index.benchmarks,
    samples: index.samples,
    labelled,
    ngram: config.ngram,
    minContainment: index.minhash ? index.minhash.config.minContainment : null,
    config: {
      unit: config.unit,
      ngram: config.ngramAuto ? 'auto' : config.ngram,
      min_words: config.minWords,
      encoding: config.encoding,
      normalization: config.normalization,
      minhash: minhash
        ? {
            shingle: minhash.shingle,
            bands: minhash.bands,
            rows: minhash.rows,
            jaccard_threshold: Number(lshThreshold(minhash.bands, minhash.rows).toFixed(4)),
            min_containment: minhash.minContainment,
          }
        : null,
      index: {
        format_version: INDEX_FORMAT_VERSION,
        shingles: index.entries.count,
        bloom_bits: index.bloom.size,
        bloom_hashes: index.bloom.hashes,
        bloom_fpr: Number(index.bloom.expectedFpr(index.keys).toPrecision(6)),
      },
    },
  };
}

export interface ReportSettings {
  rule: VerdictRule;
  columns: CorpusColumns;
  /** @default 10; 0 turns the boilerplate guard off. */
  maxDocFreq?: number;
}

/** The report of `result`, scanned from `files` (MatchRecord.file indexes them) against `index`. */
export function reportOfResult(index: ContamIndex, result: PartResult, files: string[], settings: ReportSettings): Report {
  const { accumulator, docFreq } = result;
  const maxDocFreq = settings.maxDocFreq ?? 10;
  const context = { index, rule: settings.rule, docFreq, maxDocFreq, documents: result.documents };
  return buildReport({
    index: reportIndex(index),
    tallies: accumulator.tallies,
    maxMatches: accumulator.maxMatches,
    judge: (s) => judgeSample(context, s, accumulator.tallies.get(s)),
    files,
    corpus: { documents: result.documents, bytes: result.bytes },
    scan: scanWork(result.counters, index.minhash !== null),
    rule: settings.rule,
    columns: settings.columns,
    maxDocFreq: settings.maxDocFreq,
    skipped: result.skipped,
  });
}

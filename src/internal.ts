/**
 * `contam/internal`: the building blocks behind the public API (src/index.ts)
 * for bench/ and for experiments: hashes, scanners, readers, writers,
 * partial scans. No stability promise; the public API is src/index.ts.
 */
export * from './types.js';
export { ContamError, isContamError, type ContamErrorCode } from './errors.js';
export { VERSION } from './version.js';

// Pipeline
export { indexBenchmarks, check, scan, scanShard } from './pipeline.js';
export { DEFAULTS, RANGES, checkOption, resolveIndexOptions, resolveScanOptions, resolveFilterOptions, resolvePortraitOptions } from './options.js';

// io: readers and writers
export { parseEvalArgument, readEvalSamples } from './readers/evals/evals.js';
export { expandCorpusInputs, planCorpusParts, readCorpusPart, readCorpusDocuments } from './readers/corpus/documents.js';
export { writeFileAtomic, AtomicFileWriter } from './io/atomic.js';

// text: normalization and shingles
export { NORMALIZATION, extractWords, normalizeText, WordBuffer } from './text/normalize.js';
export { shingleKey, rollingShingleKeys } from './text/shingle.js';
export { xxh32 } from './text/xxhash32.js';
export { WordUnits, TokenUnits, createUnitExtractor, type UnitExtractor, type UnitBuffer } from './text/units.js';

// index
export { buildIndex, shingleConfig, INDEX_FORMAT_VERSION, type IndexOptions } from './cidx/build.js';
export { BloomFilter } from './cidx/bloom.js';
export { ShingleTable } from './cidx/shingle-table.js';
export { readIndexFile, writeIndexFile, encodeIndex, decodeIndex, decodeIndexHeader, type IndexHeader } from './cidx/file.js';
export { describeIndex, type IndexDescription } from './cidx/describe.js';
export type { ContamIndex } from './cidx/contam-index.js';

// scan
export { scanCorpus, scanPart, type PartResult } from './scan/scan.js';
export { scanDocuments, CorpusScanner, type ScanOptions, type ScanProgress } from './scan/corpus-scanner.js';
export { DocumentScanner, type SampleDocMatch, type ScanCounters } from './scan/document-scanner.js';
export { MatchAccumulator, type MatchRecord } from './scan/accumulator.js';

// report
export { buildReport, serializeReport } from './report/build.js';

// verdict
export { judgeSample, meetsRule, describeEvidence, type SampleVerdict } from './verdict/sample.js';
export { judgeCopy, type CopyEvidence, type Grade } from './verdict/evidence.js';
export { renderSummary } from './report/terminal.js';
export { readReport, validateReport } from './report/read.js';
export { formatRate, formatCount, formatBytes } from './report/format.js';

// filters and portraits
export { filterCorpus, decideDocument, type CorpusFilterOptions, type CorpusFilterSummary } from './filter/corpus.js';
export { filterEvals, type EvalFilterOptions, type EvalFilterSummary } from './filter/evals.js';
export { cutDocument, CUT_DEFAULTS, type CutOptions } from './filter/cut.js';
export { JsonlWriter, ParquetFileWriter, ArrowFileWriter, writeFolderAtomic } from './writers/writers.js';
export { buildPortrait, PortraitBuilder } from './portrait/build.js';
export { queryPortrait, type PortraitReport } from './portrait/query.js';
export { readPortraitFile, writePortraitFile } from './portrait/file.js';

// shards, merges, checkpoints, clusters
export { scanCorpusState, reportFromState, mergeScanStates, assignShards, type ScanState, type ShardSpec, type ScanStateOptions } from './scan/scan.js';
export { serializePartial, parsePartial, mergePartials, type PartialScan } from './scan/partial.js';
export { slurmScript, shellQuote, shellJoin } from './cluster/slurm-script.js';
export { writeSlurmJobs, submitSlurmJobs } from './cluster/slurm.js';
export { mergeShards, readShards } from './cluster/merge.js';
export { shardOf } from './cluster/shard.js';
export { corpusFormatOf, readJsonlDocuments } from './readers/corpus/documents.js';
export { readParquetDocuments } from './readers/corpus/parquet.js';
export { readArrowDocuments } from './readers/corpus/arrow.js';

// scores
export { scoreResults, scoreResultsFile, type ScoreInput, type ScoreOptions } from './score/score.js';
export { readResults, readLmEvalSamples, readLightevalDetails, readNativeResults, type ResultsFile, type ResultRecord } from './readers/results/results.js';
export { accuracy, lengthNormalizedAccuracy, exactMatch, squadF1, extractGsm8kAnswer } from './score/metrics.js';
export { bootstrapDeltaInterval, mulberry32 } from './score/bootstrap.js';
export { renderScores } from './report/scores-terminal.js';
export { renderHtmlReport } from './report/html.js';
export { readScores } from './report/read.js';

/**
 * contam's public API: the functions a user calls, one per command, with
 * their option and result types. Everything else (hashes, scanners, readers,
 * writers) is behind `contam/internal` (src/internal.ts), which bench/ uses
 * and which may change without notice. test/index.test.ts pins this list.
 *
 *   const { index } = await indexBenchmarks([parseEvalArgument('gsm8k=test.jsonl')]);
 *   const report = await scan(index, ['corpus/']);
 */
export type * from './types.js';
export { ContamError, isContamError, type ContamErrorCode } from './errors.js';
export { VERSION } from './version.js';
export { DEFAULTS } from './options.js';

// Benchmarks and the index
export { parseEvalArgument } from './readers/evals/evals.js';
export { indexBenchmarks, check, scan, scanShard, type CheckOptions, type CorpusScanOptions } from './pipeline.js';
export type { IndexOptions } from './cidx/build.js';
export type { ContamIndex } from './cidx/contam-index.js';
export { readIndexFile, writeIndexFile } from './cidx/file.js';
export { describeIndex, type IndexDescription } from './cidx/describe.js';
export type { ScanProgress } from './scan/corpus-scanner.js';
export type { ShardSpec } from './scan/scan.js';

// Clusters
export { mergeShards } from './cluster/merge.js';
export { writeSlurmJobs, submitSlurmJobs, type SlurmJobOptions, type SlurmJobs, type SlurmScanOptions, type SubmittedSlurmJobs } from './cluster/slurm.js';

// Reports
export { readReport, readScores } from './report/read.js';
export { serializeReport } from './report/build.js';
export { renderSummary, type SummaryOptions } from './report/terminal.js';
export { renderHtmlReport, type HtmlReportOptions } from './report/html.js';
export { renderScores } from './report/scores-terminal.js';

// Acting on the findings
export { filterEvals, type EvalFilterOptions, type EvalFilterSummary } from './filter/evals.js';
export { filterCorpus, type CorpusFilterOptions, type CorpusFilterSummary } from './filter/corpus.js';
export { buildPortrait, type PortraitBuildOptions, type PortraitBuildSummary } from './portrait/build.js';
export { queryPortrait, type PortraitQueryOptions, type PortraitReport } from './portrait/query.js';
export { scoreResults, type ScoreInput, type ScoreOptions, type ScoreReportFile } from './score/score.js';

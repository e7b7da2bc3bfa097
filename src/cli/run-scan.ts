/**
 * What `scan` and `check` share after the index exists: run the scan with
 * progress on stderr, write the JSON report, print the summary, set the exit code.
 */
import type { ContamIndex } from '../cidx/contam-index.js';
import { serializeReport } from '../report/build.js';
import { renderSummary } from '../report/terminal.js';
import { reportFromState, scanCorpusState, type ScanState, type ShardSpec } from '../scan/scan.js';
import type { Report } from '../types.js';
import { colorEnabled, createLogger, writeResult } from './common.js';
import { scanOptions, type ScanCliOptions } from './options.js';
import { ProgressReporter } from './progress.js';

export interface ScanOutputOptions extends ScanCliOptions {
  output?: string;
  json?: boolean;
  quiet?: boolean;
}

/** Scan with the CLI's options and a progress display on stderr. */
export async function scanWithProgress(index: ContamIndex, corpus: string[], opts: ScanOutputOptions, shard?: ShardSpec): Promise<ScanState> {
  const progress = new ProgressReporter({ quiet: opts.quiet });
  const log = createLogger(opts.quiet);
  let last = { bytesDone: 0, bytesTotal: 0, documents: 0, partsDone: 0, parts: 0 };
  const state = await scanCorpusState(index, corpus, {
    ...scanOptions(opts),
    shard,
    jsonlPartBytes: opts.jsonlPartSize === undefined ? undefined : opts.jsonlPartSize * 2 ** 20,
    onCounting: (file, bytes, parts) => log.info(`counting the lines of ${file} (${(bytes / 1e6).toFixed(0)} MB) to scan it as ${parts} parts`),
    onWorkers: (cap) => {
      const bounds = [cap.threads === cap.cores ? `${cap.cores} cores` : null, cap.threads === cap.memoryThreads ? `memory for ${cap.memoryThreads} threads` : null, cap.threads === cap.parts ? `${cap.parts} parts to scan` : null].filter(Boolean);
      log.info(`--workers ${cap.requested}: scanning on ${cap.threads} thread${cap.threads === 1 ? '' : 's'} (${bounds.join(', ')})`);
    },
    checkpoint: opts.checkpoint,
    skipBad: opts.skipBad,
    onProgress: (p) => {
      last = p;
      progress.update(p);
    },
  });
  progress.finish(last);
  return state;
}

export async function runScan(index: ContamIndex, corpus: string[], opts: ScanOutputOptions): Promise<Report> {
  const state = await scanWithProgress(index, corpus, opts);
  const report = reportFromState(index, state, scanOptions(opts));
  await emitReport(report, opts);
  if (opts.failOnContamination && report.benchmarks.some((b) => b.contaminated > 0)) process.exitCode = 1;
  return report;
}

/** -o FILE gets the JSON (and stdout the summary); --json puts the JSON on stdout; else the summary. */
export async function emitReport(report: Report, opts: { output?: string; json?: boolean; quiet?: boolean }): Promise<void> {
  const json = serializeReport(report);
  if (opts.output) await writeResult(json, opts.output);
  if (opts.json) await writeResult(json);
  else if (!opts.output || !opts.quiet) await writeResult(renderSummary(report, { color: colorEnabled(process.stdout), width: process.stdout.columns ?? 100 }));
}

/**
 * What `scan`, `check` and `merge` share around the library's scan: the
 * progress display and logs on stderr, the JSON report to -o or stdout, the
 * summary, and the exit code of --fail-on-contamination.
 */
import type { CorpusScanOptions } from '../pipeline.js';
import { serializeReportBytes } from '../report/build.js';
import { renderSummary } from '../report/terminal.js';
import type { Report } from '../types.js';
import { colorEnabled, createLogger, writeResult } from './common.js';
import { scanOptions, type ScanCliOptions } from './options.js';
import { ProgressReporter } from './progress.js';

export interface ScanOutputOptions extends ScanCliOptions {
  output?: string;
  json?: boolean;
  quiet?: boolean;
}

/**
 * The library's scan options for the CLI's, with progress and logs on stderr;
 * `restart` starts the clock again (check: once the index is built), `done`
 * prints the last line when the scan ends.
 */
export function scanWithProgress(opts: ScanOutputOptions): { options: CorpusScanOptions; restart: () => void; done: () => void } {
  let progress = new ProgressReporter({ quiet: opts.quiet });
  const log = createLogger(opts.quiet);
  let last = { bytesDone: 0, bytesTotal: 0, documents: 0, partsDone: 0, parts: 0 };
  const options: CorpusScanOptions = {
    ...scanOptions(opts),
    jsonlPartBytes: opts.jsonlPartSize === undefined ? undefined : opts.jsonlPartSize * 2 ** 20,
    onCounting: (file, bytes, parts) => log.info(`counting the lines of ${file} (${(bytes / 1e6).toFixed(0)} MB) to scan it as ${parts} parts`),
    onWorkers: (cap) => {
      const bounds = [
        cap.threads === cap.cores ? `${cap.cores} cores` : null,
        cap.threads === cap.memoryThreads ? `memory for ${cap.memoryThreads} threads` : null,
        cap.threads === cap.parts ? `${cap.parts} parts to scan` : null,
      ].filter(Boolean);
      log.info(`--workers ${cap.requested}: scanning on ${cap.threads} thread${cap.threads === 1 ? '' : 's'} (${bounds.join(', ')})`);
    },
    checkpoint: opts.checkpoint,
    skipBad: opts.skipBad,
    onProgress: (p) => {
      last = p;
      progress.update(p);
    },
  };
  return { options, restart: () => (progress = new ProgressReporter({ quiet: opts.quiet })), done: () => progress.finish(last) };
}

/** Print or write the report as the output options say, and set the exit code of --fail-on-contamination. */
export async function finishReport(report: Report, opts: { output?: string; json?: boolean; quiet?: boolean; failOnContamination?: boolean }): Promise<void> {
  await emitReport(report, opts);
  if (opts.failOnContamination && report.benchmarks.some((b) => b.contaminated > 0)) process.exitCode = 1;
}

/** -o FILE gets the JSON (and stdout the summary); --json puts the JSON on stdout; else the summary. */
async function emitReport(report: Report, opts: { output?: string; json?: boolean; quiet?: boolean }): Promise<void> {
  const json = serializeReportBytes(report);
  if (opts.output) await writeResult(json, opts.output);
  if (opts.json) await writeResult(json);
  else if (!opts.output || !opts.quiet) await writeResult(renderSummary(report, { color: colorEnabled(process.stdout), width: process.stdout.columns ?? 100 }));
}

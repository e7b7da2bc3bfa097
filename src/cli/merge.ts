/** `contam merge`: shard results of `contam scan --shard I/N` -> one report, identical to a single-process scan's. */
import { Command } from 'commander';
import { promises as fs } from 'node:fs';
import { ContamError } from '../errors.js';
import { readIndexFile } from '../cidx/file.js';
import { checkOutput } from '../io/output.js';
import { mergePartials, parsePartial } from '../scan/partial.js';
import { reportFromState } from '../scan/scan.js';
import { emitReport } from './run-scan.js';

export function mergeCommand(): Command {
  return new Command('merge')
    .description('merge the partial scans of `contam scan --shard I/N` into one report')
    .argument('<parts...>', 'partial scan files, one per shard')
    .option('-i, --index <file>', 'the index the shards used (default: the path recorded in the parts)')
    .option('-o, --output <file>', 'write the report to FILE (atomically)')
    .option('--json', 'print the report as JSON on stdout')
    .option('-q, --quiet', 'no summary when writing to a file')
    .option('--fail-on-contamination', 'exit with code 1 when any sample is contaminated')
    .addHelpText(
      'after',
      `
Examples:
  contam merge out/part-*.json -o report.json
  contam merge part-0.json part-1.json --index /shared/evals.cidx --json > report.json`,
    )
    .action(async (files: string[], opts) => {
      await checkOutput(opts.output, [...files, opts.index]);
      const partials = [];
      for (const file of files) {
        let text: string;
        try {
          text = await fs.readFile(file, 'utf8');
        } catch {
          throw new ContamError('FILE_NOT_FOUND', 'no such partial scan', { file });
        }
        partials.push({ file, partial: parsePartial(text, file) });
      }
      const { state, settings, index: recorded } = mergePartials(partials);
      await checkOutput(opts.output, [opts.index ?? recorded.path]);
      const index = await readIndexFile(opts.index ?? recorded.path);
      if (index.source && index.source.checksum !== recorded.checksum) {
        throw new ContamError('INDEX_MISMATCH', 'this index is not the one the shards were scanned with (checksums differ)', { file: opts.index ?? recorded.path, hint: 'pass the index used by `contam scan --shard`' });
      }
      const report = reportFromState(index, state, { columns: settings.columns, rule: settings.rule, maxMatches: settings.maxMatches, maxDocFreq: settings.maxDocFreq });
      await emitReport(report, opts);
      if (opts.failOnContamination && report.benchmarks.some((b) => b.contaminated > 0)) process.exitCode = 1;
    });
}

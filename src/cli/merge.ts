/** `contam merge`: shard results of `contam scan --shard I/N` -> one report, identical to a single-process scan's. */
import { Command } from 'commander';
import { mergeShards, readShards } from '../cluster/merge.js';
import { checkOutput } from '../io/output.js';
import { finishReport } from './run-scan.js';

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
      const shards = await readShards(files);
      await checkOutput(opts.output, [opts.index ?? shards.index.path]);
      await finishReport(await mergeShards(shards, { index: opts.index }), opts);
    });
}

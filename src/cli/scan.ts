/** `contam scan`: corpus files through an index -> report (or, with --shard, a partial scan for `contam merge`). */
import { Command } from 'commander';
import { readIndexFile } from '../cidx/file.js';
import { shardOf } from '../cluster/shard.js';
import { checkOutput } from '../io/output.js';
import { scan, scanShard } from '../pipeline.js';
import { writeResult } from './common.js';
import { addOutputOptions, addScanOptions } from './options.js';
import { finishReport, scanWithProgress } from './run-scan.js';

export function scanCommand(): Command {
  const cmd = new Command('scan')
    .description('scan corpus files (JSONL, .jsonl.gz, .jsonl.zst, Parquet, Arrow; files, directories, globs, - for stdin) against an index')
    .argument('<corpus...>', 'corpus files, directories or globs')
    .requiredOption('-i, --index <file>', 'index file from `contam index`')
    .option(
      '--shard <I/N|env>',
      'scan only shard I of N (0-based; balanced by bytes) and write a partial scan for `contam merge`; env reads SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX with CONTAM_SHARDS',
      (v) => shardOf(v),
    );
  addScanOptions(cmd);
  addOutputOptions(cmd, 'report');
  cmd
    .addHelpText(
      'after',
      `
Examples:
  contam scan --index evals.cidx corpus/part-*.jsonl.gz -o report.json
  contam scan --index evals.cidx data/ --text-column content --rule ngram-overlap --min-overlap 0.7 --json > report.json
  contam scan --index evals.cidx crawl/ --shard 3/16 --checkpoint ckpt-3 -o part-3.json   # then: contam merge part-*.json -o report.json`,
    )
    .action(async (corpus: string[], opts) => {
      await checkOutput(opts.output, [...corpus, opts.index, opts.checkpoint]);
      const index = await readIndexFile(opts.index);
      const { options, done } = scanWithProgress(opts);
      if (!opts.shard) {
        const report = await scan(index, corpus, options);
        done();
        await finishReport(report, opts);
        return;
      }
      const partial = await scanShard(index, corpus, opts.shard, options);
      done();
      await writeResult(partial, opts.output);
    });
  return cmd;
}

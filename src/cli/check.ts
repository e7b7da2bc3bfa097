/** `contam check`: `index` then `scan`, in one go. */
import { Command } from 'commander';
import type { ContamIndex } from '../cidx/contam-index.js';
import { writeIndexFile } from '../cidx/file.js';
import { describeIndex } from '../cidx/describe.js';
import { checkOutput, checkOutputsDiffer } from '../io/output.js';
import { check } from '../pipeline.js';
import { createLogger } from './common.js';
import { logIndexDescription, warnUnspacedScripts } from './index-command.js';
import { addEvalOption, addIndexOptions, addOutputOptions, addScanOptions, collect, evalSpecs, indexOptions } from './options.js';
import { finishReport, scanWithProgress } from './run-scan.js';

export function checkCommand(): Command {
  const cmd = new Command('check').description('index benchmark files and scan a corpus for them: the main job');
  addEvalOption(cmd);
  cmd.requiredOption('-c, --corpus <path>', 'corpus file, directory or glob (repeatable)', collect);
  addIndexOptions(cmd, true);
  addScanOptions(cmd);
  addOutputOptions(cmd, 'report');
  cmd
    .option('--save-index <file>', 'also write the index, to reuse with `contam scan`')
    .addHelpText(
      'after',
      `
Examples:
  contam check --eval gsm8k=../shared/data/gsm8k/test.jsonl#question,answer --corpus ./my-corpus/ -o report.json
  contam check --eval mmlu/test.jsonl --eval hellaswag/val.jsonl --corpus 'crawl/**/*.parquet' --rule palm --min-overlap 0.7 --ngram 8
  contam check --eval gsm8k/test.jsonl --corpus crawl/ --rule gpt3      # GPT-3's rule, as contam judged before graded verdicts`,
    )
    .action(async (opts) => {
      const specs = evalSpecs(opts);
      const inputs = [...specs.map((s) => s.path), ...opts.corpus, opts.checkpoint];
      await checkOutput(opts.output, inputs);
      await checkOutput(opts.saveIndex, inputs);
      checkOutputsDiffer([opts.output, opts.saveIndex]);
      const { options, restart, done } = scanWithProgress(opts);
      const onIndex = async (index: ContamIndex) => {
        const info = describeIndex(index);
        logIndexDescription(info, createLogger(opts.quiet), opts.saveIndex);
        warnUnspacedScripts(index, info, createLogger(opts.quiet));
        if (opts.saveIndex) await writeIndexFile(index, opts.saveIndex);
        restart();
      };
      const report = await check(specs, opts.corpus, { ...indexOptions(opts), ...options, onIndex });
      done();
      await finishReport(report, opts);
    });
  return cmd;
}

/** `contam check`: `index` then `scan`, in one go. */
import { Command } from 'commander';
import { writeIndexFile } from '../cidx/file.js';
import { describeIndex } from '../cidx/describe.js';
import { checkOutput, checkOutputsDiffer } from '../io/output.js';
import { indexBenchmarks } from '../pipeline.js';
import { createLogger } from './common.js';
import { logIndexDescription, warnUnspacedScripts } from './index-command.js';
import { addEvalOption, addIndexOptions, addOutputOptions, addScanOptions, evalSpecs, indexOptions, ruleOf } from './options.js';
import { runScan } from './run-scan.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

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
      // The published rules weigh every word alike: their index discounts no template.
      const { index } = await indexBenchmarks(specs, indexOptions({ ...opts, templates: opts.templates && ruleOf(opts).name === 'graded' }));
      const info = describeIndex(index);
      logIndexDescription(info, createLogger(opts.quiet), opts.saveIndex);
      warnUnspacedScripts(index, info, createLogger(opts.quiet));
      if (opts.saveIndex) await writeIndexFile(index, opts.saveIndex);
      await runScan(index, opts.corpus, opts);
    });
  return cmd;
}

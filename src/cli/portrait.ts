/** `contam portrait build|query`: a corpus's n-gram Bloom filter to publish, and eval samples checked against it. */
import { Command } from 'commander';
import { checkOutput } from '../io/output.js';
import { parseEvalArgument } from '../readers/evals/evals.js';
import { buildPortrait } from '../portrait/build.js';
import { queryPortrait } from '../portrait/query.js';
import { DEFAULTS } from '../options.js';
import { createLogger, writeResult } from './common.js';
import { numberOption } from './flags.js';
import { addColumnOptions, addEvalOption } from './options.js';

export function portraitCommand(): Command {
  const cmd = new Command('portrait').description('corpus portraits (Data Portraits): a shareable n-gram fingerprint of a corpus, and queries against it').addHelpText(
    'after',
    `
Examples:
  contam portrait build corpus/ -o corpus.portrait --fpr 0.01
  contam portrait query corpus.portrait --eval newbench=new.jsonl -o portrait-report.json`,
  );

  const build = cmd
    .command('build')
    .description("hash a corpus's normalized word n-grams into a Bloom filter file")
    .argument('<corpus...>', 'corpus files, directories or globs')
    .requiredOption('-o, --output <file>', 'portrait file (with --shard-size or a large corpus: FILE.000, FILE.001, ...)')
    .option('-n, --ngram <n>', 'n-gram length in words', numberOption('ngram', 'portrait.ngram'), DEFAULTS.portrait.ngram)
    .option(
      '--min-words <n>',
      'also store every n-word gram, so fields shorter than --ngram words are judged whole down to n words, as the index does (0: off; about doubles the portrait)',
      numberOption('minWords', 'portrait.minWords'),
      DEFAULTS.portrait.minWords,
    )
    .option('--stride <k>', 'store every k-th n-gram of each document (smaller portrait; a copy shows ~1/k of its n-grams)', numberOption('stride'), DEFAULTS.portrait.stride)
    .option('--fpr <rate>', 'false-positive rate of the filter', numberOption('fpr', 'portrait.fpr'), DEFAULTS.portrait.fpr)
    .option('--shard-size <docs>', 'documents per shard file', numberOption('shardSize'));
  addColumnOptions(build, { id: false })
    .option('--json', 'print the summary as JSON on stdout')
    .option('-q, --quiet', 'no summary on stderr')
    .addHelpText('after', '\nExamples:\n  contam portrait build corpus/ -o corpus.portrait\n  contam portrait build crawl/ -o crawl.portrait --shard-size 1000000 --stride 13')
    .action(async (corpus: string[], opts) => {
      await checkOutput(opts.output, corpus);
      const summary = await buildPortrait(corpus, opts.output, {
        ngram: opts.ngram,
        minWords: opts.minWords,
        stride: opts.stride,
        fpr: opts.fpr,
        shardSize: opts.shardSize,
        columns: { text: opts.textColumn, id: 'id' },
      });
      createLogger(opts.quiet).info(
        `${summary.documents} documents, ${summary.ngrams} n-grams -> ${summary.files.join(', ')} (${summary.portrait_bytes} bytes of filter, false-positive rate ${summary.fpr_expected.toExponential(2)})`,
      );
      if (opts.json) await writeResult(`${JSON.stringify(summary, null, 2)}\n`);
    });

  const query = cmd
    .command('query')
    .description('check eval samples against a portrait: fraction of n-grams present and a verdict per sample')
    .argument('<portrait...>', 'portrait files (a name stands for its shards NAME.000, NAME.001, ... when it does not exist itself)');
  addEvalOption(query)
    .option('-o, --output <file>', 'write the report (JSON) to FILE, atomically, instead of stdout')
    .option(
      '--alpha <p>',
      'verdict: present when false positives alone would give this many hits with probability below p, Holm-corrected over all samples queried (the chance of any false present stays below p)',
      numberOption('alpha'),
      DEFAULTS.alpha,
    )
    .option('--min-fraction <f>', 'verdict instead: present when at least this fraction of the n-grams is present', numberOption('minFraction'))
    .option('-q, --quiet', 'no summary on stderr')
    .addHelpText('after', '\nExamples:\n  contam portrait query corpus.portrait --eval newbench=new.jsonl -o report.json')
    .action(async (portraits: string[], opts) => {
      await checkOutput(opts.output, [...portraits, ...(opts.eval as string[]).map((e) => parseEvalArgument(e).path)]);
      const report = await queryPortrait(portraits, (opts.eval as string[]).map(parseEvalArgument), { alpha: opts.alpha, minFraction: opts.minFraction });
      const log = createLogger(opts.quiet);
      for (const b of report.benchmarks)
        log.info(`${b.name}: ${b.present} of ${b.samples} samples present (${b.inconclusive} inconclusive, ${b.too_short} too short); false-positive rate ${report.portrait.fpr.toExponential(2)}`);
      if (report.rule.name === 'binomial') log.info(`verdict: binomial test against false positives, alpha ${report.rule.alpha}, Holm-corrected over ${report.rule.tested} samples`);
      await writeResult(`${JSON.stringify(report, null, 2)}\n`, opts.output);
    });
  return cmd;
}

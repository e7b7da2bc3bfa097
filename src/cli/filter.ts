/** `contam filter evals|corpus`: clean benchmark subsets from a report; decontaminated corpora through an index. */
import { Command, Option } from 'commander';
import { checkOutput } from '../io/output.js';
import { filterCorpus } from '../filter/corpus.js';
import { filterEvals } from '../filter/evals.js';
import { readIndexFile } from '../cidx/file.js';
import { readReport } from '../report/read.js';
import { DEFAULTS } from '../options.js';
import { createLogger, writeResult } from './common.js';
import { numberOption } from './flags.js';
import { addColumnOptions } from './options.js';

export function filterCommand(): Command {
  const cmd = new Command('filter').description('act on a scan: write clean benchmark subsets, or a decontaminated corpus').addHelpText(
    'after',
    `
Examples:
  contam filter evals --report report.json -o clean/ --format lm-eval
  contam filter corpus --index evals.cidx corpus/ -o decontaminated/ --mode cut`,
  );

  cmd
    .command('evals')
    .description("write each benchmark's clean samples in its own format, plus removed.jsonl")
    .requiredOption('-r, --report <file>', 'report from `contam scan` or `contam check`')
    .requiredOption('-o, --output <dir>', 'output folder (created; must not exist or be empty)')
    .addOption(
      new Option('--format <kind>', "also write lm_eval_samples.json ({harness task: [clean doc indices within that task]}) for lm-evaluation-harness's --samples")
        .choices(['native', 'lm-eval'])
        .default('native'),
    )
    .option('--keep-too-short', 'keep samples too short to judge (by default they are removed and listed in removed.jsonl)')
    .option('--json', 'print the summary as JSON on stdout')
    .option('-q, --quiet', 'no summary on stderr')
    .addHelpText('after', '\nExamples:\n  contam filter evals --report report.json -o clean/\n  contam filter evals --report report.json -o clean/ --format lm-eval')
    .action(async (opts) => {
      await checkOutput(opts.output, [opts.report], 'folder');
      const report = await readReport(opts.report);
      const summary = await filterEvals(report, opts.output, { lmEval: opts.format === 'lm-eval', keepTooShort: Boolean(opts.keepTooShort) });
      const log = createLogger(opts.quiet);
      for (const b of summary.benchmarks) {
        log.info(`${b.name}: kept ${b.kept} of ${b.samples} -> ${opts.output}/${b.output} (${b.removed} removed, ${b.too_short} too short to judge)`);
        if (b.lm_eval && 'reason' in b.lm_eval) log.warn(`${b.name}: nothing written to lm_eval_samples.json: ${b.lm_eval.reason}`);
        else if (b.lm_eval) {
          const { tasks, empty } = b.lm_eval;
          log.info(`${b.name}: lm_eval_samples.json selects ${tasks.length === 1 ? `task ${tasks[0]}` : `${tasks.length} tasks (${tasks[0]}, ...)`}`);
          if (empty.length > 0)
            log.warn(
              `${b.name}: no clean document in ${empty.join(', ')}; left out of lm_eval_samples.json (the harness would read an empty list as every document): do not run ${empty.length === 1 ? 'it' : 'them'}`,
            );
        }
      }
      // A benchmark that could not be written is named; the others were written.
      for (const f of summary.failed) process.stderr.write(`contam: error: ${f.name} not written: ${f.message}\n`);
      if (summary.failed.length > 0) process.exitCode = 2;
      if (opts.json) await writeResult(`${JSON.stringify(summary, null, 2)}\n`);
    });

  const corpusCmd = cmd
    .command('corpus')
    .description('write the corpus back without the documents (drop) or passages (cut) that match the index')
    .argument('<corpus...>', 'corpus files, directories or globs')
    .requiredOption('-i, --index <file>', 'index file from `contam index`')
    .requiredOption('-o, --output <dir>', 'output folder (created; must not exist or be empty); files keep their paths below the inputs')
    .addOption(new Option('--mode <mode>', "drop: leave out every matching document; cut: lm-evaluation-harness Janitor's cut").choices(['drop', 'cut']).default(DEFAULTS.filterMode))
    .option('--window <chars>', 'cut: characters removed on either side of a match', numberOption('cut.window'), DEFAULTS.cut.window)
    .option('--min-piece <chars>', 'cut: pieces this short or shorter are dropped', numberOption('cut.minPiece'), DEFAULTS.cut.minPiece)
    .option('--max-pieces <n>', 'cut: documents with more matched regions than this are dropped whole', numberOption('cut.maxPieces'), DEFAULTS.cut.maxPieces);
  addColumnOptions(corpusCmd)
    .option('--batch-size <n>', 'documents per read batch', numberOption('batchSize'), DEFAULTS.batchSize)
    .option('--json', 'print the summary as JSON on stdout')
    .option('-q, --quiet', 'no summary on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n  contam filter corpus --index evals.cidx corpus/ -o decontaminated/ --mode cut\n  contam filter corpus --index evals.cidx data/*.parquet -o clean/ --mode drop --json > summary.json',
    )
    .action(async (corpus: string[], opts) => {
      await checkOutput(opts.output, [opts.index, ...corpus], 'folder');
      const index = await readIndexFile(opts.index);
      const log = createLogger(opts.quiet);
      const summary = await filterCorpus(index, corpus, opts.output, {
        mode: opts.mode,
        columns: { text: opts.textColumn, id: opts.idColumn },
        cut: { window: opts.window, minPiece: opts.minPiece, maxPieces: opts.maxPieces },
        batchSize: opts.batchSize,
        onFile: (f) =>
          log.info(
            `${f.input} -> ${f.output}: ${f.kept} kept, ${f.cut} cut, ${f.dropped} dropped${f.codec && f.codec.input !== f.codec.output ? ` (written ${f.codec.output}: no ${f.codec.input} encoder)` : ''}`,
          ),
      });
      log.info(
        `${summary.documents} documents: ${summary.kept} kept, ${summary.cut} cut, ${summary.dropped} dropped; ${summary.written} written; ${summary.bytes_removed} of ${summary.bytes_in} text bytes removed`,
      );
      if (opts.json) await writeResult(`${JSON.stringify(summary, null, 2)}\n`);
    });
  return cmd;
}

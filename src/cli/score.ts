/**
 * `contam score`: wiring only. Reads the scan report, scores each results
 * file against it through the library (scoreResults), then prints the
 * terminal table, or the ScoreReport JSON with --json / -o FILE (written
 * atomically). Errors propagate to the entry point, which maps them to exit codes.
 */
import { Command, Option } from 'commander';
import { checkOutput } from '../io/output.js';
import { renderScores } from '../report/scores-terminal.js';
import { readReport } from '../report/read.js';
import { scoreResults, type ScoreInput } from '../score/score.js';
import type { ScoreMode } from '../types.js';
import { DEFAULTS } from '../options.js';
import { colorEnabled, createLogger, writeResult } from './common.js';
import { numberOption } from './flags.js';
import { collect } from './options.js';

/** Options of `contam score` after parsing. */
export interface ScoreCommandOptions {
  report: string;
  results: string[];
  benchmark?: string;
  mode?: ScoreMode;
  seed: number;
  resamples: number;
  output?: string;
  json?: boolean;
  quiet?: boolean;
}

/** Run `contam score` with parsed options (what the command's action calls; callable from tests). */
export async function runScore(opts: ScoreCommandOptions): Promise<void> {
  await checkOutput(opts.output, [opts.report, ...opts.results]);
  const logger = createLogger(opts.quiet);
  const report = await readReport(opts.report);
  const inputs: ScoreInput[] = opts.results.map((path) => ({ path, benchmark: opts.benchmark, mode: opts.mode }));
  const scores = await scoreResults(report, inputs, { seed: opts.seed, resamples: opts.resamples });
  for (const b of scores.benchmarks) {
    logger.info(`${b.name}: ${b.joined} results joined by ${b.joined_by}${b.unjoined > 0 ? `, ${b.unjoined} unjoined` : ''}`);
  }
  if (opts.output || opts.json) await writeResult(`${JSON.stringify(scores, null, 2)}\n`, opts.output);
  else await writeResult(renderScores(scores, { color: colorEnabled(process.stdout) }));
}

/** The `contam score` command. */
export function scoreCommand(): Command {
  return new Command('score')
    .description('score a model on the full, clean and contaminated subsets of each benchmark')
    .requiredOption('--report <file>', 'report.json written by `contam scan -o`')
    .requiredOption('--results <file>', 'model results: lm-eval samples_<task>_<date>.jsonl, lighteval details_*.parquet or native JSONL (repeatable)', collect)
    .option('--benchmark <name>', 'the report benchmark the results are for (default: from the file)')
    .addOption(
      new Option('--mode <mode>', 'logprob (multiple choice: acc, acc_norm from log-likelihoods) or generative (exact match, F1) scoring (default: from the file)').choices(['logprob', 'generative']),
    )
    .option('--seed <n>', 'bootstrap seed', numberOption('seed'), DEFAULTS.seed)
    .option('--resamples <n>', 'bootstrap resamples', numberOption('resamples'), DEFAULTS.resamples)
    .option('-o, --output <file>', 'write the scores JSON here (atomically)')
    .option('--json', 'print the scores JSON on stdout')
    .option('--quiet', 'no progress messages on stderr')
    .addHelpText(
      'after',
      `
Examples:
  contam score --report report.json --results lm-eval-out/samples_gsm8k_2026-11-28T10-00-00.jsonl
  contam score --report report.json --results details_hellaswag_2026-11-28T10-00-00.parquet --mode logprob
  contam score --report report.json --results preds.jsonl --benchmark truthfulqa --mode generative -o scores.json

Native results JSONL, one line per sample:
  {"benchmark": "hellaswag", "row": 0, "logprobs": [-9.1, -7.4, -8.0, -6.2], "gold": 3, "choices": ["...", "...", "...", "..."]}
  {"benchmark": "gsm8k", "id": "17", "prediction": "... #### 72", "references": ["... #### 72"]}`,
    )
    .action(async (opts: ScoreCommandOptions) => {
      await runScore(opts);
    });
}

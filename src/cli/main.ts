#!/usr/bin/env node
/**
 * The `contam` entry point: builds the command tree and maps errors to exit
 * codes. Only this file exits the process.
 *
 * Exit codes: 0 success (also when stdout's reader closes the pipe early); 1 contamination found with --fail-on-contamination;
 * 2 bad input or usage (one line on stderr); 3 internal error (a bug: stack
 * printed); 130 interrupted (SIGINT); 143 terminated (SIGTERM).
 */
import { Command, CommanderError } from 'commander';
import { isContamError } from '../errors.js';
import { removeTemporaryOutputs } from '../io/atomic.js';
import { VERSION } from '../version.js';
import { COMMANDS } from './commands.js';
import { withFlag } from './flags.js';

export const EXIT_OK = 0;
export const EXIT_CONTAMINATED = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 3;

function buildProgram(): Command {
  const program = new Command('contam')
    .description('Find benchmark test samples in LLM training corpora and score models on the clean subsets.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  contam check --eval gsm8k=gsm8k/test.jsonl --corpus corpus/ -o report.json
  contam index --eval mmlu=mmlu/test.jsonl -o evals.cidx && contam scan --index evals.cidx 'corpus/*.parquet' -o report.json
  contam report report.json --html report.html

Exit codes: 0 success; 1 contamination found (with --fail-on-contamination); 2 bad input or usage;
3 internal error; 130 interrupted; 143 terminated. NO_COLOR turns colour off.`,
    )
    .exitOverride();
  for (const make of COMMANDS) program.addCommand(make().exitOverride());
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; they exit 0.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    // A reader that went away (`contam report r.json --json | head`): stop quietly, as Unix tools do.
    if ((error as NodeJS.ErrnoException)?.code === 'EPIPE') return EXIT_OK;
    if (isContamError(error)) {
      // An option the library names is printed as the flag that sets it.
      process.stderr.write(`contam: error: ${error.file === undefined ? withFlag(error.toLine()) : error.toLine()}\n`);
      return error.code === 'INTERRUPTED' ? 130 : EXIT_USAGE;
    }
    process.stderr.write(`contam: internal error (please report it):\n${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT_INTERNAL;
  }
}

// Ctrl-C, or SIGTERM from a scheduler's time limit: leave no half-written output, exit 130/143.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    removeTemporaryOutputs();
    process.stderr.write(`\ncontam: interrupted (${signal}); outputs not yet complete were removed\n`);
    process.exit(code);
  });
}

// Writes to a closed pipe fail with EPIPE on the stream as well as in their callback; without a
// listener that would be an uncaught exception with a stack. End quietly with 0 instead.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  removeTemporaryOutputs();
  process.exit(EXIT_OK);
});

process.exitCode = await main(process.argv);

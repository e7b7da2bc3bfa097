/** `contam report`: print a saved report's summary again (and, with --html, render it). */
import { Command } from 'commander';
import { serializeReport } from '../report/build.js';
import { readReport } from '../report/read.js';
import { renderSummary } from '../report/terminal.js';
import { colorEnabled, writeResult } from './common.js';

export function reportCommand(): Command {
  return new Command('report')
    .description('print the summary of a saved report')
    .argument('<report>', 'report.json from `contam scan` or `contam check`')
    .option('--json', 'print the report JSON (normalized) on stdout')
    .option('--top <n>', 'contaminated samples to show', (v) => Number(v), 5)
    .addHelpText(
      'after',
      `
Examples:
  contam report report.json
  contam report report.json --top 20 | less -R`,
    )
    .action(async (file: string, opts) => {
      const report = await readReport(file);
      if (opts.json) await writeResult(serializeReport(report));
      else await writeResult(renderSummary(report, { color: colorEnabled(process.stdout), top: opts.top, width: process.stdout.columns ?? 100 }));
    });
}

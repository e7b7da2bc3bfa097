/** `contam report`: print a saved report's summary again, or render it (with scores) as one HTML file. */
import { Command } from 'commander';
import { checkOutput } from '../io/output.js';
import { serializeReportBytes } from '../report/build.js';
import { renderHtmlReport } from '../report/html.js';
import { checkScoresMatch, readReport, readScores } from '../report/read.js';
import { renderSummary } from '../report/terminal.js';
import { colorEnabled, createLogger, parseIntegerOption, writeResult } from './common.js';

export function reportCommand(): Command {
  return new Command('report')
    .description('print the summary of a saved report, or write it as a self-contained HTML page')
    .argument('<report>', 'report.json from `contam scan` or `contam check`')
    .option('--scores <file>', 'scores.json from `contam score`, shown beside the contamination')
    .option('--html <file>', 'write one self-contained HTML file (no network needed to open it)')
    .option('--title <text>', 'title of the HTML page', 'contam report')
    .option('--json', 'print the report JSON (normalized) on stdout')
    .option('--top <n>', 'contaminated samples to show', parseIntegerOption('--top', 0, 1_000_000), 5)
    .addHelpText(
      'after',
      `
Examples:
  contam report report.json
  contam report report.json --scores scores.json --html report.html
  contam report report.json --top 20 | less -R`,
    )
    .action(async (file: string, opts) => {
      await checkOutput(opts.html, [file, opts.scores]);
      const report = await readReport(file);
      const scores = opts.scores ? await readScores(opts.scores) : null;
      const log = createLogger(false);
      if (scores) for (const warning of checkScoresMatch(report, scores, opts.scores)) log.warn(warning);
      if (opts.html) {
        await writeResult(renderHtmlReport(report, scores, { title: opts.title }), opts.html);
        log.info(`wrote ${opts.html}`);
        return;
      }
      if (opts.json) await writeResult(serializeReportBytes(report));
      else await writeResult(renderSummary(report, { color: colorEnabled(process.stdout), top: opts.top, width: process.stdout.columns ?? 100 }));
    });
}

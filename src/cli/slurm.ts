/**
 * `contam slurm`: parses its options, calls `writeSlurmJobs` (and with
 * --submit `submitSlurmJobs`, src/cluster/slurm.ts) and prints what was
 * written or submitted.
 */
import path from 'node:path';
import { Command } from 'commander';
import { shellJoin, shellQuote } from '../cluster/slurm-script.js';
import { submitSlurmJobs, writeSlurmJobs, type SlurmJobOptions, type SlurmJobs, type SlurmScanOptions, type SubmittedSlurmJobs } from '../cluster/slurm.js';
import { writeResult } from './common.js';
import { numberOption } from './flags.js';
import { addColumnOptions, collect } from './options.js';

/** Options of `contam slurm`, as commander parses them: the job's, `--mem`, and the scan settings passed on. */
interface SlurmCommandOptions extends Omit<SlurmJobOptions, 'memory' | 'scan' | 'workdir'>, SlurmScanOptions {
  mem?: string;
  submit?: boolean;
  json?: boolean;
  quiet?: boolean;
}

/** The command that runs this very contam: node (with its flags) and the entry script, by absolute path. */
function thisContam(): string {
  return shellJoin([process.execPath, ...process.execArgv, path.resolve(process.argv[1] ?? 'contam')]);
}

function render(jobs: SlurmJobs, submitted: SubmittedSlurmJobs | null): string {
  const tasks = `${jobs.shards} array task${jobs.shards === 1 ? '' : 's'}`;
  if (submitted) return `submitted scan job ${submitted.scanJob} (${tasks}) and merge job ${submitted.mergeJob}\nreport: ${jobs.report}\nlogs: ${jobs.logs}\n`;
  return [
    `wrote ${jobs.scanScript} (${tasks}) and ${jobs.mergeScript}`,
    'submit them with:',
    `  jobid=$(sbatch --parsable ${shellQuote(jobs.scanScript)}) && sbatch --dependency=afterok:"$jobid" ${shellQuote(jobs.mergeScript)}`,
    `(or run again with --submit); the report will be ${jobs.report}`,
    '',
  ].join('\n');
}

export function slurmCommand(): Command {
  const cmd = new Command('slurm')
    .description('write (and with --submit, submit) a Slurm array job that scans a corpus in N shards, and a dependent job that merges them')
    .requiredOption('-i, --index <file>', 'index file from `contam index` (on a filesystem the compute nodes share)')
    .requiredOption('-c, --corpus <path>', 'corpus file, directory or glob (repeatable)', collect)
    .requiredOption('--shards <n>', 'number of shards, one array task each (balanced by bytes)', numberOption('shards'))
    .requiredOption('-o, --output <dir>', 'folder for the scripts, shard results (part-I.json), checkpoints, logs/ and report.json')
    .option('--partition <name>', 'Slurm partition (default: the cluster default)')
    .option('--time <limit>', 'time limit per task, in Slurm format (e.g. 4:00:00)')
    .option('--cpus-per-task <n>', 'CPUs per task; each shard runs that many workers', numberOption('cpusPerTask'))
    .option('--mem <size>', 'memory per task (e.g. 16G)')
    .option('--submit', 'submit both jobs with sbatch and print their ids')
    .option('--contam-command <cmd>', 'shell command the compute nodes run contam with (default: this node and this contam, by absolute path)');
  addColumnOptions(cmd, { defaults: false });
  return cmd
    .option('--rule <name>', 'passed to `contam scan`: any-ngram or ngram-overlap')
    .option('--min-overlap <fraction>', 'passed to `contam scan`', numberOption('rule.minOverlap'))
    .option('--max-doc-freq <n>', 'passed to `contam scan`', numberOption('maxDocFreq'))
    .option('--max-matches <n>', 'passed to `contam scan`', numberOption('maxMatches'))
    .option('--batch-size <n>', 'passed to `contam scan`', numberOption('batchSize'))
    .option('--json', 'print the script paths (and job ids) as JSON on stdout')
    .option('-q, --quiet', 'print nothing unless --json')
    .addHelpText(
      'after',
      `
Paths are kept as given and the jobs start in the current folder, so run this
from a folder the compute nodes share; the merged report then names files
exactly as \`contam scan\` run here would.

Examples:
  contam slurm --index evals.cidx --corpus 'crawl/**/*.parquet' --shards 64 -o out/ --submit
  contam slurm --index evals.cidx --corpus data/ --shards 16 --partition cpu --time 2:00:00 --cpus-per-task 8 --mem 16G -o out/
  sbatch out/scan.sbatch    # then: sbatch --dependency=afterok:<job id> out/merge.sbatch`,
    )
    .action(async (opts: SlurmCommandOptions) => {
      const { textColumn, idColumn, rule, minOverlap, maxDocFreq, maxMatches, batchSize } = opts;
      const jobs = await writeSlurmJobs({
        index: opts.index,
        corpus: opts.corpus,
        shards: opts.shards,
        output: opts.output,
        partition: opts.partition,
        time: opts.time,
        cpusPerTask: opts.cpusPerTask,
        memory: opts.mem,
        contamCommand: opts.contamCommand ?? thisContam(),
        scan: { textColumn, idColumn, rule, minOverlap, maxDocFreq, maxMatches, batchSize },
      });
      const submitted = opts.submit ? await submitSlurmJobs(jobs) : null;
      if (opts.json) {
        const json = {
          scan_script: jobs.scanScript,
          merge_script: jobs.mergeScript,
          shards: jobs.shards,
          report: jobs.report,
          logs: jobs.logs,
          scan_job: submitted?.scanJob ?? null,
          merge_job: submitted?.mergeJob ?? null,
        };
        await writeResult(`${JSON.stringify(json, null, 2)}\n`);
      } else if (!opts.quiet) {
        await writeResult(render(jobs, submitted));
      }
    });
}

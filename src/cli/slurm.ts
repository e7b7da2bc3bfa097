/**
 * `contam slurm`: writes OUT/scan.sbatch (an array job, one task per shard)
 * and OUT/merge.sbatch (the merge, to run after every shard succeeded), and
 * with --submit hands both to sbatch, the merge with
 * `--dependency=afterok:<scan job>`. The scripts come from `slurmScript`
 * (src/scan/slurm.ts); this file only checks inputs, writes and submits.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { ContamError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { shellJoin, shellQuote, slurmScript } from '../scan/slurm.js';
import { parseFractionOption, parseIntegerOption, writeResult } from './common.js';

/** Options of `contam slurm`, as commander parses them; `runSlurm` can be called with them directly. */
export interface SlurmCommandOptions {
  index: string;
  corpus: string[];
  shards: number;
  /** The output folder. */
  output: string;
  partition?: string;
  time?: string;
  cpusPerTask?: number;
  mem?: string;
  submit?: boolean;
  json?: boolean;
  quiet?: boolean;
  /** How compute nodes run contam; default: this node binary and this contam, by absolute path. */
  contamCommand?: string;
  textColumn?: string;
  idColumn?: string;
  rule?: string;
  minOverlap?: number;
  maxDocFreq?: number;
  maxMatches?: number;
  batchSize?: number;
  /** The sbatch executable (tests point it elsewhere). @default 'sbatch' */
  sbatch?: string;
}

/** What `contam slurm` did; `--json` prints it in snake_case. */
export interface SlurmResult {
  scanScript: string;
  mergeScript: string;
  shards: number;
  report: string;
  logs: string;
  /** Job ids, when submitted. */
  scanJob: string | null;
  mergeJob: string | null;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The `contam scan` options this command passes through to every shard, flag by flag, only when given. */
const PASS_THROUGH: [keyof SlurmCommandOptions, string][] = [
  ['textColumn', '--text-column'],
  ['idColumn', '--id-column'],
  ['rule', '--rule'],
  ['minOverlap', '--min-overlap'],
  ['maxDocFreq', '--max-doc-freq'],
  ['maxMatches', '--max-matches'],
  ['batchSize', '--batch-size'],
];

/**
 * The command that runs this very contam: node (with its flags, e.g. a loader)
 * and the entry script, by absolute path, so compute nodes that share this
 * filesystem run the same build.
 */
function defaultContamCommand(): string {
  return shellJoin([process.execPath, ...process.execArgv, path.resolve(process.argv[1] ?? 'contam')]);
}

const GLOB = /[*?[\]{}]/;

async function mustExist(file: string, what: string, hint: string): Promise<void> {
  try {
    await fs.access(file);
  } catch {
    throw new ContamError('FILE_NOT_FOUND', `no such ${what}`, { file, hint });
  }
}

interface Submitted {
  id: string;
}

/** `sbatch --parsable ARGS`: the job id (sbatch prints `id` or `id;cluster`). */
function sbatch(command: string, args: string[], script: string): Promise<Submitted> {
  return new Promise((resolve, reject) => {
    execFile(command, ['--parsable', ...args, script], { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(
          new ContamError('BAD_ARGUMENT', `--submit needs Slurm's sbatch, which is not on this machine's PATH`, {
            file: script,
            hint: 'run it on a Slurm login node, or drop --submit and run `sbatch` on the scripts yourself',
            cause: error,
          }),
        );
        return;
      }
      const id = stdout.trim().split(';')[0] ?? '';
      if (error || !/^\d+$/.test(id)) {
        const said = (stderr || stdout || (error as Error | null)?.message || '').trim().split('\n').pop() ?? '';
        reject(new ContamError('BAD_ARGUMENT', `sbatch refused the job: ${said || 'no job id printed'}`, { file: script, hint: 'check --partition, --time, --mem and --cpus-per-task against `sinfo`', cause: error ?? undefined }));
        return;
      }
      resolve({ id });
    });
  });
}

/** Write the two scripts (and the logs folder Slurm will write into), and submit them with `submit`. */
export async function runSlurm(opts: SlurmCommandOptions): Promise<SlurmResult> {
  const workdir = process.cwd();
  const out = path.resolve(opts.output);
  await mustExist(opts.index, 'index file', 'build it with `contam index`, or fix --index');
  for (const corpus of opts.corpus) {
    // Globs are expanded by each task; plain paths can be checked now rather than in N failed tasks.
    if (!GLOB.test(corpus)) await mustExist(corpus, 'corpus file or folder', 'fix --corpus');
  }
  const scanArgs: string[] = [];
  for (const [key, flag] of PASS_THROUGH) {
    const value = opts[key];
    if (value !== undefined) scanArgs.push(flag, String(value));
  }
  const scripts = slurmScript({
    index: opts.index,
    corpus: opts.corpus,
    shards: opts.shards,
    outDir: out,
    workdir,
    contam: opts.contamCommand ?? defaultContamCommand(),
    scanArgs,
    partition: opts.partition,
    time: opts.time,
    cpusPerTask: opts.cpusPerTask,
    memory: opts.mem,
  });

  const logs = path.join(out, 'logs');
  try {
    // Slurm opens the log files before the job starts; a missing folder would lose the logs and fail the job.
    await fs.mkdir(logs, { recursive: true });
  } catch (error) {
    throw new ContamError('WRITE_FAILED', `cannot create the output folder: ${(error as Error).message}`, { file: logs, hint: 'choose a writable -o folder', cause: error });
  }
  const scanScript = path.join(out, 'scan.sbatch');
  const mergeScript = path.join(out, 'merge.sbatch');
  await writeFileAtomic(scanScript, scripts.scan);
  await writeFileAtomic(mergeScript, scripts.merge);

  const result: SlurmResult = { scanScript, mergeScript, shards: opts.shards, report: path.join(out, 'report.json'), logs, scanJob: null, mergeJob: null };
  if (opts.submit) {
    const command = opts.sbatch ?? 'sbatch';
    result.scanJob = (await sbatch(command, [], scanScript)).id;
    try {
      result.mergeJob = (await sbatch(command, [`--dependency=afterok:${result.scanJob}`], mergeScript)).id;
    } catch (error) {
      const e = error as ContamError;
      throw new ContamError(e.code, `${e.message}; the scan job ${result.scanJob} is queued without its merge`, {
        file: mergeScript,
        hint: `submit it with \`sbatch --dependency=afterok:${result.scanJob} ${shellQuote(mergeScript)}\`, or \`scancel ${result.scanJob}\``,
        cause: error,
      });
    }
  }
  return result;
}

function render(result: SlurmResult): string {
  if (result.scanJob !== null) {
    return `submitted scan job ${result.scanJob} (${result.shards} array task${result.shards === 1 ? '' : 's'}) and merge job ${result.mergeJob}\nreport: ${result.report}\nlogs: ${result.logs}\n`;
  }
  return [
    `wrote ${result.scanScript} (${result.shards} array task${result.shards === 1 ? '' : 's'}) and ${result.mergeScript}`,
    'submit them with:',
    `  jobid=$(sbatch --parsable ${shellQuote(result.scanScript)}) && sbatch --dependency=afterok:"$jobid" ${shellQuote(result.mergeScript)}`,
    `(or run again with --submit); the report will be ${result.report}`,
    '',
  ].join('\n');
}

export function slurmCommand(): Command {
  return new Command('slurm')
    .description('write (and with --submit, submit) a Slurm array job that scans a corpus in N shards, and a dependent job that merges them')
    .requiredOption('-i, --index <file>', 'index file from `contam index` (on a filesystem the compute nodes share)')
    .requiredOption('-c, --corpus <path>', 'corpus file, directory or glob (repeatable)', collect)
    .requiredOption('--shards <n>', 'number of shards, one array task each (balanced by bytes)', parseIntegerOption('--shards', 1, 1_000_000))
    .requiredOption('-o, --output <dir>', 'folder for the scripts, shard results (part-I.json), checkpoints, logs/ and report.json')
    .option('--partition <name>', 'Slurm partition (default: the cluster default)')
    .option('--time <limit>', 'time limit per task, in Slurm format (e.g. 4:00:00)')
    .option('--cpus-per-task <n>', 'CPUs per task; each shard runs that many workers', parseIntegerOption('--cpus-per-task', 1, 1024))
    .option('--mem <size>', 'memory per task (e.g. 16G)')
    .option('--submit', 'submit both jobs with sbatch and print their ids')
    .option('--contam-command <cmd>', 'shell command the compute nodes run contam with (default: this node and this contam, by absolute path)')
    .option('--text-column <name>', 'passed to `contam scan`: corpus column holding the text')
    .option('--id-column <name>', 'passed to `contam scan`: corpus column holding the document id')
    .option('--rule <name>', 'passed to `contam scan`: any-ngram or ngram-overlap')
    .option('--min-overlap <fraction>', 'passed to `contam scan`', parseFractionOption('--min-overlap'))
    .option('--max-doc-freq <n>', 'passed to `contam scan`', parseIntegerOption('--max-doc-freq', 0))
    .option('--max-matches <n>', 'passed to `contam scan`', parseIntegerOption('--max-matches', 1, 10000))
    .option('--batch-size <n>', 'passed to `contam scan`', parseIntegerOption('--batch-size', 1, 1_000_000))
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
      const result = await runSlurm(opts);
      if (opts.json) {
        const json = {
          scan_script: result.scanScript,
          merge_script: result.mergeScript,
          shards: result.shards,
          report: result.report,
          logs: result.logs,
          scan_job: result.scanJob,
          merge_job: result.mergeJob,
        };
        await writeResult(`${JSON.stringify(json, null, 2)}\n`);
      } else if (!opts.quiet) {
        await writeResult(render(result));
      }
    });
}

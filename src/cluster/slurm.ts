/**
 * A sharded scan on Slurm, as library calls: `writeSlurmJobs` checks the
 * inputs and writes OUT/scan.sbatch (an array job, one task per shard),
 * OUT/merge.sbatch and the OUT/logs folder Slurm writes into;
 * `submitSlurmJobs` hands both to sbatch, the merge with
 * `--dependency=afterok:<scan job>`.
 *
 * A half-submission (the scan queued, the merge refused) is not undone
 * silently: the error names the queued job and says how to submit its merge
 * or cancel it. The scripts' text comes from `slurmScript` (slurm-script.ts);
 * this is the one place outside src/cli/ that writes `contam scan` flags.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContamError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { shellJoin, shellQuote, slurmScript } from './slurm-script.js';

/** The `contam scan` settings every shard runs with, passed on only when given. */
export interface SlurmScanOptions {
  textColumn?: string;
  idColumn?: string;
  /** A rule name as `contam scan --rule` takes it (graded, gpt3, palm, llama2, idf, ...). */
  rule?: string;
  minOverlap?: number;
  maxDocFreq?: number;
  maxMatches?: number;
  batchSize?: number;
}

/** What `writeSlurmJobs` needs. */
export interface SlurmJobOptions {
  /** The index file, on a filesystem the compute nodes share. */
  index: string;
  /** Corpus files, folders or globs, as the jobs will name them. */
  corpus: string[];
  /** Number of shards, one array task each. */
  shards: number;
  /** The output folder: scripts, part-I.json, ckpt-I/, logs/, report.json. */
  output: string;
  partition?: string;
  time?: string;
  cpusPerTask?: number;
  /** Memory per task (`16G`). */
  memory?: string;
  /** The shell command compute nodes run contam with. @default this node and this package's CLI, by absolute path */
  contamCommand?: string;
  /** The folder the jobs start in. @default process.cwd() */
  workdir?: string;
  scan?: SlurmScanOptions;
}

/** The jobs `writeSlurmJobs` wrote. */
export interface SlurmJobs {
  scanScript: string;
  mergeScript: string;
  shards: number;
  report: string;
  logs: string;
}

/** The ids sbatch gave the two jobs. */
export interface SubmittedSlurmJobs {
  scanJob: string;
  mergeJob: string;
}

/** The `contam scan` flag of each passed-through setting. */
const SCAN_FLAGS: [keyof SlurmScanOptions, string][] = [
  ['textColumn', '--text-column'],
  ['idColumn', '--id-column'],
  ['rule', '--rule'],
  ['minOverlap', '--min-overlap'],
  ['maxDocFreq', '--max-doc-freq'],
  ['maxMatches', '--max-matches'],
  ['batchSize', '--batch-size'],
];

/** This node binary (with its flags, e.g. a loader) and this package's CLI, so compute nodes that share the filesystem run the same build. */
function defaultContamCommand(): string {
  return shellJoin([process.execPath, ...process.execArgv, fileURLToPath(new URL('../cli/main.js', import.meta.url))]);
}

const GLOB = /[*?[\]{}]/;

async function mustExist(file: string, what: string, hint: string): Promise<void> {
  try {
    await fs.access(file);
  } catch {
    throw new ContamError('FILE_NOT_FOUND', `no such ${what}`, { file, hint });
  }
}

/** Check the inputs, then write the two scripts and the logs folder. */
export async function writeSlurmJobs(options: SlurmJobOptions): Promise<SlurmJobs> {
  const workdir = options.workdir ?? process.cwd();
  const out = path.resolve(workdir, options.output);
  await mustExist(options.index, 'index file', 'build it with `contam index`, or fix --index');
  for (const corpus of options.corpus) {
    // Globs are expanded by each task; plain paths can be checked now rather than in N failed tasks.
    if (!GLOB.test(corpus)) await mustExist(corpus, 'corpus file or folder', 'fix --corpus');
  }
  const scanArgs: string[] = [];
  for (const [key, flag] of SCAN_FLAGS) {
    const value = options.scan?.[key];
    if (value !== undefined) scanArgs.push(flag, String(value));
  }
  const scripts = slurmScript({
    index: options.index,
    corpus: options.corpus,
    shards: options.shards,
    outDir: out,
    workdir,
    contam: options.contamCommand ?? defaultContamCommand(),
    scanArgs,
    partition: options.partition,
    time: options.time,
    cpusPerTask: options.cpusPerTask,
    memory: options.memory,
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
  return { scanScript, mergeScript, shards: options.shards, report: path.join(out, 'report.json'), logs };
}

/** `sbatch --parsable ARGS SCRIPT`: the job id (sbatch prints `id` or `id;cluster`). */
function sbatch(command: string, args: string[], script: string): Promise<string> {
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
        reject(
          new ContamError('BAD_ARGUMENT', `sbatch refused the job: ${said || 'no job id printed'}`, {
            file: script,
            hint: 'check --partition, --time, --mem and --cpus-per-task against `sinfo`',
            cause: error ?? undefined,
          }),
        );
        return;
      }
      resolve(id);
    });
  });
}

/** Submit the scan, then its merge to run after every shard succeeded. */
export async function submitSlurmJobs(jobs: SlurmJobs, options: { sbatch?: string } = {}): Promise<SubmittedSlurmJobs> {
  const command = options.sbatch ?? 'sbatch';
  const scanJob = await sbatch(command, [], jobs.scanScript);
  try {
    return { scanJob, mergeJob: await sbatch(command, [`--dependency=afterok:${scanJob}`], jobs.mergeScript) };
  } catch (error) {
    const e = error as ContamError;
    throw new ContamError(e.code, `${e.message}; the scan job ${scanJob} is queued without its merge`, {
      file: jobs.mergeScript,
      hint: `submit it with \`sbatch --dependency=afterok:${scanJob} ${shellQuote(jobs.mergeScript)}\`, or \`scancel ${scanJob}\``,
      cause: error,
    });
  }
}

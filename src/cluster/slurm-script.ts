/**
 * Slurm batch scripts for a sharded scan: an array job whose task I runs
 * `contam scan --shard I/N` into OUT/part-I.json (checkpointing into
 * OUT/ckpt-I, so a requeued or resubmitted task skips finished parts), and a
 * merge job, submitted with `--dependency=afterok:<array job>`, that runs
 * `contam merge` into OUT/report.json.
 *
 * Pure: text in, text out. Two quoting worlds meet here and are kept apart:
 * - script bodies are bash, and every word that came from the user goes
 *   through `shellQuote`, so no path can expand, split or inject;
 * - `#SBATCH` lines are parsed by sbatch, not bash: a value may be
 *   double-quoted (spaces, `'`, `#`, `$` are then literal) and `%` is a
 *   filename pattern (`%A`, `%a`, `%j`) written `%%` when literal; a `"`, a
 *   backslash (which turns pattern expansion off) or a line break cannot be
 *   carried at all and is refused with a ContamError.
 * Errors name the option concerned (`partition: expected ...`), as
 * src/options.ts does; the CLI prints its flag. Corpus and index paths are passed as the user gave them and the jobs `cd`
 * to `workdir` first, so the report names files exactly as a single-process
 * scan run from that folder does, and the merged report is byte-identical.
 */
import path from 'node:path';
import { ContamError } from '../errors.js';

/** What `slurmScript` needs to write the two job scripts. */
export interface SlurmScriptOptions {
  /** The `.cidx` index, as the user named it (relative paths are taken from `workdir`). */
  index: string;
  /** Corpus files, directories or globs, as the user named them (contam expands globs itself). */
  corpus: string[];
  /** Number of shards, i.e. array tasks. */
  shards: number;
  /** Output folder: part-I.json, ckpt-I/, logs/, report.json. Absolute unless `workdir` is given. */
  outDir: string;
  /**
   * How compute nodes invoke contam: a shell command prefix, already quoted
   * (build it with `shellJoin`), e.g. `'/usr/bin/node' '/opt/contam/dist/src/cli/main.js'`.
   */
  contam: string;
  /** Extra `contam scan` arguments (`--text-column`, `--min-overlap`, ...), quoted here. */
  scanArgs: string[];
  /** Folder the jobs `cd` to before running contam; relative paths above are taken from it. */
  workdir?: string;
  /** `#SBATCH --partition`; the cluster's default partition when absent. */
  partition?: string;
  /** `#SBATCH --time` (minutes, `H:MM:SS`, `D-HH:MM`, ...); the partition's limit when absent. */
  time?: string;
  /** `#SBATCH --cpus-per-task`; each scan task then runs that many workers. @default 1 */
  cpusPerTask?: number;
  /** `#SBATCH --mem` (`16G`, `4000M`); the partition's default when absent. */
  memory?: string;
}

export interface SlurmScripts {
  /** The array job: one task per shard. */
  scan: string;
  /** The merge job, to submit with `--dependency=afterok:<scan job id>`. */
  merge: string;
}

/** Words bash takes literally without quotes; anything else is single-quoted. */
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quote one word for bash so that it stays exactly one literal word: inside
 * single quotes nothing is special except `'` itself, written `'\''`.
 */
export function shellQuote(word: string): string {
  if (word.includes('\0')) throw new ContamError('BAD_ARGUMENT', `a NUL byte cannot be passed to a shell command, got ${JSON.stringify(word)}`);
  if (SHELL_SAFE.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Quote each word and join them with spaces: a command line bash splits back into exactly `words`. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

/**
 * Write a value into an `#SBATCH` line, double-quoted. With `pattern`, the
 * value is a folder whose literal `%` are doubled, and `pattern` (ours, such
 * as `scan-%A_%a.log`) is appended with its `%` left to expand.
 */
export function sbatchValue(value: string, what: string, options: { pattern?: string } = {}): string {
  const bad = /["\\\r\n\0]/.exec(value);
  if (bad) {
    const name = bad[0] === '"' ? 'a double quote' : bad[0] === '\\' ? 'a backslash' : 'a line break or NUL';
    throw new ContamError('BAD_ARGUMENT', `${what} contains ${name}, which an #SBATCH line cannot carry: ${JSON.stringify(value)}`, {
      hint: `choose a ${what} without ", \\ or line breaks`,
    });
  }
  if (options.pattern === undefined) return `"${value}"`;
  return `"${path.posix.join(value.replaceAll('%', '%%'), options.pattern)}"`;
}

const TIME = /^(?:\d+-)?\d+(?::\d+){0,2}$|^(?:UNLIMITED|INFINITE)$/i;
const MEMORY = /^\d+[KMGT]?$/i;
const PARTITION = /^[A-Za-z0-9_.-]+(?:,[A-Za-z0-9_.-]+)*$/;

/** Check the options once, before any text is written, with messages saying what was expected and what was got. */
function validate(o: SlurmScriptOptions): void {
  if (!Number.isInteger(o.shards) || o.shards < 1) {
    throw new ContamError('BAD_ARGUMENT', `shards: expected a whole number from 1 up, got ${o.shards}`);
  }
  if (o.corpus.length === 0) throw new ContamError('NO_INPUT', 'no corpus given', { hint: 'pass --corpus PATH (repeatable)' });
  if (o.corpus.includes('-')) {
    throw new ContamError('BAD_ARGUMENT', 'standard input cannot be sharded across Slurm tasks', { hint: 'pass corpus files, folders or globs' });
  }
  if (!path.posix.isAbsolute(o.outDir) && !(o.workdir && path.posix.isAbsolute(o.workdir))) {
    // Log paths go into #SBATCH lines, which Slurm resolves from wherever sbatch runs; only an absolute path is safe there.
    throw new Error(`slurmScript: outDir must be absolute, or workdir given and absolute (got ${o.outDir})`);
  }
  if (o.partition !== undefined && !PARTITION.test(o.partition)) {
    throw new ContamError('BAD_ARGUMENT', `partition: expected a partition name (letters, digits, _ . -; comma-separated for several), got '${o.partition}'`);
  }
  if (o.time !== undefined && !TIME.test(o.time)) {
    throw new ContamError('BAD_ARGUMENT', `time: expected a Slurm time format (MM, HH:MM:SS, D-HH, D-HH:MM:SS or UNLIMITED), got '${o.time}'`);
  }
  if (o.memory !== undefined && !MEMORY.test(o.memory)) {
    throw new ContamError('BAD_ARGUMENT', `memory: expected a size like 4000M or 16G, got '${o.memory}'`);
  }
  if (o.cpusPerTask !== undefined && (!Number.isInteger(o.cpusPerTask) || o.cpusPerTask < 1)) {
    throw new ContamError('BAD_ARGUMENT', `cpusPerTask: expected a whole number from 1 up, got ${o.cpusPerTask}`);
  }
}

/** The `#SBATCH` lines both jobs share. */
function resourceDirectives(o: SlurmScriptOptions, cpus: boolean): string[] {
  const lines: string[] = [];
  if (o.partition !== undefined) lines.push(`#SBATCH --partition=${o.partition}`);
  if (o.time !== undefined) lines.push(`#SBATCH --time=${o.time}`);
  if (cpus && o.cpusPerTask !== undefined) lines.push(`#SBATCH --cpus-per-task=${o.cpusPerTask}`);
  if (o.memory !== undefined) lines.push(`#SBATCH --mem=${o.memory}`);
  return lines;
}

/** The sbatch scripts of a sharded scan and of its merge. */
export function slurmScript(options: SlurmScriptOptions): SlurmScripts {
  validate(options);
  const { shards, workdir } = options;
  const out = workdir ? path.posix.resolve(workdir, options.outDir) : options.outDir;
  const logs = path.posix.join(out, 'logs');
  const prologue = ['set -euo pipefail', ...(workdir ? [`cd ${shellQuote(workdir)}`] : []), `out=${shellQuote(out)}`];

  const scan = [
    '#!/bin/bash',
    `# contam: sharded scan, ${shards} array task${shards === 1 ? '' : 's'} (written by \`contam slurm\`).`,
    '# Submit it, then merge.sbatch with --dependency=afterok:<this job id>; `contam slurm --submit` does both.',
    '#SBATCH --job-name=contam-scan',
    `#SBATCH --array=0-${shards - 1}`,
    `#SBATCH --output=${sbatchValue(logs, 'output folder', { pattern: 'scan-%A_%a.log' })}`,
    ...resourceDirectives(options, true),
    '',
    ...prologue,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, for the job script
    'shard="${SLURM_ARRAY_TASK_ID:?submit this script with sbatch: it is a Slurm array job}"',
    '# Slurm hands the task its CPUs but (without task affinity) does not stop it seeing the others.',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, for the job script
    'workers="${SLURM_CPUS_PER_TASK:-1}"',
    // --checkpoint makes a requeued or resubmitted task skip the parts it already finished.
    `exec ${options.contam} scan --index=${shellQuote(options.index)} --shard "$shard/${shards}" -o "$out/part-$shard.json" --checkpoint "$out/ckpt-$shard" --quiet --workers "$workers"${options.scanArgs.length ? ` ${shellJoin(options.scanArgs)}` : ''} -- ${shellJoin(options.corpus)}`,
    '',
  ].join('\n');

  const merge = [
    '#!/bin/bash',
    `# contam: merge of the ${shards} shard${shards === 1 ? '' : 's'} of scan.sbatch into one report (written by \`contam slurm\`).`,
    '# Submit with --dependency=afterok:<scan job id>; if a shard fails, Slurm cancels this job instead of leaving it pending.',
    '#SBATCH --job-name=contam-merge',
    `#SBATCH --output=${sbatchValue(logs, 'output folder', { pattern: 'merge-%j.log' })}`,
    '#SBATCH --kill-on-invalid-dep=yes',
    ...resourceDirectives(options, false),
    '',
    ...prologue,
    // The parts are listed by number rather than globbed, so a missing shard is an error and a stale
    // part-I.json left by an earlier run with more shards is never merged in.
    'parts=()',
    `for ((i = 0; i < ${shards}; i++)); do parts+=("$out/part-$i.json"); done`,
    `exec ${options.contam} merge --index=${shellQuote(options.index)} -o "$out/report.json" "\${parts[@]}"`,
    '',
  ].join('\n');

  return { scan, merge };
}

/**
 * The sbatch script builder, checked by running its output: words quoted by
 * `shellQuote` are read back by a real bash, and the generated scripts are
 * run by bash with a recorder standing in for contam, so every argument the
 * jobs would pass is compared exactly, whatever the paths contain.
 * (That sbatch itself reads the #SBATCH lines as intended is checked on a
 * real cluster by test/cli/slurm.test.ts.)
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ContamError } from '../../src/errors.js';
import { sbatchValue, shellJoin, shellQuote, slurmScript, type SlurmScriptOptions } from '../../src/cluster/slurm-script.js';

const NASTY = [
  '',
  'plain',
  'two words',
  "it's",
  "''",
  '"double"',
  '$HOME',
  '${PATH}',
  '`id`',
  '$(touch /tmp/contam-pwned)',
  'a;b',
  'a|b&c',
  '<in>out',
  '*',
  '?.jsonl',
  '[ab]',
  '{a,b}',
  '~',
  '~root',
  '!event',
  '#comment',
  'back\\slash',
  'new\nline',
  'tab\there',
  '  spaced  ',
  '-n',
  '--flag=x',
  'ünï cødé ☃',
  'mixed \'single\' and "double" $x `y` \\z',
];

/** What bash makes of a command line: its words, NUL-separated. */
function bashWords(commandLine: string): string[] {
  const result = spawnSync('bash', ['-c', `printf '%s\\0' ${commandLine}`], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`bash failed: ${result.stderr}`);
  return result.stdout.split('\0').slice(0, -1);
}

test('shellQuote: bash reads every nasty word back as exactly that one word', (t) => {
  for (const word of NASTY) t.deepEqual(bashWords(shellQuote(word)), [word], JSON.stringify(word));
});

test('shellQuote leaves plain paths and flags unquoted, so scripts stay readable', (t) => {
  t.is(shellQuote('/data/crawl/part-0001.jsonl.gz'), '/data/crawl/part-0001.jsonl.gz');
  t.is(shellQuote('--min-overlap'), '--min-overlap');
  t.is(shellQuote('0.7'), '0.7');
  t.is(shellQuote('a b'), "'a b'");
});

test('shellJoin: bash splits the line back into the same words in the same order', (t) => {
  t.deepEqual(bashWords(shellJoin(NASTY)), NASTY);
});

test('shellQuote refuses a NUL byte, which no command line can carry', (t) => {
  const error = t.throws(() => shellQuote('a\0b'), { instanceOf: ContamError });
  t.is(error?.code, 'BAD_ARGUMENT');
});

test('sbatchValue double-quotes, doubles the literal % of a folder but not of our pattern, and refuses what an #SBATCH line cannot carry', (t) => {
  t.is(sbatchValue("/x/a b/c'd #1", 'output folder'), `"/x/a b/c'd #1"`);
  t.is(sbatchValue('/x/100%/%j', 'output folder', { pattern: 'log-%j.log' }), '"/x/100%%/%%j/log-%j.log"');
  for (const bad of ['/x/"q"', '/x/back\\slash', '/x/new\nline', '/x/cr\r']) {
    const error = t.throws(() => sbatchValue(bad, 'output folder'), { instanceOf: ContamError });
    t.is(error?.code, 'BAD_ARGUMENT');
    t.truthy(error?.hint);
  }
});

// --- the generated scripts, run by bash with a recorder in place of contam ---

const tmp = mkdtempSync(path.join(os.tmpdir(), "contam-slurm 'unit' $x "));
/** A stand-in for contam: records its working folder and arguments, NUL-separated. */
const recorderDir = path.join(tmp, 'bin dir');
mkdirSync(recorderDir);
const recorder = path.join(recorderDir, "fake contam's");
writeFileSync(recorder, '#!/bin/bash\n{ printf "%s\\0" "$PWD"; printf "%s\\0" "$@"; } > "$RECORD"\n');
chmodSync(recorder, 0o755);

const workdir = path.join(tmp, 'work $dir `x`');
mkdirSync(workdir);
const outDir = path.join(tmp, "out 100% 'done' #1");

function options(overrides: Partial<SlurmScriptOptions> = {}): SlurmScriptOptions {
  return {
    index: "evals dir/my 'evals'.cidx",
    corpus: ['crawl/*.parquet', 'web $1/a;b.jsonl', '-odd-name.jsonl'],
    shards: 4,
    outDir,
    workdir,
    contam: shellJoin([recorder]),
    scanArgs: ['--text-column', 'content body', '--min-overlap', '0.7'],
    ...overrides,
  };
}

/** Run a generated script with bash and a clean environment plus `env`; return what the recorder saw. */
function runScript(script: string, env: Record<string, string>) {
  const record = path.join(tmp, `record-${Math.random().toString(36).slice(2)}`);
  const file = path.join(tmp, 'job.sh');
  writeFileSync(file, script);
  const result = spawnSync('bash', [file], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', RECORD: record, ...env } });
  let words: string[] = [];
  try {
    words = readFileSync(record, 'utf8').split('\0').slice(0, -1);
  } catch {
    // no record: the script failed before running contam
  }
  return { status: result.status, stderr: result.stderr, cwd: words[0], argv: words.slice(1) };
}

test('the scan script is valid bash and an array job of N tasks logging into OUT/logs', (t) => {
  const { scan } = slurmScript(options());
  const syntax = spawnSync('bash', ['-n'], { input: scan, encoding: 'utf8' });
  t.is(syntax.status, 0, syntax.stderr);
  t.true(scan.startsWith('#!/bin/bash\n'));
  t.regex(scan, /^#SBATCH --array=0-3$/m);
  t.true(scan.includes(`#SBATCH --output="${path.join(outDir, 'logs').replaceAll('%', '%%')}/scan-%A_%a.log"\n`));
  // sbatch stops reading directives at the first command, so they must all come before it.
  const firstCommand = scan.split('\n').findIndex((line) => line !== '' && !line.startsWith('#'));
  t.false(
    scan
      .split('\n')
      .slice(firstCommand)
      .some((line) => line.startsWith('#SBATCH')),
  );
});

test('scan task I runs `contam scan --shard I/N` in the workdir with every path intact', (t) => {
  const o = options();
  const run = runScript(slurmScript(o).scan, { SLURM_ARRAY_TASK_ID: '2' });
  t.is(run.status, 0, run.stderr);
  t.is(run.cwd, workdir);
  t.deepEqual(run.argv, [
    'scan',
    `--index=${o.index}`,
    '--shard',
    '2/4',
    '-o',
    path.join(outDir, 'part-2.json'),
    '--checkpoint',
    path.join(outDir, 'ckpt-2'),
    '--quiet',
    '--workers',
    '1',
    '--text-column',
    'content body',
    '--min-overlap',
    '0.7',
    '--',
    'crawl/*.parquet',
    'web $1/a;b.jsonl',
    '-odd-name.jsonl',
  ]);
});

test('scan tasks run as many workers as Slurm gave them CPUs', (t) => {
  const run = runScript(slurmScript(options()).scan, { SLURM_ARRAY_TASK_ID: '0', SLURM_CPUS_PER_TASK: '6' });
  t.is(run.status, 0, run.stderr);
  t.is(run.argv[run.argv.indexOf('--workers') + 1], '6');
});

test('the scan script run outside Slurm fails with a message instead of scanning shard "/4"', (t) => {
  const run = runScript(slurmScript(options()).scan, {});
  t.not(run.status, 0);
  t.regex(run.stderr, /submit this script with sbatch/);
  t.is(run.argv.length, 0);
});

test('the merge job runs `contam merge` over exactly the N parts, in shard order', (t) => {
  const o = options();
  const { merge } = slurmScript(o);
  t.regex(merge, /^#SBATCH --kill-on-invalid-dep=yes$/m);
  t.true(merge.includes(`#SBATCH --output="${path.join(outDir, 'logs').replaceAll('%', '%%')}/merge-%j.log"\n`));
  const run = runScript(merge, {});
  t.is(run.status, 0, run.stderr);
  t.is(run.cwd, workdir);
  t.deepEqual(run.argv, ['merge', `--index=${o.index}`, '-o', path.join(outDir, 'report.json'), ...[0, 1, 2, 3].map((i) => path.join(outDir, `part-${i}.json`))]);
});

test('resource options become #SBATCH lines; cpus-per-task only on the scan', (t) => {
  const { scan, merge } = slurmScript(options({ partition: 'cpu,long', time: '1-02:00:00', cpusPerTask: 8, memory: '16G' }));
  for (const line of ['#SBATCH --partition=cpu,long', '#SBATCH --time=1-02:00:00', '#SBATCH --mem=16G']) {
    t.true(scan.includes(`${line}\n`), line);
    t.true(merge.includes(`${line}\n`), line);
  }
  t.true(scan.includes('#SBATCH --cpus-per-task=8\n'));
  t.false(merge.includes('--cpus-per-task'));
  const bare = slurmScript(options());
  t.false(/--partition|--time|--mem|--cpus-per-task/.test(bare.scan));
});

test('one shard is an array of one task', (t) => {
  t.regex(slurmScript(options({ shards: 1 })).scan, /^#SBATCH --array=0-0$/m);
});

test('bad options are refused by code before any script is written', (t) => {
  const cases: [Partial<SlurmScriptOptions>, string][] = [
    [{ shards: 0 }, 'BAD_ARGUMENT'],
    [{ shards: 2.5 }, 'BAD_ARGUMENT'],
    [{ corpus: [] }, 'NO_INPUT'],
    [{ corpus: ['-'] }, 'BAD_ARGUMENT'],
    [{ partition: 'debug; rm -rf /' }, 'BAD_ARGUMENT'],
    [{ time: 'two hours' }, 'BAD_ARGUMENT'],
    [{ memory: '16 GB' }, 'BAD_ARGUMENT'],
    [{ cpusPerTask: 0 }, 'BAD_ARGUMENT'],
    [{ outDir: path.join(tmp, 'say "cheese"') }, 'BAD_ARGUMENT'],
  ];
  for (const [overrides, code] of cases) {
    const error = t.throws(() => slurmScript(options(overrides)), { instanceOf: ContamError }, JSON.stringify(overrides));
    t.is(error?.code, code, JSON.stringify(overrides));
  }
});

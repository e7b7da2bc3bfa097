/**
 * `contam slurm` end to end on a real Slurm cluster (the single node that
 * .ci/slurm-up.sh starts): a 4-shard scan of the fixtures is submitted with
 * --submit, and the merged report must equal, byte for byte, a single-process
 * `contam scan` of the same corpus. The output folder's name holds a space,
 * quotes, `#` and `%`, so sbatch's own reading of the #SBATCH lines and bash's
 * reading of the job bodies are both exercised.
 *
 * Slurm missing from the machine (no `sbatch`, `sinfo` or `squeue` on the
 * PATH) is told apart from a broken one: locally the test is skipped with a
 * loud line on stderr (a new user's `npm test` needs no cluster), under
 * CI=true it fails, since CI must start one (.ci/run does). A Slurm that is
 * installed but not working (its daemons down, no node up) always fails.
 */
import test from 'ava';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/src/cli/main.js');
const evals = ['--eval', 'fixtures/evals/gsm8k.jsonl', '--eval', 'fixtures/evals/mmlu.jsonl', '--eval', 'fixtures/evals/truthfulqa.csv'];
const WAIT_MS = 180_000;
const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE']);

async function contam(args: string[], env: NodeJS.ProcessEnv = process.env) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd: root, env: { ...env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// /tmp is on the one node, so slurmd sees the same files.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-slurm-'));
const index = path.join(tmp, 'evals.cidx');

test.before(async () => {
  const built = await contam(['index', ...evals, '-o', index, '--quiet']);
  if (built.code !== 0) throw new Error(`contam index failed: ${built.stderr}`);
});

const SETUP = 'start it with `bash .ci/slurm-up.sh` (installs slurm-wlm and munge, starts munged, slurmctld and slurmd)';

/** Why Slurm is not installed here (a tool missing from the PATH), or null when its tools are all there. */
function slurmMissing(): string | null {
  for (const tool of ['sbatch', 'sinfo', 'squeue']) {
    const found = spawnSync(tool, ['--version'], { encoding: 'utf8' });
    if ((found.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return `Slurm's \`${tool}\` is not on this machine; ${SETUP}`;
  }
  return null;
}

const onCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false' && process.env.CI !== '0';
const missing = slurmMissing();
if (missing && !onCi) process.stderr.write(`\n*** SKIPPED: the Slurm end-to-end test: ${missing}. Under CI=true this is a failure. ***\n\n`);
/** The end-to-end test: skipped when Slurm is missing, locally only. */
const slurmTest = missing && !onCi ? test.skip : test;

/** Why the cluster cannot take the job (missing under CI, or installed and broken), or null when a node of the default partition is up. */
function clusterProblem(): string | null {
  if (missing) return `${missing} (CI=true: a missing Slurm fails here)`;
  for (const tool of ['sbatch', 'sinfo', 'squeue']) {
    const found = spawnSync(tool, ['--version'], { encoding: 'utf8' });
    if (found.error || found.status !== 0) return `Slurm's \`${tool}\` is installed but does not run (${(found.error as Error | undefined)?.message ?? found.stderr.trim()}); ${SETUP}`;
  }
  const setup = SETUP;
  const info = spawnSync('sinfo', ['-h', '-N', '-o', '%N %T %P'], { encoding: 'utf8', timeout: 20_000 });
  if (info.status !== 0) return `the Slurm cluster is not up (sinfo: ${(info.stderr || info.stdout).trim()}); ${setup}`;
  const up = info.stdout.split('\n').filter((line) => /\s(idle|mixed|allocated|completing)\s/.test(`${line} `));
  if (up.length === 0) return `no Slurm node is up (sinfo says: ${info.stdout.trim() || 'no nodes'}); ${setup}`;
  return null;
}

/** Each job step's id and state, e.g. `12_3 COMPLETED`; slurmctld keeps finished jobs for MinJobAge. */
function jobStates(ids: string[]): Map<string, string> {
  const result = spawnSync('squeue', ['-h', '-r', '-t', 'all', '-j', ids.join(','), '-o', '%i %T'], { encoding: 'utf8', timeout: 20_000 });
  const states = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const [id, state] = line.trim().split(/\s+/);
    if (id && state) states.set(id, state);
  }
  return states;
}

function logsOf(dir: string): string {
  const logs = path.join(dir, 'logs');
  if (!existsSync(logs)) return `(no ${logs})`;
  const files = readdirSync(logs).sort();
  if (files.length === 0) return `(${logs} is empty: the jobs never started, or Slurm could not open the log files)`;
  return files.map((f) => `--- ${f}\n${readFileSync(path.join(logs, f), 'utf8').slice(-3000)}`).join('\n');
}

slurmTest('a 4-shard scan submitted with `contam slurm --submit` merges into the single-process report, byte for byte', async (t) => {
  t.timeout(WAIT_MS + 60_000);
  const problem = clusterProblem();
  if (problem) {
    t.fail(problem);
    return;
  }

  const single = path.join(tmp, 'single.json');
  const scanned = await contam(['scan', '--index', index, 'fixtures/corpus', '-o', single, '--quiet']);
  t.is(scanned.code, 0, scanned.stderr);

  const out = path.join(tmp, "out 100% 'q' #1");
  const submitted = await contam(['slurm', '--index', index, '--corpus', 'fixtures/corpus', '--shards', '4', '--submit', '--json', '-o', out]);
  t.is(submitted.code, 0, submitted.stderr);
  const result = JSON.parse(submitted.stdout) as { scan_job: string; merge_job: string; report: string; scan_script: string; merge_script: string };
  t.regex(result.scan_job, /^\d+$/);
  t.regex(result.merge_job, /^\d+$/);
  t.is(result.report, path.join(out, 'report.json'));
  t.true(existsSync(result.scan_script) && existsSync(result.merge_script));

  const started = Date.now();
  let states = new Map<string, string>();
  for (;;) {
    states = jobStates([result.scan_job, result.merge_job]);
    const merge = states.get(result.merge_job);
    if (merge && TERMINAL.has(merge)) break;
    if (Date.now() - started > WAIT_MS) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const summary = [...states].map(([id, state]) => `${id} ${state}`).join(', ') || 'no job known to squeue';
  if (states.get(result.merge_job) !== 'COMPLETED') {
    const reason = spawnSync('scontrol', ['show', 'job', result.merge_job], { encoding: 'utf8' }).stdout.match(/Reason=\S+/)?.[0] ?? '';
    t.fail(`the jobs did not all complete within ${WAIT_MS / 1000}s (${summary}; merge ${reason})\n${logsOf(out)}`);
    return;
  }
  for (let i = 0; i < 4; i++) t.is(states.get(`${result.scan_job}_${i}`), 'COMPLETED', summary);

  // The %A_%a and %j patterns expanded, and the literal % of the folder name did not.
  const logs = readdirSync(path.join(out, 'logs')).sort();
  t.deepEqual(logs, [`merge-${result.merge_job}.log`, ...[0, 1, 2, 3].map((i) => `scan-${result.scan_job}_${i}.log`)]);
  t.is(readFileSync(result.report, 'utf8'), readFileSync(single, 'utf8'), `merged report differs from the single-process one\n${logsOf(out)}`);
});

test('without --submit, `contam slurm` writes both scripts and says how to submit them', async (t) => {
  const out = path.join(tmp, 'scripts-only');
  const written = await contam(['slurm', '--index', index, '--corpus', 'fixtures/corpus', '--shards', '3', '--partition', 'debug', '--time', '10', '--min-overlap', '0.5', '-o', out]);
  t.is(written.code, 0, written.stderr);
  const scan = readFileSync(path.join(out, 'scan.sbatch'), 'utf8');
  const merge = readFileSync(path.join(out, 'merge.sbatch'), 'utf8');
  t.regex(scan, /^#SBATCH --array=0-2$/m);
  t.regex(scan, /^#SBATCH --partition=debug$/m);
  t.regex(scan, / --min-overlap 0\.5 -- fixtures\/corpus$/m);
  t.regex(merge, / merge --index=/);
  t.true(existsSync(path.join(out, 'logs')));
  t.regex(written.stdout, /sbatch --dependency=afterok:"\$jobid"/);
  t.deepEqual(readdirSync(out).sort(), ['logs', 'merge.sbatch', 'scan.sbatch']);
});

test('--submit without sbatch on the PATH is one line on stderr and exit 2', async (t) => {
  const empty = path.join(tmp, 'empty-bin');
  mkdirSync(empty, { recursive: true });
  const outcome = await contam(['slurm', '--index', index, '--corpus', 'fixtures/corpus', '--shards', '2', '--submit', '-o', path.join(tmp, 'no-sbatch')], { ...process.env, PATH: empty });
  t.is(outcome.code, 2);
  t.regex(outcome.stderr, /^contam: error: .*sbatch.*\(run it on a Slurm login node, or drop --submit.*\)\n$/);
  t.is(outcome.stdout, '');
});

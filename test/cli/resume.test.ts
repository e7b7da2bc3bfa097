/**
 * Faults, as they happen: a scan killed with SIGKILL at random points and
 * started again with the same arguments ends with the report of an
 * uninterrupted run; shards scanned by separate processes merge into it.
 */
import test from 'ava';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { writeCorpus } from '../helpers/corpus.js';
import { random } from '../helpers/samples.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/src/cli/main.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-resume-'));
const corpus = path.join(tmp, 'corpus');
const index = path.join(tmp, 'evals.cidx');

test.before(async () => {
  writeCorpus(corpus, 24, 150, 9);
  await run(process.execPath, [cli, 'index', '--eval', 'fixtures/evals/gsm8k.jsonl', '--eval', 'fixtures/evals/mmlu.jsonl', '--minhash', '-o', index, '--quiet'], { cwd: root });
  await run(process.execPath, [cli, 'scan', '--index', index, corpus, '-o', path.join(tmp, 'whole.json'), '--quiet', '--workers', '1'], { cwd: root });
});

/** Run contam, and send `signal` as soon as `ready()` holds (polled every 2 ms); resolves to the exit code (null when killed by the signal). */
function signalWhen(args: string[], signal: NodeJS.Signals, ready: () => boolean): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: 'ignore' });
    const poll = setInterval(() => {
      if (ready()) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 2);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve(code);
    });
  });
}

/** Finished parts in a checkpoint folder. */
const partsDone = (ckpt: string) => (existsSync(ckpt) ? readdirSync(ckpt).filter((f) => f.startsWith('part-')).length : 0);

test('a scan killed with SIGKILL at random points resumes to the uninterrupted report', async (t) => {
  const rand = random(17);
  const ckpt = path.join(tmp, 'ckpt');
  const out = path.join(tmp, 'resumed.json');
  const args = ['scan', '--index', index, corpus, '--checkpoint', ckpt, '-o', out, '--quiet', '--workers', '1'];
  // 24 files: 24 parts. Kill at random points of progress, each later than the one before.
  let target = 0;
  let killed = 0;
  for (let i = 0; i < 5 && target < 22; i++) {
    target += 1 + Math.floor(rand() * 4);
    const code = await signalWhen(args, 'SIGKILL', () => partsDone(ckpt) >= target);
    if (code === null) killed++;
    t.false(existsSync(out), 'a killed scan leaves no report');
  }
  t.true(killed >= 3, `${killed} runs were killed mid-scan`);
  await run(process.execPath, [cli, ...args], { cwd: root });
  t.is(readFileSync(out, 'utf8'), readFileSync(path.join(tmp, 'whole.json'), 'utf8'));
});

test('shards scanned by separate processes merge into the single-process report', async (t) => {
  const parts = [];
  for (let k = 0; k < 3; k++) {
    const part = path.join(tmp, `part-${k}.json`);
    await run(process.execPath, [cli, 'scan', '--index', index, corpus, '--shard', `${k}/3`, '-o', part, '--quiet'], { cwd: root });
    parts.push(part);
  }
  await run(process.execPath, [cli, 'merge', ...parts.reverse(), '-o', path.join(tmp, 'merged.json'), '--quiet'], { cwd: root });
  t.is(readFileSync(path.join(tmp, 'merged.json'), 'utf8'), readFileSync(path.join(tmp, 'whole.json'), 'utf8'));
  // A missing shard is refused with the shard named.
  const missing = await run(process.execPath, [cli, 'merge', parts[0]!, parts[1]!, '-o', path.join(tmp, 'bad.json')], { cwd: root }).catch((e: { code: number; stderr: string }) => e);
  t.is((missing as { code: number }).code, 2);
  t.regex((missing as { stderr: string }).stderr, /missing shards 2\/3|missing shards 0\/3/);
  t.false(existsSync(path.join(tmp, 'bad.json')));
});

test('SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT choose the shard with --shard env', async (t) => {
  const viaEnv = path.join(tmp, 'env.json');
  await run(process.execPath, [cli, 'scan', '--index', index, corpus, '--shard', 'env', '-o', viaEnv, '--quiet'], {
    cwd: root,
    env: { ...process.env, SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '3' },
  });
  const explicit = path.join(tmp, 'explicit.json');
  await run(process.execPath, [cli, 'scan', '--index', index, corpus, '--shard', '1/3', '-o', explicit, '--quiet'], { cwd: root });
  t.is(readFileSync(viaEnv, 'utf8'), readFileSync(explicit, 'utf8'));
  t.deepEqual(JSON.parse(readFileSync(viaEnv, 'utf8')).shard, { index: 1, count: 3 });
});

test('SIGTERM mid-scan exits 143, writes no report, and keeps the checkpoints for a resume', async (t) => {
  const { mkdirSync } = await import('node:fs');
  const out = path.join(tmp, 'term');
  mkdirSync(out, { recursive: true });
  const ckpt = path.join(tmp, 'term-ckpt');
  // Terminate once two parts are done: mid-scan, with the signal handler surely installed.
  const args = ['scan', '--index', index, corpus, '--checkpoint', ckpt, '-o', path.join(out, 'report.json'), '--quiet', '--workers', '1'];
  const code = await signalWhen(args, 'SIGTERM', () => partsDone(ckpt) >= 2);
  t.is(code, 143);
  t.deepEqual(readdirSync(out), []);
  t.true(partsDone(ckpt) >= 2);
});

test('SIGTERM while a decontaminated corpus is being written removes the temporary folder', async (t) => {
  const { mkdirSync, readdirSync: list, rmSync } = await import('node:fs');
  const parent = path.join(tmp, 'filter-term');
  // A run can finish between two polls on a loaded machine; try again then (at most 5 times).
  for (let attempt = 0; attempt < 5; attempt++) {
    rmSync(parent, { recursive: true, force: true });
    mkdirSync(parent, { recursive: true });
    let sawTemporary = false;
    // Terminate as soon as the temporary output folder appears: mid-write.
    const code = await signalWhen(['filter', 'corpus', '--index', index, corpus, '-o', path.join(parent, 'clean'), '--mode', 'cut', '--quiet'], 'SIGTERM', () => {
      sawTemporary ||= list(parent).some((f) => f.endsWith('.tmp'));
      return sawTemporary;
    });
    if (code === 0) continue;
    t.true(sawTemporary, 'the temporary folder was seen before the run ended');
    t.is(code, 143);
    t.deepEqual(list(parent), []);
    return;
  }
  t.fail('the filter finished before it could be terminated, five times');
});

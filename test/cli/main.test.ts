/** The entry point: what a user sees from the process itself (exit codes, stderr) whatever the command. */
import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/src/cli/main.js');

test('a reader that closes the pipe early (| head) ends the command quietly with 0', async (t) => {
  const child = spawn(process.execPath, [cli, 'report', path.join(root, 'fixtures/results/report.json'), '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  // Close the read end before the command writes: its write meets EPIPE.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  t.is(stderr, '');
  t.is(code, 0);
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('report --html names the file it wrote', async (t) => {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'contam-main-')), 'r.html');
  const { code, stdout, stderr } = await run(['report', path.join(root, 'fixtures/results/report.json'), '--scores', path.join(root, 'fixtures/results/scores.json'), '--html', out]);
  t.is(code, 0);
  t.is(stdout, '');
  t.is(stderr, `wrote ${out}\n`);
  t.true(readFileSync(out, 'utf8').startsWith('<!doctype html>'));
});

test('report --scores with scores of another report exits 2 with one line naming the scores file', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'contam-main-'));
  const scores = JSON.parse(readFileSync(path.join(root, 'fixtures/results/scores.json'), 'utf8'));
  scores.report.checksum = '0'.repeat(64);
  const file = path.join(dir, 'scores.json');
  writeFileSync(file, JSON.stringify(scores));
  const { code, stderr } = await run(['report', path.join(root, 'fixtures/results/report.json'), '--scores', file, '--html', path.join(dir, 'r.html')]);
  t.is(code, 2);
  t.regex(stderr, /^contam: error: .*scores\.json: the scores were computed from another report \(verdict checksum 000000000000, this report's [0-9a-f]{12}\) \(score the results again/);
  t.is(stderr.trim().split('\n').length, 1);
  t.false(existsSync(path.join(dir, 'r.html')));
});

/** The entry point: what a user sees from the process itself (exit codes, stderr) whatever the command. */
import test from 'ava';
import { spawn } from 'node:child_process';
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

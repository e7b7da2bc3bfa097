import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AtomicFileWriter, removeStaleTemporaries, removeTemporaryOutputs, temporaryPath, writeError, writeFileAtomic } from '../../src/io/atomic.js';

const dir = () => mkdtempSync(path.join(os.tmpdir(), 'contam-atomic-'));

test('writeFileAtomic leaves the complete file and no temporary one', async (t) => {
  const d = dir();
  await writeFileAtomic(path.join(d, 'out.json'), '{"a": 1}\n');
  t.deepEqual(readdirSync(d), ['out.json']);
  t.is(readFileSync(path.join(d, 'out.json'), 'utf8'), '{"a": 1}\n');
});

test('a write into a missing folder is WRITE_FAILED with a hint, and leaves nothing', async (t) => {
  const d = dir();
  await t.throwsAsync(writeFileAtomic(path.join(d, 'nope', 'out.json'), 'x'), { code: 'WRITE_FAILED', message: /out\.json: the output folder does not exist/ } as never);
  t.deepEqual(readdirSync(d), []);
});

test('a full disk is reported as such', (t) => {
  const error = writeError('/data/report.json', Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
  t.is(error.code, 'DISK_FULL');
  t.is(error.toLine(), '/data/report.json: the disk is full; nothing was written (free some space or write elsewhere)');
  t.is(writeError('/x', Object.assign(new Error('quota'), { code: 'EDQUOT' })).code, 'DISK_FULL');
});

test('a streamed output appears only on commit; abort and a signal remove the temporary file', async (t) => {
  const d = dir();
  const target = path.join(d, 'out.jsonl');
  const w = new AtomicFileWriter(target);
  await w.write('line 1\n');
  t.false(existsSync(target));
  await w.commit();
  t.deepEqual(readdirSync(d), ['out.jsonl']);

  const aborted = new AtomicFileWriter(path.join(d, 'aborted.jsonl'));
  await aborted.write('partial\n');
  await aborted.abort();
  t.deepEqual(readdirSync(d), ['out.jsonl']);

  const interrupted = new AtomicFileWriter(path.join(d, 'interrupted.jsonl'));
  await interrupted.write('partial\n');
  // The stream opens its file asynchronously: wait until the temporary file is there.
  for (let i = 0; i < 200 && readdirSync(d).length < 2; i++) await new Promise((r) => setTimeout(r, 5));
  t.is(readdirSync(d).length, 2, 'the temporary file exists while writing');
  removeTemporaryOutputs();
  t.deepEqual(readdirSync(d), ['out.jsonl']);
});

test('stale temporaries of dead processes of this host are removed from a folder once; live ones, other hosts and look-alikes stay', (t) => {
  const host = os.hostname().replace(/[^A-Za-z0-9-]/g, '_');
  // A pid that surely ran and ended: a child that has exited.
  const dead = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'contam-stale-'));
  const names = [`.clean.${host}.${dead}.1.tmp`, `.report.json.${host}.${dead}.7.tmp`, `.live.${host}.${process.pid}.1.tmp`, `.clean.otherhost.${dead}.1.tmp`, `.notes.${dead}.1.tmp`, 'report.json'];
  mkdirSync(path.join(dir, names[0]!));
  writeFileSync(path.join(dir, names[0]!, 'part.jsonl'), 'x'.repeat(1000));
  for (const name of names.slice(1)) writeFileSync(path.join(dir, name), '');
  t.deepEqual(
    removeStaleTemporaries(dir)
      .map((p) => path.basename(p))
      .sort(),
    [names[0], names[1]].sort(),
  );
  t.deepEqual(readdirSync(dir).sort(), names.slice(2).sort());
  // Once per folder per process: a new temporary path does not walk it again.
  mkdirSync(path.join(dir, names[0]!));
  temporaryPath(path.join(dir, 'out.json'));
  t.true(readdirSync(dir).includes(names[0]!));
});

test('abort right after opening, before the file exists, still leaves no temporary file', async (t) => {
  // The temporary file is created asynchronously: an abort that removed it before waiting for
  // the stream to close could run first, and the file appeared after it.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'contam-atomic-abort-'));
  for (let i = 0; i < 100; i++) {
    const writer = new AtomicFileWriter(path.join(dir, `out-${i}.jsonl`));
    if (i % 2 === 1) void writer.write('a line\n').catch(() => {});
    await writer.abort();
  }
  t.deepEqual(readdirSync(dir), []);
});

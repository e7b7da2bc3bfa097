/**
 * The one output rule (src/io/output.ts), as a user meets it through `-o`:
 * devices and FIFOs are written through, symlinks are followed, existing files
 * replaced, folders and inputs refused with one line and exit 2. Each case
 * checks that no file but the intended output changed: the checksums of every
 * input are compared before and after.
 */
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertRefused as refused, checksums, cli, contam as contamIn, root } from './run-contam.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-outputs-'));
const evals = path.join(tmp, 'gsm8k.jsonl');
const index = path.join(tmp, 'evals.cidx');
const corpus = path.join(tmp, 'corpus');
const contam = (args: string[]) => contamIn(args, tmp);
const inputs = () => checksums([evals, index, corpus]);

let reference = '';

test.before(async () => {
  writeFileSync(evals, readFileSync(path.join(root, 'fixtures/evals/gsm8k.jsonl')));
  mkdirSync(corpus);
  for (const f of ['web-00.jsonl.gz', 'web-01.parquet']) writeFileSync(path.join(corpus, f), readFileSync(path.join(root, 'fixtures/corpus', f)));
  const r = await contam(['index', '--eval', evals, '-o', index, '--quiet']);
  if (r.code !== 0) throw new Error(r.stderr);
  reference = (await contam(['scan', '--index', index, corpus, '--json', '--quiet'])).stdout;
  if (!reference.includes('"samples"')) throw new Error('no reference report');
});

/**
 * A character device to write to. As root, a copy made here with mknod, so that
 * a regression renames over the copy and not over the machine's own device.
 */
function device(name: string, minor: number): string | null {
  if (process.getuid?.() === 0) {
    const made = path.join(tmp, name);
    if (existsSync(made) || spawnSync('mknod', [made, 'c', '1', String(minor)]).status === 0) return made;
    return null;
  }
  return existsSync(`/dev/${name}`) ? `/dev/${name}` : null;
}

test('-o a character device (a null device) writes through it and leaves it a device', async (t) => {
  const before = inputs();
  const dev = device('null', 3);
  if (dev === null) {
    t.pass('no null device can be had here');
    return;
  }
  const r = await contam(['scan', '--index', index, corpus, '-o', dev, '--quiet']);
  t.is(r.code, 0, r.stderr);
  t.true(lstatSync(dev).isCharacterDevice(), `${dev} is still a character device`);
  t.deepEqual(
    readdirSync(path.dirname(dev)).filter((f) => f.startsWith('.null.')),
    [],
  );
  t.deepEqual(inputs(), before);
});

test('-o a full device is one line saying the disk is full, exit 2, and it stays a device', async (t) => {
  const dev = device('full', 7);
  if (dev === null) {
    t.pass('no full device can be had here');
    return;
  }
  const before = inputs();
  const r = await contam(['scan', '--index', index, corpus, '-o', dev, '--quiet']);
  refused(t, r, /^contam: error: .*full: the disk is full/);
  t.true(lstatSync(dev).isCharacterDevice());
  t.deepEqual(inputs(), before);
});

test('-o a FIFO writes the report through it to its reader, and leaves the FIFO in place', async (t) => {
  const fifo = path.join(tmp, 'report.fifo');
  t.is(spawnSync('mkfifo', [fifo]).status, 0);
  const before = inputs();
  const reader = spawn('cat', [fifo]);
  let received = '';
  reader.stdout.on('data', (d: Buffer) => (received += d.toString()));
  const read = new Promise((resolve) => reader.on('exit', resolve));
  const r = await contam(['scan', '--index', index, corpus, '-o', fifo, '--quiet']);
  await read;
  t.is(r.code, 0, r.stderr);
  t.is(received, reference);
  t.true(lstatSync(fifo).isFIFO());
  t.deepEqual(inputs(), before);
});

test('-o a symlink writes its target and keeps the link; a dangling link gets its target created', async (t) => {
  const before = inputs();
  const target = path.join(tmp, 'target.json');
  writeFileSync(target, 'old');
  const link = path.join(tmp, 'link.json');
  symlinkSync(target, link);
  t.is((await contam(['scan', '--index', index, corpus, '-o', link, '--quiet'])).code, 0);
  t.true(lstatSync(link).isSymbolicLink());
  t.is(readlinkSync(link), target);
  t.is(readFileSync(target, 'utf8'), reference);

  const dangling = path.join(tmp, 'dangling.json');
  symlinkSync('made-by-contam.json', dangling);
  t.is((await contam(['scan', '--index', index, corpus, '-o', dangling, '--quiet'])).code, 0);
  t.true(lstatSync(dangling).isSymbolicLink());
  t.is(readFileSync(path.join(tmp, 'made-by-contam.json'), 'utf8'), reference);
  t.deepEqual(inputs(), before);
});

test('an existing report is replaced whole, keeping its mode, by scan and by index alike', async (t) => {
  const before = inputs();
  const report = path.join(tmp, 'existing.json');
  writeFileSync(report, 'x'.repeat(5_000_000));
  chmodSync(report, 0o640);
  t.is((await contam(['scan', '--index', index, corpus, '-o', report, '--quiet'])).code, 0);
  t.is(readFileSync(report, 'utf8'), reference);
  t.is(statSync(report).mode & 0o777, 0o640);
  const other = path.join(tmp, 'existing.cidx');
  writeFileSync(other, 'old index');
  t.is((await contam(['index', '--eval', evals, '-o', other, '--quiet'])).code, 0);
  t.deepEqual(readFileSync(other), readFileSync(index));
  t.deepEqual(inputs(), before);
});

test('-o naming a corpus file (by name, through its folder, a symlink or a hard link) or the index is refused before any work', async (t) => {
  const before = inputs();
  const link = path.join(tmp, 'corpus-link.parquet');
  symlinkSync(path.join(corpus, 'web-01.parquet'), link);
  const hard = path.join(tmp, 'corpus-hard.jsonl.gz');
  linkSync(path.join(corpus, 'web-00.jsonl.gz'), hard);
  const cases: [string[], RegExp][] = [
    [[corpus, '-o', path.join(corpus, 'web-01.parquet')], /web-01\.parquet: the output is also an input; writing it would destroy what is being read \(write the output somewhere else\)\n$/],
    [[path.join(corpus, 'web-00.jsonl.gz'), '-o', `${corpus}/../corpus/web-00.jsonl.gz`], /the output is the input .*web-00\.jsonl\.gz/],
    [[corpus, '-o', link], /corpus-link\.parquet: the output is the input .*web-01\.parquet/],
    [[corpus, '-o', hard], /corpus-hard\.jsonl\.gz: the output is the input .*web-00\.jsonl\.gz/],
    [[`${corpus}/*.parquet`, '-o', path.join(corpus, 'web-01.parquet')], /the output is .*input/],
    [[corpus, '-o', index], /evals\.cidx: the output is also an input/],
  ];
  for (const [args, message] of cases) refused(t, await contam(['scan', '--index', index, ...args, '--quiet']), message);
  t.deepEqual(inputs(), before);
});

test('index, check and merge refuse their own inputs as outputs too; check refuses -o and --save-index naming one file', async (t) => {
  const before = inputs();
  refused(t, await contam(['index', '--eval', evals, '-o', evals, '--quiet']), /gsm8k\.jsonl: the output is also an input/);
  refused(t, await contam(['check', '--eval', evals, '--corpus', corpus, '-o', evals, '--quiet']), /gsm8k\.jsonl: the output is also an input/);
  refused(t, await contam(['check', '--eval', evals, '--corpus', corpus, '--save-index', path.join(corpus, 'web-01.parquet'), '--quiet']), /the output is .*input/);
  refused(t, await contam(['check', '--eval', evals, '--corpus', corpus, '-o', 'same.json', '--save-index', 'same.json', '--quiet']), /two outputs name the same file/);
  const part = path.join(tmp, 'part-0.json');
  t.is((await contam(['scan', '--index', index, corpus, '--shard', '0/1', '-o', part, '--quiet'])).code, 0);
  const partSum = checksums([part]);
  refused(t, await contam(['merge', part, '-o', part, '--quiet']), /part-0\.json: the output is also an input/);
  refused(t, await contam(['merge', part, '--index', index, '-o', index, '--quiet']), /evals\.cidx: the output is also an input/);
  t.deepEqual(checksums([part]), partSum);
  t.false(existsSync(path.join(tmp, 'same.json')));
  t.deepEqual(inputs(), before);
});

test('the same rule for existing outputs in every command: a folder is refused for a file, a file or a non-empty folder for a folder', async (t) => {
  const before = inputs();
  refused(t, await contam(['scan', '--index', index, corpus, '-o', tmp, '--quiet']), /the output is a folder, where a file is to be written/);
  refused(t, await contam(['index', '--eval', evals, '-o', tmp, '--quiet']), /the output is a folder, where a file is to be written/);
  refused(t, await contam(['filter', 'corpus', '--index', index, corpus, '-o', index, '--quiet']), /the output is a file, where a folder is to be written/);
  refused(t, await contam(['filter', 'corpus', '--index', index, corpus, '-o', corpus, '--quiet']), /the output already exists and is not an empty folder/);
  refused(t, await contam(['filter', 'corpus', '--index', index, corpus, '-o', '/dev/null', '--quiet']), /the output is a character device, where a folder is to be written/);
  t.true(lstatSync('/dev/null').isCharacterDevice());
  t.deepEqual(inputs(), before);
});

test('temporaries left by a kill -9 during filter corpus are removed by the next run into that folder; a live process keeps its own', async (t) => {
  const parent = path.join(tmp, 'killed');
  mkdirSync(parent);
  // A real kill -9 mid-write: wait for the temporary folder, then SIGKILL.
  let sawTemporary = false;
  for (let attempt = 0; attempt < 5 && !sawTemporary; attempt++) {
    const child = spawn(process.execPath, [cli, 'filter', 'corpus', '--index', index, corpus, '-o', path.join(parent, `clean-${attempt}`), '--mode', 'cut', '--quiet'], { cwd: tmp, stdio: 'ignore' });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (readdirSync(parent).some((f) => f.endsWith('.tmp'))) {
          sawTemporary = true;
          child.kill('SIGKILL');
        }
      }, 1);
      child.on('exit', () => {
        clearInterval(poll);
        resolve();
      });
    });
  }
  if (!sawTemporary) {
    t.pass('every run finished before its temporary folder could be seen');
    return;
  }
  t.true(readdirSync(parent).some((f) => f.endsWith('.tmp')));
  // A live process's temporary (this test runner's pid) must survive.
  const live = `.other.${os.hostname().replace(/[^A-Za-z0-9-]/g, '_')}.${process.pid}.1.tmp`;
  mkdirSync(path.join(parent, live));
  const r = await contam(['filter', 'corpus', '--index', index, corpus, '-o', path.join(parent, 'clean'), '--quiet']);
  t.is(r.code, 0, r.stderr);
  t.deepEqual(
    readdirSync(parent).filter((f) => f.endsWith('.tmp')),
    [live],
  );
});

test('-o /dev/stdout writes to whatever stdout is open on: a pipe, or a file the shell appends to, which keeps its start', async (t) => {
  const before = inputs();
  const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} scan --index ${JSON.stringify(index)} ${JSON.stringify(corpus)} -o /dev/stdout --quiet`;
  const piped = spawnSync('bash', ['-c', `${cmd} | cat`], { cwd: tmp, encoding: 'utf8', maxBuffer: 64 << 20 });
  t.is(piped.status, 0, piped.stderr);
  t.is(piped.stdout, reference);
  const appended = path.join(tmp, 'appended.json');
  writeFileSync(appended, 'first line\n');
  const r = spawnSync('bash', ['-c', `${cmd} >> ${JSON.stringify(appended)}`], { cwd: tmp, encoding: 'utf8' });
  t.is(r.status, 0, r.stderr);
  t.is(readFileSync(appended, 'utf8'), `first line\n${reference}`);
  t.deepEqual(
    readdirSync(tmp).filter((f) => f.endsWith('.tmp')),
    [],
  );
  t.deepEqual(inputs(), before);
});

/**
 * Damage, streams and settings the tool accepts, through the CLI: each case
 * asserts the exit code and the one line on stderr, and that no input changed
 * (checksums of every input before and after).
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { capWorkers } from '../../src/scan/scan.js';
import type { Report } from '../../src/types.js';
import { writeCorpus } from '../helpers/corpus.js';
import { assertRefused, checksums, cli, contam as contamIn, root } from './run-contam.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-faults-'));
const evals = path.join(tmp, 'gsm8k.jsonl');
const index = path.join(tmp, 'evals.cidx');
const corpus = path.join(tmp, 'corpus');
const gz = path.join(corpus, 'web-00.jsonl.gz');
const contam = (args: string[]) => contamIn(args, tmp);
const inputs = () => checksums([evals, index, corpus]);

test.before(async () => {
  writeFileSync(evals, readFileSync(path.join(root, 'fixtures/evals/gsm8k.jsonl')));
  mkdirSync(corpus);
  writeFileSync(gz, readFileSync(path.join(root, 'fixtures/corpus/web-00.jsonl.gz')));
  const r = await contam(['index', '--eval', evals, '-o', index, '--quiet']);
  if (r.code !== 0) throw new Error(r.stderr);
});

test('a flipped bit in the index header (settings, section offsets) or its fixed fields is refused with one line', async (t) => {
  const before = inputs();
  const bytes = readFileSync(index);
  const headerLength = bytes.readUInt32LE(8);
  const header = bytes.subarray(16, 16 + headerLength).toString();
  // Inside the settings, a section offset, the header length, and the padding after the header.
  const positions = [9, 13, 16 + header.indexOf('"ngram":') + 8, 16 + header.indexOf('"offset":', header.indexOf('"sections"')) + 10, 16 + header.indexOf('"hashes":') + 9, 16 + headerLength];
  for (const [k, at] of positions.entries()) {
    const damaged = Buffer.from(bytes);
    damaged[at]! ^= 1 << (k % 7);
    const file = path.join(tmp, `damaged-${k}.cidx`);
    writeFileSync(file, damaged);
    const r = await contam(['scan', '--index', file, corpus, '--quiet']);
    assertRefused(t, r, new RegExp(`^contam: error: ${file.replace(/[.\\/]/g, '\\$&')}: not a valid contam index: (checksum mismatch|truncated)`));
  }
  t.deepEqual(inputs(), before);
});

test('--index naming a folder is one line, not EISDIR', async (t) => {
  const before = inputs();
  assertRefused(t, await contam(['scan', '--index', corpus, corpus, '--quiet']), /corpus: this is a folder, not an index file \(name the \.cidx file the index was written to\)\n$/);
  t.deepEqual(inputs(), before);
});

test('a FIFO as the corpus (process substitution) reads as stdin does, plain or compressed', async (t) => {
  const before = inputs();
  const scan = (how: string) =>
    spawnSync('bash', ['-c', `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} scan --index ${JSON.stringify(index)} ${how} --json --quiet --workers 2`], {
      cwd: tmp,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
  const stdin = scan(`- < <(zcat ${JSON.stringify(gz)})`);
  t.is(stdin.status, 0, stdin.stderr);
  const fromStdin = JSON.parse(stdin.stdout) as Report;
  t.true(fromStdin.corpus.documents > 0);
  // Bytes are those read: decompressed from zcat, the gzip file's own through cat.
  for (const [how, bytes] of [
    [`<(zcat ${JSON.stringify(gz)})`, fromStdin.corpus.bytes],
    [`<(cat ${JSON.stringify(gz)})`, statSync(gz).size],
  ] as const) {
    const r = scan(how);
    t.is(r.status, 0, r.stderr);
    t.is(r.stderr, '');
    const report = JSON.parse(r.stdout) as Report;
    t.deepEqual(report.corpus, { ...fromStdin.corpus, bytes });
    t.deepEqual(
      report.samples.map((s) => [s.contaminated, s.documents, s.matches.map((m) => [m.row, m.spans])]),
      fromStdin.samples.map((s) => [s.contaminated, s.documents, s.matches.map((m) => [m.row, m.spans])]),
    );
  }
  t.true(fromStdin.samples.some((s) => s.contaminated));
  t.deepEqual(inputs(), before);
});

test('--fpr 1e-300, --ngram 1 or 2 and --min-words 2 are refused with one line, before any work', async (t) => {
  const before = inputs();
  const out = path.join(tmp, 'never.cidx');
  assertRefused(t, await contam(['index', '--eval', evals, '--fpr', '1e-300', '-o', out]), /^contam: error: --fpr: expected a number from 1e-9 to below 1, got '1e-300' \(Bloom hits are verified/);
  assertRefused(t, await contam(['index', '--eval', evals, '--ngram', '1', '-o', out]), /^contam: error: --ngram: expected a whole number from 3 to 1000, got '1': shorter n-grams are common phrases/);
  assertRefused(t, await contam(['index', '--eval', evals, '--ngram', '2', '-o', out]), /--ngram: expected a whole number from 3 to 1000, got '2'/);
  assertRefused(t, await contam(['check', '--eval', evals, '--corpus', corpus, '--min-words', '2']), /--min-words: expected a whole number from 3 to 1000, got '2': a field of fewer words/);
  t.throws(() => statSync(out));
  t.deepEqual(inputs(), before);
});

test('--workers 1000 scans on what the machine holds, says so, and gives the same report', async (t) => {
  const many = path.join(tmp, 'many');
  writeCorpus(many, 12, 5, 2);
  const before = checksums([many, index]);
  const one = await contam(['scan', '--index', index, many, '--json', '--quiet', '--workers', '1']);
  const r = await contam(['scan', '--index', index, many, '--json', '--workers', '1000']);
  t.is(r.code, 0, r.stderr);
  const cap = capWorkers(1000, 12);
  t.regex(r.stderr, new RegExp(`^--workers 1000: scanning on ${cap.threads} threads? \\(${cap.cores} cores`, 'm'));
  t.is(r.stdout, one.stdout);
  t.deepEqual(checksums([many, index]), before);
});

test('a resumed scan refuses a corpus file edited in place with the same size and time', async (t) => {
  const files = path.join(tmp, 'edited');
  const written = writeCorpus(files, 4, 10, 4);
  const ckpt = path.join(tmp, 'edited-ckpt');
  const report = path.join(tmp, 'edited.json');
  const args = ['scan', '--index', index, files, '--checkpoint', ckpt, '-o', report, '--quiet', '--workers', '1'];
  t.is((await contam(args)).code, 0);
  t.is((await contam(args)).code, 0, 'resumes from its own checkpoint');
  const victim = written[2]!;
  const { size, mtimeMs } = statSync(victim);
  const reference = path.join(tmp, 'edited-mtime');
  // cp -p and touch -r keep the time to the nanosecond, as an editor that restores it would.
  t.is(spawnSync('cp', ['-p', victim, reference]).status, 0);
  const bytes = readFileSync(victim);
  const at = bytes.indexOf('"text":"') + 8;
  bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
  writeFileSync(victim, bytes);
  t.is(spawnSync('touch', ['-r', reference, victim]).status, 0);
  t.is(statSync(victim).size, size);
  t.is(statSync(victim).mtimeMs, mtimeMs);
  const before = checksums([files, index, report]);
  const r = await contam(args);
  assertRefused(
    t,
    r,
    /part-02\.jsonl: the file changed since part 0 of it was scanned into the checkpoint \(same size and time, other bytes\) \(remove the checkpoint folder .* to scan again from the start\)\n$/,
  );
  t.deepEqual(checksums([files, index, report]), before);
});

test('index says on stderr when benchmarks in scripts without spaces are too short in words, and that --unit token judges them', async (t) => {
  const bench = path.join(tmp, 'cjk.jsonl');
  writeFileSync(
    bench,
    `${[
      { question: '小明有五个苹果，他又买了三个苹果，现在他一共有多少个苹果？', answer: '八个' },
      { question: 'りんごが五つあります。三つ買いました。全部でいくつですか？', answer: '八つ' },
      { question: 'ภาษาไทยเขียนติดกันโดยไม่มีการเว้นวรรคระหว่างคำในประโยค', answer: 'ใช่' },
      { question: 'Janet has five apples and buys three more apples at the market today; how many does she have?', answer: 'eight' },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n')}\n`,
  );
  const before = checksums([bench]);
  const r = await contam(['index', '--eval', bench, '-o', path.join(tmp, 'cjk.cidx'), '--quiet']);
  t.is(r.code, 0, r.stderr);
  t.is(
    r.stderr,
    'warning: cjk: 3 of 4 samples are too short to judge in words: their text is in a script written without spaces (Chinese, Japanese, Thai...), where --unit word sees a sentence as one word; --unit token judges them\n',
  );
  const token = await contam(['index', '--eval', bench, '--unit', 'token', '-o', path.join(tmp, 'cjk-token.cidx'), '--quiet']);
  t.is(token.code, 0, token.stderr);
  t.is(token.stderr, '');
  t.deepEqual(checksums([bench]), before);
});

/**
 * Hostile input, as a user meets it: each bad corpus or index gives one line
 * naming the file and the position, exit code 2, no stack trace and no output
 * file (not even a temporary one); with --skip-bad the scan goes on and the
 * report lists what it skipped.
 */
import test from 'ava';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { compress, init } from '@bokuweb/zstd-wasm';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import type { Report } from '../../src/types.js';
import { contam, root } from './run-contam.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-hostile-'));
const index = path.join(tmp, 'evals.cidx');

const good = readFileSync(path.join(root, 'fixtures/evals/gsm8k.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .slice(0, 5)
  .map((l, i) => JSON.stringify({ id: `d${i}`, text: (JSON.parse(l) as { question: string }).question }))
  .join('\n');

test.before(async () => {
  await init();
  const r = await contam(['index', '--eval', 'fixtures/evals/gsm8k.jsonl', '-o', index, '--quiet']);
  if (r.code !== 0) throw new Error(r.stderr);
});

function caseDir(name: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

const cases: [string, (dir: string) => string, RegExp][] = [
  [
    'a truncated gzip stream',
    (dir) => {
      const bytes = gzipSync(`${good}\n`.repeat(50));
      writeFileSync(path.join(dir, 'c.jsonl.gz'), bytes.subarray(0, bytes.length - 40));
      return path.join(dir, 'c.jsonl.gz');
    },
    /c\.jsonl\.gz.*(truncated|ends early|corrupt)/,
  ],
  [
    'a truncated zstd stream',
    (dir) => {
      const bytes = compress(new TextEncoder().encode(`${good}\n`.repeat(50)), 3);
      writeFileSync(path.join(dir, 'c.jsonl.zst'), bytes.subarray(0, bytes.length - 40));
      return path.join(dir, 'c.jsonl.zst');
    },
    /c\.jsonl\.zst.*(truncated|ends early|corrupt)/,
  ],
  [
    'a Parquet file with a broken footer',
    (dir) => {
      const bytes = Buffer.from(readFileSync(path.join(root, 'fixtures/corpus/web-01.parquet')));
      bytes.writeUInt32LE(0x7fffffff, bytes.length - 8);
      writeFileSync(path.join(dir, 'c.parquet'), bytes);
      return path.join(dir, 'c.parquet');
    },
    /c\.parquet.*footer/,
  ],
  [
    'a Parquet file with a broken page',
    (dir) => {
      const bytes = Buffer.from(readFileSync(path.join(root, 'fixtures/corpus/web-01.parquet')));
      for (let i = 200; i < 4000; i++) bytes[i] = (bytes[i]! * 7 + 13) & 0xff;
      writeFileSync(path.join(dir, 'c.parquet'), bytes);
      return path.join(dir, 'c.parquet');
    },
    /c\.parquet:row group 0: /,
  ],
  [
    'an Arrow file cut short',
    (dir) => {
      const table = tableFromArrays({ id: ['a', 'b', 'c'], text: ['one two three', 'four five six', 'seven eight nine'] });
      const bytes = tableToIPC(table, 'file');
      writeFileSync(path.join(dir, 'c.arrow'), bytes.subarray(0, Math.floor(bytes.length / 2)));
      return path.join(dir, 'c.arrow');
    },
    /c\.arrow.*(truncated|not Arrow|cut|Arrow)/i,
  ],
  ['a JSONL line that is not JSON', (dir) => (writeFileSync(path.join(dir, 'c.jsonl'), `${good}\n{"id": "x", "text": "unterminated\n`), path.join(dir, 'c.jsonl')), /c\.jsonl:line 6: not valid JSON/],
  ['a missing text column', (dir) => (writeFileSync(path.join(dir, 'c.jsonl'), `${good}\n{"id": "x", "content": "words"}\n`), path.join(dir, 'c.jsonl')), /c\.jsonl:line 6: no 'text' field/],
  [
    'a text cell that is not a string',
    (dir) => (writeFileSync(path.join(dir, 'c.jsonl'), `${good}\n{"id": "x", "text": 42}\n`), path.join(dir, 'c.jsonl')),
    /c\.jsonl:line 6: the 'text' field is a number/,
  ],
  [
    'invalid UTF-8',
    (dir) => {
      writeFileSync(path.join(dir, 'c.jsonl'), Buffer.concat([Buffer.from(`${good}\n{"id": "x", "text": "bad `), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]));
      return path.join(dir, 'c.jsonl');
    },
    /c\.jsonl:line 6: the text is not valid UTF-8/,
  ],
  ['an empty file', (dir) => (writeFileSync(path.join(dir, 'c.jsonl'), ''), path.join(dir, 'c.jsonl')), /c\.jsonl: the file is empty/],
  ['a directory with no readable files', (dir) => (writeFileSync(path.join(dir, 'notes.txt'), 'hello'), dir), /holds no corpus files/],
];

for (const [name, make, message] of cases) {
  test(`${name}: one line, exit code 2, nothing written`, async (t) => {
    const dir = caseDir(name.replace(/\W+/g, '-'));
    const input = make(dir);
    const outDir = path.join(dir, 'out');
    mkdirSync(outDir, { recursive: true });
    const r = await contam(['scan', '--index', index, input, '-o', path.join(outDir, 'report.json'), '--quiet', '--workers', '1']);
    t.is(r.code, 2, r.stderr);
    t.regex(r.stderr, message);
    t.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    t.notRegex(r.stderr, /\n\s+at /);
    t.deepEqual(readdirSync(outDir), []);
  });
}

test('with --skip-bad, bad documents and unreadable files are skipped, counted and listed; good ones are scanned', async (t) => {
  const dir = caseDir('skip-bad');
  writeFileSync(path.join(dir, 'a.jsonl'), `${good}\n{"id": "x", "text": 42}\nnot json\n{"id": "y", "content": "z"}\n${good}\n`);
  writeFileSync(path.join(dir, 'b.jsonl'), '');
  const r = await contam(['scan', '--index', index, dir, '--skip-bad', '--json', '--quiet', '--workers', '1']);
  t.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  t.is(report.corpus.documents, 10);
  t.deepEqual(
    report.skipped.map((s) => [path.basename(s.file), s.where, s.code]),
    [
      ['a.jsonl', 'line 6', 'BAD_VALUE'],
      ['a.jsonl', 'line 7', 'BAD_JSON'],
      ['a.jsonl', 'line 8', 'MISSING_COLUMN'],
      ['b.jsonl', null, 'EMPTY_INPUT'],
    ],
  );
  // The questions in the good lines are GSM8K rows 0..4, found twice each.
  t.deepEqual(
    report.samples.filter((s) => s.contaminated).map((s) => [s.row, s.documents]),
    [0, 1, 2, 3, 4].map((row) => [row, 2]),
  );
});

test('a corrupt index and an index of another format version are refused', async (t) => {
  const bytes = Buffer.from(readFileSync(index));
  bytes[bytes.length - 10] ^= 0xff;
  writeFileSync(path.join(tmp, 'corrupt.cidx'), bytes);
  const corrupt = await contam(['scan', '--index', path.join(tmp, 'corrupt.cidx'), 'fixtures/corpus', '--quiet']);
  t.is(corrupt.code, 2);
  t.regex(corrupt.stderr, /corrupt\.cidx: not a valid contam index: checksum mismatch/);
  const future = Buffer.from(readFileSync(index));
  future.writeUInt32LE(7, 4);
  writeFileSync(path.join(tmp, 'future.cidx'), future);
  const other = await contam(['scan', '--index', path.join(tmp, 'future.cidx'), 'fixtures/corpus', '--quiet']);
  t.is(other.code, 2);
  t.regex(other.stderr, /future\.cidx: index format version 7 is not supported/);
});

test('a 100 MB line is scanned like any document', async (t) => {
  const dir = caseDir('huge');
  const filler = 'the quick brown fox jumps over the lazy dog and keeps running far away ';
  const question = (JSON.parse(readFileSync(path.join(root, 'fixtures/evals/gsm8k.jsonl'), 'utf8').split('\n')[7]!) as { question: string }).question;
  const text = `${filler.repeat(Math.ceil(50e6 / filler.length))}${question} ${filler.repeat(Math.ceil(50e6 / filler.length))}`;
  writeFileSync(path.join(dir, 'huge.jsonl'), `${JSON.stringify({ id: 'huge', text })}\n`);
  const r = await contam(['scan', '--index', index, path.join(dir, 'huge.jsonl'), '--json', '--quiet', '--workers', '1']);
  t.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  t.true(report.corpus.bytes > 100e6);
  const sample = report.samples[7]!;
  t.true(sample.contaminated);
  t.is(sample.matches[0]!.spans[0]![0], text.indexOf(question));
});

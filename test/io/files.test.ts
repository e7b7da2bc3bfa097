/**
 * Corpus input expansion: folders walked recursively (corpus extensions only,
 * hidden entries skipped), globs with *, ? and **, '-' passed through, the
 * result sorted and de-duplicated; and formats told from file names.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { corpusFormatOf, expandCorpusInputs } from '../../src/io/files.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'contam-io-files-'));
const tree = [
  'a/web-00.jsonl',
  'a/web-01.jsonl.gz',
  'a/web-02.parquet',
  'a/notes.txt',
  'a/.hidden.jsonl',
  'a/.cache/x.jsonl',
  'a/deep/er/z.arrows',
  'a/deep/y.ndjson.zst',
  'b/one.arrow',
  'b/two.feather',
  'empty/readme.md',
];
test.before(() => {
  for (const file of tree) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), 'x');
  }
});
test.after.always(() => rmSync(root, { recursive: true, force: true }));

const rel = (files: string[]) => files.map((f) => (f === '-' ? f : path.relative(root, f)));

test('a folder expands to its corpus files, recursively, sorted, hidden entries skipped', async (t) => {
  t.deepEqual(rel(await expandCorpusInputs([path.join(root, 'a')])), ['a/deep/er/z.arrows', 'a/deep/y.ndjson.zst', 'a/web-00.jsonl', 'a/web-01.jsonl.gz', 'a/web-02.parquet']);
});

test('globs: * and ? within a segment, ** across folders; only corpus files match', async (t) => {
  t.deepEqual(rel(await expandCorpusInputs([path.join(root, 'a/web-0?.*')])), ['a/web-00.jsonl', 'a/web-01.jsonl.gz', 'a/web-02.parquet']);
  t.deepEqual(rel(await expandCorpusInputs([path.join(root, 'a/*')])), ['a/deep/er/z.arrows', 'a/deep/y.ndjson.zst', 'a/web-00.jsonl', 'a/web-01.jsonl.gz', 'a/web-02.parquet']);
  t.deepEqual(rel(await expandCorpusInputs([path.join(root, '**/*.arrow*')])), ['a/deep/er/z.arrows', 'b/one.arrow']);
  t.deepEqual(rel(await expandCorpusInputs([path.join(root, 'a/**/z.arrows')])), ['a/deep/er/z.arrows']);
});

test('relative inputs keep their spelling; duplicates are removed; - passes through', async (t) => {
  const cwd = process.cwd();
  process.chdir(root);
  try {
    t.deepEqual(await expandCorpusInputs(['b', 'b/one.arrow', './b/one.arrow', '-', 'b/*.feather']), ['-', 'b/one.arrow', 'b/two.feather']);
  } finally {
    process.chdir(cwd);
  }
});

test('a missing file is FILE_NOT_FOUND; an empty folder or glob is NO_INPUT; a named non-corpus file is UNKNOWN_FORMAT', async (t) => {
  const codes = async (inputs: string[]) => ((await t.throwsAsync(expandCorpusInputs(inputs))) as { code?: string }).code;
  t.is(await codes([path.join(root, 'nope.jsonl')]), 'FILE_NOT_FOUND');
  t.is(await codes([path.join(root, 'empty')]), 'NO_INPUT');
  t.is(await codes([path.join(root, 'a/*.csv')]), 'NO_INPUT');
  t.is(await codes([path.join(root, 'a/notes.txt')]), 'UNKNOWN_FORMAT');
  t.is(await codes([]), 'NO_INPUT');
});

test('formats and compression from file names', (t) => {
  t.deepEqual(corpusFormatOf('x.jsonl'), { format: 'jsonl', compression: null });
  t.deepEqual(corpusFormatOf('x.ndjson.gz'), { format: 'jsonl', compression: 'gzip' });
  t.deepEqual(corpusFormatOf('X.JSONL.ZST'), { format: 'jsonl', compression: 'zstd' });
  t.deepEqual(corpusFormatOf('x.parquet'), { format: 'parquet', compression: null });
  t.deepEqual(corpusFormatOf('x.feather'), { format: 'arrow', compression: null });
  t.deepEqual(corpusFormatOf('x.ipc'), { format: 'arrow', compression: null });
  t.deepEqual(corpusFormatOf('x.arrows'), { format: 'arrow-stream', compression: null });
  t.deepEqual(corpusFormatOf('-'), { format: 'jsonl', compression: null });
  for (const name of ['x.parquet.gz', 'x.json', 'x.txt.zst']) {
    t.is((t.throws(() => corpusFormatOf(name)) as { code?: string }).code, 'UNKNOWN_FORMAT', name);
  }
});

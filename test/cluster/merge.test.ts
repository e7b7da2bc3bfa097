/**
 * scanShard + mergeShards as library calls: three shards merge into the
 * byte-identical report of one scan, in any order; the index is checked
 * against the checksum the shards recorded; a missing shard is refused.
 */
import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeIndexFile, readIndexFile } from '../../src/cidx/file.js';
import { mergeShards, readShards } from '../../src/cluster/merge.js';
import { ContamError } from '../../src/errors.js';
import { indexBenchmarks, scan, scanShard } from '../../src/pipeline.js';
import { parseEvalArgument } from '../../src/readers/evals/evals.js';
import { serializeReport } from '../../src/report/build.js';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-merge-'));
const corpus = [path.join(root, 'fixtures/corpus')];
const specs = ['gsm8k.jsonl', 'mmlu.jsonl', 'truthfulqa.csv'].map((f) => parseEvalArgument(path.join(root, 'fixtures/evals', f)));
const indexFile = path.join(tmp, 'evals.cidx');
const parts = [0, 1, 2].map((i) => path.join(tmp, `part-${i}.json`));
let single = '';

test.before(async () => {
  await writeIndexFile((await indexBenchmarks(specs)).index, indexFile);
  const index = await readIndexFile(indexFile);
  single = serializeReport(await scan(index, corpus, { workers: 1 }));
  for (let i = 0; i < 3; i++) writeFileSync(parts[i]!, await scanShard(index, corpus, { index: i, count: 3 }, { workers: 1 }));
});

test('three shards, in any order, merge into the report of one scan', async (t) => {
  t.is(serializeReport(await mergeShards([parts[2]!, parts[0]!, parts[1]!])), single);
  t.is(serializeReport(await mergeShards(await readShards(parts), { index: indexFile })), single);
});

test('an index other than the one the shards recorded is refused', async (t) => {
  const other = path.join(tmp, 'other.cidx');
  await writeIndexFile((await indexBenchmarks([specs[0]!])).index, other);
  const error = await t.throwsAsync(mergeShards(parts, { index: other }), { instanceOf: ContamError });
  t.is(error?.code, 'INDEX_MISMATCH');
});

test('a missing shard is refused, naming it', async (t) => {
  const error = await t.throwsAsync(readShards([parts[0]!, parts[2]!]), { instanceOf: ContamError });
  t.is(error?.code, 'BAD_REPORT');
  t.regex(error!.message, /missing shards 1\/3$/);
});

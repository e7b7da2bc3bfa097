/**
 * The worker pool under the scan and the line counter: results come back by
 * task position across runs on the same threads, and a worker's ContamError
 * crosses threads whole (code, file, line), as does an interruption.
 */
import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildIndex } from '../../src/cidx/build.js';
import { isContamError } from '../../src/errors.js';
import { countJsonlLines } from '../../src/readers/corpus/jsonl.js';
import { createLineCounter } from '../../src/scan/parallel.js';
import { scanCorpus } from '../../src/scan/scan.js';
import { writeCorpus } from '../helpers/corpus.js';
import { gsm8kSamples } from '../helpers/samples.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-pool-'));
test.after.always(() => rmSync(tmp, { recursive: true, force: true }));

test('the line counter answers run after run on the same threads, by range position', async (t) => {
  const file = path.join(tmp, 'lines.jsonl');
  const lines = Array.from({ length: 500 }, (_, i) => (i % 9 === 4 ? '   ' : JSON.stringify({ text: `line ${i}` })));
  writeFileSync(file, `${lines.join('\n')}\n`);
  const size = Buffer.byteLength(`${lines.join('\n')}\n`);
  const ranges = [0, 1000, 4000, 9000].map((start, k, all) => ({ file, start, end: all[k + 1] ?? size }));
  // Ranges need not start at a line for counting: compare with the same count done on this thread.
  const want = await Promise.all(ranges.map((r) => countJsonlLines(r)));
  const counter = createLineCounter(2);
  try {
    t.deepEqual(await counter.count(ranges), want);
    t.deepEqual(await counter.count([...ranges].reverse()), [...want].reverse());
    t.deepEqual(await counter.count([]), []);
    const error = await counter.count([{ file: path.join(tmp, 'absent.jsonl'), start: 0, end: 10 }]).catch((e: unknown) => e);
    t.true(isContamError(error));
    t.is((error as { code: string }).code, 'FILE_NOT_FOUND');
  } finally {
    counter.close();
  }
  // 56 of the 500 lines (i = 4, 13, ..., 499) are blank.
  t.deepEqual(await countJsonlLines({ file, start: 0, end: size }), { lines: 500, rows: 444 });
});

test("a worker's error reaches the caller whole: code, file and line", async (t) => {
  const dir = path.join(tmp, 'bad');
  const files = writeCorpus(dir, 4, 5, 1);
  writeFileSync(files[2]!, `${JSON.stringify({ text: 'fine' })}\n{"text": oops}\n`);
  const index = await buildIndex([gsm8kSamples(10)]);
  const error = await scanCorpus(index, [dir], { workers: 2 }).catch((e: unknown) => e);
  t.true(isContamError(error));
  t.is((error as { code: string }).code, 'BAD_JSON');
  t.is((error as { file: string }).file, files[2]);
  t.is((error as { where: string }).where, 'line 2');
});

test('an abort while workers scan stops the scan with INTERRUPTED', async (t) => {
  const dir = path.join(tmp, 'abort');
  writeCorpus(dir, 6, 20, 2);
  const index = await buildIndex([gsm8kSamples(10)]);
  const controller = new AbortController();
  let batches = 0;
  // Abort at the first batch a worker reports: the other parts are still to come.
  const onProgress = () => {
    batches++;
    controller.abort();
  };
  const error = await scanCorpus(index, [dir], { workers: 2, batchSize: 5, signal: controller.signal, onProgress }).catch((e: unknown) => e);
  t.true(batches >= 1);
  t.true(isContamError(error));
  t.is((error as { code: string }).code, 'INTERRUPTED');
});

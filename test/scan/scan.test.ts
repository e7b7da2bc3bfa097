import test from 'ava';
import { mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildIndex } from '../../src/cidx/build.js';
import { serializeReport } from '../../src/report/build.js';
import { assignShards, capWorkers, mergeScanStates, reportFromState, scanCorpus, scanCorpusState } from '../../src/scan/scan.js';
import { createUnitExtractor } from '../../src/text/units.js';
import { JSONL_PART_BYTES } from '../../src/readers/corpus/jsonl.js';
import { writeCorpus } from '../helpers/corpus.js';
import { gsm8kSamples } from '../helpers/samples.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'contam-scan-'));
writeCorpus(dir);

test('the report is byte-identical for 1 and 2 worker threads', async (t) => {
  const index = await buildIndex([gsm8kSamples(40)]);
  const one = serializeReport(await scanCorpus(index, [dir], { workers: 1 }));
  const two = serializeReport(await scanCorpus(index, [dir], { workers: 2 }));
  t.is(two, one);
  t.true(JSON.parse(one).benchmarks[0].contaminated > 5);
});

test('one large JSONL file cut into parts gives the report of the uncut file, for 1 and 2 workers', async (t) => {
  const index = await buildIndex([gsm8kSamples(40)]);
  // The 12 files as one, with lines a reader must count right across cuts: blank, whitespace
  // only, Unicode spaces only, not JSON (a bad record keeps its row), CRLF.
  const lines = writeCorpus(path.join(dir, '..', `${path.basename(dir)}-one`), 12, 20, 3).flatMap((f) => readFileSync(f, 'utf8').trimEnd().split('\n'));
  const odd = ['', '   ', '\u3000\u00a0', 'not json', '\r'];
  const mixed = lines.flatMap((line, i) => (i % 17 === 5 ? [odd[((i / 17) % odd.length) | 0]!, `${line}\r`] : [line]));
  const file = path.join(dir, '..', `${path.basename(dir)}-big.jsonl`);
  writeFileSync(file, `${mixed.join('\n')}\n`);
  const whole = serializeReport(await scanCorpus(index, [file], { workers: 1, skipBad: true, jsonlPartBytes: 0 }));
  const told: [string, number, number][] = [];
  const state = await scanCorpusState(index, [file], { workers: 2, skipBad: true, jsonlPartBytes: 16384, onCounting: (f, bytes, parts) => told.push([f, bytes, parts]) });
  t.true(state.partCount > 20, `${state.partCount} parts`);
  t.deepEqual(told, [[file, readFileSync(file).length, state.partCount]]);
  for (const workers of [1, 2]) {
    t.is(serializeReport(await scanCorpus(index, [file], { workers, skipBad: true, jsonlPartBytes: 16384 })), whole, `${workers} workers`);
  }
  // Two such files: the line-counting threads serve one file after the other.
  const copy = path.join(dir, '..', `${path.basename(dir)}-big2.jsonl`);
  writeFileSync(copy, readFileSync(file));
  t.is(
    serializeReport(await scanCorpus(index, [file, copy], { workers: 2, skipBad: true, jsonlPartBytes: 16384 })),
    serializeReport(await scanCorpus(index, [file, copy], { workers: 1, skipBad: true, jsonlPartBytes: 0 })),
  );
  const report = JSON.parse(whole);
  t.true(report.benchmarks[0].contaminated > 5);
  // The bad lines are listed by their line in the file, whichever part they fell in.
  const bad = mixed.map((line, i) => (line === 'not json' ? `line ${i + 1}` : null)).filter((x) => x !== null);
  t.deepEqual(
    report.skipped.map((s: { where: string }) => s.where),
    bad,
  );
});

test('shards partition the parts, balanced by bytes, and their merge equals the whole scan', async (t) => {
  const index = await buildIndex([gsm8kSamples(40)]);
  const whole = serializeReport(await scanCorpus(index, [dir], { workers: 1 }));
  for (const count of [1, 3, 5]) {
    const states = [];
    for (let k = 0; k < count; k++) states.push(await scanCorpusState(index, [dir], { workers: 1, shard: { index: k, count } }));
    t.deepEqual(
      states.flatMap((s) => s.parts).sort((x, y) => x - y),
      Array.from({ length: 12 }, (_, i) => i),
    );
    // Merge in reverse order: order must not matter.
    t.is(serializeReport(reportFromState(index, mergeScanStates(states.reverse()))), whole, `${count} shards`);
  }
});

test('shard assignment puts the largest parts first on the least loaded shard', (t) => {
  const parts = [5, 1, 4, 3, 2].map((bytes, i) => ({ file: `f${i}`, format: 'jsonl' as const, compression: null, index: 0, rowStart: 0, rows: null, bytes }));
  // 5 -> shard 0, 4 -> shard 1, 3 -> shard 1 (4 < 5), 2 -> shard 0 (5 < 7), 1 -> shard 0 (7 = 7, lowest)
  t.deepEqual(assignShards(parts, 2), [
    [0, 1, 4],
    [2, 3],
  ]);
});

test('a checkpointed scan resumes: finished parts are loaded, not rescanned, and the report is the same', async (t) => {
  const index = await buildIndex([gsm8kSamples(40)]);
  const ckpt = mkdtempSync(path.join(os.tmpdir(), 'contam-ckpt-'));
  const whole = serializeReport(await scanCorpus(index, [dir], { workers: 1 }));
  // First run: only shard 0 of 2 (as if killed half-way), into the checkpoint folder of the full scan.
  const controller = new AbortController();
  let seen = 0;
  await t.throwsAsync(
    scanCorpusState(index, [dir], {
      workers: 1,
      checkpoint: ckpt,
      signal: controller.signal,
      onProgress: (p) => {
        seen = p.partsDone;
        if (p.partsDone >= 5) controller.abort();
      },
    }),
    { code: 'INTERRUPTED' } as never,
  );
  t.true(seen >= 5);
  let documentsRead = 0;
  const resumed = await scanCorpusState(index, [dir], { workers: 1, checkpoint: ckpt, onProgress: (p) => (documentsRead = p.documents) });
  t.is(serializeReport(reportFromState(index, resumed)), whole);
  t.true(resumed.documents === 240 && documentsRead === 240);
});

test("the scan's counters count every document once: for 1 and 2 workers, 3 shards merged, and a resumed checkpoint", async (t) => {
  const index = await buildIndex([gsm8kSamples(40)]);
  // Independently: the units of every document, and the probe windows over them.
  const units = await createUnitExtractor(index.config);
  const { width, stride } = index.probe;
  let unitCount = 0;
  let windows = 0;
  for (const file of readdirSync(dir)) {
    for (const line of readFileSync(path.join(dir, file), 'utf8').trimEnd().split('\n')) {
      const count = units.extract(JSON.parse(line).text).count;
      unitCount += count;
      if (count >= width) windows += Math.floor((count - width) / stride) + 1;
    }
  }
  const whole = await scanCorpusState(index, [dir], { workers: 1 });
  t.is(whole.counters.units, unitCount);
  t.is(whole.counters.windows, windows);
  t.true(whole.counters.verified > 0);
  const report = reportFromState(index, whole);
  t.deepEqual(report.scan, {
    units: unitCount,
    windows_probed: windows,
    bloom_hits: whole.counters.bloomHits,
    anchors_extended: whole.counters.candidates,
    shingles_verified: whole.counters.verified,
    collisions_rejected: whole.counters.rejected,
    minhash: null,
  });
  t.deepEqual((await scanCorpusState(index, [dir], { workers: 2 })).counters, whole.counters, '2 workers');
  const shards = [];
  for (let k = 0; k < 3; k++) shards.push(await scanCorpusState(index, [dir], { workers: 1, shard: { index: k, count: 3 } }));
  t.deepEqual(mergeScanStates(shards).counters, whole.counters, '3 shards');
  // Killed after 5 parts, resumed: the 5 saved parts are counted from their files, the rest scanned, none twice.
  const ckpt = mkdtempSync(path.join(os.tmpdir(), 'contam-ckpt-'));
  const controller = new AbortController();
  const first = scanCorpusState(index, [dir], { workers: 1, checkpoint: ckpt, signal: controller.signal, onProgress: (p) => p.partsDone >= 5 && controller.abort() });
  await t.throwsAsync(first, { code: 'INTERRUPTED' } as never);
  const saved = readdirSync(ckpt).filter((f) => f.startsWith('part-')).length;
  t.true(saved >= 5 && saved < 12, `${saved} parts saved`);
  t.deepEqual((await scanCorpusState(index, [dir], { workers: 2, checkpoint: ckpt })).counters, whole.counters, 'resumed');
  // Resumed again with every part saved: all 12 are loaded, each once.
  t.deepEqual((await scanCorpusState(index, [dir], { workers: 1, checkpoint: ckpt })).counters, whole.counters, 'all loaded');
});

test('one thread reads a JSONL file over the part size whole, without counting its lines first, unless a checkpoint or a part size is given', async (t) => {
  const index = await buildIndex([gsm8kSamples(40)]);
  // Just over the default part size (64 MiB), in long lines so the scans stay short.
  const line = JSON.stringify({ text: 'the quick brown fox jumps over the lazy dog '.repeat(1500) });
  const file = path.join(dir, '..', `${path.basename(dir)}-over-part.jsonl`);
  const lines = Math.ceil(JSONL_PART_BYTES / (line.length + 1)) + 1;
  writeFileSync(file, `${Array.from({ length: lines }, () => line).join('\n')}\n`);
  const counted: number[] = [];
  const onCounting = (_: string, __: number, parts: number) => counted.push(parts);
  const whole = await scanCorpusState(index, [file], { workers: 1, onCounting });
  t.is(whole.partCount, 1);
  t.deepEqual(counted, []);
  const ckpt = mkdtempSync(path.join(os.tmpdir(), 'contam-ckpt-'));
  const cut = await scanCorpusState(index, [file], { workers: 1, checkpoint: ckpt, onCounting });
  t.is(cut.partCount, 2);
  t.deepEqual(counted, [2]);
  t.is((await scanCorpusState(index, [file], { workers: 1, jsonlPartBytes: JSONL_PART_BYTES })).partCount, 2);
  t.is(serializeReport(reportFromState(index, cut)), serializeReport(reportFromState(index, whole)));
  t.is(whole.documents, lines);
});

test('a checkpoint folder of another scan is refused', async (t) => {
  const ckpt = mkdtempSync(path.join(os.tmpdir(), 'contam-ckpt-'));
  await scanCorpusState(await buildIndex([gsm8kSamples(40)]), [dir], { workers: 1, checkpoint: ckpt });
  await t.throwsAsync(scanCorpusState(await buildIndex([gsm8kSamples(20)]), [dir], { workers: 1, checkpoint: ckpt }), { code: 'BAD_ARGUMENT', message: /another scan/ } as never);
});

test('a cut JSONL file truncated while being scanned is FILE_CHANGED; under skipBad its unread parts are listed in skipped', async (t) => {
  const index = await buildIndex([gsm8kSamples(40)]);
  const lines = writeCorpus(path.join(dir, '..', `${path.basename(dir)}-trunc-src`), 6, 20, 5).flatMap((f) => readFileSync(f, 'utf8').trimEnd().split('\n'));
  const content = `${lines.join('\n')}\n`;
  const make = () => {
    const file = path.join(dir, '..', `${path.basename(dir)}-trunc.jsonl`);
    writeFileSync(file, content);
    return file;
  };
  const size = Buffer.byteLength(content);
  // After the first batch, the file loses its second half: the parts beyond it can no longer be read to their end.
  const truncating = (file: string) => {
    let done = false;
    return () => {
      if (!done) truncateSync(file, Math.floor(size / 2));
      done = true;
    };
  };
  const file = make();
  const error = await scanCorpusState(index, [file], { workers: 1, batchSize: 5, jsonlPartBytes: 16384, onProgress: truncating(file) }).catch((e: unknown) => e);
  t.like(error, { code: 'FILE_CHANGED', file });
  t.regex((error as Error).message, new RegExp(`:byte \\d+: the file ends at byte ${Math.floor(size / 2)}, before byte \\d+`));

  const again = make();
  const state = await scanCorpusState(index, [again], { workers: 1, batchSize: 5, jsonlPartBytes: 16384, skipBad: true, onProgress: truncating(again) });
  const lost = state.skipped.filter((s) => s.code === 'FILE_CHANGED');
  t.true(lost.length >= 2, `${lost.length} parts listed`);
  t.true(state.documents < lines.length);
  t.true(lost.every((s) => s.file === again && /^byte \d+$/.test(s.where!)));
});

test('workers are capped at the parts and at the machine, never above what was asked', (t) => {
  const cores = os.availableParallelism();
  t.like(capWorkers(1000, 5000), { requested: 1000, threads: Math.min(cores, Math.floor(os.totalmem() / 2 / 2 ** 28)), cores });
  t.is(capWorkers(1000, 1).threads, 1);
  t.is(capWorkers(1, 5000).threads, 1);
});

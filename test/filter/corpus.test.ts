/**
 * Decontaminated corpora: per format and mode, exact documents out, other
 * columns preserved, and a scan of the output under the same index finds nothing.
 */
import test from 'ava';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { RecordBatchFileWriter, RecordBatchStreamWriter, tableFromArrays, tableFromIPC } from 'apache-arrow';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { cutDocument } from '../../src/filter/cut.js';
import { filterCorpus } from '../../src/filter/corpus.js';
import { buildIndex } from '../../src/cidx/build.js';
import { readCorpusDocuments } from '../../src/readers/corpus/documents.js';
import { scanCorpus } from '../../src/scan/scan.js';
import { gsm8kSamples, proseDocuments } from '../helpers/samples.js';

interface Row {
  id: string;
  text: string;
  source: string;
  n: number;
  planted: [number, number] | null;
}

// 24 prose documents; every third has a GSM8K question planted at character 400.
const bench = gsm8kSamples(10);
const prose = proseDocuments();
// The fixture prose has benchmark samples planted in it already: take only documents free of these ten.
const fresh = prose.filter((d) => !bench.samples.some((s) => s.segments.some((g) => d.text.includes(g.text.slice(0, 30)))));
const rows: Row[] = fresh.slice(0, 24).map((doc, i) => {
  if (i % 3 !== 0) return { id: `d${i}`, text: doc.text, source: `src-${i % 4}`, n: i * 7, planted: null };
  const q = bench.samples[i / 3]!.segments[0]!.text;
  // "zzqx" ends the copy: evidence runs join a sample's fields, and prose that happened to go on
  // with the answer's first word would lengthen the verified span.
  const text = `${doc.text.slice(0, 400)}\n${q}\nzzqx ${doc.text.slice(400)}`;
  // The verified span runs from the question's first to its last letter or digit (punctuation is not part of a word).
  // (A first word that is a single letter a-j, "A robe ...", is dropped by normalization and not matched.)
  const first = q.search(/[\p{L}\p{N}]/u) + (/^[a-j]\s/i.test(q) ? 2 : 0);
  let last = q.length;
  while (last > 0 && !/[\p{L}\p{N}]/u.test(q[last - 1]!)) last--;
  return { id: `d${i}`, text, source: `src-${i % 4}`, n: i * 7, planted: [401 + first, 401 + last] };
});
const index = await buildIndex([bench]);
const clean = rows.filter((r) => r.planted === null);
const dirty = rows.filter((r) => r.planted !== null);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-filter-'));
const jsonl = `${rows.map((r) => JSON.stringify({ id: r.id, text: r.text, source: r.source, meta: { n: r.n } })).join('\n')}\n`;

function inputDir(name: string, files: Record<string, Uint8Array | string>): string {
  const dir = path.join(tmp, name);
  for (const [file, data] of Object.entries(files)) {
    const target = path.join(dir, file);
    require_dir(path.dirname(target));
    writeFileSync(target, data);
  }
  return dir;
}
function require_dir(dir: string): void {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
}

async function documentsOf(dir: string): Promise<{ id: string | null; text: string }[]> {
  const out: { id: string | null; text: string }[] = [];
  for await (const batch of readCorpusDocuments([dir], { columns: { text: 'text', id: 'id' } })) for (const d of batch.documents) out.push({ id: d.id, text: d.text });
  return out;
}

/** Expected cut output, from the planted positions (found independently of the scanner). */
function expectedCut(): { id: string; text: string }[] {
  return rows.flatMap((r) => (r.planted === null ? [{ id: r.id, text: r.text }] : cutDocument(r.text, [r.planted]).map((p, k) => ({ id: `${r.id}#${k}`, text: p.text }))));
}

async function assertNothingFound(t: import('ava').ExecutionContext, dir: string): Promise<void> {
  const report = await scanCorpus(index, [dir], { workers: 1 });
  t.is(report.benchmarks[0]!.contaminated, 0);
  t.true(
    report.samples.every((s) => s.documents === 0),
    'no document matches any sample',
  );
}

test('JSONL, drop: untouched lines are byte-identical and matched documents are gone', async (t) => {
  const input = inputDir('jsonl-drop', { 'a/part.jsonl': jsonl });
  const out = path.join(tmp, 'jsonl-drop-out');
  const summary = await filterCorpus(index, [input], out, { mode: 'drop' });
  const lines = jsonl.split('\n').filter((l, i) => l !== '' && rows[i]!.planted === null);
  t.is(readFileSync(path.join(out, 'a/part.jsonl'), 'utf8'), `${lines.join('\n')}\n`);
  t.like(summary, { documents: 24, kept: 16, dropped: 8, cut: 0, written: 16 });
  t.is(
    summary.bytes_removed,
    dirty.reduce((s, r) => s + Buffer.byteLength(r.text), 0),
  );
  await assertNothingFound(t, out);
});

test('JSONL .gz, cut: pieces are documents <id>#<k> with every other key kept, in order', async (t) => {
  const input = inputDir('gz-cut', { 'part.jsonl.gz': gzipSync(jsonl) });
  const out = path.join(tmp, 'gz-cut-out');
  const summary = await filterCorpus(index, [input], out, { mode: 'cut' });
  const expected = expectedCut();
  t.deepEqual(await documentsOf(out), expected);
  const records = gunzipSync(readFileSync(path.join(out, 'part.jsonl.gz')))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const piece = records.find((r) => r.id === 'd0#0');
  t.deepEqual(Object.keys(piece), ['id', 'text', 'source', 'meta']);
  t.deepEqual(piece.meta, { n: 0 });
  t.is(summary.kept, 16);
  t.is(summary.cut + summary.dropped, 8);
  t.is(summary.written, expected.length);
  await assertNothingFound(t, out);
});

test("Parquet, cut: same schema columns, values and codec; pieces repeat the row's other columns", async (t) => {
  const columnData = [
    { name: 'id', data: rows.map((r) => r.id), type: 'STRING' as const },
    { name: 'text', data: rows.map((r) => r.text), type: 'STRING' as const },
    { name: 'source', data: rows.map((r) => r.source), type: 'STRING' as const },
    { name: 'n', data: rows.map((r) => BigInt(r.n)), type: 'INT64' as const },
  ];
  const bytes = new Uint8Array(parquetWriteBuffer({ columnData, codec: 'GZIP', compressors: { GZIP: (b: Uint8Array) => gzipSync(b) } as never, rowGroupSize: 10 }));
  const input = inputDir('pq-cut', { 'c.parquet': bytes });
  const out = path.join(tmp, 'pq-cut-out');
  const summary = await filterCorpus(index, [input], out, { mode: 'cut' });
  t.deepEqual(summary.files[0]!.codec, { input: 'GZIP', output: 'GZIP' });
  const written = readFileSync(path.join(out, 'c.parquet'));
  const buffer = written.buffer.slice(written.byteOffset, written.byteOffset + written.byteLength);
  const meta = parquetMetadata(buffer);
  t.deepEqual(
    meta.schema.map((e) => [e.name, e.type]),
    [
      ['root', undefined],
      ['id', 'BYTE_ARRAY'],
      ['text', 'BYTE_ARRAY'],
      ['source', 'BYTE_ARRAY'],
      ['n', 'INT64'],
    ],
  );
  t.is(meta.row_groups[0]!.columns[0]!.meta_data!.codec, 'GZIP');
  const got = await parquetReadObjects({ file: buffer, compressors });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const expected = expectedCut().map((d) => {
    const r = byId.get(d.id.split('#')[0]!)!;
    return { id: d.id, text: d.text, source: r.source, n: BigInt(r.n) };
  });
  t.deepEqual(got, expected);
  await assertNothingFound(t, out);
});

for (const kind of ['file', 'stream'] as const) {
  test(`Arrow IPC ${kind}, drop and cut: other columns kept with their types`, async (t) => {
    const table = tableFromArrays({ id: rows.map((r) => r.id), text: rows.map((r) => r.text), n: Int32Array.from(rows, (r) => r.n) });
    const ext = kind === 'file' ? 'arrow' : 'arrows';
    const bytes = kind === 'file' ? RecordBatchFileWriter.writeAll(table).toUint8Array(true) : RecordBatchStreamWriter.writeAll(table).toUint8Array(true);
    const input = inputDir(`arrow-${kind}`, { [`t.${ext}`]: bytes });
    const drop = path.join(tmp, `arrow-${kind}-drop`);
    await filterCorpus(index, [input], drop, { mode: 'drop' });
    const dropped = tableFromIPC(readFileSync(path.join(drop, `t.${ext}`)));
    t.deepEqual(
      dropped.toArray().map((r) => ({ ...r.toJSON() })),
      clean.map((r) => ({ id: r.id, text: r.text, n: r.n })),
    );
    t.is(String(dropped.schema.fields[2]!.type), 'Int32');
    await assertNothingFound(t, drop);

    const cutOut = path.join(tmp, `arrow-${kind}-cut`);
    await filterCorpus(index, [input], cutOut, { mode: 'cut' });
    const cut = tableFromIPC(readFileSync(path.join(cutOut, `t.${ext}`)));
    const byId = new Map(rows.map((r) => [r.id, r]));
    t.deepEqual(
      cut.toArray().map((r) => ({ ...r.toJSON() })),
      expectedCut().map((d) => ({ id: d.id, text: d.text, n: byId.get(d.id.split('#')[0]!)!.n })),
    );
    await assertNothingFound(t, cutOut);
  });
}

test('the output folder must not exist with files in it, and a failed run leaves no folder', async (t) => {
  const input = inputDir('exists', { 'p.jsonl': jsonl });
  const out = path.join(tmp, 'exists-out');
  mkdirSync(out);
  writeFileSync(path.join(out, 'keep.txt'), 'mine');
  await t.throwsAsync(filterCorpus(index, [input], out), { code: 'BAD_ARGUMENT' } as never);
  t.is(readFileSync(path.join(out, 'keep.txt'), 'utf8'), 'mine');
  const bad = inputDir('bad', { 'p.jsonl': `${jsonl}{"id": "x", "text": 3}\n` });
  const badOut = path.join(tmp, 'bad-out');
  await t.throwsAsync(filterCorpus(index, [bad], badOut), { code: 'BAD_VALUE' } as never);
  t.false(existsSync(badOut));
});

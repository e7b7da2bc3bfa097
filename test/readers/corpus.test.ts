/**
 * The corpus contract across formats: the same 53 documents written as JSONL
 * (plain, gzip, zstd), Parquet (four codecs, dictionary and plain pages,
 * several row groups) and Arrow IPC (file and stream; Utf8, LargeUtf8,
 * Dictionary<Utf8>; LZ4 and ZSTD bodies) read back as exactly the same
 * (row, id, text) sequence, with parts and bytes adding up to the files' sizes.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { CompressionType } from 'apache-arrow';
import { parquetMetadataAsync } from 'hyparquet';
import { planCorpusParts, readCorpusDocuments, readCorpusPart } from '../../src/readers/corpus/documents.js';
import { openFileBuffer } from '../../src/readers/corpus/parquet.js';
import type { CorpusBatch, CorpusPart } from '../../src/types.js';
import {
  arrowTable,
  expected,
  registerArrowEncoders,
  testDocuments,
  unregisterArrowEncoders,
  writeArrow,
  writeJsonlFiles,
  writeParquetDictionary,
  writeParquetFiles,
  type ParquetCodec,
} from './corpus-documents.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'contam-io-corpus-'));
const docs = testDocuments();
const columns = { text: 'text', id: 'id' };
let files: string[] = [];
let parquetFiles: string[] = [];

test.before(async () => {
  files.push(...writeJsonlFiles(dir, docs));
  const variants: { codec: ParquetCodec; dictionary: boolean }[] = [
    { codec: 'UNCOMPRESSED', dictionary: false },
    { codec: 'SNAPPY', dictionary: false },
    { codec: 'GZIP', dictionary: false },
    { codec: 'ZSTD', dictionary: false },
  ];
  parquetFiles = await writeParquetFiles(dir, docs, variants);
  parquetFiles.push(await writeParquetDictionary(path.join(dir, 'docs-snappy-dict.parquet'), docs));
  files.push(...parquetFiles);
  files.push(await writeArrow(path.join(dir, 'docs-utf8.arrow'), arrowTable(docs, 'utf8'), 'file'));
  files.push(await writeArrow(path.join(dir, 'docs-large.arrow'), arrowTable(docs, 'large-utf8'), 'file'));
  files.push(await writeArrow(path.join(dir, 'docs-dict.arrows'), arrowTable(docs, 'dictionary'), 'stream'));
  files.push(await writeArrow(path.join(dir, 'docs-dict.arrow'), arrowTable(docs, 'dictionary'), 'file'));
  files.push(await writeArrow(path.join(dir, 'docs-utf8.arrows'), arrowTable(docs, 'utf8'), 'stream'));
  registerArrowEncoders();
  try {
    files.push(await writeArrow(path.join(dir, 'docs-lz4.arrow'), arrowTable(docs, 'utf8'), 'file', CompressionType.LZ4_FRAME));
    files.push(await writeArrow(path.join(dir, 'docs-zstd.arrow'), arrowTable(docs, 'large-utf8'), 'file', CompressionType.ZSTD));
    files.push(await writeArrow(path.join(dir, 'docs-lz4-dict.arrows'), arrowTable(docs, 'dictionary'), 'stream', CompressionType.LZ4_FRAME));
  } finally {
    unregisterArrowEncoders();
  }
  files = files.sort();
});

test.after.always(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(part: CorpusPart, batchSize?: number): Promise<CorpusBatch[]> {
  const batches: CorpusBatch[] = [];
  for await (const batch of readCorpusPart(part, { columns, batchSize })) batches.push(batch);
  return batches;
}

test('every format and compression yields the same (row, id, text) sequence', async (t) => {
  t.is(docs.length, 53);
  t.is(files.length, 16);
  for (const file of files) {
    const parts = await planCorpusParts([file]);
    const got = [];
    for (const part of parts) for (const batch of await readAll(part, 7)) got.push(...batch.documents);
    t.deepEqual(got, expected(file, docs), path.basename(file));
  }
});

test('the bytes of a file parts sum to its size, and each part batches sum to the part', async (t) => {
  for (const file of files) {
    const parts = await planCorpusParts([file]);
    t.is(
      parts.reduce((s, p) => s + p.bytes, 0),
      statSync(file).size,
      path.basename(file),
    );
    for (const part of parts) {
      const batches = await readAll(part, 5);
      t.is(
        batches.reduce((s, b) => s + b.bytesRead, 0),
        part.bytes,
        `${path.basename(file)} part ${part.index}`,
      );
      t.true(batches.every((b) => b.bytesRead >= 0 && b.documents.length <= 5));
    }
  }
});

test('Parquet and Arrow IPC files split into one part per row group / record batch, with row starts from the footer', async (t) => {
  for (const name of ['docs-zstd-plain.parquet', 'docs-snappy-dict.parquet', 'docs-utf8.arrow', 'docs-dict.arrow', 'docs-lz4.arrow']) {
    const parts = await planCorpusParts([path.join(dir, name)]);
    t.deepEqual(
      parts.map((p) => [p.index, p.rowStart, p.rows]),
      [
        [0, 0, 16],
        [1, 16, 16],
        [2, 32, 16],
        [3, 48, 5],
      ],
      name,
    );
  }
  const whole = await planCorpusParts([path.join(dir, 'docs.jsonl.gz'), path.join(dir, 'docs-utf8.arrows')]);
  t.deepEqual(
    whole.map((p) => [p.format, p.compression, p.index, p.rows]),
    [
      ['jsonl', 'gzip', 0, null],
      ['arrow-stream', null, 0, null],
    ],
  );
});

test('the Parquet files really hold dictionary-encoded and plain text pages, in each codec', async (t) => {
  const seen: string[] = [];
  for (const file of parquetFiles) {
    const buffer = await openFileBuffer(file);
    const metadata = await parquetMetadataAsync(buffer);
    await buffer.close();
    const text = metadata.row_groups.map((g) => g.columns.find((c) => c.meta_data?.path_in_schema[0] === 'text')!.meta_data!);
    const dictionary = text.some((c) => c.encodings.some((e) => e.includes('DICTIONARY')));
    seen.push(`${text[0]!.codec}:${dictionary ? 'dict' : 'plain'}`);
    t.true(metadata.row_groups.length > 1);
  }
  t.deepEqual(seen, ['UNCOMPRESSED:plain', 'SNAPPY:plain', 'GZIP:plain', 'ZSTD:plain', 'SNAPPY:dict']);
});

test('a null text reads as the empty string and a missing id as null, in every format', async (t) => {
  const nullRow = docs.findIndex((d) => d.text === null);
  const noId = docs.findIndex((d) => d.id === null);
  for await (const batch of readCorpusDocuments([dir], { columns })) {
    for (const d of batch.documents) {
      if (d.row === nullRow) t.is(d.text, '');
      if (d.row === noId) t.is(d.id, null);
    }
  }
});

test('readCorpusDocuments reads a folder in sorted file order, part by part', async (t) => {
  const order: string[] = [];
  let documents = 0;
  for await (const batch of readCorpusDocuments([dir], { columns, batchSize: 1000 })) {
    const key = `${path.basename(batch.part.file)}#${batch.part.index}`;
    if (order.at(-1) !== key) order.push(key);
    documents += batch.documents.length;
  }
  t.is(documents, docs.length * files.length);
  const fileOrder = [...new Set(order.map((k) => k.split('#')[0]))];
  t.deepEqual(
    fileOrder,
    files.map((f) => path.basename(f)),
  );
});

test('a text column of another name is read when named, and a missing one is MISSING_COLUMN listing the columns', async (t) => {
  const file = path.join(dir, 'docs-utf8.arrow');
  const [part] = await planCorpusParts([file]);
  const error = await t.throwsAsync(async () => {
    for await (const _ of readCorpusPart(part!, { columns: { text: 'content', id: 'id' } }));
  });
  t.is((error as { code?: string }).code, 'MISSING_COLUMN');
  t.regex(error!.message, /docs-utf8\.arrow: no 'content' column; the file has: id, text, lang/);
  const ids: (string | null)[] = [];
  for await (const batch of readCorpusPart(part!, { columns: { text: 'id', id: 'text' } })) ids.push(...batch.documents.map((d) => d.text));
  t.deepEqual(
    ids,
    docs.slice(0, 16).map((d) => d.id ?? ''),
  );
});

test('an unknown extension is UNKNOWN_FORMAT', async (t) => {
  const file = path.join(dir, 'notes.txt');
  writeFileSync(file, 'hello');
  const error = await t.throwsAsync(planCorpusParts([file]));
  t.is((error as { code?: string }).code, 'UNKNOWN_FORMAT');
});

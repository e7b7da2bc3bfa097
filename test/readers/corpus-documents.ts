/**
 * Test helper (not a test): one set of 53 corpus documents, and writers that
 * put it in every corpus format with real writers: JSONL by JSON.stringify,
 * gzip by node:zlib, Parquet by DuckDB (each codec, several row groups,
 * dictionary or plain string pages), Arrow IPC file and stream by apache-arrow
 * (Utf8, LargeUtf8, Dictionary<Utf8>; LZ4_FRAME and ZSTD bodies).
 *
 * zstd: no zstd encoder ships with the dependencies, so `zstdStore` below
 * writes RFC 8878 frames from raw and RLE blocks (a store-only encoder: valid
 * zstd that any decoder must accept). Real entropy-coded zstd is covered by a
 * fixture compressed with the zstd CLI (fixtures/io/README.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { CompressionType, Dictionary, Int32, LargeUtf8, RecordBatchFileWriter, RecordBatchStreamWriter, Table, Utf8, compressionRegistry, vectorFromArray, type DataType } from 'apache-arrow';
import { compress as lz4Compress } from 'lz4js';
import { arrowCodecs, registerArrowCodecs } from '../../src/readers/corpus/arrow.js';

export interface TestDocument {
  id: string | null;
  /** null is written as a real null where the format has them; readers give ''. */
  text: string | null;
}

// The shared data sits beside the checkout (../shared/data), wherever the checkout is.
const DATA = path.resolve(import.meta.dirname, '../../../shared/data/corpus');
const CORPORA = ['gutenberg', 'movie_reviews', 'kjv_bible', 'us_presidential_speeches', 'wikitext2', 'debian_docs', 'fortunes', 'shakespeare'];

/** The first `perFile` documents of each background corpus file (real prose). */
export function realDocuments(perFile: number): TestDocument[] {
  const out: TestDocument[] = [];
  for (const name of CORPORA) {
    const lines = gunzipSync(readFileSync(path.join(DATA, `${name}.jsonl.gz`)))
      .toString('utf8')
      .split('\n');
    for (let i = 0; i < perFile; i++) {
      const row = JSON.parse(lines[i]!) as { id: string; text: string };
      out.push({ id: row.id, text: row.text });
    }
  }
  return out;
}

/** 35 real documents, 12 repeats of four of them and 6 edge cases: 53 in all. */
export function testDocuments(): TestDocument[] {
  const real = realDocuments(5);
  let big = '';
  for (let i = 0; big.length < 2 * 1024 * 1024; i++) big += `${real[i % real.length]!.text}\n\n`;
  const edge: TestDocument[] = [
    { id: 'edge/empty', text: '' },
    { id: 'edge/null-text', text: null },
    { id: null, text: 'A document without an id: the reader must say null, not "null".' },
    { id: 'edge/unicode', text: 'Ünïcödé — 日本語のテキスト, emoji 👩‍🔬🚀, combining e\u0301, RTL עברית, line\u2028separator, tab\there, "quotes" and \\backslash' },
    { id: 'edge/newlines', text: 'line one\nline two\r\nline three\n\n\nafter blank lines\n' },
    { id: 'edge/2mb', text: big },
  ];
  // Repeats inside the first row group, so DuckDB finds dictionary pages worth writing.
  const dups: TestDocument[] = Array.from({ length: 12 }, (_, k) => ({ id: `dup/${k}`, text: real[k % 4]!.text }));
  return [...real.slice(0, 4), ...dups, ...real.slice(4, 20), ...edge.slice(0, 5), ...real.slice(20, 35), edge[5]!];
}

/** What every reader must yield for these documents. */
export function expected(file: string, docs: TestDocument[]): { file: string; row: number; id: string | null; text: string }[] {
  return docs.map((d, row) => ({ file, row, id: d.id, text: d.text ?? '' }));
}

export function jsonl(docs: TestDocument[]): Buffer {
  return Buffer.from(`${docs.map((d) => JSON.stringify(d)).join('\n')}\n`);
}

/**
 * A store-only zstd encoder (RFC 8878): frames of raw blocks, with RLE blocks
 * for runs of one byte value, at most 128 KiB per block. `frames` > 1 splits
 * the data into that many concatenated frames.
 */
export function zstdStore(data: Uint8Array, frames = 1): Uint8Array {
  const out: number[] = [];
  const per = Math.ceil(data.length / frames) || 0;
  for (let f = 0; f < frames; f++) {
    const part = data.subarray(f * per, Math.min(data.length, (f + 1) * per));
    out.push(0x28, 0xb5, 0x2f, 0xfd);
    out.push(0x00); // descriptor: no content size, no checksum, no dictionary, not single-segment
    out.push(7 << 3); // window descriptor: 2^(10+7) = 128 KiB
    if (part.length === 0) pushBlockHeader(out, true, 0, 0);
    for (let start = 0; start < part.length; start += 128 * 1024) {
      const block = part.subarray(start, Math.min(part.length, start + 128 * 1024));
      const last = start + block.length >= part.length;
      if (block.every((b) => b === block[0])) {
        pushBlockHeader(out, last, 1, block.length);
        out.push(block[0]!);
      } else {
        pushBlockHeader(out, last, 0, block.length);
        for (const b of block) out.push(b);
      }
    }
  }
  return Uint8Array.from(out);
}

function pushBlockHeader(out: number[], last: boolean, type: number, size: number): void {
  const header = (last ? 1 : 0) | (type << 1) | (size << 3);
  out.push(header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff);
}

export function writeJsonlFiles(dir: string, docs: TestDocument[]): string[] {
  const plain = jsonl(docs);
  const files = [path.join(dir, 'docs.jsonl'), path.join(dir, 'docs.jsonl.gz'), path.join(dir, 'docs.jsonl.zst')];
  writeFileSync(files[0]!, plain);
  writeFileSync(files[1]!, gzipSync(plain));
  writeFileSync(files[2]!, zstdStore(plain, 3));
  return files;
}

export type ParquetCodec = 'UNCOMPRESSED' | 'SNAPPY' | 'GZIP' | 'ZSTD';

/**
 * Parquet by hyparquet-writer, which keeps a dictionary whenever it halves a
 * column chunk (DuckDB would not choose one for 16-row groups of long texts).
 */
export async function writeParquetDictionary(file: string, docs: TestDocument[], groupRows = 16): Promise<string> {
  const { parquetWriteFile } = await import('hyparquet-writer');
  await parquetWriteFile({
    filename: file,
    codec: 'SNAPPY',
    rowGroupSize: groupRows,
    columnData: [
      { name: 'id', data: docs.map((d) => d.id), type: 'STRING' },
      { name: 'text', data: docs.map((d) => d.text), type: 'STRING' },
    ],
  });
  return file;
}

/**
 * Parquet by DuckDB, one row group per `groupRows` rows (DuckDB only cuts
 * small row groups between separate input chunks, hence the UNION ALL), with
 * string pages dictionary-encoded when DuckDB finds it worth it (`dictionary`)
 * or always plain.
 */
export async function writeParquetFiles(dir: string, docs: TestDocument[], variants: { codec: ParquetCodec; dictionary: boolean }[], groupRows = 16): Promise<string[]> {
  const source = path.join(dir, '.source.jsonl'); // hidden: folder walks skip it
  writeFileSync(source, jsonl(docs));
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run('SET threads = 1; SET preserve_insertion_order = true');
  await con.run(
    `CREATE TABLE docs AS SELECT row_number() OVER () - 1 AS r, id, text FROM read_json('${source}', format = 'newline_delimited', columns = {id: 'VARCHAR', text: 'VARCHAR'}, maximum_object_size = 16777216)`,
  );
  const groups: string[] = [];
  for (let start = 0; start < docs.length; start += groupRows) groups.push(`(SELECT id, text FROM docs WHERE r >= ${start} AND r < ${start + groupRows} ORDER BY r)`);
  const files: string[] = [];
  for (const { codec, dictionary } of variants) {
    const file = path.join(dir, `docs-${codec.toLowerCase()}-${dictionary ? 'dict' : 'plain'}.parquet`);
    await con.run(`COPY (${groups.join(' UNION ALL ')}) TO '${file}' (FORMAT PARQUET, COMPRESSION ${codec}, ROW_GROUP_SIZE ${groupRows}${dictionary ? '' : ', DICTIONARY_SIZE_LIMIT 1'})`);
    files.push(file);
  }
  con.closeSync();
  return files;
}

export type ArrowText = 'utf8' | 'large-utf8' | 'dictionary';

/** Register encoders beside contam's decoders, for writing compressed IPC in tests. */
export function registerArrowEncoders(): void {
  compressionRegistry.set(CompressionType.LZ4_FRAME, { ...arrowCodecs.lz4, encode: (data: Uint8Array) => lz4Compress(data) });
  compressionRegistry.set(CompressionType.ZSTD, { ...arrowCodecs.zstd, encode: (data: Uint8Array) => zstdStore(data) });
}

/** Put contam's decoder-only registration back. */
export function unregisterArrowEncoders(): void {
  registerArrowCodecs();
}

/** An Arrow table of the documents in record batches of `batchRows`, plus a constant `lang` column (compressible to RLE). */
export function arrowTable(docs: TestDocument[], text: ArrowText, batchRows = 16): Table {
  const type: DataType = text === 'utf8' ? new Utf8() : text === 'large-utf8' ? new LargeUtf8() : new Dictionary(new Utf8(), new Int32());
  // One table sliced into batches: the batches share one dictionary, which the IPC file format requires.
  const whole = new Table({
    id: vectorFromArray(
      docs.map((d) => d.id),
      new Utf8(),
    ),
    text: vectorFromArray(
      docs.map((d) => d.text),
      type,
    ),
    lang: vectorFromArray(
      docs.map(() => 0),
      new Int32(),
    ),
  });
  const tables: Table[] = [];
  for (let start = 0; start < docs.length; start += batchRows) tables.push(whole.slice(start, start + batchRows));
  return tables[0]!.concat(...tables.slice(1));
}

export async function writeArrow(file: string, table: Table, kind: 'file' | 'stream', compression: CompressionType | null = null): Promise<string> {
  const writer = kind === 'file' ? new RecordBatchFileWriter({ compressionType: compression }) : new RecordBatchStreamWriter({ compressionType: compression });
  writer.writeAll(table);
  writeFileSync(file, await writer.toUint8Array());
  return file;
}

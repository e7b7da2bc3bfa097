/**
 * The Parquet reader: reads are lazy (a part fetches its own row group's text
 * and id chunks plus the footer, not other columns or groups), nulls and
 * numeric ids, and errors by code.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { parquetWriteFile } from 'hyparquet-writer';
import { footersParsed, openFileBuffer, planParquetParts, readParquetDocuments, readParquetRowGroup, type Utf8Value } from '../../src/readers/corpus/parquet.js';
import type { CorpusDocument, CorpusPart } from '../../src/types.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-io-parquet-'));
test.after.always(() => rmSync(tmp, { recursive: true, force: true }));
const columns = { text: 'text', id: 'id' };

async function readPart(part: CorpusPart, cols = columns): Promise<CorpusDocument[]> {
  const docs: CorpusDocument[] = [];
  for await (const batch of readParquetDocuments(part, { columns: cols })) docs.push(...batch.documents);
  return docs;
}

async function failure(part: CorpusPart, cols = columns): Promise<{ code: string; message: string }> {
  try {
    await readPart(part, cols);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected an error');
}

/** Random-looking bytes as hex, so no codec can shrink the junk column. */
function junk(seed: number, length: number): string {
  let x = seed >>> 0 || 1;
  let s = '';
  while (s.length < length) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    s += (x >>> 0).toString(16).padStart(8, '0');
  }
  return s.slice(0, length);
}

test('a part reads only its row group text and id chunks and the footer, never the other column or groups', async (t) => {
  const file = path.join(tmp, 'lazy.parquet');
  const n = 40;
  await parquetWriteFile({
    filename: file,
    codec: 'UNCOMPRESSED',
    rowGroupSize: 10,
    columnData: [
      { name: 'id', data: Array.from({ length: n }, (_, i) => i), type: 'INT32' },
      { name: 'text', data: Array.from({ length: n }, (_, i) => `document number ${i}`), type: 'STRING' },
      { name: 'junk', data: Array.from({ length: n }, (_, i) => junk(i + 1, 20_000)), type: 'STRING' },
    ],
  });
  const size = statSync(file).size;
  const parts = await planParquetParts(file);
  t.deepEqual(
    parts.map((p) => [p.index, p.rowStart, p.rows]),
    [
      [0, 0, 10],
      [1, 10, 10],
      [2, 20, 10],
      [3, 30, 10],
    ],
  );
  t.is(
    parts.reduce((s, p) => s + p.bytes, 0),
    size,
  );

  const buffer = await openFileBuffer(file);
  let group;
  try {
    group = await readParquetRowGroup(parts[2]!, columns, buffer);
  } finally {
    await buffer.close();
  }
  // Text stays UTF-8 until its batch is read (see Utf8Value).
  t.deepEqual(
    group!.texts.map((v) => new TextDecoder().decode((v as Utf8Value).bytes)),
    Array.from({ length: 10 }, (_, k) => `document number ${20 + k}`),
  );
  t.deepEqual(
    group!.ids,
    Array.from({ length: 10 }, (_, k) => 20 + k),
  );
  // The junk column alone is 800 kB; the part fetched the 64 kB footer probe and two small column chunks.
  t.true(size > 800_000);
  t.true(buffer.bytesFetched < 70_000, `fetched ${buffer.bytesFetched} bytes`);

  const docs = await readPart(parts[2]!);
  t.deepEqual(
    docs.map((d) => [d.row, d.id, d.text]),
    Array.from({ length: 10 }, (_, k) => [20 + k, String(20 + k), `document number ${20 + k}`]),
  );
});

test('openFileBuffer reads exactly the ranges asked for', async (t) => {
  const file = path.join(tmp, 'bytes.bin');
  writeFileSync(file, Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
  const buffer = await openFileBuffer(file);
  t.is(buffer.byteLength, 256);
  t.deepEqual([...new Uint8Array(await buffer.slice(10, 14))], [10, 11, 12, 13]);
  t.deepEqual([...new Uint8Array(await buffer.slice(250))], [250, 251, 252, 253, 254, 255]);
  t.is(buffer.bytesFetched, 10);
  await buffer.close();
});

test('null text reads as the empty string, null id as null, numeric ids as strings', async (t) => {
  const file = path.join(tmp, 'nulls.parquet');
  await parquetWriteFile({
    filename: file,
    columnData: [
      { name: 'id', data: [1n, null, 3n], type: 'INT64' },
      { name: 'text', data: ['a', null, 'c'], type: 'STRING' },
    ],
  });
  const [part] = await planParquetParts(file);
  t.deepEqual(
    (await readPart(part!)).map((d) => [d.row, d.id, d.text]),
    [
      [0, '1', 'a'],
      [1, null, ''],
      [2, '3', 'c'],
    ],
  );
});

test('a missing text column is MISSING_COLUMN listing the columns; a numeric text column is BAD_VALUE naming the row', async (t) => {
  const file = path.join(tmp, 'numbers.parquet');
  await parquetWriteFile({ filename: file, columnData: [{ name: 'n', data: [1, 2], type: 'INT32' }] });
  const [part] = await planParquetParts(file);
  const missing = await failure(part!);
  t.is(missing.code, 'MISSING_COLUMN');
  t.regex(missing.message, /numbers\.parquet: no 'text' column; the file has: n/);
  const value = await failure(part!, { text: 'n', id: 'id' });
  t.is(value.code, 'BAD_VALUE');
  t.regex(value.message, /numbers\.parquet:row 0: the 'n' column holds a number, not text/);
});

test('an empty file is EMPTY_INPUT; a file that is not Parquet is BAD_PARQUET', async (t) => {
  const empty = path.join(tmp, 'empty.parquet');
  writeFileSync(empty, '');
  t.is(((await t.throwsAsync(planParquetParts(empty))) as { code?: string }).code, 'EMPTY_INPUT');
  const text = path.join(tmp, 'text.parquet');
  writeFileSync(text, '{"text": "this is JSON, not Parquet"}\n');
  t.is(((await t.throwsAsync(planParquetParts(text))) as { code?: string }).code, 'BAD_PARQUET');
});

test('invalid UTF-8 in the text column is BAD_UTF8 naming its row, or a skipped document with --skip-bad', async (t) => {
  const file = path.join(tmp, 'bad-utf8.parquet');
  const text = (s: string) => new TextEncoder().encode(s);
  parquetWriteFile({
    filename: file,
    columnData: [{ name: 'text', data: [text('fine words'), Uint8Array.from([0x62, 0x61, 0x64, 0xff, 0xfe]), text('more fine words')], type: 'BYTE_ARRAY' }],
  });
  const [part] = await planParquetParts(file);
  const read = async (onBadDocument?: (e: unknown) => void) => {
    const docs: CorpusDocument[] = [];
    for await (const batch of readParquetDocuments(part!, { columns: { text: 'text', id: 'id' }, onBadDocument })) docs.push(...batch.documents);
    return docs;
  };
  const error = await t.throwsAsync(read());
  t.is((error as { code?: string }).code, 'BAD_UTF8');
  t.is((error as { where?: string }).where, 'row 1');
  const skipped: unknown[] = [];
  t.deepEqual(
    (await read((e) => skipped.push(e))).map((d) => [d.row, d.text]),
    [
      [0, 'fine words'],
      [2, 'more fine words'],
    ],
  );
  t.is(skipped.length, 1);
});

test.serial('the footer of a file of many row groups is parsed once for all its parts, and every row is read once', async (t) => {
  const file = path.join(tmp, 'many-groups.parquet');
  const n = 600;
  await parquetWriteFile({
    filename: file,
    codec: 'UNCOMPRESSED',
    rowGroupSize: 2,
    columnData: [
      { name: 'id', data: Array.from({ length: n }, (_, i) => i), type: 'INT32' },
      { name: 'text', data: Array.from({ length: n }, (_, i) => `row ${i}`), type: 'STRING' },
    ],
  });
  const parts = await planParquetParts(file);
  t.is(parts.length, n / 2);
  const before = footersParsed.get(file) ?? 0;
  const rows: number[] = [];
  for (const part of parts) for (const d of await readPart(part)) rows.push(d.row);
  // Parsed per part, this was 300 parses (time in n^2: 4,000 row groups took 214 s).
  t.is(footersParsed.get(file)! - before, 1);
  t.deepEqual(
    rows,
    Array.from({ length: n }, (_, i) => i),
  );
});

test('a file cut short after its footer was read is FILE_CHANGED naming the byte, never rows of zeros', async (t) => {
  const file = path.join(tmp, 'cut-after-plan.parquet');
  const n = 40;
  await parquetWriteFile({
    filename: file,
    codec: 'UNCOMPRESSED',
    rowGroupSize: 10,
    columnData: [{ name: 'text', data: Array.from({ length: n }, (_, i) => `document number ${i}`), type: 'STRING' }],
  });
  const whole = readFileSync(file);
  const parts = await planParquetParts(file);
  const buffer = await openFileBuffer(file);
  // The footer is cached; then the file loses its second half while the scan runs.
  await readParquetRowGroup(parts[0]!, columns, buffer);
  truncateSync(file, Math.floor(whole.length / 2));
  const error = await readParquetRowGroup(parts[3]!, columns, buffer).catch((e: unknown) => e);
  await buffer.close();
  t.is((error as { code?: string }).code, 'FILE_CHANGED');
  t.regex((error as Error).message, new RegExp(`cut-after-plan\\.parquet:byte ${Math.floor(whole.length / 2)}: the file ends at byte ${Math.floor(whole.length / 2)}`));
});

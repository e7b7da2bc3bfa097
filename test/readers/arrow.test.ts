/**
 * The Arrow IPC reader: compressed bodies go through the registered decoders,
 * `.arrow` files in stream format are read as streams, invalid UTF-8 is caught
 * although apache-arrow would decode it leniently, and errors by code.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { CompressionType, Int32, Message, Table, Utf8, makeData, makeVector, vectorFromArray } from 'apache-arrow';
import { arrowCodecs, planArrowParts, readArrowDocuments } from '../../src/readers/corpus/arrow.js';
import type { CorpusDocument } from '../../src/types.js';
import { arrowTable, registerArrowEncoders, testDocuments, unregisterArrowEncoders, writeArrow } from './corpus-documents.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-io-arrow-'));
test.after.always(() => rmSync(tmp, { recursive: true, force: true }));
const columns = { text: 'text', id: 'id' };
const docs = testDocuments().slice(0, 20);

async function readFile(file: string, cols = columns): Promise<CorpusDocument[]> {
  const out: CorpusDocument[] = [];
  for (const part of await planArrowParts(file)) for await (const batch of readArrowDocuments(part, { columns: cols })) out.push(...batch.documents);
  return out;
}

async function failure(file: string, cols = columns): Promise<{ code: string; message: string }> {
  try {
    await readFile(file, cols);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected an error');
}

/** The compression named in the first record batch message of an IPC file, walking messages from after the magic. */
function firstBatchCompression(file: string): number | null {
  const bytes = readFileSync(file);
  let offset = 8;
  while (offset + 8 <= bytes.length) {
    const length = bytes.readInt32LE(offset + 4);
    const message = Message.decode(bytes.subarray(offset + 8, offset + 8 + length));
    if (message.isRecordBatch()) return message.header().compression?.type ?? null;
    offset += 8 + length + Number(message.bodyLength);
  }
  return null;
}

test('LZ4_FRAME and ZSTD bodies are decoded by the registered decoders', async (t) => {
  registerArrowEncoders();
  let lz4: string;
  let zstd: string;
  try {
    lz4 = await writeArrow(path.join(tmp, 'lz4.arrow'), arrowTable(docs, 'utf8', 8), 'file', CompressionType.LZ4_FRAME);
    zstd = await writeArrow(path.join(tmp, 'zstd.arrow'), arrowTable(docs, 'dictionary', 8), 'file', CompressionType.ZSTD);
  } finally {
    unregisterArrowEncoders();
  }
  t.is(firstBatchCompression(lz4), CompressionType.LZ4_FRAME);
  t.is(firstBatchCompression(zstd), CompressionType.ZSTD);
  const calls = { lz4: 0, zstd: 0 };
  const original = { lz4: arrowCodecs.lz4.decode, zstd: arrowCodecs.zstd.decode };
  arrowCodecs.lz4.decode = (data) => (calls.lz4++, original.lz4(data));
  arrowCodecs.zstd.decode = (data) => (calls.zstd++, original.zstd(data));
  try {
    const want = docs.map((d, row) => ({ row, id: d.id, text: d.text ?? '' }));
    t.deepEqual(
      (await readFile(lz4)).map(({ row, id, text }) => ({ row, id, text })),
      want,
    );
    t.deepEqual(
      (await readFile(zstd)).map(({ row, id, text }) => ({ row, id, text })),
      want,
    );
  } finally {
    arrowCodecs.lz4.decode = original.lz4;
    arrowCodecs.zstd.decode = original.zstd;
  }
  t.true(calls.lz4 > 0, 'lz4 decoder used');
  t.true(calls.zstd > 0, 'zstd decoder used (the constant lang column compresses to RLE blocks)');
});

test('an .arrow file holding the stream format is read as one stream part', async (t) => {
  const file = await writeArrow(path.join(tmp, 'hf-style.arrow'), arrowTable(docs, 'utf8', 8), 'stream');
  const parts = await planArrowParts(file);
  t.deepEqual(
    parts.map((p) => [p.format, p.index, p.rows]),
    [['arrow-stream', 0, null]],
  );
  t.deepEqual(
    (await readFile(file)).map((d) => d.text),
    docs.map((d) => d.text ?? ''),
  );
});

test('invalid UTF-8 in a Utf8 column is BAD_UTF8 naming the record batch', async (t) => {
  const bad = makeData({ type: new Utf8(), length: 2, nullCount: 0, valueOffsets: Int32Array.from([0, 2, 5]), data: Uint8Array.from([0x6f, 0x6b, 0x63, 0x61, 0xe9]) });
  const table = new Table({ text: makeVector(bad) });
  const file = await writeArrow(path.join(tmp, 'latin1.arrow'), table, 'file');
  const error = await failure(file);
  t.is(error.code, 'BAD_UTF8');
  t.regex(error.message, /latin1\.arrow:record batch 0: the 'text' column holds invalid UTF-8/);
});

test('a missing text column is MISSING_COLUMN; an Int32 text column is BAD_VALUE naming the row', async (t) => {
  const file = await writeArrow(path.join(tmp, 'ints.arrows'), new Table({ n: vectorFromArray([1, 2, 3], new Int32()) }), 'stream');
  const missing = await failure(file);
  t.is(missing.code, 'MISSING_COLUMN');
  t.regex(missing.message, /ints\.arrows: no 'text' column; the file has: n/);
  const value = await failure(file, { text: 'n', id: 'id' });
  t.is(value.code, 'BAD_VALUE');
  t.regex(value.message, /ints\.arrows:row 0: the 'n' column holds a number, not text/);
});

test('an empty file is EMPTY_INPUT; a truncated IPC file is BAD_ARROW', async (t) => {
  const empty = path.join(tmp, 'empty.arrow');
  writeFileSync(empty, '');
  t.is(((await t.throwsAsync(planArrowParts(empty))) as { code?: string }).code, 'EMPTY_INPUT');
  const whole = readFileSync(await writeArrow(path.join(tmp, 'whole.arrow'), arrowTable(docs, 'utf8', 8), 'file'));
  const cut = path.join(tmp, 'cut.arrow');
  writeFileSync(cut, whole.subarray(0, whole.length - 100));
  t.is(((await t.throwsAsync(planArrowParts(cut))) as { code?: string }).code, 'BAD_ARROW');
});

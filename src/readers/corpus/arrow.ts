/**
 * Arrow IPC corpus reader, on apache-arrow's RecordBatchReader.
 *
 * IPC file format (`.arrow`, `.feather` v2, `.ipc`): the footer lists every
 * record batch's offset and length, so each batch is a part and is read at
 * random (dictionaries are read with it). IPC stream format (`.arrows`, and
 * `.arrow` files without the ARROW1 magic, as Hugging Face datasets writes
 * them): one part per file, read front to back in chunks. Compressed bodies
 * (LZ4_FRAME, ZSTD) are decoded by codecs registered in apache-arrow's
 * `compressionRegistry` on import (lz4js, zstd compiled to WebAssembly).
 *
 * Text columns may be Utf8, LargeUtf8 or Dictionary<Utf8>; their byte buffers
 * are checked once per batch with a strict UTF-8 validator, because
 * apache-arrow itself would decode bad bytes to U+FFFD. Arrow has real nulls:
 * a null text reads as the empty string.
 */
import { DEFAULTS } from '../../defaults.js';
import { isUtf8 } from 'node:buffer';
import { open, type FileHandle } from 'node:fs/promises';
import { compressionRegistry, CompressionType, DataType, Message, RecordBatchReader, type Data, type RecordBatch, type Vector } from 'apache-arrow';
import { Footer } from 'apache-arrow/ipc/metadata/file';
import { decompress as lz4Decompress } from 'lz4js';
import { ContamError } from '../../errors.js';
import type { CorpusBatch, CorpusDocument, CorpusPart, CorpusReadOptions } from '../../types.js';
import { readFileChunks } from '../../io/compression.js';
import { endedEarly } from '../../io/files.js';
import { zstdDecompress } from '../../io/zstd.js';

/** The decoders contam registers with apache-arrow (exported so tests can add encoders beside them). */
export const arrowCodecs = {
  lz4: { decode: (data: Uint8Array): Uint8Array => lz4Decompress(data) },
  zstd: { decode: (data: Uint8Array): Uint8Array => zstdDecompress(data) },
};

/** Register the LZ4_FRAME and ZSTD decoders (idempotent; done on import). */
export function registerArrowCodecs(): void {
  compressionRegistry.set(CompressionType.LZ4_FRAME, arrowCodecs.lz4);
  compressionRegistry.set(CompressionType.ZSTD, arrowCodecs.zstd);
}
registerArrowCodecs();

const MAGIC = Buffer.from('ARROW1');

async function openHandle(file: string): Promise<FileHandle> {
  try {
    return await open(file, 'r');
  } catch (error) {
    throw new ContamError('FILE_NOT_FOUND', `cannot open: ${(error as Error).message}`, { file, cause: error, hint: 'check the corpus path' });
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(out, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? out : out.subarray(0, done);
}

function badArrow(file: string, message: string, cause?: unknown, where?: string): ContamError {
  return new ContamError('BAD_ARROW', message, { file, where, cause, hint: 'the file may be truncated or not Arrow IPC' });
}

/**
 * Plan an Arrow file: one part per record batch of an IPC file (bytes: the
 * batch's metadata and body, the rest of the file counted in part 0), or one
 * part for an IPC stream.
 *
 * @throws ContamError `EMPTY_INPUT`, `BAD_ARROW`
 */
export async function planArrowParts(file: string): Promise<CorpusPart[]> {
  const handle = await openHandle(file);
  try {
    const { size } = await handle.stat();
    if (size === 0) throw new ContamError('EMPTY_INPUT', 'the file is empty', { file, hint: 'remove it from the corpus or fill it' });
    const head = await readAt(handle, 0, Math.min(size, 6));
    const stream = (): CorpusPart[] => [{ file, format: 'arrow-stream', compression: null, index: 0, rowStart: 0, rows: null, bytes: size }];
    if (!MAGIC.equals(head)) return stream();
    const tail = await readAt(handle, size - 10, 10);
    if (size < 22 || !MAGIC.equals(tail.subarray(4))) throw badArrow(file, 'the Arrow IPC file has no footer (ARROW1 magic missing at the end)');
    const footerLength = new DataView(tail.buffer, tail.byteOffset).getInt32(0, true);
    if (footerLength <= 0 || footerLength > size - 18) throw badArrow(file, `the Arrow IPC footer length ${footerLength} does not fit the file`);
    let footer: Footer;
    try {
      footer = Footer.decode(await readAt(handle, size - 10 - footerLength, footerLength));
    } catch (error) {
      throw badArrow(file, `cannot read the Arrow IPC footer: ${(error as Error).message}`, error);
    }
    const parts: CorpusPart[] = [];
    let rowStart = 0;
    let sum = 0;
    for (let index = 0; index < footer.numRecordBatches; index++) {
      const block = footer.getRecordBatch(index)!;
      const rows = await batchLength(handle, file, Number(block.offset), block.metaDataLength, index);
      const bytes = block.metaDataLength + Number(block.bodyLength);
      parts.push({ file, format: 'arrow', compression: null, index, rowStart, rows, bytes });
      rowStart += rows;
      sum += bytes;
    }
    if (parts.length === 0) return [{ file, format: 'arrow', compression: null, index: 0, rowStart: 0, rows: 0, bytes: size }];
    parts[0]!.bytes += Math.max(0, size - sum);
    return parts;
  } finally {
    await handle.close();
  }
}

/** Rows of one record batch, from its message header alone (the body is not read). */
async function batchLength(handle: FileHandle, file: string, offset: number, metaDataLength: number, index: number): Promise<number> {
  const bytes = await readAt(handle, offset, metaDataLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // ARROW-6313: a continuation marker (-1) precedes the length since format 0.15.
  const start = view.getInt32(0, true) === -1 ? 8 : 4;
  try {
    const message = Message.decode(bytes.subarray(start));
    if (!message.isRecordBatch()) throw new Error('not a record batch message');
    return Number(message.header().length);
  } catch (error) {
    throw badArrow(file, `cannot read record batch ${index}: ${(error as Error).message}`, error, `byte ${offset}`);
  }
}

/**
 * Read the documents of one Arrow part: one record batch of an IPC file, or
 * every batch of an IPC stream, in batches of at most `batchSize`.
 *
 * @throws ContamError `MISSING_COLUMN`, `BAD_VALUE` (row), `BAD_UTF8`, `BAD_ARROW`, `EMPTY_INPUT`
 */
export async function* readArrowDocuments(part: CorpusPart, options: CorpusReadOptions): AsyncGenerator<CorpusBatch> {
  if (part.format === 'arrow') yield* readFileBatch(part, options);
  else yield* readStream(part, options);
}

async function* readFileBatch(part: CorpusPart, options: CorpusReadOptions): AsyncGenerator<CorpusBatch> {
  const file = part.file;
  const handle = await openHandle(file);
  let batch: RecordBatch | null;
  try {
    try {
      const reader = await RecordBatchReader.from(handle);
      await reader.open();
      if (!reader.isFile()) throw new Error('not an Arrow IPC file');
      if (reader.numRecordBatches === 0 && part.index === 0) {
        yield { part, documents: [], bytesRead: part.bytes };
        return;
      }
      batch = await reader.readRecordBatch(part.index);
    } catch (error) {
      throw badArrow(file, `cannot read record batch ${part.index}: ${(error as Error).message}`, error);
    }
  } finally {
    await handle.close();
  }
  if (!batch) throw badArrow(file, `the file has no record batch ${part.index}`);
  let reported = 0;
  const emit = makeEmitter(part, options, part.rowStart);
  const n = batch.numRows;
  for (const documents of emit(batch, part.index)) {
    const done = documents.length === 0 ? n : documents[documents.length - 1]!.row - part.rowStart + 1;
    const upTo = done >= n ? part.bytes : Math.floor((part.bytes * done) / n);
    yield { part, documents, bytesRead: upTo - reported };
    reported = upTo;
  }
}

async function* readStream(part: CorpusPart, options: CorpusReadOptions): AsyncGenerator<CorpusBatch> {
  const file = part.file;
  const state = { consumed: 0 };
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of readFileChunks(file, options.signal, 0, part.bytes)) {
      state.consumed += chunk.length;
      yield chunk;
    }
    // A stream cut at a batch boundary reads as a shorter, valid stream: only its length tells.
    if (state.consumed < part.bytes) throw endedEarly(file, state.consumed, part.bytes);
  }
  let reader;
  try {
    reader = await RecordBatchReader.from(counted());
    await reader.open();
  } catch (error) {
    if (error instanceof ContamError) throw error;
    throw badArrow(file, `cannot read the Arrow IPC stream: ${(error as Error).message}`, error);
  }
  if (reader.schema === undefined || reader.schema === null) {
    throw new ContamError('EMPTY_INPUT', 'the Arrow stream holds no schema', { file, hint: 'remove it from the corpus or fill it' });
  }
  let reported = 0;
  let row = part.rowStart;
  const emit = makeEmitter(part, options, part.rowStart);
  const iterator = reader[Symbol.asyncIterator]();
  for (let index = 0; ; index++) {
    let next;
    try {
      next = await iterator.next();
    } catch (error) {
      if (error instanceof ContamError) throw error;
      throw badArrow(file, `cannot read record batch ${index}: ${(error as Error).message}`, error);
    }
    if (next.done) break;
    const batch = next.value as RecordBatch;
    for (const documents of emit(batch, index, row)) {
      const consumed = Math.min(state.consumed, part.bytes);
      yield { part, documents, bytesRead: consumed - reported };
      reported = consumed;
    }
    row += batch.numRows;
  }
  if (reported < part.bytes || row === part.rowStart) yield { part, documents: [], bytesRead: part.bytes - reported };
}

/** Cut a record batch into document arrays of at most `batchSize`. */
function makeEmitter(part: CorpusPart, options: CorpusReadOptions, firstRow: number) {
  const file = part.file;
  const { text: textColumn, id: idColumn } = options.columns;
  const batchSize = Math.max(1, options.batchSize ?? DEFAULTS.batchSize);
  return function* emit(batch: RecordBatch, index: number, rowOffset = firstRow): Generator<CorpusDocument[]> {
    const texts = batch.getChild(textColumn);
    if (!texts) {
      const names = batch.schema.fields.map((f) => f.name);
      throw new ContamError('MISSING_COLUMN', `no '${textColumn}' column; the file has: ${names.join(', ')}`, { file, hint: 'name the text column with the columns.text option' });
    }
    checkUtf8(texts, file, index, textColumn);
    const ids = batch.getChild(idColumn);
    const n = batch.numRows;
    if (n === 0) {
      yield [];
      return;
    }
    for (let start = 0; start < n; start += batchSize) {
      if (options.signal?.aborted) throw new ContamError('INTERRUPTED', 'reading was interrupted', { file });
      const end = Math.min(n, start + batchSize);
      const documents: CorpusDocument[] = [];
      for (let i = start; i < end; i++) {
        const row = rowOffset + i;
        let text: unknown = texts.get(i);
        if (typeof text !== 'string') {
          if (text === null || text === undefined) text = '';
          else {
            const error = new ContamError('BAD_VALUE', `the '${textColumn}' column holds ${describe(text)}, not text`, {
              file,
              where: `row ${row}`,
              hint: 'the text column must be a Utf8, LargeUtf8 or Dictionary<Utf8> column',
            });
            if (!options.onBadDocument) throw error;
            options.onBadDocument(error);
            continue;
          }
        }
        documents.push({ file, row, id: ids ? idOf(ids.get(i)) : null, text: text as string });
      }
      yield documents;
    }
  };
}

/** Validate the UTF-8 bytes behind a string column once per batch (apache-arrow decodes leniently). */
function checkUtf8(vector: Vector, file: string, index: number, column: string): void {
  for (const data of vector.data) {
    if (DataType.isDictionary(data.type)) {
      for (const d of data.dictionary?.data ?? []) validate(d);
    } else {
      validate(data);
    }
  }
  function validate(data: Data): void {
    const { values, valueOffsets } = data as unknown as { values: unknown; valueOffsets: ArrayLike<number | bigint> | undefined };
    if (!(DataType.isUtf8(data.type) || DataType.isLargeUtf8(data.type)) || !(values instanceof Uint8Array) || !valueOffsets) return;
    // Offsets buffers are padded: the end is at [offset + length], not at the last element.
    const from = Number(valueOffsets[data.offset] ?? 0);
    const to = Number(valueOffsets[data.offset + data.length] ?? 0);
    if (!isUtf8(values.subarray(from, to))) {
      throw new ContamError('BAD_UTF8', `the '${column}' column holds invalid UTF-8`, { file, where: `record batch ${index}`, hint: 'rewrite the column as UTF-8' });
    }
  }
}

function idOf(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return 'binary data';
  return `a ${typeof value}`;
}

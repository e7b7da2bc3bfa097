/**
 * Parquet corpus reader, on hyparquet with every codec of hyparquet-compressors
 * (snappy, gzip, zstd, brotli, lz4).
 *
 * A part is one row group (from the footer). Reads go through an AsyncBuffer
 * over a file handle that fetches only the byte ranges hyparquet asks for: the
 * footer, then the text and id column chunks of the part's row group, never
 * the whole file and never other columns. Memory is bounded by one row group's
 * two columns.
 *
 * Parquet has real nulls (unlike JSON lines, where a missing field and a null
 * one are told apart by the writer): a null text reads as the empty string,
 * a null id as null. Strings are decoded with a strict UTF-8 decoder, so bad
 * bytes are an error rather than U+FFFD in the report.
 */
import { DEFAULTS } from '../../defaults.js';
import { open, type FileHandle } from 'node:fs/promises';
import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type ColumnData, type FileMetaData } from 'hyparquet';
import { compressors as baseCompressors } from 'hyparquet-compressors';
import { ContamError } from '../../errors.js';
import type { CorpusBatch, CorpusDocument, CorpusPart, CorpusReadOptions } from '../../types.js';
import { endedEarly } from '../../io/files.js';
import { zstdDecompress } from '../../io/zstd.js';

// zstd pages through WebAssembly zstd (faster than fzstd: bench/read.bench.ts); every other codec as hyparquet-compressors has it.
const compressors = { ...baseCompressors, ZSTD: (input: Uint8Array, outputLength: number) => zstdDecompress(input, outputLength) };

/** An AsyncBuffer over an open file, counting the bytes it reads. */
export interface FileAsyncBuffer extends AsyncBuffer {
  /** Bytes read through `slice` so far. */
  readonly bytesFetched: number;
  /** The file's modification time when opened: with its size, what the footer cache is keyed by. */
  readonly mtimeMs: number;
  close(): Promise<void>;
}

/**
 * Open a file as a hyparquet AsyncBuffer that reads only the ranges asked for.
 *
 * @throws ContamError `FILE_NOT_FOUND` when the file cannot be opened
 */
export async function openFileBuffer(file: string): Promise<FileAsyncBuffer> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new ContamError('FILE_NOT_FOUND', `cannot open: ${(error as Error).message}`, { file, cause: error, hint: 'check the corpus path' });
  }
  const { size, mtimeMs } = await handle.stat();
  let fetched = 0;
  return {
    byteLength: size,
    mtimeMs,
    get bytesFetched() {
      return fetched;
    },
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      const from = Math.max(0, start);
      const length = Math.max(0, Math.min(end, size) - from);
      const out = new ArrayBuffer(length);
      const view = new Uint8Array(out);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(view, done, length - done, from + done);
        // A short read would hand hyparquet zeros for data: the file was cut after its footer was read.
        if (bytesRead === 0) throw endedEarly(file, Math.min(from + done, (await handle.stat()).size), from + length);
        done += bytesRead;
      }
      fetched += done;
      return out;
    },
    close: () => handle.close(),
  };
}

/** Footers parsed on this thread, by file (tests read it to see the cache work). */
export const footersParsed = new Map<string, number>();

/**
 * Parsed footers of the files this thread read last, keyed by path, size and
 * modification time. Every part (row group) of a file needs its footer, and
 * parsing it costs time linear in the row groups: parsed per part, a file of
 * n row groups took time in n^2.
 */
const footers = new Map<string, FileMetaData>();
const FOOTERS_KEPT = 4;

async function cachedMetadata(file: string, buffer: AsyncBuffer): Promise<FileMetaData> {
  const mtime = (buffer as Partial<FileAsyncBuffer>).mtimeMs;
  if (mtime === undefined) return readMetadata(file, buffer);
  const key = `${file}\0${buffer.byteLength}\0${mtime}`;
  let metadata = footers.get(key);
  if (metadata === undefined) {
    metadata = await readMetadata(file, buffer);
    if (footers.size >= FOOTERS_KEPT) footers.delete(footers.keys().next().value!);
  } else footers.delete(key);
  footers.set(key, metadata);
  return metadata;
}

async function readMetadata(file: string, buffer: AsyncBuffer): Promise<FileMetaData> {
  footersParsed.set(file, (footersParsed.get(file) ?? 0) + 1);
  if (buffer.byteLength === 0) throw new ContamError('EMPTY_INPUT', 'the file is empty', { file, hint: 'remove it from the corpus or fill it' });
  try {
    // A small first fetch: footers of corpus shards are kilobytes, and every part reads it again.
    return await parquetMetadataAsync(buffer, { initialFetchSize: 1 << 16 });
  } catch (error) {
    throw new ContamError('BAD_PARQUET', `cannot read the Parquet footer: ${(error as Error).message}`, { file, cause: error, hint: 'the file may be truncated or not Parquet' });
  }
}

/**
 * One part per row group, `bytes` being the row group's compressed column
 * chunks; the rest of the file (magic, footer) is counted in part 0, so the
 * parts' bytes sum to the file size. A file without row groups is one empty part.
 */
export async function planParquetParts(file: string): Promise<CorpusPart[]> {
  const buffer = await openFileBuffer(file);
  try {
    const metadata = await readMetadata(file, buffer);
    const parts: CorpusPart[] = [];
    let rowStart = 0;
    let sum = 0;
    metadata.row_groups.forEach((group, index) => {
      let bytes = 0;
      for (const column of group.columns) bytes += Number(column.meta_data?.total_compressed_size ?? 0);
      const rows = Number(group.num_rows);
      parts.push({ file, format: 'parquet', compression: null, index, rowStart, rows, bytes });
      rowStart += rows;
      sum += bytes;
    });
    if (parts.length === 0) return [{ file, format: 'parquet', compression: null, index: 0, rowStart: 0, rows: 0, bytes: buffer.byteLength }];
    parts[0]!.bytes += Math.max(0, buffer.byteLength - sum);
    return parts;
  } finally {
    await buffer.close();
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

class BadUtf8 extends Error {}

const parsers = {
  stringFromBytes(bytes: Uint8Array | undefined): string | undefined {
    if (bytes === undefined) return undefined;
    try {
      return strictUtf8.decode(bytes);
    } catch {
      throw new BadUtf8('invalid UTF-8');
    }
  },
};

/**
 * A text value still in UTF-8, as it lies in the decompressed page. The text
 * column is decoded batch by batch, just before it is scanned, rather than a
 * whole row group at once: the strings are then still in the CPU cache when
 * they are scanned, and die young instead of filling the old generation.
 */
export class Utf8Value {
  constructor(readonly bytes: Uint8Array) {}
}

const lazyTextParsers = {
  stringFromBytes(bytes: Uint8Array | undefined): Utf8Value | undefined {
    return bytes === undefined ? undefined : new Utf8Value(bytes);
  },
};

/** The text and id values of one row group, and the file row of its first; text strings are Utf8Value until decoded. */
export interface RowGroupColumns {
  rowStart: number;
  texts: unknown[];
  ids: unknown[] | null;
}

/**
 * Read the text and id columns of a part's row group through any AsyncBuffer
 * (tests pass a counting one); null for the single part of a file without row
 * groups.
 */
export async function readParquetRowGroup(part: CorpusPart, columnNames: CorpusReadOptions['columns'], buffer: AsyncBuffer): Promise<RowGroupColumns | null> {
  const file = part.file;
  const metadata = await cachedMetadata(file, buffer);
  const group = metadata.row_groups[part.index];
  if (!group) {
    if (part.index === 0 && metadata.row_groups.length === 0) return null;
    throw new ContamError('BAD_PARQUET', `the file has no row group ${part.index}`, { file, hint: 'the file changed since it was planned; scan again' });
  }
  const columns = parquetSchema(metadata).children.map((c) => c.element.name);
  if (!columns.includes(columnNames.text)) {
    throw new ContamError('MISSING_COLUMN', `no '${columnNames.text}' column; the file has: ${columns.join(', ')}`, { file, hint: 'name the text column with the columns.text option' });
  }
  const rowStart = metadata.row_groups.slice(0, part.index).reduce((sum, g) => sum + Number(g.num_rows), 0);
  const rows = Number(group.num_rows);
  // hyparquet plans a read over every row group of the metadata it is given: given them all, each
  // part paid for the whole file again. It is given this one alone (its rows then count from 0).
  const single: FileMetaData = { ...metadata, row_groups: [group], num_rows: group.num_rows };
  const read = async (column: string, lazy: boolean): Promise<unknown[]> => {
    const chunks: ColumnData[] = [];
    try {
      await parquetRead({
        file: buffer,
        metadata: single,
        columns: [column],
        rowStart: 0,
        rowEnd: rows,
        compressors,
        parsers: (lazy ? lazyTextParsers : parsers) as unknown as typeof parsers,
        onChunk: (chunk) => chunks.push(chunk),
      });
      return assemble(chunks, 0, rows);
    } catch (error) {
      if (error instanceof ContamError) throw error;
      if (error instanceof BadUtf8) {
        throw new ContamError('BAD_UTF8', `the '${column}' column holds invalid UTF-8`, { file, where: `row group ${part.index}`, cause: error, hint: 'rewrite the column as UTF-8' });
      }
      throw new ContamError('BAD_PARQUET', `cannot read column '${column}': ${(error as Error).message}`, {
        file,
        where: `row group ${part.index}`,
        cause: error,
        hint: 'the file may be truncated or corrupt',
      });
    }
  };
  const texts = await read(columnNames.text, true);
  const ids = columns.includes(columnNames.id) ? await read(columnNames.id, false) : null;
  return { rowStart, texts, ids };
}

/**
 * Read the documents of one Parquet part (row group) in batches of
 * `batchSize`; `bytesRead` spreads the part's bytes over its batches by rows.
 *
 * @throws ContamError `MISSING_COLUMN` (listing the columns), `BAD_VALUE`
 *   (row), `BAD_UTF8`, `BAD_PARQUET`, `EMPTY_INPUT`
 */
export async function* readParquetDocuments(part: CorpusPart, options: CorpusReadOptions): AsyncGenerator<CorpusBatch> {
  const file = part.file;
  const batchSize = Math.max(1, options.batchSize ?? DEFAULTS.batchSize);
  const buffer = await openFileBuffer(file);
  let group: RowGroupColumns | null;
  try {
    group = await readParquetRowGroup(part, options.columns, buffer);
  } finally {
    await buffer.close();
  }
  if (group === null) {
    yield { part, documents: [], bytesRead: part.bytes };
    return;
  }
  const { texts, ids, rowStart } = group;
  const n = texts.length;
  let reported = 0;
  for (let start = 0; start < n || (n === 0 && start === 0); start += batchSize) {
    if (options.signal?.aborted) throw new ContamError('INTERRUPTED', 'reading was interrupted', { file });
    const end = Math.min(n, start + batchSize);
    const documents: CorpusDocument[] = [];
    for (let i = start; i < end; i++) {
      const row = rowStart + i;
      let text = texts[i];
      if (text instanceof Utf8Value) {
        try {
          text = strictUtf8.decode(text.bytes);
        } catch (cause) {
          const error = new ContamError('BAD_UTF8', `the '${options.columns.text}' column holds invalid UTF-8`, { file, where: `row ${row}`, cause, hint: 'rewrite the column as UTF-8' });
          if (!options.onBadDocument) throw error;
          options.onBadDocument(error);
          continue;
        }
      }
      if (typeof text !== 'string') {
        if (text === null || text === undefined) text = '';
        else {
          const error = new ContamError('BAD_VALUE', `the '${options.columns.text}' column holds ${describe(text)}, not text`, {
            file,
            where: `row ${row}`,
            hint: 'the text column must be a string column',
          });
          if (!options.onBadDocument) throw error;
          options.onBadDocument(error);
          continue;
        }
      }
      documents.push({ file, row, id: ids === null ? null : idOf(ids[i]), text: text as string });
    }
    // Spread the part's bytes by rows; the last batch takes the rounding.
    const upTo = n === 0 || end === n ? part.bytes : Math.floor((part.bytes * end) / n);
    yield { part, documents, bytesRead: upTo - reported };
    reported = upTo;
    if (n === 0) break;
  }
}

function idOf(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (typeof value === 'object') return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return 'binary data';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

/** Place column chunks (which may reach outside the rows asked for) into one array of the part's rows. */
function assemble(chunks: ColumnData[], rowStart: number, rowEnd: number): unknown[] {
  const out: unknown[] = new Array(rowEnd - rowStart).fill(null);
  let filled = 0;
  for (const chunk of chunks) {
    const data = chunk.columnData as ArrayLike<unknown>;
    const from = Math.max(chunk.rowStart, rowStart);
    const to = Math.min(chunk.rowEnd, rowEnd);
    for (let r = from; r < to; r++) out[r - rowStart] = data[r - chunk.rowStart];
    filled += Math.max(0, to - from);
  }
  if (filled !== rowEnd - rowStart) throw new Error(`read ${filled} of ${rowEnd - rowStart} rows`);
  return out;
}

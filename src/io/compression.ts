/**
 * Bytes of a file (or stdin) as an async iterable of chunks, decompressed on
 * the fly: gzip through node:zlib (multi-member files included), zstd through
 * libzstd's streaming decoder (zstd-stream.ts; there is no zstd in node:zlib on
 * Node 20).
 *
 * Invariant: `consumed` counts bytes read from disk (compressed), so readers
 * can attribute on-disk bytes to batches; it never exceeds the file size and
 * reaches it when the iteration completes. Memory is bounded by the chunk size
 * (~4 MB on disk, ~1 MB of decompressed output at a time; zstd, decoded on a
 * thread of its own, runs up to two input chunks and 8 MiB of output ahead)
 * and, for zstd, the frame's window, never by the file. Because zstd decodes
 * ahead, `consumed` may run a chunk or two ahead of the output handed on: the
 * bytes a batch is credited with vary, their sum over a file does not.
 *
 * A corrupt stream is often found only at its end (gzip's CRC-32, zstd's
 * content checksum), after garbage has been handed on and failed to parse;
 * blameCompression turns such a parse failure into the compression error it
 * really is.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ContamError, type ContamErrorCode } from '../errors.js';
import type { Compression } from '../types.js';
import { STDIN } from './files.js';
import { inflateZstd, ZstdDataError } from './zstd-stream.js';

/** Bytes read from disk per read call. */
export const READ_CHUNK = 4 << 20;

/** A stream of decompressed chunks and how many on-disk bytes it has consumed. */
export interface ByteSource extends AsyncIterable<Uint8Array> {
  /** Compressed (on-disk) bytes read so far. */
  readonly consumed: number;
}

/** The compression stdin turns out to have, from its magic bytes. */
function sniff(head: Uint8Array): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return null;
}

/**
 * Open a file (or `-` for stdin, whose compression is sniffed) and yield its
 * decompressed bytes in chunks; of a plain file, only bytes [start, end).
 *
 * @throws ContamError `FILE_NOT_FOUND` when the file cannot be opened,
 *   `BAD_COMPRESSION` for corrupt or truncated gzip/zstd data (with the byte
 *   offset read so far)
 */
export function openDecompressed(file: string, compression: Compression, signal?: AbortSignal, start = 0, end = Infinity, stream = false): ByteSource {
  const state = { consumed: 0 };
  const counted = (raw: AsyncIterable<Uint8Array>) => countBytes(raw, state);
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let raw: AsyncIterable<Uint8Array>;
    let kind = compression;
    // stdin, or a FIFO (`<(zcat f.gz)`): read in order, never at an offset (ESPIPE), compression sniffed.
    if (file === STDIN || stream) {
      const stdin = peekable((file === STDIN ? process.stdin : createReadStream(file)) as AsyncIterable<Uint8Array>);
      kind = sniff(await stdin.peek());
      raw = stdin;
    } else {
      raw = readFileChunks(file, signal, start, end);
    }
    if (kind === 'gzip') yield* gunzip(counted(raw), file, state);
    else if (kind === 'zstd') yield* unzstd(counted(raw), file);
    else yield* counted(raw);
  }
  return {
    get consumed() {
      return state.consumed;
    },
    [Symbol.asyncIterator]: () => chunks(),
  };
}

/**
 * Read a file in READ_CHUNK pieces; each piece is a fresh buffer, so callers may keep views into it.
 * One piece is read ahead: the disk works on the next while the caller parses this one.
 */
export async function* readFileChunks(file: string, signal?: AbortSignal, start = 0, end = Infinity): AsyncGenerator<Uint8Array> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new ContamError('FILE_NOT_FOUND', `cannot open: ${(error as Error).message}`, { file, cause: error, hint: 'check the corpus path' });
  }
  const readAt = (position: number): Promise<Uint8Array> => {
    const want = Math.min(READ_CHUNK, end - position);
    const buffer = Buffer.allocUnsafeSlow(want);
    const read = handle.read(buffer, 0, want, position).then(({ bytesRead }) => (bytesRead === want ? buffer : buffer.subarray(0, bytesRead)));
    // Handled here so that a failed read waiting its turn is no unhandled rejection; awaiting it rethrows.
    read.catch(() => {});
    return read;
  };
  let ahead: Promise<Uint8Array> | null = start < end ? readAt(start) : null;
  try {
    let position = start;
    while (ahead) {
      if (signal?.aborted) throw new ContamError('INTERRUPTED', 'reading was interrupted', { file });
      const chunk = await ahead;
      ahead = null;
      if (chunk.length === 0) break;
      position += chunk.length;
      if (position < end) ahead = readAt(position);
      yield chunk;
    }
  } finally {
    // Never close the file under a read in flight.
    if (ahead) await ahead.catch(() => {});
    await handle.close();
  }
}

async function* countBytes(raw: AsyncIterable<Uint8Array>, state: { consumed: number }): AsyncGenerator<Uint8Array> {
  for await (const chunk of raw) {
    state.consumed += chunk.length;
    yield chunk;
  }
}

function peekable(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> & { peek(): Promise<Uint8Array> } {
  const iterator = source[Symbol.asyncIterator]();
  let first: IteratorResult<Uint8Array> | null = null;
  return {
    async peek() {
      first ??= await iterator.next();
      return first.done ? new Uint8Array(0) : first.value;
    },
    async *[Symbol.asyncIterator]() {
      const head = first ?? (await iterator.next());
      first = null;
      if (head.done) return;
      yield head.value;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    },
  };
}

function compressionError(kind: string, file: string, offset: number, error: unknown, truncated: boolean): ContamError {
  const message = (error as Error)?.message ?? String(error);
  return new ContamError('BAD_COMPRESSION', truncated ? `the ${kind} data ends early (truncated file)` : `corrupt ${kind} data: ${message}`, {
    file,
    where: `byte ${offset}`,
    cause: error,
    hint: truncated ? 'the file was cut short; download or copy it again' : `check the file with ${kind === 'gzip' ? 'gzip -t' : 'zstd -t'}`,
  });
}

async function* gunzip(raw: AsyncIterable<Uint8Array>, file: string, state: { consumed: number }): AsyncGenerator<Uint8Array> {
  const inflater = createGunzip({ chunkSize: 1 << 20 });
  const source = Readable.from(raw, { objectMode: false, highWaterMark: 1 });
  let failure: unknown = null;
  pipeline(source, inflater, (error) => {
    if (error) failure ??= error;
  });
  const gzipError = (error: unknown) => compressionError('gzip', file, state.consumed, error, /unexpected end/i.test((error as Error)?.message ?? ''));
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
  } catch (error) {
    if (error instanceof ContamError) throw error;
    const cause = failure instanceof ContamError ? failure : error;
    if (cause instanceof ContamError) throw cause;
    throw gzipError(cause);
  } finally {
    source.destroy();
    inflater.destroy();
  }
  if (failure) throw failure instanceof ContamError ? failure : gzipError(failure);
}

async function* unzstd(raw: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<Uint8Array> {
  try {
    yield* inflateZstd(raw);
  } catch (error) {
    if (error instanceof ZstdDataError) throw compressionError('zstd', file, error.offset, error, error.truncated);
    throw error;
  }
}

/** The errors a reader raises on the bytes it was handed, which garbage from a corrupt stream can cause. */
const DATA_ERRORS = new Set<ContamErrorCode>(['BAD_JSON', 'BAD_UTF8', 'MISSING_COLUMN', 'BAD_VALUE']);

/**
 * Decompress a whole file, discarding the output, and return the
 * BAD_COMPRESSION error it fails with, or null when the stream is sound.
 */
export async function checkCompressed(file: string, compression: Compression, signal?: AbortSignal): Promise<ContamError | null> {
  try {
    for await (const chunk of openDecompressed(file, compression, signal)) void chunk;
  } catch (error) {
    if (error instanceof ContamError && error.code === 'BAD_COMPRESSION') return error;
    throw error;
  }
  return null;
}

/**
 * Pass on a reader of a compressed file's records; when it fails on the data
 * (bad JSON, bad UTF-8, a missing or mistyped field), check the compressed
 * stream from the start first, and report its corruption instead when it has
 * one: a flipped bit in a gzip member yields garbage that only the member's
 * CRC-32, at its end, exposes. This costs one more pass over the file, on the
 * way to failing. Stdin cannot be read twice, and is left as it is.
 */
export async function* blameCompression<T>(reader: AsyncGenerator<T>, file: string, compression: Compression, signal?: AbortSignal): AsyncGenerator<T> {
  try {
    yield* reader;
  } catch (error) {
    if (compression && file !== STDIN && error instanceof ContamError && DATA_ERRORS.has(error.code)) {
      const corrupt = await checkCompressed(file, compression, signal);
      if (corrupt) throw corrupt;
    }
    throw error;
  }
}

/**
 * The corpus side of io: inputs -> files -> parts -> batches of documents.
 *
 *   expandCorpusInputs (files.ts) -> planCorpusParts -> readCorpusPart (jsonl.ts, parquet.ts, arrow.ts)
 *
 * A part is the unit of parallel work and of progress: a whole JSONL file (any
 * compression) or, when asked, a range of lines of a large plain one, one Parquet row group, one Arrow IPC file record batch, or a
 * whole Arrow IPC stream. Invariant: the bytes of a file's parts sum to its
 * size on disk, and the `bytesRead` of a part's batches sum to the part's
 * bytes, so progress reaches exactly 100%.
 */
import { stat } from 'node:fs/promises';
import { ContamError } from '../../errors.js';
import type { CorpusBatch, CorpusPart, CorpusReadOptions } from '../../types.js';
import { corpusFormatOf, expandCorpusInputs, isStreamInput, STDIN } from '../../io/files.js';
import { planJsonlParts, readJsonlDocuments, type LineCount, type LineRange } from './jsonl.js';

export { corpusFormatOf, expandCorpusInputs } from '../../io/files.js';
export { readJsonlDocuments } from './jsonl.js';

// The Parquet and Arrow readers are loaded when a file of theirs is met: apache-arrow alone
// is slow to load, a cost every scan worker would pay as it starts, for JSONL corpora too.
const parquetReader = () => import('./parquet.js');
const arrowReader = () => import('./arrow.js');

export interface PlanOptions {
  /**
   * Cut plain (uncompressed) JSONL files larger than this into parts of about
   * this many bytes, at line ends, so one large file is shared out among
   * workers. Planning then reads such files once to count their lines.
   * @default 0 (a part per JSONL file)
   */
  jsonlPartBytes?: number;
  /** Counts the lines of the ranges between cuts (the scan counts them on its workers); by default, on this thread. */
  countLines?: (ranges: LineRange[]) => Promise<LineCount[]>;
  /** Told before the lines of a file to be cut are counted (a long pause on a large file). */
  onCounting?: (file: string, bytes: number, parts: number) => void;
  signal?: AbortSignal;
}

/**
 * Split files into parts, in file order then part order.
 *
 * @throws ContamError `FILE_NOT_FOUND`, `UNKNOWN_FORMAT`, `EMPTY_INPUT` (an
 *   empty Parquet or Arrow file), `BAD_PARQUET`, `BAD_ARROW`
 */
export async function planCorpusParts(files: string[], options: PlanOptions = {}): Promise<CorpusPart[]> {
  const parts: CorpusPart[] = [];
  for (const file of files) {
    if (file === STDIN) {
      // stdin's size is unknown until read: its part claims 0 bytes and reports what it reads.
      parts.push({ file, format: 'jsonl', compression: null, index: 0, rowStart: 0, rows: null, bytes: 0 });
      continue;
    }
    if (await isStreamInput(file)) {
      // A FIFO the same way, whatever its name: it can be read only once, in order.
      parts.push({ file, format: 'jsonl', compression: null, index: 0, rowStart: 0, rows: null, bytes: 0, stream: true });
      continue;
    }
    const { format, compression } = corpusFormatOf(file);
    if (format === 'parquet') parts.push(...(await (await parquetReader()).planParquetParts(file)));
    else if (format === 'arrow') parts.push(...(await (await arrowReader()).planArrowParts(file)));
    else if (format === 'jsonl' && compression === null && options.jsonlPartBytes)
      parts.push(...(await planJsonlParts(file, await sizeOf(file), options.jsonlPartBytes, options.countLines, options.signal, options.onCounting)));
    else parts.push({ file, format, compression, index: 0, rowStart: 0, rows: null, bytes: await sizeOf(file) });
  }
  return parts;
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    throw new ContamError('FILE_NOT_FOUND', 'no such file', { file, cause: error, hint: 'check the corpus path' });
  }
}

/** Read one part's documents in batches (see the format readers for their errors). */
export async function* readCorpusPart(part: CorpusPart, options: CorpusReadOptions): AsyncGenerator<CorpusBatch> {
  switch (part.format) {
    case 'jsonl':
      yield* readJsonlDocuments(part, options);
      return;
    case 'parquet':
      yield* (await parquetReader()).readParquetDocuments(part, options);
      return;
    case 'arrow':
    case 'arrow-stream':
      yield* (await arrowReader()).readArrowDocuments(part, options);
      return;
  }
}

/** Expand the inputs, plan their parts and read every part in order. */
export async function* readCorpusDocuments(inputs: string[], options: CorpusReadOptions): AsyncGenerator<CorpusBatch> {
  const files = await expandCorpusInputs(inputs);
  const parts = await planCorpusParts(files);
  for (const part of parts) yield* readCorpusPart(part, options);
}

/**
 * The corpus side of io: inputs -> files -> parts -> batches of documents.
 *
 *   expandCorpusInputs (files.ts) -> planCorpusParts -> readCorpusPart (jsonl.ts, parquet.ts, arrow.ts)
 *
 * A part is the unit of parallel work and of progress: a whole JSONL file (any
 * compression), one Parquet row group, one Arrow IPC file record batch, or a
 * whole Arrow IPC stream. Invariant: the bytes of a file's parts sum to its
 * size on disk, and the `bytesRead` of a part's batches sum to the part's
 * bytes, so progress reaches exactly 100%.
 */
import { stat } from 'node:fs/promises';
import { ContamError } from '../errors.js';
import type { CorpusBatch, CorpusPart, CorpusReadOptions } from '../types.js';
import { planArrowParts, readArrowDocuments } from './arrow.js';
import { corpusFormatOf, expandCorpusInputs, STDIN } from './files.js';
import { readJsonlDocuments } from './jsonl.js';
import { planParquetParts, readParquetDocuments } from './parquet.js';

export { corpusFormatOf, expandCorpusInputs } from './files.js';
export { readJsonlDocuments } from './jsonl.js';
export { readParquetDocuments } from './parquet.js';
export { readArrowDocuments } from './arrow.js';

/**
 * Split files into parts, in file order then part order.
 *
 * @throws ContamError `FILE_NOT_FOUND`, `UNKNOWN_FORMAT`, `EMPTY_INPUT` (an
 *   empty Parquet or Arrow file), `BAD_PARQUET`, `BAD_ARROW`
 */
export async function planCorpusParts(files: string[]): Promise<CorpusPart[]> {
  const parts: CorpusPart[] = [];
  for (const file of files) {
    const { format, compression } = corpusFormatOf(file);
    if (file === STDIN) {
      // stdin's size is unknown until read: its part claims 0 bytes and reports what it reads.
      parts.push({ file, format, compression, index: 0, rowStart: 0, rows: null, bytes: 0 });
      continue;
    }
    if (format === 'parquet') parts.push(...(await planParquetParts(file)));
    else if (format === 'arrow') parts.push(...(await planArrowParts(file)));
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
export function readCorpusPart(part: CorpusPart, options: CorpusReadOptions): AsyncIterable<CorpusBatch> {
  switch (part.format) {
    case 'jsonl':
      return readJsonlDocuments(part, options);
    case 'parquet':
      return readParquetDocuments(part, options);
    case 'arrow':
    case 'arrow-stream':
      return readArrowDocuments(part, options);
  }
}

/** Expand the inputs, plan their parts and read every part in order. */
export async function* readCorpusDocuments(inputs: string[], options: CorpusReadOptions): AsyncGenerator<CorpusBatch> {
  const files = await expandCorpusInputs(inputs);
  const parts = await planCorpusParts(files);
  for (const part of parts) yield* readCorpusPart(part, options);
}

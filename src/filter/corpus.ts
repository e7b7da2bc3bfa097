/**
 * Decontaminated corpora: every document goes through the DocumentScanner
 * (verified matches only, with their spans in the document's own text) and is
 * written back in its own format, every other column or key preserved.
 *
 *   --mode drop   a document with any verified match is left out;
 *   --mode cut    it is cut around its matches as lm-evaluation-harness's
 *                 Janitor does (cut.ts); each kept piece becomes a document of
 *                 its own with id `<id>#<k>` (k from 0; `<row>#<k>` without an id),
 *                 and a document cut to nothing (or too dirty) is dropped.
 *
 * Formats: JSONL (plain, .gz, .zst; an untouched record is its original line
 * bytes, a cut one is the parsed record with the text and id keys replaced in
 * place), Parquet (the input's schema, key-value metadata and codec where an
 * encoder exists, one output row group per input row group) and Arrow IPC
 * (file or stream, as the input). The documents are read with the corpus
 * readers (readCorpusPart), so validation and errors are the scan's; the other
 * columns are read beside them, row for row.
 *
 * Invariant: scanning the output under the same index finds no match, because
 * every verified span is removed with at least its own characters, and the
 * output folder appears only when complete.
 */
import path from 'node:path';
import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type CompressionCodec, type FileMetaData, type SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { Field, RecordBatchReader, Utf8, type RecordBatch } from 'apache-arrow';
import { mkdirSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { ContamError } from '../errors.js';
import { resolveFilterOptions } from '../options.js';
import type { ContamIndex } from '../cidx/contam-index.js';
import { openDecompressed, readFileChunks } from '../io/compression.js';
import { expandCorpusInputs, planCorpusParts, readCorpusPart } from '../readers/corpus/documents.js';
import { openFileBuffer } from '../readers/corpus/parquet.js';
import { isBlankLine, splitLines } from '../readers/corpus/jsonl.js';
import { ArrowFileWriter, JsonlWriter, ParquetFileWriter, takeRows, writeFolderAtomic } from '../writers/writers.js';
import { DocumentScanner, type SampleDocMatch } from '../scan/document-scanner.js';
import { createUnitExtractor } from '../text/units.js';
import type { CorpusColumns, CorpusDocument, CorpusPart } from '../types.js';
import { cutDocument, type CutOptions } from './cut.js';

export type FilterMode = 'drop' | 'cut';

export interface CorpusFilterOptions {
  /** @default 'drop' */
  mode?: FilterMode;
  /** @default { text: 'text', id: 'id' } */
  columns?: CorpusColumns;
  /** Janitor parameters for `cut`. */
  cut?: CutOptions;
  /** Documents per read batch. @default 1024 */
  batchSize?: number;
  signal?: AbortSignal;
  /** Called after each file with the counts so far. */
  onFile?: (file: FileSummary) => void;
}

/** What a filter did to documents: per file and in total. */
export interface FilterCounts {
  documents: number;
  /** Documents without a match, written unchanged. */
  kept: number;
  /** Documents cut into pieces (at least one piece kept). */
  cut: number;
  /** Documents left out (matched in drop mode; too dirty or cut to nothing in cut mode). */
  dropped: number;
  /** Documents written: kept + pieces of cut documents. */
  written: number;
  /** UTF-8 bytes of the documents' texts read. */
  bytes_in: number;
  /** UTF-8 bytes of text removed (whole dropped texts, and what cutting removed). */
  bytes_removed: number;
}

/** What happened to one input file. */
export interface FileSummary extends FilterCounts {
  input: string;
  /** Path of the output relative to the output folder. */
  output: string;
  /** For Parquet: the codec of the input and the one written. */
  codec?: { input: string; output: string };
}

/** The `contam filter corpus` summary (snake_case: it is printed as JSON). */
export interface CorpusFilterSummary extends FilterCounts {
  mode: FilterMode;
  window: number | null;
  min_piece: number | null;
  max_pieces: number | null;
  files: FileSummary[];
}

/** What to do with one document. */
export type DocumentDecision = { action: 'keep' } | { action: 'drop' } | { action: 'cut'; pieces: { start: number; end: number; text: string }[] };

/** Merged [start, end) spans of all samples' matches in one document, ascending. */
export function matchedRegions(matches: SampleDocMatch[]): [number, number][] {
  const all: [number, number][] = [];
  for (const m of matches) for (const s of m.spans) all.push([s[0], s[1]]);
  all.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: [number, number][] = [];
  for (const s of all) {
    const last = out[out.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push(s);
  }
  return out;
}

/** Decide a document's fate from its verified matches. */
export function decideDocument(text: string, matches: SampleDocMatch[], mode: FilterMode, cut: CutOptions = {}): DocumentDecision {
  if (matches.length === 0) return { action: 'keep' };
  if (mode === 'drop') return { action: 'drop' };
  const pieces = cutDocument(text, matchedRegions(matches), cut);
  return pieces.length === 0 ? { action: 'drop' } : { action: 'cut', pieces };
}

const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8');

/** One output row: the input row it copies, and for a piece its new text and id. */
interface OutRow {
  row: number;
  text?: string;
  id?: string;
}

/** Scans documents and turns decisions into output rows, counting as it goes. */
class Decider {
  constructor(
    private readonly scanner: DocumentScanner,
    private readonly mode: FilterMode,
    private readonly cut: CutOptions,
    readonly summary: FileSummary,
  ) {}

  /** Output rows for `doc`; `local` is its index within the current block of rows. */
  decide(doc: CorpusDocument, local: number, out: OutRow[]): void {
    const s = this.summary;
    s.documents++;
    const bytes = utf8Length(doc.text);
    s.bytes_in += bytes;
    const decision = decideDocument(doc.text, this.scanner.scan(doc.text), this.mode, this.cut);
    if (decision.action === 'keep') {
      s.kept++;
      s.written++;
      out.push({ row: local });
    } else if (decision.action === 'drop') {
      s.dropped++;
      s.bytes_removed += bytes;
    } else {
      s.cut++;
      let kept = 0;
      decision.pieces.forEach((piece, k) => {
        kept += utf8Length(piece.text);
        out.push({ row: local, text: piece.text, id: `${doc.id ?? doc.row}#${k}` });
      });
      s.written += decision.pieces.length;
      s.bytes_removed += bytes - kept;
    }
  }
}

/** Pulls documents from a part's batches n at a time, so other readers can walk beside it row for row. */
class DocumentPuller {
  private readonly iterator: AsyncIterator<{ documents: CorpusDocument[] }>;
  private buffer: CorpusDocument[] = [];
  private at = 0;
  constructor(batches: AsyncIterable<{ documents: CorpusDocument[] }>) {
    this.iterator = batches[Symbol.asyncIterator]();
  }
  async next(): Promise<CorpusDocument | null> {
    while (this.at >= this.buffer.length) {
      const next = await this.iterator.next();
      if (next.done) return null;
      this.buffer = next.value.documents;
      this.at = 0;
    }
    return this.buffer[this.at++]!;
  }
  async rest(): Promise<void> {
    while ((await this.iterator.next()).done !== true);
  }
}

/**
 * Write a decontaminated copy of the corpus `inputs` into the folder `output`
 * (created atomically; it must not exist or be empty), keeping the inputs'
 * relative paths below their common folder.
 *
 * @throws ContamError from the corpus readers, `BAD_ARGUMENT` (output exists,
 *   bad cut parameters), `WRITE_FAILED`, `DISK_FULL`, `INTERRUPTED`
 */
export async function filterCorpus(index: ContamIndex, inputs: string[], output: string, options: CorpusFilterOptions = {}): Promise<CorpusFilterSummary> {
  const { mode, cut, columns, batchSize } = resolveFilterOptions(options);
  const files = await expandCorpusInputs(inputs);
  if (files.includes('-')) throw new ContamError('BAD_ARGUMENT', 'cannot filter stdin: the output mirrors input files', { hint: 'name corpus files or folders' });
  const root = commonFolder(await Promise.all(inputs.map(inputFolder)));
  const units = await createUnitExtractor(index.config);
  const scanner = new DocumentScanner(index, units);
  const summaries = await writeFolderAtomic(output, async (folder) => {
    const done: FileSummary[] = [];
    for (const file of files) {
      const relative = path.relative(root, path.resolve(file));
      const target = path.join(folder, relative);
      // Synchronously: a recursive mkdir still in flight on libuv's threads when a SIGTERM handler
      // has removed the temporary folder would create it again, and it would outlive the run
      // (the resume test 'SIGTERM while a decontaminated corpus is being written' failed so).
      mkdirSync(path.dirname(target), { recursive: true });
      const summary: FileSummary = { input: file, output: relative, documents: 0, kept: 0, cut: 0, dropped: 0, written: 0, bytes_in: 0, bytes_removed: 0 };
      const decider = new Decider(scanner, mode, cut, summary);
      const parts = await planCorpusParts([file]);
      const read = { columns, batchSize, signal: options.signal };
      if (parts[0]!.format === 'jsonl') await filterJsonl(parts[0]!, target, decider, read);
      else if (parts[0]!.format === 'parquet') await filterParquet(parts, target, decider, read, mode);
      else await filterArrow(parts, target, decider, read, mode);
      done.push(summary);
      options.onFile?.(summary);
    }
    return done;
  });
  const total = (key: 'documents' | 'kept' | 'cut' | 'dropped' | 'written' | 'bytes_in' | 'bytes_removed') => summaries.reduce((sum, s) => sum + s[key], 0);
  return {
    mode,
    window: mode === 'cut' ? cut.window : null,
    min_piece: mode === 'cut' ? cut.minPiece : null,
    max_pieces: mode === 'cut' ? cut.maxPieces : null,
    documents: total('documents'),
    kept: total('kept'),
    cut: total('cut'),
    dropped: total('dropped'),
    written: total('written'),
    bytes_in: total('bytes_in'),
    bytes_removed: total('bytes_removed'),
    files: summaries,
  };
}

/** The folder an input names: itself for a folder, else the folder of the file or of the glob's fixed prefix. */
async function inputFolder(input: string): Promise<string> {
  const info = await stat(input).catch(() => null);
  if (info?.isDirectory()) return path.resolve(input);
  const wildcard = input.search(/[*?[{]/);
  return path.dirname(path.resolve(wildcard < 0 ? input : input.slice(0, wildcard) + 'x'));
}

/** The deepest folder holding all `folders`: output paths mirror the inputs below it. */
function commonFolder(folders: string[]): string {
  const dirs = folders.map((f) => f.split(path.sep));
  let common = dirs[0] ?? [];
  for (const d of dirs) {
    let k = 0;
    while (k < common.length && k < d.length && common[k] === d[k]) k++;
    common = common.slice(0, k);
  }
  return common.join(path.sep) || path.sep;
}

interface ReadSettings {
  columns: CorpusColumns;
  batchSize?: number;
  signal?: AbortSignal;
}

// ---------------------------------------------------------------------------
// JSONL

/** Non-blank lines of a (decompressed) JSONL file as raw bytes without the newline, as the reader counts records. */
async function* rawLines(part: CorpusPart, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  for await (const lines of splitLines(openDecompressed(part.file, part.compression, signal))) {
    for (const line of lines) if (!isBlankLine(line)) yield line;
  }
}

const decoder = new TextDecoder();

async function filterJsonl(part: CorpusPart, target: string, decider: Decider, read: ReadSettings): Promise<void> {
  const writer = new JsonlWriter(target, part.compression);
  try {
    const lines = rawLines(part, read.signal)[Symbol.asyncIterator]();
    const out: OutRow[] = [];
    // Close the line reader's file even when the records run out first or an error stops us.
    try {
      for await (const batch of readCorpusPart(part, read)) {
        for (const doc of batch.documents) {
          const line = await lines.next();
          if (line.done) throw new Error(`the JSONL lines of ${part.file} ran out before its records`);
          out.length = 0;
          decider.decide(doc, 0, out);
          for (const row of out) {
            if (row.text === undefined) {
              await writer.writeLine(line.value);
              continue;
            }
            let text = decoder.decode(line.value);
            if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
            const record = JSON.parse(text) as Record<string, unknown>;
            record[read.columns.text] = row.text;
            record[read.columns.id] = row.id;
            await writer.writeRecord(record);
          }
        }
      }
    } finally {
      await lines.return?.(undefined);
    }
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Parquet

function isStringElement(element: SchemaElement): boolean {
  return element.type === 'BYTE_ARRAY' && (element.converted_type === 'UTF8' || element.logical_type?.type === 'STRING') && !element.num_children;
}

/** The output schema: the input's, with a string id column in cut mode (replacing a non-string one, or added). */
function outputSchema(metadata: FileMetaData, idColumn: string, mode: FilterMode): { schema: SchemaElement[]; idAsString: boolean } {
  const schema = metadata.schema.map((e) => ({ ...e }));
  if (mode !== 'cut') return { schema, idAsString: false };
  const stringId: SchemaElement = { name: idColumn, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' };
  const at = topLevelIndex(schema, idColumn);
  if (at < 0) {
    schema[0] = { ...schema[0]!, num_children: (schema[0]!.num_children ?? 0) + 1 };
    schema.push(stringId);
    return { schema, idAsString: true };
  }
  if (isStringElement(schema[at]!)) return { schema, idAsString: false };
  if (schema[at]!.num_children) throw new ContamError('BAD_VALUE', `the '${idColumn}' column is nested; cut pieces need a string id`, { hint: 'choose a flat column as the id column' });
  schema[at] = stringId;
  return { schema, idAsString: true };
}

function topLevelIndex(schema: SchemaElement[], name: string): number {
  let i = 1;
  const skip = (): void => {
    const e = schema[i++]!;
    for (let c = 0; c < (e.num_children ?? 0); c++) skip();
  };
  for (let c = 0; c < (schema[0]?.num_children ?? 0); c++) {
    if (schema[i]!.name === name) return i;
    skip();
  }
  return -1;
}

async function filterParquet(parts: CorpusPart[], target: string, decider: Decider, read: ReadSettings, mode: FilterMode): Promise<void> {
  const file = parts[0]!.file;
  const buffer = await openFileBuffer(file);
  let writer: ParquetFileWriter | null = null;
  try {
    let metadata: FileMetaData;
    try {
      metadata = await parquetMetadataAsync(buffer);
    } catch (error) {
      throw new ContamError('BAD_PARQUET', `cannot read the Parquet footer: ${(error as Error).message}`, { file, cause: error });
    }
    const codec = (metadata.row_groups[0]?.columns[0]?.meta_data?.codec ?? 'SNAPPY') as CompressionCodec;
    const { schema, idAsString } = outputSchema(metadata, read.columns.id, mode);
    writer = new ParquetFileWriter(target, { schema, codec, kvMetadata: metadata.key_value_metadata });
    decider.summary.codec = { input: codec, output: writer.codec };
    const names = writer.columns;
    const inputNames = parquetSchema(metadata).children.map((c) => c.element.name);
    for (const part of parts) {
      if (part.rows === 0) continue;
      const docs = new DocumentPuller(readCorpusPart(part, read));
      let rows: Record<string, unknown>[];
      try {
        rows = (await parquetReadObjects({ file: buffer, metadata, rowStart: part.rowStart, rowEnd: part.rowStart + (part.rows ?? 0), compressors })) as Record<string, unknown>[];
      } catch (error) {
        throw new ContamError('BAD_PARQUET', `cannot read row group ${part.index}: ${(error as Error).message}`, { file, cause: error });
      }
      const out: OutRow[] = [];
      for (let r = 0; r < rows.length; r++) {
        const doc = await docs.next();
        if (!doc) throw new Error(`row group ${part.index} of ${file} has more rows than documents`);
        decider.decide(doc, r, out);
      }
      await docs.rest();
      const columns: Record<string, unknown[]> = {};
      for (const name of names) {
        const present = inputNames.includes(name);
        columns[name] = out.map((o) => {
          if (name === read.columns.text && o.text !== undefined) return o.text;
          if (name === read.columns.id && (o.id !== undefined || idAsString)) return o.id ?? idString(present ? rows[o.row]![name] : undefined);
          return present ? rows[o.row]![name] : null;
        });
      }
      await writer.writeRowGroup(columns);
    }
    await writer.commit();
  } catch (error) {
    await writer?.abort();
    throw error;
  } finally {
    await buffer.close();
  }
}

function idString(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  return typeof value === 'object' ? JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) : String(value);
}

// ---------------------------------------------------------------------------
// Arrow

/** The record batches of one Arrow part: one batch of an IPC file, or every batch of a stream. */
async function* arrowBatches(part: CorpusPart, signal?: AbortSignal): AsyncGenerator<RecordBatch> {
  if (part.format === 'arrow') {
    const handle = await open(part.file, 'r');
    try {
      const reader = await RecordBatchReader.from(handle);
      await reader.open();
      if (reader.isFile() && reader.numRecordBatches > 0) {
        const batch = await reader.readRecordBatch(part.index);
        if (batch) yield batch;
      }
    } finally {
      await handle.close();
    }
    return;
  }
  const reader = await RecordBatchReader.from(readFileChunks(part.file, signal));
  for await (const batch of reader) yield batch as RecordBatch;
}

async function filterArrow(parts: CorpusPart[], target: string, decider: Decider, read: ReadSettings, mode: FilterMode): Promise<void> {
  const writer = new ArrowFileWriter(target, parts[0]!.format === 'arrow' ? 'file' : 'stream');
  const idField = new Field(read.columns.id, new Utf8(), true);
  try {
    for (const part of parts) {
      const docs = new DocumentPuller(readCorpusPart(part, read));
      for await (const batch of arrowBatches(part, read.signal)) {
        const out: OutRow[] = [];
        for (let r = 0; r < batch.numRows; r++) {
          const doc = await docs.next();
          if (!doc) throw new Error(`a record batch of ${part.file} has more rows than documents`);
            decider.decide(doc, r, out);
        }
        const take = Int32Array.from(out, (o) => o.row);
        const replace = new Map<string, { field: Field; values: unknown[] }>();
        if (mode === 'cut') {
          const textField = batch.schema.fields.find((f) => f.name === read.columns.text)!;
          const texts = batch.getChild(read.columns.text)!;
          replace.set(read.columns.text, { field: textField, values: out.map((o) => o.text ?? texts.get(o.row)) });
          const existing = batch.schema.fields.find((f) => f.name === read.columns.id);
          const ids = batch.getChild(read.columns.id);
          const stringIds = existing !== undefined && (existing.type instanceof Utf8 || String(existing.type) === 'Utf8');
          replace.set(read.columns.id, {
            field: stringIds ? existing : idField,
            values: out.map((o) => o.id ?? (ids ? idString(ids.get(o.row)) : null)),
          });
        }
        writer.write(takeRows(batch, take, replace));
      }
      await docs.rest();
    }
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

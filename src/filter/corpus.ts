/**
 * Decontaminated corpora: every document goes through the DocumentScanner
 * (verified matches only, with their spans in the document's own text) and is
 * written back in its own format, every other column or key preserved.
 *
 *   mode drop   a document with any verified match is left out;
 *   mode cut    it is cut around its matches as lm-evaluation-harness's
 *                 Janitor does (cut.ts); each kept piece becomes a document of
 *                 its own with id `<id>#<k>` (k from 0; `<row>#<k>` without an id),
 *                 and a document cut to nothing (or too dirty) is dropped.
 *
 * This file decides each document's rows (the Decider); the rewriting in each
 * format is next to the writers (src/writers/rewrite*.ts): JSONL (plain, .gz,
 * .zst), Parquet and Arrow IPC (file or stream, as the input). The documents
 * are read with the corpus readers, so validation and errors are the scan's.
 *
 * Invariant: scanning the output under the same index finds no match, because
 * every verified span is removed with at least its own characters, and the
 * output folder appears only when complete.
 */
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ContamError } from '../errors.js';
import { resolveFilterOptions } from '../options.js';
import type { ContamIndex } from '../cidx/contam-index.js';
import { expandCorpusInputs, planCorpusParts } from '../readers/corpus/documents.js';
import { writeFolderAtomic } from '../writers/writers.js';
import type { OutRow, RowDecider } from '../writers/rewrite.js';
import { rewriteArrow } from '../writers/rewrite-arrow.js';
import { rewriteJsonl } from '../writers/rewrite-jsonl.js';
import { rewriteParquet } from '../writers/rewrite-parquet.js';
import { DocumentScanner, type SampleDocMatch } from '../scan/document-scanner.js';
import { createUnitExtractor } from '../text/units.js';
import type { CorpusColumns, CorpusDocument } from '../types.js';
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

/** Scans documents and turns decisions into output rows, counting as it goes. */
class Decider implements RowDecider {
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
      const read = { columns, batchSize, signal: options.signal, pieces: mode === 'cut' };
      if (parts[0]!.format === 'jsonl') await rewriteJsonl(parts[0]!, target, decider, read);
      else if (parts[0]!.format === 'parquet') summary.codec = await rewriteParquet(parts, target, decider, read);
      else await rewriteArrow(parts, target, decider, read);
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
  return path.dirname(path.resolve(wildcard < 0 ? input : `${input.slice(0, wildcard)}x`));
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

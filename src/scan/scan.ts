/**
 * The streaming scan: corpus parts in, one Report out. Memory is bounded by
 * the reader's batch and the per-sample tallies (at most `maxMatches` matches
 * each), never by the corpus. Parts (whole JSONL files, Parquet row groups,
 * Arrow record batches) are the unit of work: each yields a PartResult whose
 * merge is order-independent, so any split of the parts gives the same report.
 */
import os from 'node:os';
import { ContamError } from '../errors.js';
import type { ContamIndex } from '../index/contam-index.js';
import { expandCorpusInputs, planCorpusParts, readCorpusPart } from '../io/corpus.js';
import { buildReport } from '../report/build.js';
import { createUnitExtractor, type UnitExtractor } from '../text/units.js';
import type { CorpusBatch, CorpusColumns, CorpusPart, Report } from '../types.js';
import { MatchAccumulator } from './accumulator.js';
import { CorpusScanner, resolveColumns, resolveRule, type ScanOptions } from './corpus-scanner.js';
import { emptyCounters, type ScanCounters } from './document-scanner.js';
import { scanPartsInParallel } from './parallel.js';

export type { ScanOptions, ScanProgress } from './corpus-scanner.js';

/** What scanning one part found. */
export interface PartResult {
  documents: number;
  characters: number;
  bytes: number;
  counters: ScanCounters;
  accumulator: MatchAccumulator;
  /** Documents each index entry was verified in, as [entry, documents] ascending by entry. */
  docFreq: [number, number][];
}

/** Scan one corpus part on this thread. */
export async function scanPart(
  index: ContamIndex,
  part: CorpusPart,
  file: number,
  options: { columns: CorpusColumns; maxMatches: number; batchSize?: number; signal?: AbortSignal; units?: UnitExtractor },
  onBatch?: (batch: CorpusBatch) => void,
): Promise<PartResult> {
  const units = options.units ?? (await createUnitExtractor(index.config));
  const scanner = new CorpusScanner(index, units, options.maxMatches);
  let bytes = 0;
  for await (const batch of readCorpusPart(part, { columns: options.columns, batchSize: options.batchSize, signal: options.signal })) {
    if (options.signal?.aborted) throw new ContamError('INTERRUPTED', 'the scan was interrupted');
    for (const document of batch.documents) scanner.scanDocument(document, file);
    bytes += batch.bytesRead;
    onBatch?.(batch);
  }
  return {
    documents: scanner.documents,
    characters: scanner.characters,
    bytes,
    counters: scanner.scanner.counters,
    accumulator: scanner.accumulator,
    docFreq: [...scanner.scanner.docFreq].sort((x, y) => x[0] - y[0]),
  };
}

/** Scan corpus files, directories or globs against an index and build the report. */
export async function scanCorpus(index: ContamIndex, inputs: string[], options: ScanOptions = {}): Promise<Report> {
  const columns = resolveColumns(options.columns);
  const rule = resolveRule(options.rule);
  const maxMatches = options.maxMatches ?? 10;
  const workers = options.workers ?? os.availableParallelism();
  if (!Number.isInteger(workers) || workers < 1) {
    throw new ContamError('BAD_ARGUMENT', `expected --workers to be a whole number from 1 up, got ${workers}`);
  }
  const files = await expandCorpusInputs(inputs);
  const parts = await planCorpusParts(files);
  const fileIndex = new Map(files.map((f, i) => [f, i] as const));
  const tasks = parts.map((part) => ({ part, file: fileIndex.get(part.file)! }));
  const bytesTotal = parts.reduce((sum, p) => sum + p.bytes, 0);
  let documents = 0;
  let bytesDone = 0;
  let partsDone = 0;
  const progress = () => options.onProgress?.({ bytesDone, bytesTotal, documents, partsDone, parts: parts.length });

  let results: PartResult[];
  // stdin cannot be read from a worker thread; neither is one part worth a thread.
  if (workers > 1 && tasks.length > 1 && !files.includes('-')) {
    results = await scanPartsInParallel(index, tasks, {
      workers,
      columns,
      maxMatches,
      batchSize: options.batchSize,
      signal: options.signal,
      onBatch: (bytes, docs) => {
        bytesDone += bytes;
        documents += docs;
        progress();
      },
      onPart: () => {
        partsDone++;
      },
    });
  } else {
    const units = await createUnitExtractor(index.config);
    results = [];
    for (const task of tasks) {
      results.push(
        await scanPart(index, task.part, task.file, { columns, maxMatches, batchSize: options.batchSize, signal: options.signal, units }, (batch) => {
          documents += batch.documents.length;
          bytesDone += batch.bytesRead;
          progress();
        }),
      );
      partsDone++;
    }
  }
  progress();
  const accumulator = new MatchAccumulator(maxMatches);
  const counters = emptyCounters();
  const docFreq = new Map<number, number>();
  let totalDocuments = 0;
  for (const result of results) {
    accumulator.merge(result.accumulator);
    for (const [e, n] of result.docFreq) docFreq.set(e, (docFreq.get(e) ?? 0) + n);
    totalDocuments += result.documents;
    for (const key of Object.keys(counters) as (keyof ScanCounters)[]) counters[key] += result.counters[key];
  }
  return buildReport({ index, accumulator, files, corpus: { documents: totalDocuments, bytes: bytesTotal }, rule, columns, docFreq, maxDocFreq: options.maxDocFreq });
}

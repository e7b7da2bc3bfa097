/**
 * The streaming scan: corpus parts in, one Report out. Memory is bounded by
 * the reader's batch and the per-sample tallies (at most `maxMatches` matches
 * each), never by the corpus. Parts (whole JSONL files, Parquet row groups,
 * Arrow record batches) are the unit of work: each yields a PartResult whose
 * merge is order-independent, so any split of the parts gives the same report.
 */
import { DEFAULTS } from '../defaults.js';
import os from 'node:os';
import { ContamError, isContamError } from '../errors.js';
import type { ContamIndex } from '../cidx/contam-index.js';
import { expandCorpusInputs, planCorpusParts, readCorpusPart } from '../readers/corpus/documents.js';
import { isStreamPart, JSONL_PART_BYTES, type LineRange } from '../readers/corpus/jsonl.js';
import { createUnitExtractor, type UnitExtractor } from '../text/units.js';
import type { CorpusBatch, CorpusColumns, CorpusPart, Report, SkippedInput } from '../types.js';
import { CorpusScanner, resolveColumns, resolveRule, type ScanOptions } from './corpus-scanner.js';
import { emptyResult, mergeResult, type PartResult } from './part-result.js';
import { reportOfResult } from './report-input.js';
import { createLineCounter, scanPartsInParallel } from './parallel.js';
import { openCheckpoint } from './checkpoint.js';
import { machineThreads } from './worker-pool.js';

export type { ScanOptions, ScanProgress } from './corpus-scanner.js';
export type { PartResult } from './part-result.js';

function skippedOf(error: ContamError, file: string): SkippedInput {
  return { file: error.file ?? file, where: error.where ?? null, code: error.code, message: error.message };
}

/** Scan one corpus part on this thread. */
export async function scanPart(
  index: ContamIndex,
  part: CorpusPart,
  file: number,
  options: { columns: CorpusColumns; maxMatches: number; batchSize?: number; signal?: AbortSignal; units?: UnitExtractor; skipBad?: boolean },
  onBatch?: (batch: CorpusBatch) => void,
): Promise<PartResult> {
  const units = options.units ?? (await createUnitExtractor(index.config));
  const scanner = new CorpusScanner(index, units, options.maxMatches);
  const skipped: SkippedInput[] = [];
  let bytes = 0;
  try {
    const onBadDocument = options.skipBad ? (error: ContamError) => skipped.push(skippedOf(error, part.file)) : undefined;
    for await (const batch of readCorpusPart(part, { columns: options.columns, batchSize: options.batchSize, signal: options.signal, onBadDocument })) {
      if (options.signal?.aborted) throw new ContamError('INTERRUPTED', 'the scan was interrupted');
      for (const document of batch.documents) scanner.scanDocument(document, file);
      bytes += batch.bytesRead;
      onBatch?.(batch);
    }
  } catch (error) {
    // Under skipBad, a part that cannot be read on is skipped from there; what was read counts.
    if (!options.skipBad || !isContamError(error) || error.code === 'INTERRUPTED') throw error;
    skipped.push(skippedOf(error, part.file));
    const rest = part.bytes - bytes;
    if (rest > 0) onBatch?.({ part, documents: [], bytesRead: rest });
    bytes = part.bytes;
  }
  return {
    documents: scanner.documents,
    bytes,
    counters: scanner.scanner.counters,
    accumulator: scanner.accumulator,
    docFreq: scanner.scanner.documentFrequencies(),
    skipped,
  };
}

/** Which of the scan's parts a shard takes: `index` of `count` (0-based). */
export interface ShardSpec {
  index: number;
  count: number;
}

/**
 * Everything a scan found, in a form that merges: the parts' merged result
 * and which parts it holds. Shards and checkpoints are ScanStates, and a
 * report is built from one (`reportFromState`).
 */
export interface ScanState extends PartResult {
  /** All corpus files, in scan order (MatchRecord.file indexes this list), whichever parts were scanned. */
  files: string[];
  /** Parts scanned, as positions in the full plan. */
  parts: number[];
  /** Parts in the full plan. */
  partCount: number;
}

/** Fold one part's result into a state. */
export function addPartResult(state: ScanState, part: number, result: PartResult): void {
  state.parts.push(part);
  mergeResult(state, result);
}

/** Merge states of disjoint part sets of the same plan. */
export function mergeScanStates(states: ScanState[]): ScanState {
  const first = states[0]!;
  const merged: ScanState = { files: first.files, parts: [], partCount: first.partCount, ...emptyResult(first.accumulator.maxMatches) };
  for (const state of states) {
    mergeResult(merged, state);
    merged.parts.push(...state.parts);
  }
  merged.parts.sort((x, y) => x - y);
  return merged;
}

/**
 * Assign parts to `count` shards: largest first, each to the shard with the
 * fewest bytes so far (ties to the lowest shard). Deterministic for a plan.
 */
export function assignShards(parts: CorpusPart[], count: number): number[][] {
  const order = parts.map((_, i) => i).sort((x, y) => parts[y]!.bytes - parts[x]!.bytes || x - y);
  const load = new Array<number>(count).fill(0);
  const shards: number[][] = Array.from({ length: count }, () => []);
  for (const i of order) {
    let best = 0;
    for (let k = 1; k < count; k++) if (load[k]! < load[best]!) best = k;
    shards[best]!.push(i);
    load[best]! += parts[i]!.bytes;
  }
  return shards.map((list) => list.sort((x, y) => x - y));
}

export interface ScanStateOptions extends ScanOptions {
  shard?: ShardSpec;
  /** Skip bad documents, unreadable files and parts, listing them in the report, instead of stopping. */
  skipBad?: boolean;
  /** Folder for per-part checkpoints: finished parts are skipped when the scan is run again. */
  checkpoint?: string;
  /** Plain JSONL files larger than this are scanned as parts of about this many bytes; 0 keeps a part per file. @default 64 MiB (0 under `shard`, and on one thread without a checkpoint) */
  jsonlPartBytes?: number;
  /** Told before the lines of a large plain JSONL file are counted, which comes before any progress. */
  onCounting?: (file: string, bytes: number, parts: number) => void;
  /** Told when fewer threads than `workers` will scan, and why (see capWorkers). */
  onWorkers?: (cap: WorkerCap) => void;
}

/** How many threads a scan uses of those asked for, and what bounds them. */
export interface WorkerCap {
  requested: number;
  threads: number;
  cores: number;
  /** Threads that half the machine's memory holds. */
  memoryThreads: number;
  parts: number;
}

/**
 * Threads for `requested` workers over `parts` parts: at most one per part,
 * and at most what the machine holds (machineThreads).
 */
export function capWorkers(requested: number, parts: number): WorkerCap {
  const machine = machineThreads();
  return { requested, threads: Math.max(1, Math.min(requested, parts, machine.threads)), cores: machine.cores, memoryThreads: machine.memoryThreads, parts };
}

/** Scan (a shard of) the corpus and return the mergeable state. */
export async function scanCorpusState(index: ContamIndex, inputs: string[], options: ScanStateOptions = {}): Promise<ScanState> {
  const columns = resolveColumns(options.columns);
  resolveRule(options.rule);
  const maxMatches = options.maxMatches ?? DEFAULTS.maxMatches;
  const workers = options.workers ?? os.availableParallelism();
  if (!Number.isInteger(workers) || workers < 1) {
    throw new ContamError('BAD_ARGUMENT', `expected the workers option to be a whole number from 1 up, got ${workers}`);
  }
  const files = await expandCorpusInputs(inputs);
  const planSkipped: SkippedInput[] = [];
  let parts: CorpusPart[];
  // A large plain JSONL file is cut into parts so that every worker has a share of it. Not under
  // a shard: each shard plans every file, and would read every large file through to count lines.
  // Nor, unless asked, on one thread, which scans the parts in turn: the cut buys nothing there,
  // and counting lines is a pass over the file before the scan starts. A checkpoint keeps the
  // cut: parts are what it resumes by, and a resume with more workers must plan the same parts.
  // Counting lines is as CPU-bound as scanning: no more threads than the machine holds.
  const countingThreads = Math.min(workers, machineThreads().threads);
  const wholeFiles = Boolean(options.shard) || (options.jsonlPartBytes === undefined && countingThreads === 1 && !options.checkpoint);
  const jsonlPartBytes = wholeFiles ? 0 : (options.jsonlPartBytes ?? JSONL_PART_BYTES);
  const counter = jsonlPartBytes > 0 && countingThreads > 1 ? createLineCounter(countingThreads, options.signal) : null;
  const plan = { jsonlPartBytes, countLines: counter ? (ranges: LineRange[]) => counter.count(ranges) : undefined, signal: options.signal, onCounting: options.onCounting };
  try {
    if (!options.skipBad) parts = await planCorpusParts(files, plan);
    else {
      // Plan file by file so that one unreadable file (a broken footer, an empty file) is skipped alone.
      parts = [];
      for (const file of files) {
        try {
          parts.push(...(await planCorpusParts([file], plan)));
        } catch (error) {
          if (!isContamError(error) || error.code === 'INTERRUPTED') throw error;
          planSkipped.push(skippedOf(error, file));
        }
      }
    }
  } finally {
    counter?.close();
  }
  const fileIndex = new Map(files.map((f, i) => [f, i] as const));
  let chosen = parts.map((_, i) => i);
  if (options.shard) {
    const { index: k, count } = options.shard;
    if (!(Number.isInteger(count) && count >= 1 && Number.isInteger(k) && k >= 0 && k < count)) {
      throw new ContamError('BAD_ARGUMENT', `expected the shard option to be { index, count } with 0 <= index < count, got ${k} of ${count}`);
    }
    chosen = assignShards(parts, count)[k]!;
  }
  // Files skipped at planning belong to the first shard only, so merged shards list them once.
  const state: ScanState = { files, parts: [], partCount: parts.length, ...emptyResult(maxMatches) };
  if (!options.shard || options.shard.index === 0) state.skipped.push(...planSkipped);
  const checkpoint = options.checkpoint ? await openCheckpoint(options.checkpoint, index, files, parts, { columns, maxMatches, shard: options.shard ?? null }) : null;
  const todo: number[] = [];
  for (const i of chosen) {
    const saved = checkpoint ? await checkpoint.load(i) : null;
    if (saved) addPartResult(state, i, saved);
    else todo.push(i);
  }
  const bytesTotal = chosen.reduce((sum, i) => sum + parts[i]!.bytes, 0);
  let documents = state.documents;
  let bytesDone = state.bytes;
  let partsDone = state.parts.length;
  const progress = () => options.onProgress?.({ bytesDone, bytesTotal, documents, partsDone, parts: chosen.length });
  const finish = async (i: number, result: PartResult) => {
    if (checkpoint) await checkpoint.save(i, result);
    addPartResult(state, i, result);
    partsDone++;
  };

  const tasks = todo.map((i) => ({ part: parts[i]!, file: fileIndex.get(parts[i]!.file)! }));
  const cap = capWorkers(workers, tasks.length);
  if (cap.threads < Math.min(workers, tasks.length)) options.onWorkers?.(cap);
  // stdin (or a FIFO, read as stdin is) is read on this thread; neither is one part worth a thread.
  if (cap.threads > 1 && !parts.some(isStreamPart)) {
    await scanPartsInParallel(index, tasks, {
      workers: cap.threads,
      columns,
      maxMatches,
      batchSize: options.batchSize,
      signal: options.signal,
      skipBad: options.skipBad,
      onBatch: (bytes, docs) => {
        bytesDone += bytes;
        documents += docs;
        progress();
      },
      onPart: (t, result) => finish(todo[t]!, result),
    });
  } else {
    const units = await createUnitExtractor(index.config);
    for (let t = 0; t < tasks.length; t++) {
      const task = tasks[t]!;
      const result = await scanPart(index, task.part, task.file, { columns, maxMatches, batchSize: options.batchSize, signal: options.signal, units, skipBad: options.skipBad }, (batch) => {
        documents += batch.documents.length;
        bytesDone += batch.bytesRead;
        progress();
      });
      await finish(todo[t]!, result);
    }
  }
  progress();
  state.parts.sort((x, y) => x - y);
  return state;
}

/** The report of a (merged) scan state. */
export function reportFromState(index: ContamIndex, state: ScanState, options: ScanOptions = {}): Report {
  return reportOfResult(index, state, state.files, { rule: resolveRule(options.rule), columns: resolveColumns(options.columns), maxDocFreq: options.maxDocFreq });
}

/** Scan corpus files, directories or globs against an index and build the report. */
export async function scanCorpus(index: ContamIndex, inputs: string[], options: ScanStateOptions = {}): Promise<Report> {
  return reportFromState(index, await scanCorpusState(index, inputs, options), options);
}

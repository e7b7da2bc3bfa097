/**
 * Scanning corpus parts on several worker threads. The index is posted once
 * as SharedArrayBuffers (shared, not copied); parts are handed out largest
 * first, one at a time, to whichever worker is free. Results merge
 * order-independently (see accumulator.ts), so the report is the same for any
 * worker count. Line counting for cut JSONL files runs on the same kind of pool.
 */
import { shareIndex, type ContamIndex } from '../cidx/contam-index.js';
import type { LineCount, LineRange } from '../readers/corpus/jsonl.js';
import type { CorpusColumns, CorpusPart } from '../types.js';
import { resultFromJSON, type PartResult, type SerializedPartResult } from './part-result.js';
import type { WorkerSetup } from './worker.js';
import { WorkerPool } from './worker-pool.js';

export interface ParallelOptions {
  workers: number;
  columns: CorpusColumns;
  maxMatches: number;
  batchSize?: number;
  signal?: AbortSignal;
  skipBad?: boolean;
  /** Called per batch read by any worker. */
  onBatch?: (bytes: number, documents: number) => void;
  /** Called when a part is finished, with its result (for checkpoints). */
  onPart?: (index: number, result: PartResult) => void | Promise<void>;
}

/** Scan `tasks` (parts with their file numbers) on worker threads; results come back keyed by task position. */
export async function scanPartsInParallel(index: ContamIndex, tasks: { part: CorpusPart; file: number }[], options: ParallelOptions): Promise<PartResult[]> {
  const results: PartResult[] = new Array(tasks.length);
  if (tasks.length === 0) return results;
  const order = tasks.map((_, i) => i).sort((x, y) => tasks[y]!.part.bytes - tasks[x]!.part.bytes || x - y);
  const setup: WorkerSetup = { index: shareIndex(index), columns: options.columns, maxMatches: options.maxMatches, batchSize: options.batchSize, skipBad: options.skipBad };
  const pool = new WorkerPool<{ part: CorpusPart; file: number }, SerializedPartResult>('worker', 'scan worker', options.workers, setup, options.signal);
  try {
    await pool.run(
      order.map((i) => tasks[i]!),
      {
        onMessage: (message) => {
          if (message.type === 'progress') options.onBatch?.(message.bytes as number, message.documents as number);
        },
        onDone: (k, r) => {
          const result = resultFromJSON(r);
          // A worker runs this very code, so a result it posts is whole: anything else is a bug.
          if (!result) throw new Error('a scan worker posted an incomplete part result');
          results[order[k]!] = result;
          return options.onPart?.(order[k]!, result);
        },
      },
    );
  } finally {
    pool.close();
  }
  return results;
}

/** Threads that count lines of plain JSONL ranges (see countJsonlLines): started on first use, reused until closed. */
export interface LineCounter {
  count(ranges: LineRange[]): Promise<LineCount[]>;
  close(): void;
}

/** A LineCounter on up to `workers` threads; planning calls it once per large file, on the same threads. */
export function createLineCounter(workers: number, signal?: AbortSignal): LineCounter {
  const pool = new WorkerPool<{ range: LineRange }, LineCount>('count-worker', 'line-counting worker', workers, undefined, signal);
  return {
    count: (ranges) => pool.run(ranges.map((range) => ({ range }))),
    close: () => pool.close(),
  };
}

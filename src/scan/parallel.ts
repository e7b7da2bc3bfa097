/**
 * Scanning corpus parts on several worker threads. The index is posted once
 * as SharedArrayBuffers (shared, not copied); parts are handed out largest
 * first, one at a time, to whichever worker is free. Results merge
 * order-independently (see accumulator.ts), so the report is the same for any
 * worker count.
 */
import { Worker } from 'node:worker_threads';
import { ContamError } from '../errors.js';
import { shareIndex, type ContamIndex } from '../index/contam-index.js';
import type { LineCount, LineRange } from '../io/jsonl.js';
import type { CorpusColumns, CorpusPart, SkippedInput } from '../types.js';
import { MatchAccumulator, type SerializedAccumulator } from './accumulator.js';
import { emptyCounters, type ScanCounters } from './document-scanner.js';
import type { PartResult } from './scan.js';
import type { CountTask } from './count-worker.js';
import type { PartTask, WorkerSetup } from './worker.js';

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

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'progress'; id: number; bytes: number; documents: number }
  | { type: 'done'; id: number; result: { documents: number; bytes: number; counters: ScanCounters; accumulator: SerializedAccumulator; docFreq: [number, number][]; skipped: SkippedInput[] } }
  | { type: 'error'; id: number; error: { contam?: Parameters<typeof ContamError.fromJSON>[0]; message?: string } };

function workerUrl(name: string): URL {
  // Under tsx (tests, benches) this module is TypeScript; built, it is JavaScript.
  return new URL(`./${name}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
}

/**
 * Start a scan worker. Built, the worker is plain JavaScript. Under tsx (tests,
 * benches) it is TypeScript, and Node 20 does not carry loader hooks into worker
 * threads, so a tiny bootstrap registers tsx in the worker before importing it.
 */
function startWorker(name: 'worker' | 'count-worker', workerData?: WorkerSetup): Worker {
  const url = workerUrl(name);
  // A worker's young generation is smaller by default than the main thread's; a row group's
  // worth of strings then overflows it and survives into old-space collections. 64 MB took
  // two workers on 1 GB of zstd Parquet from 8.6 to 8.1 s (1.64x to 1.73x one worker).
  const resourceLimits = { maxYoungGenerationSizeMb: 64 };
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData, resourceLimits });
  const code = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(code, { eval: true, workerData, resourceLimits });
}

/** Scan `tasks` (parts with their file numbers) on worker threads; results come back keyed by task position. */
export async function scanPartsInParallel(index: ContamIndex, tasks: { part: CorpusPart; file: number }[], options: ParallelOptions): Promise<PartResult[]> {
  const results: PartResult[] = new Array(tasks.length);
  if (tasks.length === 0) return results;
  const order = tasks.map((_, i) => i).sort((x, y) => tasks[y]!.part.bytes - tasks[x]!.part.bytes || x - y);
  const setup: WorkerSetup = { index: shareIndex(index), columns: options.columns, maxMatches: options.maxMatches, batchSize: options.batchSize, skipBad: options.skipBad };
  const count = Math.max(1, Math.min(options.workers, tasks.length));
  const workers: Worker[] = [];
  let next = 0;
  let finished = 0;

  return new Promise<PartResult[]>((resolve, reject) => {
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(error);
    };
    const onAbort = () => fail(new ContamError('INTERRUPTED', 'the scan was interrupted'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const give = (worker: Worker) => {
      if (next >= order.length) return;
      const id = order[next++]!;
      const task: PartTask = { id, part: tasks[id]!.part, file: tasks[id]!.file };
      worker.postMessage(task);
    };
    for (let w = 0; w < count; w++) {
      const worker = startWorker('worker', setup);
      workers.push(worker);
      worker.on('message', (message: WorkerMessage) => {
        if (failed) return;
        if (message.type === 'ready') give(worker);
        else if (message.type === 'progress') options.onBatch?.(message.bytes, message.documents);
        else if (message.type === 'error') {
          fail(message.error.contam ? ContamError.fromJSON(message.error.contam) : new Error(`scan worker failed: ${message.error.message}`));
        } else {
          const r = message.result;
          const result: PartResult = { documents: r.documents, bytes: r.bytes, counters: r.counters ?? emptyCounters(), accumulator: MatchAccumulator.fromJSON(r.accumulator), docFreq: r.docFreq, skipped: r.skipped };
          results[message.id] = result;
          Promise.resolve(options.onPart?.(message.id, result)).then(() => {
            finished++;
            if (finished === order.length) {
              options.signal?.removeEventListener('abort', onAbort);
              for (const w2 of workers) void w2.terminate();
              resolve(results);
            } else give(worker);
          }, fail);
        }
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (!failed && finished < order.length && code !== 0) fail(new Error(`a scan worker exited with code ${code}`));
      });
    }
  });
}

type CountMessage =
  | { type: 'ready' }
  | { type: 'done'; id: number; count: LineCount }
  | { type: 'error'; id: number; error: { contam?: Parameters<typeof ContamError.fromJSON>[0]; message?: string } };

/** Threads that count lines of plain JSONL ranges (see countJsonlLines): started on first use, reused until closed. */
export interface LineCounter {
  count(ranges: LineRange[]): Promise<LineCount[]>;
  close(): void;
}

/** A LineCounter on up to `workers` threads; planning calls it once per large file, on the same threads. */
export function createLineCounter(workers: number, signal?: AbortSignal): LineCounter {
  const threads: Worker[] = [];
  const idle: Worker[] = [];
  // One call at a time (planning goes file by file): its ranges, results and settlement.
  let call: { ranges: LineRange[]; counts: LineCount[]; next: number; finished: number; resolve: (c: LineCount[]) => void; reject: (e: unknown) => void } | null = null;
  let broken: unknown = null;
  const fail = (error: unknown) => {
    broken ??= error;
    for (const w of threads) void w.terminate();
    const c = call;
    call = null;
    c?.reject(error);
  };
  const give = (worker: Worker) => {
    if (call && call.next < call.ranges.length) worker.postMessage({ id: call.next, range: call.ranges[call.next++]! } satisfies CountTask);
    else idle.push(worker);
  };
  const start = () => {
    const worker = startWorker('count-worker');
    threads.push(worker);
    worker.on('message', (message: CountMessage) => {
      if (broken) return;
      if (message.type === 'ready') give(worker);
      else if (message.type === 'error') fail(message.error.contam ? ContamError.fromJSON(message.error.contam) : new Error(`a line-counting worker failed: ${message.error.message}`));
      else if (call) {
        call.counts[message.id] = message.count;
        if (++call.finished === call.ranges.length) {
          const done = call;
          call = null;
          idle.push(worker);
          done.resolve(done.counts);
        } else give(worker);
      }
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (code !== 0 && call) fail(new Error(`a line-counting worker exited with code ${code}`));
    });
  };
  const onAbort = () => fail(new ContamError('INTERRUPTED', 'the scan was interrupted'));
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    count(ranges) {
      if (broken) return Promise.reject(broken);
      if (ranges.length === 0) return Promise.resolve([]);
      return new Promise<LineCount[]>((resolve, reject) => {
        call = { ranges, counts: new Array(ranges.length), next: 0, finished: 0, resolve, reject };
        while (threads.length < Math.min(workers, ranges.length)) start();
        while (idle.length > 0 && call.next < ranges.length) give(idle.pop()!);
      });
    },
    close() {
      signal?.removeEventListener('abort', onAbort);
      for (const w of threads) void w.terminate();
    },
  };
}

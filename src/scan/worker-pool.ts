/**
 * Worker threads that take tasks one at a time, for the scan and for line
 * counting. The protocol: a worker posts `{type: 'ready'}` once it has loaded;
 * it is then sent `{id, ...task}` and answers `{type: 'done', id, result}` or
 * `{type: 'error', id, error}` (see errorMessage); anything else it posts goes
 * to the run's `onMessage`. Threads start on first use and are reused by later
 * runs until `close()`.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { ContamError, isContamError, type ContamErrorCode } from '../errors.js';

/** An error as it crosses threads: a ContamError whole, anything else as its stack. */
export interface ErrorMessage {
  contam?: { code: ContamErrorCode; message: string; hint?: string; file?: string; where?: string };
  message?: string;
}

export function errorMessage(error: unknown): ErrorMessage {
  return isContamError(error) ? { contam: error.toJSON() } : { message: String((error as Error)?.stack ?? error) };
}

type Message<R> = { type: 'ready' } | { type: 'done'; id: number; result: R } | { type: 'error'; id: number; error: ErrorMessage } | { type: string; id?: number };

interface Hooks<R> {
  /** A message other than ready, done or error (progress). */
  onMessage?: (message: { type: string; [key: string]: unknown }) => void;
  /** Awaited before the worker gets its next task (a checkpoint is saved here). */
  onDone?: (id: number, result: R) => void | Promise<void>;
}

/**
 * Start a worker module of this folder. Built, it is plain JavaScript. Under tsx
 * (tests, benches) it is TypeScript, and Node 20 does not carry loader hooks into
 * worker threads, so a tiny bootstrap registers tsx in the worker before importing it.
 */
function startWorker(name: string, workerData: unknown): Worker {
  const url = new URL(`./${name}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  // A worker's young generation is smaller by default than the main thread's; a row group's
  // worth of strings then overflows it and survives into old-space collections (64 MB: figures
  // in the commit that set it).
  const resourceLimits = { maxYoungGenerationSizeMb: 64 };
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData, resourceLimits });
  const code = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(code, { eval: true, workerData, resourceLimits });
}

/**
 * What one scan thread may need at its peak: a 64 MB young generation, old
 * space for a batch of documents and their tallies, 4 MB read buffers.
 * Generous, so that the cap errs towards fewer threads, never a swapping machine.
 */
export const WORKER_MEMORY = 256 * 2 ** 20;

/**
 * How many threads this machine can hold usefully: no more than its cores
 * (the scan is CPU-bound: more threads only share the same cores and add
 * memory), and no more than half its memory holds at WORKER_MEMORY each.
 * 1000 workers asked for on 2 cores once started 870 threads and reached 12.2 GB.
 */
export function machineThreads(): { threads: number; cores: number; memoryThreads: number } {
  const cores = os.availableParallelism();
  const memoryThreads = Math.max(1, Math.floor(os.totalmem() / 2 / WORKER_MEMORY));
  return { threads: Math.max(1, Math.min(cores, memoryThreads)), cores, memoryThreads };
}

export class WorkerPool<T extends object, R> {
  private readonly threads: Worker[] = [];
  private readonly idle: Worker[] = [];
  private broken: unknown = null;
  /** The run in progress (one at a time). */
  private current: { tasks: T[]; results: R[]; next: number; finished: number; hooks: Hooks<R>; resolve: (results: R[]) => void; reject: (error: unknown) => void } | null = null;
  private readonly onAbort = () => this.fail(new ContamError('INTERRUPTED', 'the scan was interrupted'));

  /** `module`: a worker file of this folder, without extension; `what` names it in errors. */
  constructor(
    private readonly module: string,
    private readonly what: string,
    private readonly size: number,
    private readonly workerData?: unknown,
    private readonly signal?: AbortSignal,
  ) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Run `tasks` (sent in this order); results come back by task position. */
  run(tasks: T[], hooks: Hooks<R> = {}): Promise<R[]> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.signal?.aborted) return Promise.reject(new ContamError('INTERRUPTED', 'the scan was interrupted'));
    if (tasks.length === 0) return Promise.resolve([]);
    return new Promise<R[]>((resolve, reject) => {
      const run = { tasks, results: new Array<R>(tasks.length), next: 0, finished: 0, hooks, resolve, reject };
      this.current = run;
      while (this.threads.length < Math.max(1, Math.min(this.size, tasks.length))) this.start();
      while (this.idle.length > 0 && run.next < tasks.length) this.give(this.idle.pop()!);
    });
  }

  close(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
    for (const w of this.threads) void w.terminate();
  }

  private give(worker: Worker): void {
    const run = this.current;
    if (run && run.next < run.tasks.length) {
      const id = run.next++;
      worker.postMessage({ id, ...run.tasks[id] });
    } else this.idle.push(worker);
  }

  private fail(error: unknown): void {
    if (this.broken) return;
    this.broken = error;
    this.close();
    const run = this.current;
    this.current = null;
    run?.reject(error);
  }

  private start(): void {
    const worker = startWorker(this.module, this.workerData);
    this.threads.push(worker);
    worker.on('message', (message: Message<R>) => {
      const run = this.current;
      if (this.broken) return;
      if (message.type === 'ready') this.give(worker);
      else if (message.type === 'error') {
        const e = (message as { error: ErrorMessage }).error;
        this.fail(e.contam ? ContamError.fromJSON(e.contam) : new Error(`${this.what} failed: ${e.message}`));
      } else if (message.type === 'done' && run) {
        const { id, result } = message as { id: number; result: R };
        run.results[id] = result;
        Promise.resolve(run.hooks.onDone?.(id, result)).then(
          () => {
            if (this.current !== run) return;
            if (++run.finished === run.tasks.length) {
              this.current = null;
              this.idle.push(worker);
              run.resolve(run.results);
            } else this.give(worker);
          },
          (error: unknown) => this.fail(error),
        );
      } else run?.hooks.onMessage?.(message as { type: string });
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (code !== 0 && this.current) this.fail(new Error(`a ${this.what} exited with code ${code}`));
    });
  }
}

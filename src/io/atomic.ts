/**
 * Atomic output: everything contam writes goes to a temporary file beside the
 * target and is renamed into place only when complete, so an interrupted run
 * never leaves a half-written output. A full disk is reported as such.
 */
import { createWriteStream, promises as fs, rmSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { ContamError } from '../errors.js';

let counter = 0;

/** Temporary files and folders not yet renamed into place, so a signal can remove them. */
const pending = new Set<string>();

function temporaryPath(target: string): string {
  counter += 1;
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${counter}.tmp`);
}

/** Note a temporary output (file or folder) until it is renamed or removed. */
export function trackTemporary(tmp: string): void {
  pending.add(tmp);
}

export function untrackTemporary(tmp: string): void {
  pending.delete(tmp);
}

/**
 * Remove every temporary output still pending: called on SIGINT or SIGTERM (a
 * Slurm time limit), so that an interrupted run leaves nothing half-written.
 */
export function removeTemporaryOutputs(): void {
  for (const tmp of pending) {
    // A write still in flight on libuv's threads can add a file to a folder being removed
    // (ENOTEMPTY): retry, and go on to the other outputs whatever happens to this one.
    try {
      rmSync(tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    } catch {
      // Nothing more can be done on the way out.
    }
  }
  pending.clear();
}

export function writeError(target: string, error: unknown): ContamError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new ContamError('DISK_FULL', 'the disk is full; nothing was written', { file: target, hint: 'free some space or write elsewhere', cause: error });
  }
  if (code === 'ENOENT') {
    return new ContamError('WRITE_FAILED', 'the output folder does not exist', { file: target, hint: 'create the folder first', cause: error });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new ContamError('WRITE_FAILED', 'permission denied', { file: target, hint: 'choose a writable location', cause: error });
  }
  return new ContamError('WRITE_FAILED', `cannot write: ${(error as Error)?.message ?? String(error)}`, { file: target, cause: error });
}

/** Write `data` to `target` atomically (temporary file, fsync, rename). */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const tmp = temporaryPath(target);
  trackTemporary(tmp);
  try {
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, target);
  } catch (error) {
    await fs.rm(tmp, { force: true }).catch(() => {});
    throw writeError(target, error);
  } finally {
    untrackTemporary(tmp);
  }
}

/** A streaming atomic writer: write chunks, then `commit()` renames into place; `abort()` removes the temporary file. */
export class AtomicFileWriter {
  readonly target: string;
  private readonly tmp: string;
  private readonly stream: WriteStream;
  private failure: unknown = null;

  constructor(target: string) {
    this.target = target;
    this.tmp = temporaryPath(target);
    trackTemporary(this.tmp);
    this.stream = createWriteStream(this.tmp);
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
  }

  /** Write a chunk, waiting for the stream to drain when its buffer is full. */
  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.failure) throw writeError(this.target, this.failure);
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          resolve();
        };
        this.stream.once('drain', done);
        this.stream.once('error', done);
      });
      if (this.failure) throw writeError(this.target, this.failure);
    }
  }

  async commit(): Promise<void> {
    await new Promise<void>((resolve) => this.stream.end(resolve));
    if (this.failure) {
      await this.abort();
      throw writeError(this.target, this.failure);
    }
    try {
      await fs.rename(this.tmp, this.target);
      untrackTemporary(this.tmp);
    } catch (error) {
      await this.abort();
      throw writeError(this.target, error);
    }
  }

  async abort(): Promise<void> {
    this.stream.destroy();
    await fs.rm(this.tmp, { force: true }).catch(() => {});
    untrackTemporary(this.tmp);
  }
}

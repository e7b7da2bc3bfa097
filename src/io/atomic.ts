/**
 * Atomic output: everything contam writes goes to a temporary file beside the
 * target and is renamed into place only when complete, so an interrupted run
 * never leaves a half-written output. A full disk is reported as such. What a
 * target may be (a device, a FIFO, a symlink, an input) follows the one rule
 * of output.ts: a device or FIFO is written through, a symlink's target is
 * written.
 *
 * Temporaries are named `.NAME.HOST.PID.N.tmp`. A process killed with
 * SIGKILL cannot remove its own, so the first write into a folder removes
 * those left there by processes of this host that no longer run (a shared
 * file system's other hosts are left alone: their process ids mean nothing here).
 */
import { createWriteStream, promises as fs, readdirSync, rmSync, type WriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ContamError } from '../errors.js';
import { resolveOutputFile } from './output.js';

let counter = 0;

/** Temporary files and folders not yet renamed into place, so a signal can remove them. */
const pending = new Set<string>();

/** A host name safe inside a file name. */
const HOST = os.hostname().replace(/[^A-Za-z0-9-]/g, '_') || 'host';

/** A fresh temporary path beside `target` (a file or folder name), after clearing stale ones from its folder. */
export function temporaryPath(target: string): string {
  counter += 1;
  removeStaleTemporaries(path.dirname(target));
  return path.join(path.dirname(target), `.${path.basename(target)}.${HOST}.${process.pid}.${counter}.tmp`);
}

/** Folders already cleared by this process. */
const cleared = new Set<string>();

// `.NAME.HOST.PID.N.tmp` of this host only: a user's own file is very unlikely to carry the host
// name there, and older temporaries without it are left alone (a user file could look like one).
const TEMPORARY = new RegExp(`^\\..+\\.${HOST}\\.(\\d+)\\.\\d+\\.tmp$`);

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Remove the temporaries in `folder` left by dead processes of this host (once
 * per folder per process); returns the paths removed.
 */
export function removeStaleTemporaries(folder: string): string[] {
  const key = path.resolve(folder);
  if (cleared.has(key)) return [];
  cleared.add(key);
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = TEMPORARY.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || running(pid)) continue;
    const stale = path.join(folder, name);
    try {
      rmSync(stale, { recursive: true, force: true });
      removed.push(stale);
    } catch {
      // Not ours to fight over: another process may be removing it too.
    }
  }
  return removed;
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

/**
 * Write `data` to `target` atomically (temporary file, fsync, rename); a
 * device or FIFO is written through, a symlink's target replaced (output.ts).
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const resolved = resolveOutputFile(target);
  if (resolved.through) {
    try {
      // Appending, not truncating: /dev/stdout reopens the shell's file, which `>>` must keep.
      await fs.writeFile(resolved.path, data, { flag: 'a' });
    } catch (error) {
      throw writeError(target, error);
    }
    return;
  }
  const tmp = temporaryPath(resolved.path);
  trackTemporary(tmp);
  try {
    const handle = await fs.open(tmp, 'w', resolved.mode ?? 0o666);
    try {
      if (resolved.mode !== null) await handle.chmod(resolved.mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, resolved.path);
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
  /** The temporary file, or null when the target is a device or FIFO written through. */
  private readonly tmp: string | null;
  private readonly destination: string;
  private readonly stream: WriteStream;
  private failure: unknown = null;

  constructor(target: string) {
    this.target = target;
    const resolved = resolveOutputFile(target);
    this.destination = resolved.path;
    this.tmp = resolved.through ? null : temporaryPath(resolved.path);
    if (this.tmp) trackTemporary(this.tmp);
    this.stream = createWriteStream(this.tmp ?? resolved.path, this.tmp === null ? { flags: 'a' } : resolved.mode === null ? {} : { mode: resolved.mode });
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
    if (this.tmp === null) return;
    try {
      await fs.rename(this.tmp, this.destination);
      untrackTemporary(this.tmp);
    } catch (error) {
      await this.abort();
      throw writeError(this.target, error);
    }
  }

  async abort(): Promise<void> {
    // A device or FIFO written through: nothing to remove (and opening a FIFO may wait for a reader).
    if (this.tmp === null) {
      this.stream.destroy();
      return;
    }
    // The stream opens (creates) its temporary file asynchronously: wait until it is closed, or a
    // file opened after the removal below would stay behind.
    if (!this.stream.closed) {
      const closed = new Promise<void>((resolve) => this.stream.once('close', () => resolve()));
      this.stream.destroy();
      await closed;
    }
    await fs.rm(this.tmp, { force: true }).catch(() => {});
    untrackTemporary(this.tmp);
  }
}

/**
 * Output writers, one per corpus/benchmark format, each atomic (a temporary
 * file renamed into place on commit): JSONL (plain, gzip, zstd), Parquet
 * (hyparquet-writer, the input's codec where an encoder exists) and Arrow IPC
 * (apache-arrow, file or stream format).
 */
import { mkdirSync, promises as fs } from 'node:fs';
import { ContamError } from '../errors.js';
import { temporaryPath, trackTemporary, untrackTemporary, writeError } from '../io/atomic.js';
import { checkOutput } from '../io/output.js';

export { JsonlWriter, openByteSink, zstdAvailable, type ByteSink } from './jsonl.js';
export { ParquetFileWriter, parquetCompressors, writableCodec, topLevelNames, type ParquetOutputOptions } from './parquet.js';
export { ArrowFileWriter, takeRows } from './arrow.js';

/**
 * Fill a folder atomically: `fill` writes into a temporary folder beside
 * `target`, which is renamed to `target` only when `fill` succeeds (and removed
 * when it fails), so an interrupted run leaves no half-written folder. By the
 * output rule (output.ts) the target must be absent or an empty folder; a
 * symlink to one is followed.
 *
 * @throws ContamError `BAD_ARGUMENT` when `target` exists and is not an empty
 *   folder (contam never deletes a user's files), `WRITE_FAILED`, `DISK_FULL`
 */
export async function writeFolderAtomic<T>(target: string, fill: (folder: string) => Promise<T>): Promise<T> {
  await checkOutput(target, [], 'folder');
  const destination = await fs.realpath(target).catch(() => target);
  const existing = await fs.readdir(destination).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(writeError(target, error))));
  const tmp = temporaryPath(destination);
  // Created synchronously and tracked at once: a signal handler cannot run between the two,
  // whereas an asynchronous mkdir could complete on libuv's threads after the handler looked.
  trackTemporary(tmp);
  try {
    mkdirSync(tmp);
  } catch (error) {
    untrackTemporary(tmp);
    throw writeError(target, error);
  }
  try {
    const result = await fill(tmp);
    if (existing !== null) await fs.rmdir(destination);
    await fs.rename(tmp, destination);
    return result;
  } catch (error) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => {});
    throw error instanceof ContamError ? error : writeError(target, error);
  } finally {
    untrackTemporary(tmp);
  }
}

/**
 * JSONL output, plain, gzip or zstd, written atomically.
 *
 * gzip goes through node:zlib's streaming Gzip (one member, level 6). Node 20
 * has no zstd encoder and none ships with the dependencies, so `.zst` output is
 * piped through the `zstd` command-line tool (level 3, as `zstd` defaults to);
 * when it is missing the writer fails up front with a hint, before any work.
 * Invariant: nothing appears at the target until `commit()` has flushed the
 * compressor and renamed the temporary file; `abort()` leaves nothing behind.
 */
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { createGzip, type Gzip } from 'node:zlib';
import { ContamError } from '../errors.js';
import type { Compression } from '../types.js';
import { AtomicFileWriter } from '../io/atomic.js';

/** A byte sink that compresses (or not) into an atomic file. */
export interface ByteSink {
  readonly target: string;
  write(chunk: string | Uint8Array): Promise<void>;
  /** Flush, close and rename into place. */
  commit(): Promise<void>;
  /** Remove the temporary file; safe to call after a failure. */
  abort(): Promise<void>;
}

/** True when the `zstd` command-line tool can be run (needed for `.zst` output). */
export function zstdAvailable(): boolean {
  return spawnSync('zstd', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Open an atomic byte sink at `target`, compressing with `compression`.
 *
 * @throws ContamError `WRITE_FAILED` when zstd output is asked for and the `zstd` tool is missing
 */
export function openByteSink(target: string, compression: Compression): ByteSink {
  if (compression === 'zstd' && !zstdAvailable()) {
    throw new ContamError('WRITE_FAILED', 'writing .zst needs the zstd command-line tool, which is not installed', {
      file: target,
      hint: 'install zstd (apt-get install zstd), or convert the input to .jsonl.gz first',
    });
  }
  const out = new AtomicFileWriter(target);
  if (compression === null) return out;
  return compression === 'gzip' ? new PipedSink(out, createGzip()) : new PipedSink(out, spawnZstd());
}

type Transform = Gzip | ChildProcessByStdio<Writable, Readable, null>;

function spawnZstd(): ChildProcessByStdio<Writable, Readable, null> {
  return spawn('zstd', ['-q', '-3', '-c'], { stdio: ['pipe', 'pipe', 'inherit'] });
}

/** Bytes in -> a compressor (zlib stream or child process) -> the atomic file, with backpressure both ways. */
class PipedSink implements ByteSink {
  readonly target: string;
  private readonly input: Writable;
  private readonly pump: Promise<void>;
  private readonly exited: Promise<number | null> | null;
  private failure: unknown = null;

  constructor(
    private readonly out: AtomicFileWriter,
    private readonly transform: Transform,
  ) {
    this.target = out.target;
    const child = 'stdin' in transform ? transform : null;
    this.input = child ? child.stdin : (transform as Gzip);
    const output: Readable = child ? child.stdout : (transform as Gzip);
    this.exited = child ? once(child, 'close').then(([code]) => code as number | null) : null;
    child?.on('error', (error) => (this.failure ??= error));
    this.input.on('error', (error) => (this.failure ??= error));
    this.pump = (async () => {
      for await (const chunk of output) await out.write(chunk as Uint8Array);
    })();
    // The pump's failure is reported by write/commit; keep it from being unhandled meanwhile.
    this.pump.catch((error) => (this.failure ??= error));
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.failure) throw this.error();
    if (!this.input.write(chunk)) await Promise.race([once(this.input, 'drain'), this.pump]);
  }

  async commit(): Promise<void> {
    this.input.end();
    try {
      await this.pump;
      const code = this.exited ? await this.exited : 0;
      if (code !== 0) throw new Error(`zstd exited with code ${code}`);
    } catch (error) {
      this.failure ??= error;
    }
    if (this.failure) {
      await this.out.abort();
      throw this.error();
    }
    await this.out.commit();
  }

  async abort(): Promise<void> {
    if ('kill' in this.transform) this.transform.kill();
    else this.transform.destroy();
    await this.out.abort();
  }

  private error(): ContamError {
    if (this.failure instanceof ContamError) return this.failure;
    return new ContamError('WRITE_FAILED', `cannot compress: ${(this.failure as Error)?.message ?? String(this.failure)}`, { file: this.target, cause: this.failure });
  }
}

const NEWLINE = new Uint8Array([10]);

/** Lines out: each `writeLine` appends one JSONL record (a string without its newline, or raw bytes). */
export class JsonlWriter {
  private readonly sink: ByteSink;
  private pending: (string | Uint8Array)[] = [];
  private pendingBytes = 0;
  /** Records written. */
  rows = 0;

  constructor(target: string, compression: Compression) {
    this.sink = openByteSink(target, compression);
  }

  get target(): string {
    return this.sink.target;
  }

  /** Append one record; `line` must not hold a newline. Writes are batched to ~1 MB. */
  async writeLine(line: string | Uint8Array): Promise<void> {
    this.pending.push(line, NEWLINE);
    this.pendingBytes += line.length + 1;
    this.rows++;
    if (this.pendingBytes >= 1 << 20) await this.flush();
  }

  /** Append a record as JSON. */
  writeRecord(record: unknown): Promise<void> {
    return this.writeLine(JSON.stringify(record));
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = Buffer.concat(this.pending.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
    this.pending = [];
    this.pendingBytes = 0;
    await this.sink.write(chunk);
  }

  async commit(): Promise<void> {
    try {
      await this.flush();
    } catch (error) {
      await this.sink.abort();
      throw error;
    }
    await this.sink.commit();
  }

  abort(): Promise<void> {
    return this.sink.abort();
  }
}

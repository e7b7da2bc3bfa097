/**
 * Streaming zstd decompression (RFC 8878) for `.jsonl.zst` files, the format
 * of Dolma, RedPajama and The Pile.
 *
 * The decoder is libzstd's own `ZSTD_decompressStream`, through the Node-API
 * addon zstd-napi, several times faster than the pure-JavaScript fzstd
 * (bench/read.bench.ts prints both; the README's Benchmarks give figures). The
 * WebAssembly build the Parquet reader uses (src/io/zstd.ts) has no streaming
 * entry point, and a whole-frame decoder cannot take a frame larger than
 * memory. Where the addon cannot be loaded (no prebuilt binary and no
 * compiler), fzstd's streaming `Decompress` takes over, with the same
 * contract, only slower; `zstdStreamDecoder` says which one runs.
 *
 * By default libzstd decodes on a thread of its own (`zstd-napi-thread`), a
 * few megabytes ahead of the reader, so decompression overlaps the scan
 * instead of adding to it: inline, it was a sixth of a one-worker scan's time.
 * One decoder thread per thread that reads serves all its streams in turn; it
 * holds the process open only while a stream is being read.
 *
 * Invariants: memory is one window (the frame's Window_Size, up to 2 GiB for
 * `zstd --long=31` files, which is why windowLogMax is raised to 31) plus one
 * output buffer of OUTPUT_BYTES (decoding ahead: AHEAD_OUTPUTS of them and
 * AHEAD_INPUTS input chunks), never the frame or the file; a frame larger
 * than memory streams. Concatenated and skippable frames are read in turn.
 * The output is the same bytes in the same buffers whichever decoder runs.
 * Errors are ZstdDataError with the compressed offset reached, and whether the
 * input ended inside a frame (truncated) or held bad data.
 */
import { createRequire } from 'node:module';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Decompress } from 'fzstd';

/** Decompressed bytes per output buffer (each buffer is fresh, so consumers may keep views into it). */
const OUTPUT_BYTES = 1 << 20;

/** Bad or truncated zstd input, at a compressed byte offset. */
export class ZstdDataError extends Error {
  constructor(
    message: string,
    /** Compressed bytes taken in before the failure was found (the whole input when truncated). */
    readonly offset: number,
    /** The input ended inside a frame. */
    readonly truncated: boolean,
  ) {
    super(message);
  }
}

/** The low-level zstd-napi binding, as far as it is used here. */
interface ZstdBinding {
  DCtx: new () => { decompressStream(dst: Uint8Array, src: Uint8Array): [number, number, number]; setParameter(param: number, value: number): void };
  DParameter: { windowLogMax: number };
}

function loadBinding(): ZstdBinding | null {
  try {
    return createRequire(import.meta.url)('zstd-napi/binding') as ZstdBinding;
  } catch {
    return null;
  }
}

const binding = loadBinding();

/** The decoders: libzstd on a thread of its own, libzstd on the reading thread, the pure-JavaScript fallback. */
export type ZstdDecoder = 'zstd-napi-thread' | 'zstd-napi' | 'fzstd';

/** Which decoder `inflateZstd` runs by default: libzstd on its own thread, or the fallback `fzstd`. */
export let zstdStreamDecoder: ZstdDecoder = binding ? 'zstd-napi-thread' : 'fzstd';

/** Make `decoder` this thread's default (benches compare decoders in one process). */
export function setZstdStreamDecoder(decoder: ZstdDecoder): void {
  if (decoder !== 'fzstd' && !binding) throw new Error('zstd-napi is not installed');
  zstdStreamDecoder = decoder;
}

/**
 * Decompress a stream of zstd frames, yielding the output in buffers of at most
 * OUTPUT_BYTES. `decoder` picks an implementation (tests run all three); by
 * default libzstd on a decoder thread when zstd-napi loads.
 *
 * @throws ZstdDataError on bad data or input that ends inside a frame
 */
export function inflateZstd(raw: AsyncIterable<Uint8Array>, decoder: ZstdDecoder = zstdStreamDecoder): AsyncGenerator<Uint8Array> {
  if (decoder === 'fzstd') return inflateFzstd(raw);
  if (!binding) throw new Error('zstd-napi is not installed');
  return decoder === 'zstd-napi' ? inflateNative(raw, binding) : inflateOnThread(raw);
}

/** One stream's libzstd decoding state, stepped an output buffer at a time (on whichever thread decodes). */
class NativeStream {
  private readonly dctx: InstanceType<ZstdBinding['DCtx']>;
  offset = 0;
  // The last call ended inside a frame: its return value (the next input size hint) was not 0.
  private inFrame = false;
  private input: Uint8Array = new Uint8Array(0);
  // A full output buffer may mean the decoder holds more to flush from the input already taken.
  private full = false;
  private out = Buffer.allocUnsafeSlow(OUTPUT_BYTES);

  constructor(zstd: ZstdBinding) {
    this.dctx = new zstd.DCtx();
    this.dctx.setParameter(zstd.DParameter.windowLogMax, 31);
  }

  /** Take the next compressed chunk; only when `step` has returned null for the previous one. */
  feed(chunk: Uint8Array): void {
    this.input = chunk;
  }

  /** The next output buffer from the input fed so far, or null when that input is used up. */
  step(): Uint8Array | null {
    while (this.input.length > 0 || this.full) {
      const out = this.out;
      let result: [number, number, number];
      try {
        result = this.dctx.decompressStream(out, this.input);
      } catch (error) {
        throw new ZstdDataError((error as Error).message, this.offset, false);
      }
      const [hint, written, read] = result;
      this.offset += read;
      this.input = this.input.subarray(read);
      this.inFrame = hint !== 0;
      this.full = written === out.length;
      if (written > 0) {
        // Each buffer handed on is fresh, so consumers may keep views into it.
        this.out = Buffer.allocUnsafeSlow(OUTPUT_BYTES);
        return this.full ? out : out.subarray(0, written);
      }
      if (read === 0) {
        // Nothing left to flush; with input left, libzstd would have taken some or thrown.
        if (this.input.length > 0) throw new ZstdDataError('the zstd decoder stopped taking input', this.offset, false);
        break;
      }
    }
    this.input = new Uint8Array(0);
    this.full = false;
    return null;
  }

  /** The input has ended: it must not end inside a frame. */
  finish(): void {
    if (this.inFrame) throw new ZstdDataError('the zstd data ends inside a frame', this.offset, true);
  }
}

async function* inflateNative(raw: AsyncIterable<Uint8Array>, zstd: ZstdBinding): AsyncGenerator<Uint8Array> {
  const stream = new NativeStream(zstd);
  for await (const chunk of raw) {
    stream.feed(chunk);
    for (let out = stream.step(); out !== null; out = stream.step()) yield out;
  }
  stream.finish();
}

// --- decoding ahead on a thread of its own ------------------------------------------------
//
// Messages, per stream id. To the decoder thread: open (with the output credit), input (a
// compressed chunk), end, credit (one more output may be sent), close. From it: output (a
// buffer, transferred), took (an input chunk is used up), done, error. The reader keeps at most
// AHEAD_INPUTS chunks in flight and the thread at most AHEAD_OUTPUTS outputs unconsumed.

/** Output buffers the decoder thread may run ahead of the reader (a few megabytes). */
const AHEAD_OUTPUTS = 8;
/** Compressed chunks handed to the decoder thread before it has used them up. */
const AHEAD_INPUTS = 2;

type ToDecoder = { id: number } & ({ type: 'open' | 'end' | 'credit' | 'close' } | { type: 'input'; chunk: Uint8Array });
type FromDecoder = { id: number } & (
  | { type: 'output'; chunk: Uint8Array }
  | { type: 'took' | 'done' }
  | { type: 'error'; message: string; offset: number; truncated: boolean }
  | { type: 'lost'; message: string }
);

interface ThreadState {
  stream: NativeStream;
  inputs: Uint8Array[];
  /** The current input is not used up yet. */
  busy: boolean;
  credit: number;
  ended: boolean;
}

/** The decoder thread's side: decode each stream while it has input and credit. */
function serveDecoder(port: NonNullable<typeof parentPort>, zstd: ZstdBinding): void {
  const streams = new Map<number, ThreadState>();
  const post = (message: FromDecoder, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  const pump = (id: number, s: ThreadState) => {
    try {
      for (;;) {
        if (!s.busy) {
          const next = s.inputs.shift();
          if (next === undefined) {
            if (!s.ended) return;
            s.stream.finish();
            streams.delete(id);
            post({ id, type: 'done' });
            return;
          }
          s.stream.feed(next);
          s.busy = true;
        }
        if (s.credit === 0) return;
        const out = s.stream.step();
        if (out === null) {
          s.busy = false;
          post({ id, type: 'took' });
          continue;
        }
        s.credit--;
        post({ id, type: 'output', chunk: out }, [out.buffer as ArrayBuffer]);
      }
    } catch (error) {
      streams.delete(id);
      const e = error as ZstdDataError;
      post({ id, type: 'error', message: e.message, offset: e.offset ?? 0, truncated: e.truncated === true });
    }
  };
  port.on('message', (m: ToDecoder) => {
    if (m.type === 'open') {
      streams.set(m.id, { stream: new NativeStream(zstd), inputs: [], busy: false, credit: AHEAD_OUTPUTS, ended: false });
      return;
    }
    const s = streams.get(m.id);
    if (!s) return;
    if (m.type === 'close') streams.delete(m.id);
    else {
      if (m.type === 'input') s.inputs.push(m.chunk);
      else if (m.type === 'end') s.ended = true;
      else s.credit++;
      pump(m.id, s);
    }
  });
}

if (!isMainThread && (workerData as { zstdDecoder?: boolean } | null)?.zstdDecoder === true && parentPort && binding) serveDecoder(parentPort, binding);

/** This thread's decoder thread, started on first use; it keeps the process alive only while streams are open. */
let decoderThread: { worker: Worker; open: number; listeners: Map<number, (m: FromDecoder) => void> } | null = null;

function startDecoderThread(): NonNullable<typeof decoderThread> {
  if (decoderThread) return decoderThread;
  const url = new URL(import.meta.url);
  const data = { zstdDecoder: true };
  // Under tsx (tests, benches) this module is TypeScript: the thread registers tsx before importing it.
  const worker = url.pathname.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, workerData: data })
    : new Worker(url, { workerData: data });
  const thread = { worker, open: 0, listeners: new Map<number, (m: FromDecoder) => void>() };
  worker.on('message', (m: FromDecoder) => thread.listeners.get(m.id)?.(m));
  // The thread itself failing is no fault of the data: its open streams fail with a plain Error.
  const lost = (why: string) => {
    if (decoderThread === thread) decoderThread = null;
    for (const listener of thread.listeners.values()) listener({ id: -1, type: 'lost', message: `the zstd decoder thread ${why}` });
  };
  worker.on('error', (error) => lost(`failed: ${error.message}`));
  worker.on('exit', (code) => lost(`exited (code ${code})`));
  worker.unref();
  decoderThread = thread;
  return thread;
}

let nextStream = 0;

/** libzstd on the decoder thread: the same outputs as inflateNative, decoded while the caller works. */
async function* inflateOnThread(raw: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const thread = startDecoderThread();
  const id = nextStream++;
  const send = (message: ToDecoder) => thread.worker.postMessage(message);
  const outputs: Uint8Array[] = [];
  let finished = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  let inFlight = 0;
  let readError: unknown = null;
  let reading = false;
  let rawDone = false;
  const iterator = raw[Symbol.asyncIterator]();
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  // Hand the thread compressed chunks while fewer than AHEAD_INPUTS are in flight.
  const feed = async () => {
    if (reading) return;
    reading = true;
    try {
      while (!rawDone && inFlight < AHEAD_INPUTS && !finished && failure === null) {
        const next = await iterator.next();
        if (next.done) {
          rawDone = true;
          send({ id, type: 'end' });
        } else {
          inFlight++;
          send({ id, type: 'input', chunk: next.value });
        }
      }
    } catch (error) {
      readError = error;
      notify();
    } finally {
      reading = false;
    }
  };
  thread.listeners.set(id, (m) => {
    // A transferred buffer arrives as a Uint8Array: viewed as a Buffer, as the inline decoders yield.
    if (m.type === 'output') outputs.push(Buffer.from(m.chunk.buffer, m.chunk.byteOffset, m.chunk.byteLength));
    else if (m.type === 'took') {
      inFlight--;
      void feed();
    } else if (m.type === 'done') finished = true;
    else if (m.type === 'error') failure = new ZstdDataError(m.message, m.offset, m.truncated);
    else if (m.type === 'lost' && !finished) failure ??= new Error(m.message);
    notify();
  });
  if (thread.open++ === 0) thread.worker.ref();
  send({ id, type: 'open' });
  try {
    void feed();
    for (;;) {
      const out = outputs.shift();
      if (out !== undefined) {
        send({ id, type: 'credit' });
        yield out;
        continue;
      }
      if (readError !== null) throw readError;
      if (failure !== null) throw failure;
      if (finished) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    thread.listeners.delete(id);
    if (!finished && failure === null) send({ id, type: 'close' });
    if (--thread.open === 0) thread.worker.unref();
    if (!rawDone) await iterator.return?.();
  }
}

async function* inflateFzstd(raw: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let ready: Uint8Array[] = [];
  const decoder = new Decompress((piece) => {
    ready.push(piece);
  });
  let offset = 0;
  const push = (chunk: Uint8Array, final: boolean) => {
    try {
      decoder.push(chunk, final);
    } catch (error) {
      const message = (error as Error).message;
      throw new ZstdDataError(message, offset, /unexpected EOF/i.test(message));
    }
  };
  for await (const chunk of raw) {
    push(chunk, false);
    offset += chunk.length;
    if (ready.length > 0) {
      const pieces = ready;
      ready = [];
      yield* pieces;
    }
  }
  push(new Uint8Array(0), true);
  yield* ready;
}

/**
 * Streaming zstd decompression (RFC 8878) for `.jsonl.zst` files, the format
 * of Dolma, RedPajama and The Pile.
 *
 * The decoder is libzstd's own `ZSTD_decompressStream`, through the Node-API
 * addon zstd-napi: 500-800 MB/s of output on the bench corpus here, against
 * 110 for the pure-JavaScript fzstd (bench/read.bench.ts prints both). The
 * WebAssembly build the Parquet reader uses (src/io/zstd.ts) has no streaming
 * entry point, and a whole-frame decoder cannot take a frame larger than
 * memory. Where the addon cannot be loaded (no prebuilt binary and no
 * compiler), fzstd's streaming `Decompress` takes over, with the same
 * contract, only slower; `zstdStreamDecoder` says which one runs.
 *
 * Invariants: memory is one window (the frame's Window_Size, up to 2 GiB for
 * `zstd --long=31` files, which is why windowLogMax is raised to 31) plus one
 * output buffer of OUTPUT_BYTES, never the frame or the file; a frame larger
 * than memory streams. Concatenated and skippable frames are read in turn.
 * Errors are ZstdDataError with the compressed offset reached, and whether the
 * input ended inside a frame (truncated) or held bad data.
 */
import { createRequire } from 'node:module';
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

/** Which decoder `inflateZstd` runs: `zstd-napi` (libzstd) or the fallback `fzstd`. */
export const zstdStreamDecoder: 'zstd-napi' | 'fzstd' = binding ? 'zstd-napi' : 'fzstd';

/**
 * Decompress a stream of zstd frames, yielding the output in buffers of at most
 * OUTPUT_BYTES. `decoder` picks an implementation (tests run both); by default
 * zstd-napi when it loads.
 *
 * @throws ZstdDataError on bad data or input that ends inside a frame
 */
export function inflateZstd(raw: AsyncIterable<Uint8Array>, decoder: 'zstd-napi' | 'fzstd' = zstdStreamDecoder): AsyncGenerator<Uint8Array> {
  if (decoder === 'zstd-napi') {
    if (!binding) throw new Error('zstd-napi is not installed');
    return inflateNative(raw, binding);
  }
  return inflateFzstd(raw);
}

async function* inflateNative(raw: AsyncIterable<Uint8Array>, zstd: ZstdBinding): AsyncGenerator<Uint8Array> {
  const dctx = new zstd.DCtx();
  dctx.setParameter(zstd.DParameter.windowLogMax, 31);
  let offset = 0;
  // The last call ended inside a frame: its return value (the next input size hint) was not 0.
  let inFrame = false;
  let out = Buffer.allocUnsafeSlow(OUTPUT_BYTES);
  for await (const chunk of raw) {
    let input = chunk;
    // Call until the input is taken and the last call left room in the output: a full
    // output buffer may mean the decoder holds more to flush from the input already taken.
    let full = false;
    while (input.length > 0 || full) {
      let result: [number, number, number];
      try {
        result = dctx.decompressStream(out, input);
      } catch (error) {
        throw new ZstdDataError((error as Error).message, offset, false);
      }
      const [hint, written, read] = result;
      offset += read;
      input = input.subarray(read);
      inFrame = hint !== 0;
      full = written === out.length;
      if (written > 0) {
        yield full ? out : out.subarray(0, written);
        out = Buffer.allocUnsafeSlow(OUTPUT_BYTES);
      }
      if (written === 0 && read === 0) {
        // Nothing left to flush; with input left, libzstd would have taken some or thrown.
        if (input.length > 0) throw new ZstdDataError('the zstd decoder stopped taking input', offset, false);
        break;
      }
    }
  }
  if (inFrame) throw new ZstdDataError('the zstd data ends inside a frame', offset, true);
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

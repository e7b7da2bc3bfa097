/**
 * Parquet output on hyparquet-writer, written atomically and row group by row
 * group (the writer's `flush` hands each finished row group to the temporary
 * file, so memory is bounded by one row group).
 *
 * Codecs: hyparquet-writer compresses SNAPPY itself and takes any other codec
 * as a caller-supplied page compressor. contam supplies GZIP and BROTLI from
 * node:zlib, and ZSTD from zstd's own C code compiled to WebAssembly
 * (@bokuweb/zstd-wasm, level 3; pages are bounded, so its whole-buffer API
 * fits). LZ4, LZ4_RAW and LZO have no encoder here: such input is written
 * with SNAPPY instead, and `codec` says so.
 * The schema (SchemaElement list) and key-value metadata are the input's own.
 */
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { CompressionCodec, KeyValue, SchemaElement } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { ContamError } from '../errors.js';
import { AtomicFileWriter } from '../io/atomic.js';
import { zstdCompress } from '../io/zstd.js';

type Compressor = (input: Uint8Array) => Uint8Array;

/** The page compressors contam can supply, by codec (SNAPPY is hyparquet-writer's own). */
export function parquetCompressors(): Partial<Record<CompressionCodec, Compressor>> {
  return {
    GZIP: (input) => gzipSync(input),
    BROTLI: (input) => brotliCompressSync(input),
    ZSTD: (input) => zstdCompress(input, 3),
  };
}

/** The codec output can be written with when the input used `codec`: itself when supported, else SNAPPY. */
export function writableCodec(codec: CompressionCodec): CompressionCodec {
  if (codec === 'UNCOMPRESSED' || codec === 'SNAPPY') return codec;
  return parquetCompressors()[codec] ? codec : 'SNAPPY';
}

/** A ByteWriter whose `flush` moves the bytes written so far to an atomic file. */
class SinkWriter extends ByteWriter {
  constructor(private readonly out: AtomicFileWriter) {
    super(1 << 16);
  }
  flush(): Promise<void> {
    const bytes = new Uint8Array(this.buffer.slice(0, this.index));
    this.index = 0;
    return this.out.write(bytes);
  }
  override finish(): Promise<void> {
    return this.flush();
  }
}

export interface ParquetOutputOptions {
  /** The full schema, root first (e.g. the input's `metadata.schema`). */
  schema: SchemaElement[];
  /** Codec asked for; see `writableCodec` for what is written. @default 'SNAPPY' */
  codec?: CompressionCodec;
  kvMetadata?: KeyValue[];
}

/** Writes row groups of column arrays into a Parquet file that appears only on `commit()`. */
export class ParquetFileWriter {
  readonly target: string;
  /** The codec actually written. */
  readonly codec: CompressionCodec;
  rows = 0;
  private readonly out: AtomicFileWriter;
  private readonly writer: ParquetWriter;
  private readonly names: string[];

  constructor(target: string, options: ParquetOutputOptions) {
    this.target = target;
    this.codec = writableCodec(options.codec ?? 'SNAPPY');
    this.out = new AtomicFileWriter(target);
    this.names = topLevelNames(options.schema);
    this.writer = new ParquetWriter({
      writer: new SinkWriter(this.out),
      // hyparquet-writer bundles its own hyparquet; the schema types are the same shape.
      schema: options.schema as never,
      codec: this.codec as never,
      compressors: parquetCompressors() as never,
      kvMetadata: options.kvMetadata,
      createdBy: 'contam',
    });
  }

  /** The top-level column names, in schema order. */
  get columns(): string[] {
    return this.names;
  }

  /** Write one row group: `columns[name]` holds every row's value of that top-level column. */
  async writeRowGroup(columns: Record<string, unknown[]>): Promise<void> {
    const length = columns[this.names[0]!]?.length ?? 0;
    if (length === 0) return;
    const columnData = this.names.map((name) => {
      const data = columns[name];
      if (!data || data.length !== length) throw new Error(`column '${name}' has ${data?.length ?? 0} values, expected ${length}`);
      return { name, data };
    });
    try {
      await this.writer.write({ columnData: columnData as never, rowGroupSize: length });
    } catch (error) {
      throw error instanceof ContamError ? error : new ContamError('WRITE_FAILED', `cannot encode Parquet: ${(error as Error).message}`, { file: this.target, cause: error });
    }
    this.rows += length;
  }

  async commit(): Promise<void> {
    try {
      await this.writer.finish();
    } catch (error) {
      await this.out.abort();
      throw error instanceof ContamError ? error : new ContamError('WRITE_FAILED', `cannot finish Parquet: ${(error as Error).message}`, { file: this.target, cause: error });
    }
    await this.out.commit();
  }

  abort(): Promise<void> {
    return this.out.abort();
  }
}

/** Names of the root's children in a flattened schema (nested groups skipped over). */
export function topLevelNames(schema: SchemaElement[]): string[] {
  const names: string[] = [];
  let i = 1;
  const skip = (): void => {
    const element = schema[i++]!;
    for (let c = 0; c < (element.num_children ?? 0); c++) skip();
  };
  const children = schema[0]?.num_children ?? 0;
  for (let c = 0; c < children; c++) {
    names.push(schema[i]!.name);
    skip();
  }
  return names;
}

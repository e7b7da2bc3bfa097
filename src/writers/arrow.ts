/**
 * Arrow IPC output on apache-arrow's RecordBatchFileWriter (`.arrow`,
 * `.feather`, `.ipc`) or RecordBatchStreamWriter (`.arrows`, and input that
 * was an IPC stream), streamed into an atomic file batch by batch.
 *
 * Bodies are written uncompressed: contam registers only decoders for
 * LZ4_FRAME and ZSTD with apache-arrow, so compressed input comes out larger
 * but byte-for-byte the same values. Rows are rebuilt column by column with
 * apache-arrow builders of the input's own types, so every column keeps its
 * type, nullability and metadata.
 */
import { makeBuilder, makeData, RecordBatch, RecordBatchFileWriter, RecordBatchStreamWriter, Schema, Struct, type Field, type Vector } from 'apache-arrow';
import { AtomicFileWriter } from '../io/atomic.js';

/** Streams record batches into an Arrow IPC file or stream that appears only on `commit()`. */
export class ArrowFileWriter {
  readonly target: string;
  rows = 0;
  private readonly out: AtomicFileWriter;
  private readonly writer: RecordBatchFileWriter | RecordBatchStreamWriter;
  private readonly pump: Promise<void>;

  constructor(target: string, kind: 'file' | 'stream') {
    this.target = target;
    this.out = new AtomicFileWriter(target);
    this.writer = kind === 'file' ? new RecordBatchFileWriter() : new RecordBatchStreamWriter();
    const writer = this.writer;
    const out = this.out;
    this.pump = (async () => {
      for await (const chunk of writer) await out.write(chunk);
    })();
    this.pump.catch(() => {});
  }

  write(batch: RecordBatch): void {
    this.writer.write(batch);
    this.rows += batch.numRows;
  }

  async commit(): Promise<void> {
    this.writer.finish();
    try {
      await this.pump;
    } catch (error) {
      await this.out.abort();
      throw error;
    }
    await this.out.commit();
  }

  async abort(): Promise<void> {
    this.writer.abort();
    await this.out.abort();
  }
}

/**
 * A new batch holding rows `take` of `batch` (in that order, repeats allowed),
 * with columns named in `replace` given new values instead, and a new Utf8 column
 * appended when `replace` names one the batch lacks.
 */
export function takeRows(batch: RecordBatch, take: ArrayLike<number>, replace: Map<string, { field: Field; values: unknown[] }> = new Map()): RecordBatch {
  const fields: Field[] = [];
  const children = [];
  const build = (field: Field, n: number, value: (k: number) => unknown) => {
    const builder = makeBuilder({ type: field.type, nullValues: [null, undefined] });
    for (let k = 0; k < n; k++) builder.append(value(k));
    return builder.finish().flush();
  };
  for (const field of batch.schema.fields) {
    const replacement = replace.get(field.name);
    if (replacement) {
      fields.push(replacement.field);
      children.push(build(replacement.field, take.length, (k) => replacement.values[k]));
      continue;
    }
    const column = batch.getChild(field.name) as Vector | null;
    fields.push(field);
    children.push(build(field, take.length, (k) => column?.get(take[k]!)));
  }
  for (const [name, replacement] of replace) {
    if (batch.schema.fields.some((f) => f.name === name)) continue;
    fields.push(replacement.field);
    children.push(build(replacement.field, take.length, (k) => replacement.values[k]));
  }
  const schema = new Schema(fields, batch.schema.metadata);
  const data = makeData({ type: new Struct(fields), length: take.length, nullCount: 0, children });
  return new RecordBatch(schema, data);
}

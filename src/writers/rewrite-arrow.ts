/** Arrow IPC rewriting: each record batch's kept rows, with the text and a string id column replaced for pieces. */
import { open } from 'node:fs/promises';
import { Field, RecordBatchReader, Utf8, type RecordBatch } from 'apache-arrow';
import { readFileChunks } from '../io/compression.js';
import { readCorpusPart } from '../readers/corpus/documents.js';
import type { CorpusPart } from '../types.js';
import { ArrowFileWriter, takeRows } from './arrow.js';
import { DocumentPuller, idString, type OutRow, type RewriteSettings, type RowDecider } from './rewrite.js';

/** The record batches of one Arrow part: one batch of an IPC file, or every batch of a stream. */
async function* arrowBatches(part: CorpusPart, signal?: AbortSignal): AsyncGenerator<RecordBatch> {
  if (part.format === 'arrow') {
    const handle = await open(part.file, 'r');
    try {
      const reader = await RecordBatchReader.from(handle);
      await reader.open();
      if (reader.isFile() && reader.numRecordBatches > 0) {
        const batch = await reader.readRecordBatch(part.index);
        if (batch) yield batch;
      }
    } finally {
      await handle.close();
    }
    return;
  }
  const reader = await RecordBatchReader.from(readFileChunks(part.file, signal));
  for await (const batch of reader) yield batch as RecordBatch;
}

/** Rewrite the Arrow IPC file or stream of `parts` into `target`, in the same IPC format, batch for batch. */
export async function rewriteArrow(parts: CorpusPart[], target: string, decider: RowDecider, read: RewriteSettings): Promise<void> {
  const writer = new ArrowFileWriter(target, parts[0]!.format === 'arrow' ? 'file' : 'stream');
  const idField = new Field(read.columns.id, new Utf8(), true);
  try {
    for (const part of parts) {
      const docs = new DocumentPuller(readCorpusPart(part, read));
      for await (const batch of arrowBatches(part, read.signal)) {
        const out: OutRow[] = [];
        for (let r = 0; r < batch.numRows; r++) {
          const doc = await docs.next();
          if (!doc) throw new Error(`a record batch of ${part.file} has more rows than documents`);
          decider.decide(doc, r, out);
        }
        const take = Int32Array.from(out, (o) => o.row);
        const replace = new Map<string, { field: Field; values: unknown[] }>();
        if (read.pieces) {
          const textField = batch.schema.fields.find((f) => f.name === read.columns.text)!;
          const texts = batch.getChild(read.columns.text)!;
          replace.set(read.columns.text, { field: textField, values: out.map((o) => o.text ?? texts.get(o.row)) });
          const existing = batch.schema.fields.find((f) => f.name === read.columns.id);
          const ids = batch.getChild(read.columns.id);
          const stringIds = existing !== undefined && (existing.type instanceof Utf8 || String(existing.type) === 'Utf8');
          replace.set(read.columns.id, {
            field: stringIds ? existing : idField,
            values: out.map((o) => o.id ?? (ids ? idString(ids.get(o.row)) : null)),
          });
        }
        writer.write(takeRows(batch, take, replace));
      }
      await docs.rest();
    }
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

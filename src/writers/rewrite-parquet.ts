/**
 * Parquet rewriting: the input's schema (with a string id column for pieces,
 * replacing a non-string one or added), key-value metadata and codec where an
 * encoder exists, one output row group per input row group.
 */
import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type CompressionCodec, type FileMetaData, type SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { ContamError } from '../errors.js';
import { readCorpusPart } from '../readers/corpus/documents.js';
import { openFileBuffer } from '../readers/corpus/parquet.js';
import type { CorpusPart } from '../types.js';
import { ParquetFileWriter } from './parquet.js';
import { DocumentPuller, idString, type OutRow, type RewriteSettings, type RowDecider } from './rewrite.js';

function isStringElement(element: SchemaElement): boolean {
  return element.type === 'BYTE_ARRAY' && (element.converted_type === 'UTF8' || element.logical_type?.type === 'STRING') && !element.num_children;
}

/** The output schema: the input's, with a string id column in cut mode (replacing a non-string one, or added). */
function outputSchema(metadata: FileMetaData, idColumn: string, pieces: boolean): { schema: SchemaElement[]; idAsString: boolean } {
  const schema = metadata.schema.map((e) => ({ ...e }));
  if (!pieces) return { schema, idAsString: false };
  const stringId: SchemaElement = { name: idColumn, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' };
  const at = topLevelIndex(schema, idColumn);
  if (at < 0) {
    schema[0] = { ...schema[0]!, num_children: (schema[0]!.num_children ?? 0) + 1 };
    schema.push(stringId);
    return { schema, idAsString: true };
  }
  if (isStringElement(schema[at]!)) return { schema, idAsString: false };
  if (schema[at]!.num_children) throw new ContamError('BAD_VALUE', `the '${idColumn}' column is nested; cut pieces need a string id`, { hint: 'choose a flat column as the id column' });
  schema[at] = stringId;
  return { schema, idAsString: true };
}

function topLevelIndex(schema: SchemaElement[], name: string): number {
  let i = 1;
  const skip = (): void => {
    const e = schema[i++]!;
    for (let c = 0; c < (e.num_children ?? 0); c++) skip();
  };
  for (let c = 0; c < (schema[0]?.num_children ?? 0); c++) {
    if (schema[i]!.name === name) return i;
    skip();
  }
  return -1;
}

/** Rewrite the Parquet file of `parts` (its row groups) into `target`, one row group per input row group: the codecs, input and written. */
export async function rewriteParquet(parts: CorpusPart[], target: string, decider: RowDecider, read: RewriteSettings): Promise<{ input: string; output: string }> {
  const file = parts[0]!.file;
  const buffer = await openFileBuffer(file);
  let writer: ParquetFileWriter | null = null;
  try {
    let metadata: FileMetaData;
    try {
      metadata = await parquetMetadataAsync(buffer);
    } catch (error) {
      throw new ContamError('BAD_PARQUET', `cannot read the Parquet footer: ${(error as Error).message}`, { file, cause: error });
    }
    const codec = (metadata.row_groups[0]?.columns[0]?.meta_data?.codec ?? 'SNAPPY') as CompressionCodec;
    const { schema, idAsString } = outputSchema(metadata, read.columns.id, read.pieces);
    writer = new ParquetFileWriter(target, { schema, codec, kvMetadata: metadata.key_value_metadata });
    const names = writer.columns;
    const inputNames = parquetSchema(metadata).children.map((c) => c.element.name);
    for (const part of parts) {
      if (part.rows === 0) continue;
      const docs = new DocumentPuller(readCorpusPart(part, read));
      let rows: Record<string, unknown>[];
      try {
        rows = (await parquetReadObjects({ file: buffer, metadata, rowStart: part.rowStart, rowEnd: part.rowStart + (part.rows ?? 0), compressors })) as Record<string, unknown>[];
      } catch (error) {
        throw new ContamError('BAD_PARQUET', `cannot read row group ${part.index}: ${(error as Error).message}`, { file, cause: error });
      }
      const out: OutRow[] = [];
      for (let r = 0; r < rows.length; r++) {
        const doc = await docs.next();
        if (!doc) throw new Error(`row group ${part.index} of ${file} has more rows than documents`);
        decider.decide(doc, r, out);
      }
      await docs.rest();
      const columns: Record<string, unknown[]> = {};
      for (const name of names) {
        const present = inputNames.includes(name);
        columns[name] = out.map((o) => {
          if (name === read.columns.text && o.text !== undefined) return o.text;
          if (name === read.columns.id && (o.id !== undefined || idAsString)) return o.id ?? idString(present ? rows[o.row]![name] : undefined);
          return present ? rows[o.row]![name] : null;
        });
      }
      await writer.writeRowGroup(columns);
    }
    await writer.commit();
    return { input: codec, output: writer.codec };
  } catch (error) {
    await writer?.abort();
    throw error;
  } finally {
    await buffer.close();
  }
}

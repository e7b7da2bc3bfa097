/** JSONL rewriting: a kept record is its input line's bytes, a piece the parsed record with its text and id keys replaced in place. */
import { openDecompressed } from '../io/compression.js';
import { readCorpusPart } from '../readers/corpus/documents.js';
import { isBlankLine, splitLines } from '../readers/corpus/jsonl.js';
import type { CorpusPart } from '../types.js';
import { JsonlWriter } from './jsonl.js';
import type { OutRow, RewriteSettings, RowDecider } from './rewrite.js';

/** Non-blank lines of a (decompressed) JSONL file as raw bytes without the newline, as the reader counts records. */
async function* rawLines(part: CorpusPart, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  for await (const lines of splitLines(openDecompressed(part.file, part.compression, signal))) {
    for (const line of lines) if (!isBlankLine(line)) yield line;
  }
}

const decoder = new TextDecoder();

/** Rewrite the JSONL file of `part` (plain, gzip or zstd, as the input) into `target`. */
export async function rewriteJsonl(part: CorpusPart, target: string, decider: RowDecider, read: RewriteSettings): Promise<void> {
  const writer = new JsonlWriter(target, part.compression);
  try {
    const lines = rawLines(part, read.signal)[Symbol.asyncIterator]();
    const out: OutRow[] = [];
    // Close the line reader's file even when the records run out first or an error stops us.
    try {
      for await (const batch of readCorpusPart(part, read)) {
        for (const doc of batch.documents) {
          const line = await lines.next();
          if (line.done) throw new Error(`the JSONL lines of ${part.file} ran out before its records`);
          out.length = 0;
          decider.decide(doc, 0, out);
          for (const row of out) {
            if (row.text === undefined) {
              await writer.writeLine(line.value);
              continue;
            }
            let text = decoder.decode(line.value);
            if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
            const record = JSON.parse(text) as Record<string, unknown>;
            record[read.columns.text] = row.text;
            record[read.columns.id] = row.id;
            await writer.writeRecord(record);
          }
        }
      }
    } finally {
      await lines.return?.(undefined);
    }
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

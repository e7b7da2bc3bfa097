/**
 * Rewriting a corpus file row for row, in its own format, for filters: a
 * `RowDecider` says which output rows each document becomes (none, itself,
 * or pieces with a new text and id), and the format's rewriter
 * (rewrite-jsonl.ts, rewrite-parquet.ts, rewrite-arrow.ts) writes them with
 * every other column or key of the input row kept. The documents come from
 * the corpus readers, the other columns are read beside them, row for row,
 * so a rewritten file is what a reader would read, less what was decided.
 */
import type { CorpusColumns, CorpusDocument } from '../types.js';

/** One output row: the input row it copies, and for a piece its new text and id. */
export interface OutRow {
  row: number;
  text?: string;
  id?: string;
}

/** Turns a document into output rows; `local` is its index within the current block of input rows. */
export interface RowDecider {
  decide(doc: CorpusDocument, local: number, out: OutRow[]): void;
}

/** How the input is read, and whether rows may be pieces (a new text and a string id). */
export interface RewriteSettings {
  columns: CorpusColumns;
  batchSize?: number;
  signal?: AbortSignal;
  pieces: boolean;
}

/** Pulls documents from a part's batches n at a time, so other readers can walk beside it row for row. */
export class DocumentPuller {
  private readonly iterator: AsyncIterator<{ documents: CorpusDocument[] }>;
  private buffer: CorpusDocument[] = [];
  private at = 0;
  constructor(batches: AsyncIterable<{ documents: CorpusDocument[] }>) {
    this.iterator = batches[Symbol.asyncIterator]();
  }
  async next(): Promise<CorpusDocument | null> {
    while (this.at >= this.buffer.length) {
      const next = await this.iterator.next();
      if (next.done) return null;
      this.buffer = next.value.documents;
      this.at = 0;
    }
    return this.buffer[this.at++]!;
  }
  async rest(): Promise<void> {
    while ((await this.iterator.next()).done !== true);
  }
}

/** An id value as a string (a piece's id is `<id>#<k>`). */
export function idString(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  return typeof value === 'object' ? JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) : String(value);
}

/**
 * JSONL corpus reader: one JSON object per line, plain, gzip or zstd.
 *
 * The (decompressed) file arrives in chunks of megabytes; each chunk is cut at
 * its last newline byte and everything before it is split into lines as bytes,
 * each decoded with a strict TextDecoder. That is safe because the byte 0x0A
 * never occurs inside a multibyte UTF-8 sequence, and JSON strings cannot hold
 * a raw newline, so a line is exactly one record. The tail after
 * the last newline waits for the next chunk, and only the line it begins is
 * copied to join its end (never a chunk, never a line per line). Invariants: memory is bounded by the chunk plus the longest line;
 * `row` counts the lines that are not blank (whitespace only), a bad record
 * too, so a row does not depend on which records can be read, and a planner
 * can count rows without parsing (planJsonlParts); errors name the 1-based
 * line, which counts blank lines too, as an editor does.
 */
import { DEFAULTS } from '../../defaults.js';
import { constants } from 'node:buffer';
import { ContamError } from '../../errors.js';
import type { CorpusBatch, CorpusDocument, CorpusPart, CorpusReadOptions } from '../../types.js';
import { blameCompression, openDecompressed, readFileChunks, type ByteSource } from '../../io/compression.js';
import { endedEarly, STDIN } from '../../io/files.js';

const NEWLINE = 10;

/**
 * Read the documents of a JSONL part (a whole file) in batches.
 *
 * `bytesRead` is the on-disk (compressed) bytes consumed since the previous
 * batch; over the part it sums to `part.bytes` (for stdin, whose size is not
 * known beforehand, to the bytes read).
 *
 * @throws ContamError `BAD_JSON` (1-based line), `BAD_UTF8` (line),
 *   `BAD_COMPRESSION` (byte), `MISSING_COLUMN`, `BAD_VALUE` (line), `EMPTY_INPUT`
 */
export function readJsonlDocuments(part: CorpusPart, options: CorpusReadOptions): AsyncGenerator<CorpusBatch> {
  const start = part.byteStart ?? 0;
  // Only the bytes planned: a file that grows during the scan is read as it was planned.
  const end = isStreamPart(part) ? Infinity : start + part.bytes;
  const batches = readJsonlChunks(part, openDecompressed(part.file, part.compression, options.signal, start, end, part.stream === true), options);
  // A stream (stdin, a FIFO) cannot be read a second time to tell corrupt compression from bad JSON.
  return isStreamPart(part) ? batches : blameCompression(batches, part.file, part.compression, options.signal);
}

/** stdin or a FIFO: its size is unknown until read, so its part claims 0 bytes and reports what it reads. */
export function isStreamPart(part: CorpusPart): boolean {
  return part.file === STDIN || part.stream === true;
}

/**
 * The parsing core of readJsonlDocuments over any source of (decompressed)
 * chunks, cut anywhere, even inside a UTF-8 sequence; `source.consumed` gives
 * the on-disk bytes behind the chunks yielded so far.
 */
export async function* readJsonlChunks(part: CorpusPart, source: ByteSource, options: CorpusReadOptions): AsyncGenerator<CorpusBatch> {
  const file = part.file;
  const textColumn = options.columns.text;
  const idColumn = options.columns.id;
  const batchSize = Math.max(1, options.batchSize ?? DEFAULTS.batchSize);
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const streamed = isStreamPart(part);
  const total = streamed ? Infinity : part.bytes;

  let documents: CorpusDocument[] = [];
  let reported = 0;
  let row = part.rowStart;
  let line = part.lineStart ?? 0;
  // A range of a file may hold only blank lines; only a whole file is then empty.
  const wholeFile = part.byteStart === undefined;
  let sawBytes = false;
  let pending: Uint8Array[] = [];
  const batches: CorpusBatch[] = [];

  const take = (): CorpusBatch => {
    const consumed = Math.min(source.consumed, total);
    const batch = { part, documents, bytesRead: consumed - reported };
    reported = consumed;
    documents = [];
    return batch;
  };

  const bad = (error: ContamError) => {
    if (!options.onBadDocument) throw error;
    options.onBadDocument(error);
  };

  const parseLine = (content: string) => {
    line++;
    if (content.length === 0 || content === '\r') return;
    if (line === 1 && content.charCodeAt(0) === 0xfeff) content = content.slice(1);
    let record: unknown;
    try {
      record = JSON.parse(content);
    } catch (error) {
      if (content.trim() === '') return;
      bad(new ContamError('BAD_JSON', `not valid JSON: ${(error as Error).message}`, { file, where: `line ${line}`, cause: error, hint: 'each line of a JSONL file must be one JSON object' }));
      row++;
      return;
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      bad(
        new ContamError('BAD_JSON', `expected a JSON object, got ${record === null ? 'null' : Array.isArray(record) ? 'an array' : `a ${typeof record}`}`, {
          file,
          where: `line ${line}`,
          hint: 'each line of a JSONL file must be one JSON object',
        }),
      );
      row++;
      return;
    }
    const fields = record as Record<string, unknown>;
    let text = fields[textColumn];
    if (typeof text !== 'string') {
      if (text === null) text = '';
      else if (text === undefined) {
        bad(
          new ContamError('MISSING_COLUMN', `no '${textColumn}' field; the record has: ${Object.keys(fields).join(', ') || '(no fields)'}`, {
            file,
            where: `line ${line}`,
            hint: 'name the text field with the columns.text option',
          }),
        );
        row++;
        return;
      } else {
        bad(new ContamError('BAD_VALUE', `the '${textColumn}' field is ${describe(text)}, not text`, { file, where: `line ${line}`, hint: 'the text field must be a string' }));
        row++;
        return;
      }
    }
    documents.push({ file, row, id: idOf(fields[idColumn]), text: text as string });
    row++;
    if (documents.length >= batchSize) batches.push(take());
  };

  // A generator, so a batch is scanned as soon as it fills, before the next lines are parsed:
  // texts then die young, where parsing a whole chunk first kept every one of its texts alive
  // across collections (the scan's garbage collection time: see the commit).
  const parseBlock = function* (block: Uint8Array): Generator<CorpusBatch> {
    // A decode per line, not per block: a line of ASCII then decodes to a one-byte string,
    // where a block-wide decode widens every line to two bytes as soon as one character
    // anywhere in the block is beyond Latin-1 (measured in the commit that made it so).
    let start = 0;
    while (start < block.length) {
      let nl = block.indexOf(NEWLINE, start);
      if (nl < 0) nl = block.length;
      const bytes = block.subarray(start, nl);
      start = nl + 1;
      let content: string;
      try {
        content = decoder.decode(bytes);
      } catch (error) {
        line++;
        if (bytes.length > MAX_LINE_CHARS) {
          bad(tooLong(file, line, bytes.length, error));
          row++;
          continue;
        }
        bad(new ContamError('BAD_UTF8', 'the text is not valid UTF-8', { file, where: `line ${line}`, hint: 'convert the file to UTF-8 (iconv -t UTF-8)' }));
        row++;
        continue;
      }
      parseLine(content);
      if (batches.length > 0) {
        yield* batches;
        batches.length = 0;
      }
    }
  };

  for await (const chunk of source) {
    if (chunk.length === 0) continue;
    sawBytes = true;
    const last = chunk.lastIndexOf(NEWLINE);
    if (last < 0) {
      pending.push(chunk);
      continue;
    }
    let from = 0;
    if (pending.length > 0) {
      // Only the line the cut fell in is joined up, not the whole chunk: a copy of its bytes alone.
      from = chunk.indexOf(NEWLINE) + 1;
      pending.push(chunk.subarray(0, from));
      yield* parseBlock(Buffer.concat(pending));
      pending = [];
    }
    if (last + 1 < chunk.length) pending.push(chunk.subarray(last + 1));
    yield* parseBlock(chunk.subarray(from, last + 1));
  }
  // Before the tail is parsed: the line a cut falls in is no record, and the rows after it are lost.
  if (!streamed && source.consumed < part.bytes) throw endedEarly(file, (part.byteStart ?? 0) + source.consumed, (part.byteStart ?? 0) + part.bytes);
  if (pending.length > 0) yield* parseBlock(pending.length === 1 ? pending[0]! : Buffer.concat(pending));
  if (!sawBytes && wholeFile) throw new ContamError('EMPTY_INPUT', 'the file is empty', { file, hint: 'remove it from the corpus or fill it' });
  if (row === part.rowStart && wholeFile) throw new ContamError('EMPTY_INPUT', 'the file holds no records, only blank lines', { file, hint: 'remove it from the corpus or fill it' });
  const final = take();
  if (!streamed) final.bytesRead = part.bytes - (reported - final.bytesRead);
  if (final.documents.length > 0 || final.bytesRead > 0) yield final;
}

/**
 * The longest string V8 holds, in UTF-16 units (2^29 - 24 on 64-bit Node 20).
 * A line of UTF-8 bytes decodes to at most as many units as it has bytes, so a
 * line over this many bytes that fails to decode may be too long, not invalid.
 */
const MAX_LINE_CHARS = constants.MAX_STRING_LENGTH;

function tooLong(file: string, line: number, bytes: number, cause: unknown): ContamError {
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
  return new ContamError('TOO_LONG', `the line is ${mb(bytes)}, over the longest string JavaScript can hold (${mb(MAX_LINE_CHARS)} characters)`, {
    file,
    where: `line ${line}`,
    cause,
    hint: 'split the document into several lines (records), or set the skipBad option to list it and go on',
  });
}

function idOf(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** Plain JSONL files larger than this are scanned as several parts, so one large file uses every worker. */
export const JSONL_PART_BYTES = DEFAULTS.jsonlPartSize * 2 ** 20;

/** A byte range of a plain JSONL file, starting at a line start. */
export interface LineRange {
  file: string;
  start: number;
  end: number;
}

/** Lines ending in a range (a last line without a newline counts), and those of them that are rows. */
export interface LineCount {
  lines: number;
  rows: number;
}

/**
 * Where to cut a plain JSONL file of `size` bytes into parts of about
 * `partBytes`: offsets just past a newline, ascending, inside (0, size).
 * Reads a little at each cut, not the file.
 */
export async function findJsonlCuts(file: string, size: number, partBytes: number, signal?: AbortSignal): Promise<number[]> {
  const cuts: number[] = [];
  if (!(partBytes > 0)) return cuts;
  let target = partBytes;
  while (target < size) {
    let cut = -1;
    // The first newline at or after target - 1, so the part ends on its line's end.
    for await (const chunk of readFileChunks(file, signal, target - 1, size)) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl >= 0) {
        cut = target + nl;
        break;
      }
      target += chunk.length;
    }
    if (cut < 0 || cut >= size) break;
    cuts.push(cut);
    target = cut + partBytes;
  }
  return cuts;
}

const blankDecoder = new TextDecoder();

/**
 * Whether a line (without its newline) is blank: whitespace only, as
 * String.prototype.trim sees it. Such lines are skipped without a row.
 * Nearly every line is settled by its first byte.
 */
export function isBlankLine(line: Uint8Array): boolean {
  for (let i = 0; i < line.length; i++) {
    const b = line[i]!;
    if (b === 32 || (b >= 9 && b <= 13)) continue;
    // A BOM or a Unicode space: decide on the decoded text, as trim does.
    if (b >= 0x80) return blankDecoder.decode(line).trim() === '';
    return false;
  }
  return true;
}

/**
 * Count the lines of `[start, end)` of a plain JSONL file and the rows among
 * them (lines that are not blank, as readJsonlChunks counts them), without
 * parsing or a view per line: memchr speed. A line is settled by its first byte
 * that is not ASCII whitespace (nearly always its first); one whose first such
 * byte is not ASCII is kept whole and judged by isBlankLine.
 */
export async function countJsonlLines(range: LineRange, signal?: AbortSignal): Promise<LineCount> {
  let lines = 0;
  let rows = 0;
  // The line in progress: its bytes so far, settled as a row, or its pieces while they cannot tell.
  let length = 0;
  let settled = false;
  let undecided = false;
  let pieces: Uint8Array[] = [];
  const endLine = () => {
    lines++;
    if (settled || (undecided && !isBlankLine(pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces)))) rows++;
    length = 0;
    settled = false;
    undecided = false;
    pieces = [];
  };
  for await (const chunk of readFileChunks(range.file, signal, range.start, range.end)) {
    let from = 0;
    while (from < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, from);
      const end = nl < 0 ? chunk.length : nl;
      length += end - from;
      if (undecided) pieces.push(chunk.subarray(from, end));
      else if (!settled) {
        let i = from;
        while (i < end && (chunk[i] === 32 || (chunk[i]! >= 9 && chunk[i]! <= 13))) i++;
        if (i < end) {
          if (chunk[i]! < 0x80) settled = true;
          else {
            undecided = true;
            pieces.push(chunk.subarray(from, end));
          }
        }
      }
      if (nl < 0) break;
      endLine();
      from = nl + 1;
    }
  }
  // A last line without a newline counts when it has bytes.
  if (length > 0) endLine();
  return { lines, rows };
}

/**
 * The lines of a stream of byte chunks, without their newlines, a chunk's
 * worth at a time (an array per chunk: no await per line). A line split across
 * chunks is joined; a last line without a newline comes last, if not empty.
 * Lines are views into the chunks, which must not be reused.
 */
export async function* splitLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array[]> {
  // The start of a line that runs on into the next chunk.
  let carried: Uint8Array[] = [];
  for await (const chunk of chunks) {
    const lines: Uint8Array[] = [];
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, from);
      if (nl < 0) break;
      let line = chunk.subarray(from, nl);
      if (carried.length > 0) {
        line = Buffer.concat([...carried, line]);
        carried = [];
      }
      lines.push(line);
      from = nl + 1;
    }
    if (from < chunk.length) carried.push(chunk.subarray(from));
    if (lines.length > 0) yield lines;
  }
  if (carried.length > 0) yield [Buffer.concat(carried)];
}

/** Count ranges one after the other: one read buffer at a time, however many ranges a file has. */
async function countInTurn(ranges: LineRange[]): Promise<LineCount[]> {
  const counts: LineCount[] = [];
  for (const range of ranges) counts.push(await countJsonlLines(range));
  return counts;
}

/**
 * Cut a plain JSONL file into parts at `cuts` (findJsonlCuts), each knowing
 * the lines and rows of the file before it, from the counts of the ranges
 * between cuts (`countLines` may count them in parallel; by default they are
 * counted here, in turn). With no cut, or no rows, the file is one whole part.
 */
export async function planJsonlParts(
  file: string,
  size: number,
  partBytes: number,
  countLines: (ranges: LineRange[]) => Promise<LineCount[]> = countInTurn,
  signal?: AbortSignal,
  onCounting?: (file: string, bytes: number, parts: number) => void,
): Promise<CorpusPart[]> {
  const whole: CorpusPart[] = [{ file, format: 'jsonl', compression: null, index: 0, rowStart: 0, rows: null, bytes: size }];
  const cuts = await findJsonlCuts(file, size, partBytes, signal);
  if (cuts.length === 0) return whole;
  onCounting?.(file, size, cuts.length + 1);
  const bounds = [0, ...cuts, size];
  const ranges = cuts.map((_, k) => ({ file, start: bounds[k]!, end: bounds[k + 1]! }));
  ranges.push({ file, start: bounds[cuts.length]!, end: size });
  const counts = await countLines(ranges);
  if (counts.every((c) => c.rows === 0)) return whole;
  const parts: CorpusPart[] = [];
  let lineStart = 0;
  let rowStart = 0;
  for (const [k, r] of ranges.entries()) {
    parts.push({ file, format: 'jsonl', compression: null, index: k, rowStart, rows: counts[k]!.rows, bytes: r.end - r.start, byteStart: r.start, lineStart });
    lineStart += counts[k]!.lines;
    rowStart += counts[k]!.rows;
  }
  return parts;
}

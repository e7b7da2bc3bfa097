/**
 * Benchmark (eval) files in, EvalSamples out.
 *
 * Formats by extension: JSONL (`.jsonl`, `.jsonl.gz`), JSON (`.json`,
 * `.json.gz`: an array of rows, or an object holding exactly one array of
 * rows), CSV (`.csv`, header row) and Parquet (`.parquet`). Benchmarks are
 * small (megabytes), so a file is read whole; corpora, which are not, have
 * their own streaming readers (corpus.ts).
 *
 * Invariant: a sample's `row` is its 0-based position in the file (blank JSONL
 * lines do not count; nested SQuAD counts questions in document order), and
 * every named field exists in at least one row: a typo in `#fields` is an
 * error listing the fields that do exist, never an index with nothing in it.
 */
import { isUtf8 } from 'node:buffer';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { ContamError } from '../../errors.js';
import type { BenchmarkSource, BenchmarkSpec, EvalFormat, EvalSample, FieldSpec, TextSegment } from '../../types.js';
import { parseCsv } from './csv.js';
import { defaultFields, guessIdField, recogniseShape, type EvalShape } from './shapes.js';
import { availablePaths, extractSegments, parseFieldList } from './fields.js';

/** Basenames that name a split rather than a benchmark (`gsm8k/test.jsonl` is gsm8k). */
const GENERIC_STEM = /^(test|dev|val|valid|validation|train|eval|data)([-_.].*)?$/i;

const EVAL_EXTENSIONS: [suffix: string, format: EvalFormat, gzip: boolean][] = [
  ['.jsonl', 'jsonl', false],
  ['.jsonl.gz', 'jsonl', true],
  ['.json', 'json', false],
  ['.json.gz', 'json', true],
  ['.csv', 'csv', false],
  ['.parquet', 'parquet', false],
];

/**
 * Parse an `--eval` argument: `[name=]path[#field,field:label,...]`.
 *
 * The name defaults to one derived from the path: the basename without
 * extensions, lower-cased, or the parent folder's name when the basename only
 * names a split (`test`, `dev`, `validation`, `train-00000`...).
 *
 * @example parseEvalArgument('gsm8k=data/test.jsonl#question,answer:label')
 * @throws ContamError `BAD_ARGUMENT` for an empty path, name or field
 */
export function parseEvalArgument(arg: string): BenchmarkSpec {
  let rest = arg.trim();
  let name: string | undefined;
  const eq = /^([A-Za-z0-9][\w.-]*)=/.exec(rest);
  if (eq) {
    name = eq[1]!;
    rest = rest.slice(eq[0].length);
  } else if (rest.startsWith('=')) {
    throw new ContamError('BAD_ARGUMENT', `empty benchmark name in '${arg}'`, { hint: 'write name=path, or leave out "name=" to use the file name' });
  }
  let fields: FieldSpec[] | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    const list = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
    if (list.trim() === '') throw new ContamError('BAD_ARGUMENT', `no fields after '#' in '${arg}'`, { hint: 'write fields as path#question,answer:label, or leave out "#"' });
    fields = parseFieldList(list, arg);
  }
  const file = rest.trim();
  if (file === '') throw new ContamError('BAD_ARGUMENT', `no file in '${arg}'`, { hint: 'write [name=]path[#field,field:label]' });
  name ??= benchmarkNameOf(file);
  return fields ? { name, path: file, fields } : { name, path: file };
}

/** The benchmark name a path suggests (`../data/gsm8k/test.jsonl` -> `gsm8k`). */
export function benchmarkNameOf(file: string): string {
  const base = path.basename(file);
  const stem = base.replace(/(\.(gz|zst))?$/i, '').replace(/\.(jsonl|json|csv|parquet)$/i, '');
  if (GENERIC_STEM.test(stem)) {
    const parent = path.basename(path.dirname(path.resolve(file)));
    if (parent !== '' && parent !== path.sep) return parent.toLowerCase();
  }
  return (stem === '' ? base : stem).toLowerCase();
}

/** The eval format of a file name, or throw `UNKNOWN_FORMAT`. */
export function evalFormatOf(file: string): { format: EvalFormat; gzip: boolean } {
  const lower = file.toLowerCase();
  let best: [string, EvalFormat, boolean] | undefined;
  for (const entry of EVAL_EXTENSIONS) if (lower.endsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  if (!best) {
    throw new ContamError('UNKNOWN_FORMAT', `cannot tell the format of '${path.basename(file)}' from its extension`, {
      file,
      hint: `benchmarks are read from ${EVAL_EXTENSIONS.map((e) => e[0]).join(', ')}`,
    });
  }
  return { format: best[1], gzip: best[2] };
}

/**
 * Read a benchmark file into samples, recognising its shape unless fields are given.
 *
 * @throws ContamError `FILE_NOT_FOUND`, `UNKNOWN_FORMAT`, `EMPTY_INPUT`,
 *   `BAD_JSON` (with the 1-based line), `BAD_CSV`, `BAD_PARQUET`,
 *   `BAD_COMPRESSION`, `BAD_UTF8`, `BAD_VALUE`, `MISSING_FIELD`
 */
export async function readEvalSamples(spec: BenchmarkSpec): Promise<{ source: BenchmarkSource; samples: EvalSample[] }> {
  const file = spec.path;
  const { format, gzip } = evalFormatOf(file);
  let bytes: Buffer = await readWhole(file);
  if (gzip) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new ContamError('BAD_COMPRESSION', `not valid gzip: ${(error as Error).message}`, { file, cause: error, hint: 'the file may be truncated; download it again' });
    }
  }
  if (bytes.length === 0) throw new ContamError('EMPTY_INPUT', 'the file is empty', { file, hint: 'a benchmark file needs at least one row' });

  let rows: unknown[];
  let csvHeader: string[] | null = null;
  let rowWhere: (row: number) => string = (row) => `row ${row}`;
  if (format === 'parquet') {
    rows = await readParquetRows(bytes, file);
  } else if (format === 'jsonl') {
    const parsed = parseJsonlRows(bytes, file);
    rows = parsed.rows;
    rowWhere = (row) => `line ${parsed.lines[row]}`;
  } else {
    const text = decodeUtf8(bytes, file);
    if (format === 'json') {
      rows = parseJsonRows(text, file);
    } else {
      const table = parseCsv(text, file);
      csvHeader = table.header;
      rows = table.records.map((r) => Object.fromEntries(table.header.map((h, i) => [h, r.fields[i]!])));
      rowWhere = (row) => `line ${table.records[row]!.line}`;
    }
  }
  if (rows.length === 0) throw new ContamError('EMPTY_INPUT', 'the file holds no rows', { file, hint: 'a benchmark file needs at least one row' });

  const shape: EvalShape | null = spec.fields ? null : recogniseShape(rows[0]);
  if (shape?.flatten) {
    rows = shape.flatten(rows);
    rowWhere = (row) => `question ${row}`;
    if (rows.length === 0) throw new ContamError('EMPTY_INPUT', 'the file holds no questions', { file });
  }
  // The shape's id field when the file has it, else any of the usual id fields.
  const idField = shape && hasField(rows[0], shape.idField) ? shape.idField : guessIdField(rows[0]);
  const fields = spec.fields ?? shape?.fields ?? defaultFields(rows, idField);
  if (fields.length === 0) {
    throw new ContamError('MISSING_FIELD', 'found no text fields in the rows', {
      file,
      hint: `name the fields to index: ${spec.path}#field,field (fields: ${listFields(rows[0], csvHeader)})`,
    });
  }

  const reached = new Array<boolean>(fields.length).fill(false);
  const samples: EvalSample[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const place = { file, where: rowWhere(r) };
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw new ContamError('BAD_VALUE', `expected a row object, got ${describe(row)}`, { ...place, hint: 'each row must be an object of named fields' });
    }
    let segments: TextSegment[];
    if (shape?.segments) {
      segments = shape.segments(row as Record<string, unknown>);
      reached.fill(true);
    } else {
      segments = [];
      for (let f = 0; f < fields.length; f++) if (extractSegments(row, fields[f]!, segments, place)) reached[f] = true;
      shape?.choiceRoles?.(row as Record<string, unknown>, segments);
    }
    const idValue = idField === null ? undefined : (row as Record<string, unknown>)[idField];
    const id = idValue === undefined || idValue === null || typeof idValue === 'object' ? String(r) : String(idValue);
    samples[r] = { benchmark: spec.name, row: r, id, segments };
  }
  const missing = fields.findIndex((_, f) => !reached[f]);
  if (missing >= 0) {
    const where = csvHeader ? 'in the CSV header' : 'in any row';
    throw new ContamError('MISSING_FIELD', `field '${fields[missing]!.path}' is not ${where}`, {
      file,
      hint: `fields in this file: ${listFields(rows[0], csvHeader)}`,
    });
  }

  const source: BenchmarkSource = { name: spec.name, path: file, format, shape: shape?.name ?? null, fields, idField, samples: samples.length };
  return { source, samples };
}

async function readWhole(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ContamError('FILE_NOT_FOUND', 'no such file', { file, cause: error, hint: 'check the benchmark path' });
    if (code === 'EISDIR') throw new ContamError('BAD_ARGUMENT', 'is a folder, not a benchmark file', { file, cause: error, hint: 'name one file per benchmark' });
    throw new ContamError('FILE_NOT_FOUND', `cannot read: ${(error as Error).message}`, { file, cause: error });
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch (error) {
    // Find the line only on failure: the common case pays for one decode.
    let line = 1;
    let start = 0;
    for (;;) {
      const nl = bytes.indexOf(10, start);
      const end = nl < 0 ? bytes.length : nl;
      if (!isUtf8(bytes.subarray(start, end))) break;
      if (nl < 0) break;
      line++;
      start = nl + 1;
    }
    throw new ContamError('BAD_UTF8', 'the text is not valid UTF-8', { file, where: `line ${line}`, cause: error, hint: 'convert the file to UTF-8 (iconv -t UTF-8)' });
  }
}

/**
 * JSONL rows, decoded line by line from the bytes: a file larger than the
 * longest string V8 holds (about 512 MB) reads as well as a small one, and
 * invalid UTF-8 is found on its own line.
 */
function parseJsonlRows(bytes: Uint8Array, file: string): { rows: unknown[]; lines: number[] } {
  const rows: unknown[] = [];
  const lines: number[] = [];
  let line = 0;
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    line++;
    let content: string;
    try {
      // A new decode per line drops a byte order mark at its start: the file's, on line 1.
      content = strictUtf8.decode(bytes.subarray(start, end));
    } catch (error) {
      throw new ContamError('BAD_UTF8', 'the text is not valid UTF-8', { file, where: `line ${line}`, cause: error, hint: 'convert the file to UTF-8 (iconv -t UTF-8)' });
    }
    start = end + 1;
    if (content.trim() === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(content);
    } catch (error) {
      throw new ContamError('BAD_JSON', `not valid JSON: ${(error as Error).message}`, { file, where: `line ${line}`, cause: error, hint: 'each line of a JSONL file must be one JSON object' });
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw new ContamError('BAD_JSON', `expected a JSON object, got ${describe(row)}`, { file, where: `line ${line}`, hint: 'each line of a JSONL file must be one JSON object' });
    }
    rows.push(row);
    lines.push(line);
  }
  return { rows, lines };
}

function parseJsonRows(text: string, file: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const where = position ? `line ${lineAt(text, Number(position[1]))}` : undefined;
    throw new ContamError('BAD_JSON', `not valid JSON: ${(error as Error).message}`, { file, where, cause: error, hint: 'a .json benchmark is an array of rows; use .jsonl for one row per line' });
  }
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object') {
    const arrays = Object.entries(value).filter(([, v]) => Array.isArray(v));
    if (arrays.length === 1) return arrays[0]![1] as unknown[];
    throw new ContamError(
      'BAD_JSON',
      arrays.length === 0 ? 'the JSON object holds no array of rows' : `the JSON object holds ${arrays.length} arrays (${arrays.map(([k]) => k).join(', ')}); cannot tell which are the rows`,
      {
        file,
        hint: 'give an array of rows, or an object with exactly one array of rows',
      },
    );
  }
  throw new ContamError('BAD_JSON', `expected an array of rows, got ${describe(value)}`, { file, hint: 'a .json benchmark is an array of rows' });
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let p = text.indexOf('\n'); p >= 0 && p < position; p = text.indexOf('\n', p + 1)) line++;
  return line;
}

async function readParquetRows(bytes: Buffer, file: string): Promise<unknown[]> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  try {
    return await parquetReadObjects({ file: buffer, compressors });
  } catch (error) {
    throw new ContamError('BAD_PARQUET', `cannot read Parquet: ${(error as Error).message}`, { file, cause: error, hint: 'the file may be truncated or not Parquet' });
  }
}

function hasField(row: unknown, field: string | null): field is string {
  return field !== null && row !== null && typeof row === 'object' && Object.hasOwn(row, field);
}

function listFields(first: unknown, csvHeader: string[] | null): string {
  const names = csvHeader ?? availablePaths(first);
  return names.length === 0 ? '(none)' : names.join(', ');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

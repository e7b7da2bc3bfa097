/**
 * Clean benchmark subsets from a report: each benchmark's file is re-read row
 * by row and the rows judged clean are written in the file's own format, every
 * field unchanged and in order:
 *   - JSONL (and .jsonl.gz): the original line text, byte for byte;
 *   - CSV: the header and each kept record's original text (quotes, line ends);
 *   - JSON: the same shape (an array, or the object holding one array, other
 *     keys kept), re-serialized with the original's indentation style;
 *   - Parquet: the same schema, codec and key-value metadata.
 * Beside them, `removed.jsonl` names each removed sample (benchmark, row, id,
 * why: rules fired, overlap, documents) and, with `lmEval`,
 * `lm_eval_samples.json` maps each benchmark to its clean doc ids (0-based rows,
 * as lm-evaluation-harness numbers docs) for its `--samples` option.
 *
 * Too-short samples could not be judged, so a clean subset that kept them
 * would not be known clean: they are left out and listed in removed.jsonl with
 * why `too_short`, unless `keepTooShort` is set.
 *
 * Invariant: the file must still have the rows the report counted (same
 * number of rows); a file edited since the scan is an error, never a subset
 * of the wrong rows.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parquetMetadata, parquetReadObjects, type CompressionCodec } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { ContamError } from '../errors.js';
import { evalFormatOf } from '../io/evals.js';
import { ParquetFileWriter, writeFolderAtomic } from '../io/writers.js';
import { parseCsv } from '../io/csv.js';
import type { Report, ReportBenchmark, ReportSample } from '../types.js';
import { writeFileAtomic } from '../io/atomic.js';

export interface EvalFilterOptions {
  /** Also write `lm_eval_samples.json` for lm-evaluation-harness's `--samples`. @default false */
  lmEval?: boolean;
  /** Keep samples too short to judge in the clean subsets. @default false */
  keepTooShort?: boolean;
}

/** One line of removed.jsonl. */
export interface RemovedSample {
  benchmark: string;
  row: number;
  id: string;
  /** `ngram`, `minhash` (rules that fired) or `too_short`. */
  why: string[];
  overlap: number;
  longest: number;
  documents: number;
}

export interface EvalFilterSummary {
  benchmarks: { name: string; input: string; output: string; format: string; samples: number; kept: number; removed: number; too_short: number }[];
  removed: number;
}

/** Which rows of a benchmark to keep, and why the others go. */
export function cleanRows(benchmark: ReportBenchmark, samples: ReportSample[], keepTooShort = false): { keep: Set<number>; removed: RemovedSample[] } {
  const keep = new Set<number>();
  const removed: RemovedSample[] = [];
  for (const s of samples) {
    if (!s.contaminated && (!s.too_short || keepTooShort)) {
      keep.add(s.row);
      continue;
    }
    const why = s.too_short && !s.contaminated ? ['too_short'] : Object.entries(s.rules ?? {}).filter(([, r]) => r?.fired).map(([name]) => name);
    removed.push({ benchmark: benchmark.name, row: s.row, id: s.id, why: why.length > 0 ? why : ['contaminated'], overlap: s.overlap, longest: s.longest, documents: s.documents });
  }
  return { keep, removed };
}

function rowMismatch(file: string, found: number, expected: number): ContamError {
  return new ContamError('BAD_REPORT', `the file has ${found} rows but the report judged ${expected}`, {
    file,
    hint: 'the file changed since the scan, or its rows are nested (SQuAD): scan it again and filter with the new report',
  });
}

/** Kept rows of a JSONL text: the original lines (BOM and line ends kept). */
function filterJsonlText(text: string, keep: Set<number>, expected: number, file: string): string {
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const lines = text.slice(bom.length).split('\n');
  const out: string[] = [];
  let row = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    if (keep.has(row)) out.push(line);
    row++;
  }
  if (row !== expected) throw rowMismatch(file, row, expected);
  return out.length === 0 ? bom : `${bom}${out.join('\n')}\n`;
}

/** Original text of each CSV record (header first), cut at unquoted line ends; blank lines skipped as the parser does. */
export function csvRecordTexts(text: string): string[] {
  const out: string[] = [];
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let quoted = false;
  for (let i = start; i <= text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if ((c === 10 && !quoted) || i === text.length) {
      const record = text.slice(start, i === text.length ? i : i + 1);
      if (record.replace(/\r?\n$/, '') !== '') out.push(record);
      start = i + 1;
    }
  }
  return out;
}

function filterCsvText(text: string, keep: Set<number>, expected: number, file: string): string {
  const table = parseCsv(text, file); // validates the file as the reader does
  const records = csvRecordTexts(text);
  if (records.length !== table.records.length + 1) throw new Error(`CSV record split disagrees with the parser on ${file}`);
  if (table.records.length !== expected) throw rowMismatch(file, table.records.length, expected);
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const body = records.slice(1).filter((_, r) => keep.has(r));
  let header = records[0]!;
  // The last record may lack a line end; give every written record one.
  const eol = /\r\n/.test(header) ? '\r\n' : '\n';
  if (!/\n$/.test(header)) header += eol;
  return bom + header + body.map((r) => (/\n$/.test(r) ? r : r + eol)).join('');
}

function filterJsonText(text: string, keep: Set<number>, expected: number, file: string): string {
  const value = JSON.parse(text) as unknown;
  const indent = /^\s*[[{]\s*\n(\s+)/.exec(text)?.[1]?.replace(/\n/g, '') ?? undefined;
  const pick = (rows: unknown[]) => {
    if (rows.length !== expected) throw rowMismatch(file, rows.length, expected);
    return rows.filter((_, r) => keep.has(r));
  };
  let out: unknown;
  if (Array.isArray(value)) out = pick(value);
  else {
    const entries = Object.entries(value as Record<string, unknown>);
    out = Object.fromEntries(entries.map(([k, v]) => [k, Array.isArray(v) ? pick(v) : v]));
  }
  return `${JSON.stringify(out, null, indent)}${text.endsWith('\n') ? '\n' : ''}`;
}

async function filterParquetFile(file: string, target: string, keep: Set<number>, expected: number): Promise<void> {
  const bytes = await fs.readFile(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(buffer);
  const rows = (await parquetReadObjects({ file: buffer, metadata, compressors })) as Record<string, unknown>[];
  if (rows.length !== expected) throw rowMismatch(file, rows.length, expected);
  const codec = (metadata.row_groups[0]?.columns[0]?.meta_data?.codec ?? 'SNAPPY') as CompressionCodec;
  const writer = new ParquetFileWriter(target, { schema: metadata.schema, codec, kvMetadata: metadata.key_value_metadata });
  try {
    const kept = rows.filter((_, r) => keep.has(r));
    const columns: Record<string, unknown[]> = {};
    for (const name of writer.columns) columns[name] = kept.map((row) => row[name] ?? null);
    await writer.writeRowGroup(columns);
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/**
 * Write each benchmark's clean subset, `removed.jsonl` and optionally
 * `lm_eval_samples.json` into the folder `output` (created atomically; it must
 * not exist or be empty). Each subset is named `<benchmark>.<extension of the input>`.
 *
 * @throws ContamError `FILE_NOT_FOUND` (a benchmark file moved), `BAD_REPORT`
 *   (rows do not match), `BAD_ARGUMENT` (output exists), `WRITE_FAILED`
 */
export async function filterEvals(report: Report, output: string, options: EvalFilterOptions = {}): Promise<EvalFilterSummary> {
  const byBenchmark = new Map<string, ReportSample[]>();
  for (const s of report.samples) {
    const list = byBenchmark.get(s.benchmark) ?? [];
    list.push(s);
    byBenchmark.set(s.benchmark, list);
  }
  return writeFolderAtomic(output, async (folder) => {
    const summary: EvalFilterSummary = { benchmarks: [], removed: 0 };
    const removedLines: string[] = [];
    const lmEval: Record<string, number[]> = {};
    for (const benchmark of report.benchmarks) {
      const samples = (byBenchmark.get(benchmark.name) ?? []).sort((x, y) => x.row - y.row);
      if (samples.length !== benchmark.samples) {
        throw new ContamError('BAD_REPORT', `the report lists ${samples.length} samples of '${benchmark.name}' but counts ${benchmark.samples}`, { hint: 'pass a complete report from `contam scan -o`' });
      }
      const { keep, removed } = cleanRows(benchmark, samples, options.keepTooShort);
      const file = benchmark.path;
      const { gzip } = evalFormatOf(file);
      const extension = path.basename(file).toLowerCase().match(/\.(jsonl|json|csv|parquet)(\.gz)?$/)![0];
      const name = `${benchmark.name}${extension}`;
      const target = path.join(folder, name);
      let raw: Buffer;
      try {
        raw = await fs.readFile(file);
      } catch (error) {
        throw new ContamError('FILE_NOT_FOUND', 'cannot read the benchmark file named in the report', { file, cause: error, hint: 'run from the folder the scan ran in, or move the file back' });
      }
      if (benchmark.format === 'parquet') await filterParquetFile(file, target, keep, benchmark.samples);
      else {
        const text = (gzip ? gunzipSync(raw) : raw).toString('utf8');
        const filtered =
          benchmark.format === 'jsonl' ? filterJsonlText(text, keep, benchmark.samples, file) : benchmark.format === 'csv' ? filterCsvText(text, keep, benchmark.samples, file) : filterJsonText(text, keep, benchmark.samples, file);
        await writeFileAtomic(target, gzip ? gzipSync(filtered) : filtered);
      }
      for (const r of removed) removedLines.push(JSON.stringify(r));
      lmEval[benchmark.name] = [...keep].sort((x, y) => x - y);
      summary.benchmarks.push({ name: benchmark.name, input: file, output: name, format: benchmark.format, samples: benchmark.samples, kept: keep.size, removed: removed.length, too_short: samples.filter((s) => s.too_short).length });
      summary.removed += removed.length;
    }
    await writeFileAtomic(path.join(folder, 'removed.jsonl'), removedLines.length === 0 ? '' : `${removedLines.join('\n')}\n`);
    if (options.lmEval) await writeFileAtomic(path.join(folder, 'lm_eval_samples.json'), `${JSON.stringify(lmEval)}\n`);
    return summary;
  });
}

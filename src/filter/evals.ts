/**
 * Clean benchmark subsets from a report: each benchmark's file is re-read row
 * by row and the rows judged clean are written in the file's own format, every
 * field unchanged and in order:
 *   - JSONL (and .jsonl.gz): the original line text, byte for byte;
 *   - CSV: the header and each kept record's original text (quotes, line ends);
 *   - JSON: the same shape (an array, or the object holding one array, other
 *     keys kept), re-serialized with the original's indentation style; nested
 *     SQuAD keeps its nesting: removed questions leave their paragraphs, and
 *     paragraphs and articles left without questions are dropped;
 *   - Parquet: the same schema, codec and key-value metadata.
 * Beside them, `removed.jsonl` names each removed sample (benchmark, row, id,
 * why: rules fired, overlap, documents) and, with `lmEval`,
 * `lm_eval_samples.json` maps lm-evaluation-harness task names to the clean
 * doc indices within each task, for its `--samples` option (lm-eval-tasks.ts
 * says which benchmarks map onto which tasks; the others are named with the
 * reason, and nothing is written for them).
 *
 * One benchmark that cannot be written (its file moved, changed, or is not
 * what the report says) does not stop the others: they are written, and the
 * failure is returned in `failed` with its error.
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
import { ContamError, isContamError } from '../errors.js';
import { evalFormatOf } from '../readers/evals/evals.js';
import { flattenSquad } from '../readers/evals/shapes.js';
import { lmEvalTasks } from './lm-eval-tasks.js';
import { ParquetFileWriter, writeFolderAtomic } from '../writers/writers.js';
import { parseCsv } from '../readers/evals/csv.js';
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
  benchmarks: {
    name: string;
    input: string;
    output: string;
    format: string;
    samples: number;
    kept: number;
    removed: number;
    too_short: number;
    /** With `lmEval`: the harness tasks written for it, or why none were (null without `lmEval`). */
    lm_eval: { tasks: string[]; empty: string[] } | { reason: string } | null;
  }[];
  removed: number;
  /** Benchmarks that could not be written, with the error's code and one-line message. */
  failed: { name: string; input: string; code: string; message: string }[];
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
    const why =
      s.too_short && !s.contaminated
        ? ['too_short']
        : Object.entries(s.rules ?? {})
            .filter(([, r]) => r?.fired)
            .map(([name]) => name);
    removed.push({ benchmark: benchmark.name, row: s.row, id: s.id, why: why.length > 0 ? why : ['contaminated'], overlap: s.overlap, longest: s.longest, documents: s.documents });
  }
  return { keep, removed };
}

function rowMismatch(file: string, found: number, expected: number, unit = 'rows'): ContamError {
  return new ContamError('BAD_REPORT', `the file has ${found} ${unit} but the report judged ${expected}`, {
    file,
    hint: 'the file changed since the scan: scan it again and filter with the new report',
  });
}

/** The filtered text of a benchmark file, and its rows as the report counted them (for lm-eval task mapping). */
interface Filtered {
  text: string;
  rows: () => unknown[];
}

/** Kept rows of a JSONL text: the original lines (BOM and line ends kept). */
function filterJsonlText(text: string, keep: Set<number>, expected: number, file: string): Filtered {
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const lines = text
    .slice(bom.length)
    .split('\n')
    .filter((line) => line.trim() !== '');
  if (lines.length !== expected) throw rowMismatch(file, lines.length, expected);
  const out = lines.filter((_, row) => keep.has(row));
  return { text: out.length === 0 ? bom : `${bom}${out.join('\n')}\n`, rows: () => lines.map((line) => JSON.parse(line) as unknown) };
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

function filterCsvText(text: string, keep: Set<number>, expected: number, file: string): Filtered {
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
  return {
    text: bom + header + body.map((r) => (/\n$/.test(r) ? r : r + eol)).join(''),
    rows: () => table.records.map((r) => Object.fromEntries(table.header.map((h, i) => [h, r.fields[i]!]))),
  };
}

/** `nested`: the report read the file as nested SQuAD (its shape `squad`), one row per question. */
function filterJsonText(text: string, keep: Set<number>, expected: number, file: string, nested: boolean): Filtered {
  const value = JSON.parse(text) as unknown;
  const indent = /^\s*[[{]\s*\n(\s+)/.exec(text)?.[1]?.replace(/\n/g, '') ?? undefined;
  let samples: unknown[] = [];
  const pick = (rows: unknown[]) => {
    // Nested SQuAD: the report's rows are questions, in document order, inside articles.
    if (nested) {
      samples = flattenSquad(rows);
      if (samples.length !== expected) throw rowMismatch(file, samples.length, expected, 'questions');
      return filterSquadArticles(rows, keep);
    }
    if (rows.length !== expected) throw rowMismatch(file, rows.length, expected);
    samples = rows;
    return rows.filter((_, r) => keep.has(r));
  };
  let out: unknown;
  if (Array.isArray(value)) out = pick(value);
  else {
    const entries = Object.entries(value as Record<string, unknown>);
    out = Object.fromEntries(entries.map(([k, v]) => [k, Array.isArray(v) ? pick(v) : v]));
  }
  return { text: `${JSON.stringify(out, null, indent)}${text.endsWith('\n') ? '\n' : ''}`, rows: () => samples };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Nested SQuAD articles with only the kept questions. Questions are counted
 * exactly as flattenSquad counts them (the report's rows); a paragraph left
 * with no question and an article left with no paragraph are dropped, every
 * other key kept in its place.
 */
export function filterSquadArticles(articles: unknown[], keep: ReadonlySet<number>): unknown[] {
  let row = 0;
  const out: unknown[] = [];
  for (const article of articles) {
    if (!isObject(article) || !Array.isArray(article.paragraphs)) continue;
    const paragraphs: unknown[] = [];
    for (const paragraph of article.paragraphs) {
      if (!isObject(paragraph) || !Array.isArray(paragraph.qas)) continue;
      const qas = paragraph.qas.filter((qa) => isObject(qa) && keep.has(row++));
      if (qas.length > 0) paragraphs.push({ ...paragraph, qas });
    }
    if (paragraphs.length > 0) out.push({ ...article, paragraphs });
  }
  return out;
}

async function filterParquetFile(file: string, target: string, keep: Set<number>, expected: number): Promise<unknown[]> {
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
  return rows;
}

/**
 * Write each benchmark's clean subset, `removed.jsonl` and optionally
 * `lm_eval_samples.json` into the folder `output` (created atomically; it must
 * not exist or be empty). Each subset is named `<benchmark>.<extension of the input>`.
 * A benchmark that cannot be written is left out and returned in `failed`;
 * the others are written.
 *
 * @throws ContamError `BAD_ARGUMENT` (output exists), `WRITE_FAILED`
 */
export async function filterEvals(report: Report, output: string, options: EvalFilterOptions = {}): Promise<EvalFilterSummary> {
  const byBenchmark = new Map<string, ReportSample[]>();
  for (const s of report.samples) {
    const list = byBenchmark.get(s.benchmark) ?? [];
    list.push(s);
    byBenchmark.set(s.benchmark, list);
  }
  return writeFolderAtomic(output, async (folder) => {
    const summary: EvalFilterSummary = { benchmarks: [], removed: 0, failed: [] };
    const removedLines: string[] = [];
    const lmEval: Record<string, number[]> = {};
    for (const benchmark of report.benchmarks) {
      const samples = (byBenchmark.get(benchmark.name) ?? []).sort((x, y) => x.row - y.row);
      let written: Awaited<ReturnType<typeof writeSubset>>;
      try {
        written = await writeSubset(folder, benchmark, samples, options);
      } catch (error) {
        if (!isContamError(error)) throw error;
        summary.failed.push({ name: benchmark.name, input: benchmark.path, code: error.code, message: error.toLine() });
        continue;
      }
      const { name, keep, removed, rows } = written;
      for (const r of removed) removedLines.push(JSON.stringify(r));
      let lm: EvalFilterSummary['benchmarks'][number]['lm_eval'] = null;
      if (options.lmEval) {
        let all: unknown[] | null = null;
        try {
          all = rows();
        } catch (error) {
          lm = { reason: `its rows cannot be read again: ${(error as Error).message}` };
        }
        const mapped = all === null ? lm! : lmEvalTasks(benchmark.shape ?? null, all, keep);
        if ('reason' in mapped) lm = mapped;
        else {
          const taken = Object.keys(mapped.tasks).filter((t) => t in lmEval);
          if (taken.length > 0) lm = { reason: `task ${taken.join(', ')} is already written for another benchmark` };
          else {
            Object.assign(lmEval, mapped.tasks);
            lm = { tasks: Object.keys(mapped.tasks), empty: mapped.empty };
          }
        }
      }
      summary.benchmarks.push({
        name: benchmark.name,
        input: benchmark.path,
        output: name,
        format: benchmark.format,
        samples: benchmark.samples,
        kept: keep.size,
        removed: removed.length,
        too_short: samples.filter((s) => s.too_short).length,
        lm_eval: lm,
      });
      summary.removed += removed.length;
    }
    await writeFileAtomic(path.join(folder, 'removed.jsonl'), removedLines.length === 0 ? '' : `${removedLines.join('\n')}\n`);
    if (options.lmEval) await writeFileAtomic(path.join(folder, 'lm_eval_samples.json'), `${JSON.stringify(lmEval)}\n`);
    return summary;
  });
}

/** Write one benchmark's clean subset into `folder`. @throws ContamError when it cannot be written as the report says */
async function writeSubset(folder: string, benchmark: ReportBenchmark, samples: ReportSample[], options: EvalFilterOptions) {
  if (samples.length !== benchmark.samples) {
    throw new ContamError('BAD_REPORT', `the report lists ${samples.length} samples of '${benchmark.name}' but counts ${benchmark.samples}`, { hint: 'pass a complete report from `contam scan -o`' });
  }
  const { keep, removed } = cleanRows(benchmark, samples, options.keepTooShort);
  const file = benchmark.path;
  const { gzip } = evalFormatOf(file);
  const extension = path
    .basename(file)
    .toLowerCase()
    .match(/\.(jsonl|json|csv|parquet)(\.gz)?$/)![0];
  const name = `${benchmark.name}${extension}`;
  const target = path.join(folder, name);
  let raw: Buffer;
  try {
    raw = await fs.readFile(file);
  } catch (error) {
    throw new ContamError('FILE_NOT_FOUND', 'cannot read the benchmark file named in the report', { file, cause: error, hint: 'run from the folder the scan ran in, or move the file back' });
  }
  let rows: () => unknown[];
  if (benchmark.format === 'parquet') {
    const all = await filterParquetFile(file, target, keep, benchmark.samples);
    rows = () => all;
  } else {
    let text: string;
    try {
      text = (gzip ? gunzipSync(raw) : raw).toString('utf8');
    } catch (error) {
      throw new ContamError('BAD_COMPRESSION', `not valid gzip: ${(error as Error).message}`, { file, cause: error, hint: 'the file changed since the scan: scan it again' });
    }
    let filtered: Filtered;
    try {
      filtered =
        benchmark.format === 'jsonl'
          ? filterJsonlText(text, keep, benchmark.samples, file)
          : benchmark.format === 'csv'
            ? filterCsvText(text, keep, benchmark.samples, file)
            : filterJsonText(text, keep, benchmark.samples, file, benchmark.shape === 'squad');
    } catch (error) {
      if (isContamError(error)) throw error;
      throw new ContamError('BAD_REPORT', `cannot read the benchmark file as the report's ${benchmark.format}: ${(error as Error).message}`, {
        file,
        cause: error,
        hint: 'the file changed since the scan: scan it again',
      });
    }
    await writeFileAtomic(target, gzip ? gzipSync(filtered.text) : filtered.text);
    rows = filtered.rows;
  }
  return { name, keep, removed, rows };
}

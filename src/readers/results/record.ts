/**
 * The one shape every model-results reader yields, and the helpers they
 * share: reading a (possibly gzipped) JSONL file line by line with errors
 * that name the 1-based line, and coercing the loosely typed values results
 * files hold (lm-evaluation-harness writes log-likelihoods as strings,
 * Parquet writes int64 as bigint) into numbers.
 *
 * Invariant: a reader never drops a line or row; a record it cannot read is
 * a BAD_RESULTS error naming the file and the place.
 */
import { promises as fs } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { ContamError } from '../../errors.js';

/** One scored sample of a results file, whatever the format. */
export interface ResultRecord {
  /** Where it is in the file, already phrased (`line 12`, `row 3`). */
  where: string;
  /** 0-based row of the sample in the benchmark (lm-eval `doc_id`, native `row`), or null. */
  row: number | null;
  /** The benchmark's own id of the sample, or null. */
  id: string | null;
  /** Prompt or document text, for joining on text; '' when the file has none. */
  text: string;
  /** One log-likelihood per choice, or null. */
  logprobs: number[] | null;
  /** The choices' texts whose lengths normalize `acc_norm`, or null. */
  choices: string[] | null;
  /** 0-based index of the gold choice, or null. */
  gold: number | null;
  /** The model's raw generation, or null. */
  prediction: string | null;
  /** Reference answers for the generation, or null. */
  references: string[] | null;
  /** The file's own per-sample metrics (name -> value), e.g. `acc`, `exact_match,strict-match`. */
  stored: Record<string, number>;
  /**
   * lm-evaluation-harness only: each filter's filtered response (`filtered_resps`
   * of that filter's line) as text, by filter name (`strict-match`, `maj@8`,
   * `none`); null for other formats or a multiple-choice line.
   */
  filtered: Record<string, string | null> | null;
}

/** A record that says which sample it is, before its choices, gold and prediction are read. */
export function newRecord(where: string, row: number | null, id: string | null, text: string, stored: Record<string, number>): ResultRecord {
  return { where, row, id, text, logprobs: null, choices: null, gold: null, prediction: null, references: null, stored, filtered: null };
}

/** A results file read into records. */
export interface ResultsFile {
  path: string;
  /** `lm-eval-harness`, `lighteval`, `lighteval-legacy` or `native`. */
  format: string;
  /** The benchmark the file names (file name or field), or null. */
  benchmark: string | null;
  records: ResultRecord[];
  /**
   * The per-sample metrics the file itself stores, in order of first
   * appearance (lm-evaluation-harness: `metric,filter`, `metric` for filter
   * `none`); when set, these are what is scored. Absent for formats scored by
   * the metrics of their mode.
   */
  metrics?: string[];
}

/** A BAD_RESULTS error for `file` at `where`. */
export function badResults(file: string, message: string, where?: string, hint?: string, cause?: unknown): ContamError {
  return new ContamError('BAD_RESULTS', message, { file, where, hint: hint ?? 'check that the file is a complete results file of a supported format', cause });
}

/** Read a whole file (gunzipping `.gz`), as text. */
export async function readResultsText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ContamError('FILE_NOT_FOUND', 'no such results file', { file, hint: 'check the results path', cause: error });
    }
    throw badResults(file, `cannot read: ${(error as Error).message}`, undefined, undefined, error);
  }
  if (file.endsWith('.gz')) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new ContamError('BAD_COMPRESSION', `not valid gzip: ${(error as Error).message}`, { file, hint: 'the file may be truncated', cause: error });
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * Parse JSONL text into objects with their 1-based line numbers (blank lines
 * skipped but counted). A line that is not a JSON object is an error naming
 * the line; a last line without its newline that fails to parse is reported
 * as truncated.
 */
export function parseJsonLines(file: string, text: string): { line: number; value: Record<string, unknown> }[] {
  const out: { line: number; value: Record<string, unknown> }[] = [];
  const lines = text.split('\n');
  const complete = text.endsWith('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      const last = i === lines.length - 1 && !complete;
      throw badResults(
        file,
        last ? 'the last line is cut off (truncated file)' : `not valid JSON: ${(error as Error).message}`,
        `line ${i + 1}`,
        last ? 'the run may have been interrupted while writing; re-run or remove the partial line' : undefined,
        error,
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw badResults(file, `expected a JSON object, got ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}`, `line ${i + 1}`);
    }
    out.push({ line: i + 1, value: value as Record<string, unknown> });
  }
  return out;
}

/** A finite number from a number, numeric string or bigint; null otherwise. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** A stored metric value: numbers and booleans (true = 1); null for anything else. */
export function toMetric(value: unknown): number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' || typeof value === 'bigint') return toNumber(value);
  return null;
}

/** Every string inside a JSON-like value, depth first, in key order. */
export function collectStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out);
  else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) collectStrings(v, out);
  return out;
}

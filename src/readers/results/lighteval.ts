/**
 * Reader of lighteval's details Parquet files, `details_<task>_<date>.parquet`,
 * in both layouts:
 *
 * - from 0.11: struct columns `doc` (`query`, `choices`, `gold_index`, `id`,
 *   ...), `model_response` (`text`, `logprobs`, ...) and `metric` (name -> score);
 * - up to 0.10, and the Open LLM Leaderboard's details: flat columns `example`
 *   (the query), `full_prompt`, `predictions` (per choice `[logprob, is_greedy]`
 *   or a bare log-prob; for generation, the generated texts), `choices`,
 *   `gold_index`, `gold` and `metrics`. Older writers stored some of these as
 *   JSON or Python-literal strings; JSON strings are parsed.
 *
 * lighteval has no integer row index, so records carry `doc.id` (when set) and
 * the query text, never a row. Choice texts are kept as lighteval stores them
 * (usually with their leading space): its character-normalized accuracy divides
 * by that length. A generation's references are the gold choices
 * (`doc.choices[gold_index]`), else the legacy `gold` column.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { ContamError } from '../../errors.js';
import { badResults, newRecord, collectStrings, toMetric, toNumber, type ResultRecord, type ResultsFile } from './record.js';

/** lighteval metric names that are lm-eval's `acc` / `acc_norm` under another name. */
const METRIC_ALIASES: Record<string, string> = {
  loglikelihood_acc: 'acc',
  loglikelihood_acc_norm: 'acc_norm',
};

/** The task named by `details_<suite|task|shots>_<date>.parquet` (the middle part when `|`-separated), or null. */
export function lightevalTaskFromFileName(file: string): string | null {
  const m = /^details_(.+?)_(\d{4}-\d{2}-\d{2}T[0-9.:_-]+)\.parquet$/.exec(path.basename(file));
  if (!m) return null;
  const parts = m[1]!.split('|');
  return parts.length >= 2 ? parts[1]! : parts[0]!;
}

/** Parse a value that older writers stored as a JSON string. */
function unstring(value: unknown): unknown {
  if (typeof value === 'string') {
    const t = value.trim();
    if ((t.startsWith('[') && t.endsWith(']')) || (t.startsWith('{') && t.endsWith('}'))) {
      try {
        return JSON.parse(t);
      } catch {
        return value;
      }
    }
  }
  return value;
}

function asList(value: unknown): unknown[] | null {
  const v = unstring(value);
  if (Array.isArray(v)) return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<unknown>);
  return null;
}

function asObject(value: unknown): Record<string, unknown> | null {
  const v = unstring(value);
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function goldIndex(value: unknown): number | null {
  const list = asList(value);
  const first = list ? list[0] : value;
  const n = toNumber(first);
  return n !== null && Number.isInteger(n) && n >= 0 ? n : null;
}

function storedMetrics(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  const metrics = asObject(value);
  if (!metrics) return out;
  for (const [name, v] of Object.entries(metrics)) {
    const n = toMetric(v);
    if (n !== null) out[METRIC_ALIASES[name] ?? name] = n;
  }
  return out;
}

function strings(value: unknown): string[] | null {
  const list = asList(value);
  return list?.every((s) => typeof s === 'string') ? (list as string[]) : null;
}

function fillScores(file: string, record: ResultRecord, choices: string[] | null, gold: number | null, logprobs: number[] | null, texts: string[] | null, golds: string[] | null): void {
  if (logprobs && logprobs.length > 0 && choices && choices.length > 0) {
    if (logprobs.length !== choices.length) {
      throw badResults(file, `${logprobs.length} log-probabilities for ${choices.length} choices`, record.where);
    }
    if (gold === null || gold >= choices.length) {
      throw badResults(file, `gold_index ${gold === null ? 'is missing' : `${gold} is out of range for ${choices.length} choices`}`, record.where);
    }
    record.logprobs = logprobs;
    record.choices = choices;
    record.gold = gold;
    return;
  }
  if (texts && texts.length > 0) {
    record.prediction = texts[0]!;
    if (choices && gold !== null && gold < choices.length) record.references = [choices[gold]!];
    else if (golds && golds.length > 0) record.references = golds;
  }
}

function readNew(file: string, row: Record<string, unknown>, index: number): ResultRecord {
  const where = `row ${index}`;
  const doc = asObject(row.doc);
  if (!doc) throw badResults(file, "the 'doc' column holds no struct", where);
  const response = asObject(row.model_response) ?? {};
  const id = doc.id === undefined || doc.id === null || doc.id === '' ? null : String(doc.id);
  const query = typeof doc.query === 'string' ? doc.query : '';
  const record = newRecord(where, null, id, query, storedMetrics(row.metric));
  const lp = asList(response.logprobs);
  const logprobs = lp ? lp.map(toNumber) : null;
  if (logprobs?.some((v) => v === null)) throw badResults(file, 'model_response.logprobs holds a value that is not a number', where);
  fillScores(file, record, strings(doc.choices), goldIndex(doc.gold_index), logprobs as number[] | null, strings(response.text), null);
  return record;
}

function readLegacy(file: string, row: Record<string, unknown>, index: number): ResultRecord {
  const where = `row ${index}`;
  const example = typeof row.example === 'string' ? row.example : '';
  const prompt = typeof row.full_prompt === 'string' ? row.full_prompt : '';
  // The query alone: full_prompt also holds the few-shot examples, other samples' texts.
  const record = newRecord(where, null, null, example || prompt || collectStrings(row).join('\n'), storedMetrics(row.metrics));
  const predictions = asList(row.predictions) ?? [];
  const texts = predictions.every((p) => typeof p === 'string') ? (predictions as string[]) : null;
  let logprobs: number[] | null = null;
  if (!texts) {
    const values = predictions.map((p) => {
      let v: unknown = p;
      while (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) v = (v as ArrayLike<unknown>)[0];
      return toNumber(v);
    });
    if (values.some((v) => v === null)) throw badResults(file, "the 'predictions' column holds a value that is not a log-probability", where);
    logprobs = values as number[];
  }
  fillScores(file, record, strings(row.choices), goldIndex(row.gold_index), logprobs, texts, strings(row.gold));
  return record;
}

/**
 * Read a lighteval details Parquet file (either layout).
 *
 * @throws ContamError `FILE_NOT_FOUND`, `BAD_PARQUET` (not Parquet),
 *   `BAD_RESULTS` (neither layout's columns, a bad row)
 */
export async function readLightevalDetails(file: string): Promise<ResultsFile> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ContamError('FILE_NOT_FOUND', 'no such results file', { file, hint: 'check the results path', cause: error });
    throw badResults(file, `cannot read: ${(error as Error).message}`, undefined, undefined, error);
  }
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let rows: Record<string, unknown>[];
  try {
    rows = (await parquetReadObjects({ file: buffer, compressors })) as Record<string, unknown>[];
  } catch (error) {
    throw new ContamError('BAD_PARQUET', `cannot read as Parquet: ${(error as Error).message}`, { file, hint: 'the file may be truncated or not Parquet', cause: error });
  }
  const columns = new Set(rows.length > 0 ? Object.keys(rows[0]!) : []);
  const modern = columns.has('doc') && columns.has('model_response');
  const legacy = columns.has('predictions') && (columns.has('example') || columns.has('choices') || columns.has('gold'));
  if (rows.length > 0 && !modern && !legacy) {
    throw badResults(
      file,
      `not a lighteval details file: columns are ${[...columns].join(', ')}`,
      undefined,
      "expected 'doc' and 'model_response' (lighteval 0.11+) or 'example' and 'predictions' (up to 0.10)",
    );
  }
  const records = rows.map((row, i) => (modern ? readNew(file, row, i) : readLegacy(file, row, i)));
  return { path: file, format: modern ? 'lighteval' : 'lighteval-legacy', benchmark: lightevalTaskFromFileName(file), records };
}

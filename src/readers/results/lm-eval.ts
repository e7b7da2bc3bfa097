/**
 * Reader of lm-evaluation-harness `--log_samples` files,
 * `samples_<task>_<date>.jsonl`: one line per document (and per filter, for
 * tasks such as gsm8k that log `strict-match` and `flexible-extract`
 * separately), with `doc_id` (0-based row of the task's document list),
 * `doc`, `target`, `arguments`, `resps`, `filtered_resps`, `filter` and the
 * per-sample metric fields (`acc`, `acc_norm`, `exact_match`, ...).
 *
 * Layouts read alike:
 * - `arguments` as a list of `[context, continuation]` pairs (early 0.4) or as
 *   `{"gen_args_0": {"arg_0": context, "arg_1": continuation}, ...}` (later);
 * - `resps` nested, one list per request holding one list of responses
 *   (`[[["-4.2", "False"]], ...]`, `[["text"]]`), or flattened one level
 *   (`["text"]`, `filtered_resps: "text"`), with values as numbers or as the
 *   strings the harness's sanitizer writes.
 *
 * Multiple choice: the log-likelihoods are the first element of each
 * request's response; the choice text is the continuation with the task's
 * default target delimiter (one leading space) removed, which is what the
 * harness measures for `acc_norm`; the gold index is `target` when it is a
 * whole number, else the choice equal to it. Generation: the raw response
 * (not the filtered one) with `target` as the reference.
 *
 * Filters: the harness writes one line per document per filter (every
 * document for the first filter, then for the next: evaluator.py), each with
 * that filter's `filtered_resps` and metric values. Lines of the same `doc_id`
 * become one record; its stored metrics are named as the harness names them
 * in results.json, `metric,filter` (`exact_match,maj@8`), except filter
 * `none`, whose metrics keep their plain name (`acc`), and each filter's
 * filtered response is kept in `filtered` so the metric can be recomputed
 * per filter. The file's metric names, in order, are the ones scored.
 *
 * MMLU runs as 57 tasks `mmlu_<subject>`, each numbering its docs from 0, so
 * their doc_id is not a row of an MMLU benchmark file: records of those tasks
 * carry no row and are joined by their text.
 */
import path from 'node:path';
import { badResults, newRecord, collectStrings, parseJsonLines, readResultsText, toMetric, toNumber, type ResultRecord, type ResultsFile } from './record.js';

const BOOKKEEPING = new Set(['doc_id', 'doc', 'target', 'arguments', 'resps', 'filtered_resps', 'filter', 'metrics', 'doc_hash', 'prompt_hash', 'target_hash', 'task_name']);

/** The task named by `samples_<task>_<date>.jsonl`, or null for another name. */
export function lmEvalTaskFromFileName(file: string): string | null {
  const m = /^samples_(.+)_(\d{4}-\d{2}-\d{2}T[0-9.:_-]+)\.jsonl(?:\.gz)?$/.exec(path.basename(file));
  return m ? m[1]! : null;
}

/** The request arguments as [context, continuation] pairs (continuation is a string or generation kwargs). */
function requestArguments(value: unknown): unknown[][] {
  if (Array.isArray(value)) return value.map((a) => (Array.isArray(a) ? a : [a]));
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k]) => /^gen_args_\d+$/.test(k))
      .sort(([a], [b]) => Number(a.slice(9)) - Number(b.slice(9)));
    return entries.map(([, v]) => {
      if (typeof v !== 'object' || v === null) return [v];
      const args = v as Record<string, unknown>;
      return Object.keys(args)
        .filter((k) => /^arg_\d+$/.test(k))
        .sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)))
        .map((k) => args[k]);
    });
  }
  return [];
}

/** First number inside a response, unwrapping `[[ll, greedy]]`, `[ll, greedy]` or `ll`. */
function loglikelihoodOf(response: unknown): number | null {
  let r = response;
  while (Array.isArray(r)) r = r[0];
  return toNumber(r);
}

/** First string inside a response, unwrapping `[["text"]]`, `["text"]` or `"text"`. */
function generationOf(response: unknown): string | null {
  let r = response;
  while (Array.isArray(r)) r = r[0];
  return typeof r === 'string' ? r : null;
}

function storedMetrics(line: Record<string, unknown>): Record<string, number> {
  const filter = typeof line.filter === 'string' && line.filter !== 'none' ? line.filter : null;
  const names = Array.isArray(line.metrics) ? line.metrics.filter((m): m is string => typeof m === 'string') : Object.keys(line).filter((k) => !BOOKKEEPING.has(k));
  const out: Record<string, number> = {};
  for (const name of names) {
    const v = toMetric(line[name]);
    if (v !== null) out[filter ? `${name},${filter}` : name] = v;
  }
  return out;
}

function stripDelimiter(continuation: string): string {
  return continuation.startsWith(' ') ? continuation.slice(1) : continuation;
}

function readLine(file: string, lineNo: number, line: Record<string, unknown>): ResultRecord {
  const where = `line ${lineNo}`;
  const docId = line.doc_id;
  if (!Number.isInteger(docId) || (docId as number) < 0) {
    throw badResults(file, `expected 'doc_id' to be a whole number from 0, got ${JSON.stringify(docId)}`, where, 'is this an lm-evaluation-harness --log_samples file?');
  }
  const args = requestArguments(line.arguments);
  const context = typeof args[0]?.[0] === 'string' ? (args[0][0] as string) : '';
  const text = [...collectStrings(line.doc), context].join('\n');
  const record = newRecord(where, docId as number, null, text, storedMetrics(line));
  const filter = typeof line.filter === 'string' ? line.filter : 'none';
  record.filtered = { [filter]: generationOf(line.filtered_resps) };
  let responses = Array.isArray(line.filtered_resps) ? line.filtered_resps : Array.isArray(line.resps) ? line.resps : null;
  let continuations = args.map((a) => a[1]);
  // acc_mutual_info appends one unconditional request per choice after the conditional ones.
  if (Array.isArray(line.metrics) && line.metrics.includes('acc_mutual_info') && args.length % 2 === 0 && responses?.length === args.length) {
    continuations = continuations.slice(0, args.length / 2);
    responses = responses.slice(0, args.length / 2);
  }
  // A single loglikelihood request (lambada) is not a choice among several: its acc is the stored is_greedy.
  const multipleChoice = continuations.length >= 2 && continuations.every((c) => typeof c === 'string') && responses !== null && responses.length === continuations.length;
  if (multipleChoice) {
    const logprobs = responses!.map(loglikelihoodOf);
    if (logprobs.some((v) => v === null)) {
      const i = logprobs.indexOf(null);
      throw badResults(file, `response ${i} of a multiple-choice line holds no log-likelihood (${JSON.stringify(responses![i])})`, where);
    }
    record.logprobs = logprobs as number[];
    record.choices = (continuations as string[]).map(stripDelimiter);
    const target = typeof line.target === 'number' ? String(line.target) : typeof line.target === 'string' ? line.target.trim() : null;
    if (target !== null && /^\d+$/.test(target)) record.gold = Number(target);
    else if (target !== null) {
      const i = record.choices.findIndex((c) => c.trim() === target);
      record.gold = i >= 0 ? i : null;
    }
    if (record.gold !== null && record.gold >= record.logprobs.length) {
      throw badResults(file, `gold choice ${record.gold} is out of range for ${record.logprobs.length} choices`, where);
    }
    return record;
  }
  const generation = generationOf(line.resps) ?? generationOf(line.filtered_resps);
  if (generation !== null) {
    record.prediction = generation;
    const target = line.target;
    if (typeof target === 'string') record.references = [target];
    else if (Array.isArray(target)) record.references = target.filter((t): t is string => typeof t === 'string');
    else if (target !== undefined && target !== null) record.references = [String(target)];
  }
  return record;
}

/**
 * Read an lm-evaluation-harness `--log_samples` file (`.jsonl` or `.jsonl.gz`).
 *
 * @throws ContamError `FILE_NOT_FOUND`, `BAD_RESULTS` (a bad or truncated
 *   line, a missing `doc_id`, a doc_id logged twice under one filter)
 */
export async function readLmEvalSamples(file: string): Promise<ResultsFile> {
  const lines = parseJsonLines(file, await readResultsText(file));
  const byDoc = new Map<number, { record: ResultRecord; filters: Set<string> }>();
  const records: ResultRecord[] = [];
  const metrics = new Set<string>();
  for (const { line, value } of lines) {
    const record = readLine(file, line, value);
    for (const name of Object.keys(record.stored)) metrics.add(name);
    const filter = typeof value.filter === 'string' ? value.filter : 'none';
    const seen = byDoc.get(record.row!);
    if (seen) {
      if (seen.filters.has(filter)) {
        throw badResults(file, `doc_id ${record.row} is logged twice under filter '${filter}' (first at ${seen.record.where})`, `line ${line}`, 'pass one task run per file');
      }
      seen.filters.add(filter);
      Object.assign(seen.record.stored, record.stored);
      Object.assign(seen.record.filtered!, record.filtered);
      continue;
    }
    byDoc.set(record.row!, { record, filters: new Set([filter]) });
    records.push(record);
  }
  const task = lmEvalTaskFromFileName(file);
  // mmlu_<subject> numbers its docs within the subject, not as rows of an MMLU file holding every subject: join those by text.
  if (task !== null && /^mmlu_/.test(task)) for (const record of records) record.row = null;
  return { path: file, format: 'lm-eval-harness', benchmark: task, records, metrics: [...metrics] };
}

/**
 * Reader of contam's native results JSONL: one line per scored sample.
 *
 * ```
 * {"benchmark": "hellaswag", "row": 0, "logprobs": [-9.1, -7.4, -8.0, -6.2], "gold": 3,
 *  "choices": ["is using wrap ...", "...", "...", "..."]}
 * {"benchmark": "gsm8k", "id": "17", "prediction": "... #### 72", "references": ["... #### 72"]}
 * ```
 *
 * - `benchmark` (string, optional when `--benchmark` names it): lines of one
 *   file must all name the same benchmark;
 * - `row` (0-based row in the benchmark file) or `id` (the benchmark's own id)
 *   or `text` (the prompt, for joining on text): at least one;
 * - log-prob mode: `logprobs` (one finite number per choice) and `gold` (0-based
 *   index), with `choices` (their texts) for length-normalized accuracy;
 * - generative mode: `prediction` (string) and `references` (string or list);
 * - `metrics` (optional): the producer's own per-sample scores, compared with
 *   ours and used where ours cannot be computed.
 */
import { badResults, newRecord, parseJsonLines, readResultsText, toMetric, type ResultRecord, type ResultsFile } from './record.js';

function readLine(file: string, lineNo: number, line: Record<string, unknown>): { benchmark: string | null; record: ResultRecord } {
  const where = `line ${lineNo}`;
  const fail = (message: string) =>
    badResults(file, message, where, 'a native line is {"benchmark", "row" or "id", "logprobs": [...], "gold"} or {"benchmark", "row" or "id", "prediction", "references": [...]}');
  const benchmark = line.benchmark === undefined || line.benchmark === null ? null : line.benchmark;
  if (benchmark !== null && typeof benchmark !== 'string') throw fail(`expected 'benchmark' to be a string, got ${JSON.stringify(benchmark)}`);
  const row = line.row === undefined || line.row === null ? null : line.row;
  if (row !== null && (!Number.isInteger(row) || (row as number) < 0)) throw fail(`expected 'row' to be a whole number from 0, got ${JSON.stringify(row)}`);
  const rawId = line.id === undefined || line.id === null ? null : line.id;
  if (rawId !== null && typeof rawId !== 'string' && typeof rawId !== 'number') throw fail(`expected 'id' to be a string or number, got ${JSON.stringify(rawId)}`);
  const text = typeof line.text === 'string' ? line.text : '';
  if (row === null && rawId === null && text === '') throw fail("expected 'row', 'id' or 'text' to say which sample this is");
  const record = newRecord(where, row as number | null, rawId === null ? null : String(rawId), text, {});
  if (line.logprobs !== undefined) {
    if (!Array.isArray(line.logprobs) || line.logprobs.length === 0 || !line.logprobs.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw fail(`expected 'logprobs' to be a non-empty list of numbers, got ${JSON.stringify(line.logprobs)}`);
    }
    record.logprobs = line.logprobs as number[];
    if (!Number.isInteger(line.gold) || (line.gold as number) < 0 || (line.gold as number) >= record.logprobs.length) {
      throw fail(`expected 'gold' to be a choice index from 0 to ${record.logprobs.length - 1}, got ${JSON.stringify(line.gold)}`);
    }
    record.gold = line.gold as number;
    if (line.choices !== undefined) {
      if (!Array.isArray(line.choices) || line.choices.length !== record.logprobs.length || !line.choices.every((c) => typeof c === 'string')) {
        throw fail(`expected 'choices' to be ${record.logprobs.length} strings, one per log-likelihood`);
      }
      record.choices = line.choices as string[];
    }
  }
  if (line.prediction !== undefined) {
    if (typeof line.prediction !== 'string') throw fail(`expected 'prediction' to be a string, got ${JSON.stringify(line.prediction)}`);
    record.prediction = line.prediction;
    const refs = typeof line.references === 'string' ? [line.references] : line.references;
    if (!Array.isArray(refs) || refs.length === 0 || !refs.every((r) => typeof r === 'string')) {
      throw fail(`expected 'references' to be a string or a non-empty list of strings, got ${JSON.stringify(line.references)}`);
    }
    record.references = refs as string[];
  }
  if (line.metrics !== undefined) {
    if (typeof line.metrics !== 'object' || line.metrics === null || Array.isArray(line.metrics)) throw fail("expected 'metrics' to be an object of name: number");
    for (const [name, value] of Object.entries(line.metrics)) {
      const v = toMetric(value);
      if (v === null) throw fail(`metric '${name}' is not a number: ${JSON.stringify(value)}`);
      record.stored[name] = v;
    }
  }
  if (record.logprobs === null && record.prediction === null && Object.keys(record.stored).length === 0) {
    throw fail("expected 'logprobs' and 'gold', or 'prediction' and 'references', or 'metrics'");
  }
  return { benchmark, record };
}

/**
 * Read a native results JSONL file (`.jsonl` or `.jsonl.gz`).
 *
 * @throws ContamError `FILE_NOT_FOUND`, `BAD_RESULTS` (a bad field, a
 *   truncated line, lines naming different benchmarks)
 */
export async function readNativeResults(file: string): Promise<ResultsFile> {
  const lines = parseJsonLines(file, await readResultsText(file));
  let benchmark: string | null = null;
  let benchmarkLine = 0;
  const records: ResultRecord[] = [];
  for (const { line, value } of lines) {
    const read = readLine(file, line, value);
    if (read.benchmark !== null) {
      if (benchmark !== null && read.benchmark !== benchmark) {
        throw badResults(file, `this line is for benchmark '${read.benchmark}' but line ${benchmarkLine} is for '${benchmark}'`, `line ${line}`, 'write one file per benchmark');
      }
      if (benchmark === null) {
        benchmark = read.benchmark;
        benchmarkLine = line;
      }
    }
    records.push(read.record);
  }
  return { path: file, format: 'native', benchmark, records };
}

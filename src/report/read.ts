/**
 * Reads the report `contam scan` wrote and checks, before any scoring, that
 * it has the shape scoring relies on: version 1, a list of benchmarks with
 * names, and samples that each carry benchmark, row, id, the two verdict
 * flags and the text. Anything else is a BAD_REPORT naming the file and the
 * first offending place, so a later stage never meets an undefined field.
 */
import { promises as fs } from 'node:fs';
import { ContamError } from '../errors.js';
import { reportChecksum, type ScoreReportFile } from '../score/score.js';
import type { Report, ScoreReport } from '../types.js';

const HINT = 'pass the JSON written by `contam scan -o report.json`';

function bad(file: string, message: string, where?: string): ContamError {
  return new ContamError('BAD_REPORT', message, { file, where, hint: HINT });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Read and validate a scan report.
 *
 * @throws ContamError `FILE_NOT_FOUND` when the file is missing, `BAD_REPORT`
 *   when it is not JSON, not version 1, or a benchmark or sample lacks a field
 */
export async function readReport(path: string): Promise<Report> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ContamError('FILE_NOT_FOUND', 'no such report file', { file: path, hint: HINT, cause: error });
    }
    throw new ContamError('BAD_REPORT', `cannot read: ${(error as Error).message}`, { file: path, cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ContamError('BAD_REPORT', `not JSON (${(error as Error).message})`, { file: path, hint: HINT, cause: error });
  }
  return validateReport(data, path);
}

/** Check an already parsed report; `file` names it in errors. */
export function validateReport(data: unknown, file: string): Report {
  if (!isObject(data)) throw bad(file, `expected a JSON object, got ${Array.isArray(data) ? 'a list' : typeof data}`);
  if (data.version !== 1) throw bad(file, `expected report version 1, got ${JSON.stringify(data.version)}`);
  if (!Array.isArray(data.benchmarks)) throw bad(file, "expected 'benchmarks' to be a list");
  if (!Array.isArray(data.samples)) throw bad(file, "expected 'samples' to be a list");
  data.benchmarks.forEach((b: unknown, i: number) => {
    const where = `benchmarks[${i}]`;
    if (!isObject(b)) throw bad(file, 'expected an object', where);
    if (typeof b.name !== 'string' || b.name === '') throw bad(file, "expected 'name' to be a non-empty string", where);
    if (typeof b.samples !== 'number') throw bad(file, `expected 'samples' to be a number, got ${JSON.stringify(b.samples)}`, where);
  });
  const names = new Set((data.benchmarks as { name: string }[]).map((b) => b.name));
  data.samples.forEach((s: unknown, i: number) => {
    const where = `samples[${i}]`;
    if (!isObject(s)) throw bad(file, 'expected an object', where);
    if (typeof s.benchmark !== 'string' || !names.has(s.benchmark)) {
      throw bad(file, `'benchmark' ${JSON.stringify(s.benchmark)} is not one of the report's benchmarks`, where);
    }
    if (!Number.isInteger(s.row) || (s.row as number) < 0) throw bad(file, `expected 'row' to be a whole number from 0, got ${JSON.stringify(s.row)}`, where);
    if (typeof s.id !== 'string') throw bad(file, `expected 'id' to be a string, got ${JSON.stringify(s.id)}`, where);
    if (typeof s.contaminated !== 'boolean') throw bad(file, `expected 'contaminated' to be true or false, got ${JSON.stringify(s.contaminated)}`, where);
    if (typeof s.too_short !== 'boolean') throw bad(file, `expected 'too_short' to be true or false, got ${JSON.stringify(s.too_short)}`, where);
    if (typeof s.text !== 'string') throw bad(file, `expected 'text' to be a string, got ${JSON.stringify(s.text)}`, where);
    if (s.leaked !== undefined && s.leaked !== null && s.leaked !== 'input' && s.leaked !== 'label' && s.leaked !== 'input+label') {
      throw bad(file, `expected 'leaked' to be 'input', 'label', 'input+label' or null, got ${JSON.stringify(s.leaked)}`, where);
    }
  });
  return data as unknown as Report;
}

/**
 * Check that scores were computed from this report: every scored benchmark
 * is one of the report's, and the checksum of the report's verdicts recorded
 * by `contam score` is this report's. Returns the warnings to print (a scores
 * file from before checksums were recorded).
 *
 * @throws ContamError `BAD_REPORT` naming the scores file when they do not match
 */
export function checkScoresMatch(report: Report, scores: ScoreReportFile, file: string): string[] {
  const names = new Set(report.benchmarks.map((b) => b.name));
  const foreign = [...new Set(scores.benchmarks.map((b) => b.name).filter((n) => !names.has(n)))];
  const hint = 'score the results again against this report: contam score --report REPORT --results ... -o scores.json';
  if (foreign.length > 0) {
    throw new ContamError('BAD_REPORT', `the scores are for ${foreign.map((n) => `'${n}'`).join(', ')}, not a benchmark of the report (${[...names].map((n) => `'${n}'`).join(', ')})`, { file, hint });
  }
  if (scores.report === undefined) return [`${file} does not say which report it was scored against (written before contam recorded it); its figures may belong to another report`];
  const checksum = reportChecksum(report);
  if (scores.report.checksum !== checksum) {
    throw new ContamError('BAD_REPORT', `the scores were computed from another report (verdict checksum ${scores.report.checksum.slice(0, 12)}, this report's ${checksum.slice(0, 12)})`, {
      file,
      hint,
    });
  }
  return [];
}

/** Read a scores file written by `contam score -o`, checking its shape. */
export async function readScores(file: string): Promise<ScoreReportFile> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new ContamError('FILE_NOT_FOUND', 'no such scores file', { file, hint: 'write one with `contam score -o FILE`' });
  }
  let data: Partial<ScoreReport>;
  try {
    data = JSON.parse(text) as Partial<ScoreReport>;
  } catch (error) {
    throw new ContamError('BAD_REPORT', `not JSON: ${(error as Error).message}`, { file, hint: 'pass the file written by `contam score -o`' });
  }
  if (data?.version !== 1 || !Array.isArray(data.benchmarks)) {
    throw new ContamError('BAD_REPORT', 'not a contam scores file of version 1', { file, hint: 'pass the file written by `contam score -o`' });
  }
  return data as ScoreReport;
}

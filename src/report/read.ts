/** Reading a saved report back, with its shape checked so later stages can trust it. */
import { promises as fs } from 'node:fs';
import { ContamError } from '../errors.js';
import type { Report } from '../types.js';

export async function readReportFile(file: string): Promise<Report> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ContamError('FILE_NOT_FOUND', 'no such report file', { file, hint: 'write one with `contam scan -o FILE`' });
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ContamError('BAD_REPORT', `not JSON: ${(error as Error).message}`, { file, hint: 'pass a report written by `contam scan -o`' });
  }
  const r = data as Partial<Report>;
  if (!r || typeof r !== 'object' || r.version !== 1) {
    throw new ContamError('BAD_REPORT', `not a contam report of version 1 (version: ${JSON.stringify(r?.version)})`, { file, hint: 'pass a report written by `contam scan -o`' });
  }
  for (const key of ['config', 'corpus', 'benchmarks', 'samples'] as const) {
    if (r[key] === undefined) throw new ContamError('BAD_REPORT', `the report has no '${key}'`, { file, hint: 'the file is incomplete or from another tool' });
  }
  if (!Array.isArray(r.samples) || !Array.isArray(r.benchmarks)) throw new ContamError('BAD_REPORT', "'samples' and 'benchmarks' must be lists", { file });
  return r as Report;
}

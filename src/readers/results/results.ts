/**
 * Entry point for model results files: picks the reader by what the file is.
 * Parquet (by extension or the `PAR1` magic) is lighteval details; JSON lines
 * whose first record has `doc_id` are lm-evaluation-harness samples; other
 * JSON lines are the native format. Every reader yields the same ResultsFile.
 */
import { promises as fs } from 'node:fs';
import { ContamError } from '../../errors.js';
import { readLightevalDetails } from './lighteval.js';
import { readLmEvalSamples } from './lm-eval.js';
import { readNativeResults } from './native.js';
import { parseJsonLines, readResultsText, type ResultsFile } from './record.js';

export type { ResultRecord, ResultsFile } from './record.js';
export { readLightevalDetails, lightevalTaskFromFileName } from './lighteval.js';
export { readLmEvalSamples, lmEvalTaskFromFileName } from './lm-eval.js';
export { readNativeResults } from './native.js';

async function isParquet(file: string): Promise<boolean> {
  if (file.endsWith('.parquet')) return true;
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r');
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    return head.toString('latin1') === 'PAR1';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ContamError('FILE_NOT_FOUND', 'no such results file', { file, hint: 'check the results path', cause: error });
    throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * Read a results file of any supported format.
 *
 * @throws ContamError `FILE_NOT_FOUND`, `BAD_RESULTS`, `BAD_PARQUET`, `EMPTY_INPUT`
 */
export async function readResults(file: string): Promise<ResultsFile> {
  if (await isParquet(file)) return readLightevalDetails(file);
  const lines = parseJsonLines(file, await readResultsText(file));
  if (lines.length === 0) throw new ContamError('EMPTY_INPUT', 'the results file has no records', { file, hint: 'check that the evaluation run wrote its samples' });
  return 'doc_id' in lines[0]!.value ? readLmEvalSamples(file) : readNativeResults(file);
}

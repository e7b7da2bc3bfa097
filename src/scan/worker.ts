/**
 * A scan worker thread: receives the index as shared arrays once, then corpus
 * parts one at a time, and answers with each part's PartResult (resultToJSON).
 * It reads its own parts from disk, so documents never cross threads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { indexFromShared, type SharedIndex } from '../cidx/contam-index.js';
import { createUnitExtractor } from '../text/units.js';
import type { CorpusColumns, CorpusPart } from '../types.js';
import { resultToJSON } from './part-result.js';
import { scanPart } from './scan.js';
import { errorMessage } from './worker-pool.js';

export interface WorkerSetup {
  index: SharedIndex;
  columns: CorpusColumns;
  maxMatches: number;
  batchSize?: number;
  skipBad?: boolean;
}

export interface PartTask {
  id: number;
  part: CorpusPart;
  file: number;
}

const setup = workerData as WorkerSetup;
const index = indexFromShared(setup.index);
const units = await createUnitExtractor(index.config);
const port = parentPort!;

port.on('message', (task: PartTask) => {
  scanPart(index, task.part, task.file, { columns: setup.columns, maxMatches: setup.maxMatches, batchSize: setup.batchSize, units, skipBad: setup.skipBad }, (batch) =>
    port.postMessage({ type: 'progress', id: task.id, bytes: batch.bytesRead, documents: batch.documents.length }),
  ).then(
    (result) => port.postMessage({ type: 'done', id: task.id, result: resultToJSON(result) }),
    (error: unknown) => port.postMessage({ type: 'error', id: task.id, error: errorMessage(error) }),
  );
});
port.postMessage({ type: 'ready' });

/**
 * A line-counting worker thread (see worker-pool.ts for the protocol): counts
 * the lines and rows of byte ranges of plain JSONL files (countJsonlLines), so
 * that the parts of a large file learn their first line and row on every core
 * before the scan starts.
 */
import { parentPort } from 'node:worker_threads';
import { countJsonlLines, type LineRange } from '../readers/corpus/jsonl.js';
import { errorMessage } from './worker-pool.js';

const port = parentPort!;
port.on('message', (task: { id: number; range: LineRange }) => {
  countJsonlLines(task.range).then(
    (result) => port.postMessage({ type: 'done', id: task.id, result }),
    (error: unknown) => port.postMessage({ type: 'error', id: task.id, error: errorMessage(error) }),
  );
});
port.postMessage({ type: 'ready' });

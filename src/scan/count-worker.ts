/**
 * A line-counting worker thread: counts the lines and rows of byte ranges of
 * plain JSONL files (countJsonlLines), so that the parts of a large file learn
 * their first line and row on every core before the scan starts.
 */
import { parentPort } from 'node:worker_threads';
import { isContamError } from '../errors.js';
import { countJsonlLines, type LineRange } from '../io/jsonl.js';

export interface CountTask {
  id: number;
  range: LineRange;
}

const port = parentPort!;
port.on('message', (task: CountTask) => {
  countJsonlLines(task.range).then(
    (count) => port.postMessage({ type: 'done', id: task.id, count }),
    (error: unknown) =>
      port.postMessage({ type: 'error', id: task.id, error: isContamError(error) ? { contam: error.toJSON() } : { message: String((error as Error)?.stack ?? error) } }),
  );
});
port.postMessage({ type: 'ready' });

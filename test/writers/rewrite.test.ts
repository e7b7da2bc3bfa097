/**
 * Rewriting a corpus file row for row, with a decider written by hand: a kept
 * JSONL record keeps its input bytes (key order, spacing),
 * a piece is the record with its text and id keys replaced in place, and a
 * dropped row is gone; rows are those the reader counts (blank lines skipped).
 */
import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planCorpusParts } from '../../src/readers/corpus/documents.js';
import type { CorpusDocument } from '../../src/types.js';
import { rewriteJsonl } from '../../src/writers/rewrite-jsonl.js';
import type { OutRow, RowDecider } from '../../src/writers/rewrite.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-rewrite-'));

test('JSONL: kept lines byte for byte, pieces with text and id replaced in place, dropped rows gone', async (t) => {
  const input = path.join(tmp, 'in.jsonl');
  writeFileSync(input, ['{"text":  "keep me", "id": "a", "extra": [1, 2]}', '', '{"id": "b", "text": "drop me"}', '{"meta": {"k": 1}, "text": "one two", "id": "c"}', ''].join('\n'));
  const seen: [string, number][] = [];
  const decider: RowDecider = {
    decide(doc: CorpusDocument, local: number, out: OutRow[]) {
      seen.push([doc.text, local]);
      if (doc.text === 'keep me') out.push({ row: local });
      else if (doc.text === 'one two') out.push({ row: local, text: 'one', id: 'c#0' }, { row: local, text: 'two', id: 'c#1' });
    },
  };
  const [part] = await planCorpusParts([input]);
  const output = path.join(tmp, 'out.jsonl');
  await rewriteJsonl(part!, output, decider, { columns: { text: 'text', id: 'id' }, pieces: true });
  t.deepEqual(seen, [
    ['keep me', 0],
    ['drop me', 0],
    ['one two', 0],
  ]);
  t.is(readFileSync(output, 'utf8'), ['{"text":  "keep me", "id": "a", "extra": [1, 2]}', '{"meta":{"k":1},"text":"one","id":"c#0"}', '{"meta":{"k":1},"text":"two","id":"c#1"}', ''].join('\n'));
});

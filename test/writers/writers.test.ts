/** Writers: compressed JSONL reads back through the corpus reader; nothing appears before commit or after abort. */
import test from 'ava';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readCorpusDocuments } from '../../src/readers/corpus/documents.js';
import { JsonlWriter, zstdAvailable } from '../../src/writers/writers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-writers-'));
const docs = Array.from({ length: 3000 }, (_, i) => ({ id: `d${i}`, text: `document ${i} ${'é words '.repeat(i % 50)}` }));

for (const [ext, compression] of [
  ['jsonl', null],
  ['jsonl.gz', 'gzip'],
  ['jsonl.zst', 'zstd'],
] as const) {
  test(`${ext}: records read back identically through the corpus reader`, async (t) => {
    if (compression === 'zstd' && !zstdAvailable()) return t.pass('zstd CLI not installed');
    const file = path.join(tmp, `out.${ext}`);
    const writer = new JsonlWriter(file, compression);
    for (const d of docs) await writer.writeRecord(d);
    t.false(existsSync(file), 'nothing at the target before commit');
    await writer.commit();
    const back: { id: string | null; text: string }[] = [];
    for await (const b of readCorpusDocuments([file], { columns: { text: 'text', id: 'id' } })) for (const d of b.documents) back.push({ id: d.id, text: d.text });
    t.deepEqual(back, docs);
  });
}

test('abort leaves neither the target nor a temporary file', async (t) => {
  const dir = mkdtempSync(path.join(tmp, 'abort-'));
  const writer = new JsonlWriter(path.join(dir, 'x.jsonl.gz'), 'gzip');
  await writer.writeRecord({ text: 'a' });
  await writer.abort();
  t.deepEqual(readdirSync(dir), []);
});

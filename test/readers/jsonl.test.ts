/**
 * The JSONL reader: records survive any chunking of the bytes (even inside a
 * UTF-8 sequence or a CRLF), blank lines are skipped but counted in line
 * numbers, and each kind of bad input fails with its code and its line.
 */
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { countJsonlLines, planJsonlParts, readJsonlChunks, readJsonlDocuments, splitLines } from '../../src/readers/corpus/jsonl.js';
import { READ_CHUNK, type ByteSource } from '../../src/io/compression.js';
import type { CorpusDocument, CorpusPart } from '../../src/types.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-io-jsonl-'));
test.after.always(() => rmSync(tmp, { recursive: true, force: true }));
const columns = { text: 'text', id: 'id' };

function part(file: string, bytes: number): CorpusPart {
  return { file, format: 'jsonl', compression: null, index: 0, rowStart: 0, rows: null, bytes };
}

/** A ByteSource yielding `data` cut at the given offsets. */
function chunked(data: Uint8Array, cuts: number[]): ByteSource {
  const state = { consumed: 0 };
  return {
    get consumed() {
      return state.consumed;
    },
    async *[Symbol.asyncIterator]() {
      let from = 0;
      for (const cut of [...cuts, data.length]) {
        state.consumed = cut;
        yield data.subarray(from, cut);
        from = cut;
      }
    },
  };
}

async function collect(source: ByteSource, bytes: number, batchSize = 2): Promise<{ docs: CorpusDocument[]; bytesRead: number[] }> {
  const docs: CorpusDocument[] = [];
  const bytesRead: number[] = [];
  for await (const batch of readJsonlChunks(part('mem.jsonl', bytes), source, { columns, batchSize })) {
    docs.push(...batch.documents);
    bytesRead.push(batch.bytesRead);
  }
  return { docs, bytesRead };
}

async function failure(file: string, content: string | Uint8Array): Promise<{ code: string; message: string }> {
  const full = path.join(tmp, file);
  writeFileSync(full, content);
  try {
    for await (const _ of readJsonlDocuments(part(full, Buffer.byteLength(content)), { columns }));
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected an error');
}

const text = '\ufeff{"id": "a", "text": "héllo wörld — 日本 🚀"}\r\n\n   \n{"id": 7, "text": "second\\nline"}\n{"text": null, "other": 1}\n{"id": null, "text": "last, no newline"}';
const want: CorpusDocument[] = [
  { file: 'mem.jsonl', row: 0, id: 'a', text: 'héllo wörld — 日本 🚀' },
  { file: 'mem.jsonl', row: 1, id: '7', text: 'second\nline' },
  { file: 'mem.jsonl', row: 2, id: null, text: '' },
  { file: 'mem.jsonl', row: 3, id: null, text: 'last, no newline' },
];

test('every two-way split of the bytes (inside multibyte characters too) gives the same documents', async (t) => {
  const data = Buffer.from(text);
  for (let cut = 0; cut <= data.length; cut++) {
    const { docs } = await collect(chunked(data, [cut]), data.length);
    t.deepEqual(docs, want, `cut at ${cut}`);
  }
});

test('one-byte chunks give the same documents, and bytesRead sums to the part', async (t) => {
  const data = Buffer.from(text);
  const cuts = Array.from({ length: data.length - 1 }, (_, i) => i + 1);
  const { docs, bytesRead } = await collect(chunked(data, cuts), data.length, 1);
  t.deepEqual(docs, want);
  t.is(
    bytesRead.reduce((a, b) => a + b, 0),
    data.length,
  );
  t.true(bytesRead.every((b) => b >= 0));
});

test('batches hold at most batchSize documents, rows continue across batches', async (t) => {
  const data = Buffer.from(Array.from({ length: 10 }, (_, i) => JSON.stringify({ text: `doc ${i}` })).join('\n'));
  const sizes: number[] = [];
  for await (const batch of readJsonlChunks(part('mem.jsonl', data.length), chunked(data, [17, 40]), { columns, batchSize: 3 })) sizes.push(batch.documents.length);
  t.deepEqual(sizes, [3, 3, 3, 1]);
});

test('a batch is handed over as soon as it fills, before the later lines of its chunk are parsed', async (t) => {
  // One chunk: two good lines, then one that is not JSON. The first batch reaches the consumer
  // before the bad line is met, so its texts can be scanned (and dropped) while the rest is parsed.
  const data = Buffer.from('{"text": "one"}\n{"text": "two"}\n{"text": broken\n');
  const seen: string[] = [];
  const error = await t.throwsAsync(async () => {
    for await (const batch of readJsonlChunks(part('mem.jsonl', data.length), chunked(data, []), { columns, batchSize: 2 })) seen.push(...batch.documents.map((d) => d.text));
  });
  t.deepEqual(seen, ['one', 'two']);
  t.is((error as unknown as { code: string }).code, 'BAD_JSON');
});

test('a real file reads the same as chunks', async (t) => {
  const file = path.join(tmp, 'real.jsonl');
  writeFileSync(file, text);
  const docs: CorpusDocument[] = [];
  for await (const batch of readJsonlDocuments(part(file, Buffer.byteLength(text)), { columns })) docs.push(...batch.documents);
  t.deepEqual(
    docs,
    want.map((d) => ({ ...d, file })),
  );
});

test('a line that is not JSON is BAD_JSON naming the 1-based line (blank lines counted)', async (t) => {
  const error = await failure('bad.jsonl', '{"text": "a"}\n\n{"text": broken\n');
  t.is(error.code, 'BAD_JSON');
  t.regex(error.message, /bad\.jsonl:line 3: not valid JSON/);
  const array = await failure('array.jsonl', '{"text": "a"}\n["text"]\n');
  t.is(array.code, 'BAD_JSON');
  t.regex(array.message, /array\.jsonl:line 2: expected a JSON object, got an array/);
});

test('invalid UTF-8 is BAD_UTF8 naming the line', async (t) => {
  const bytes = Buffer.concat([Buffer.from('{"text": "ok"}\n{"text": "ok"}\n{"text": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]);
  const error = await failure('latin1.jsonl', bytes);
  t.is(error.code, 'BAD_UTF8');
  t.regex(error.message, /latin1\.jsonl:line 3: the text is not valid UTF-8/);
});

test('with onBadDocument, a line of invalid UTF-8 is handed over by its line and the lines around it are read', async (t) => {
  const bytes = Buffer.concat([Buffer.from('{"text": "café — one"}\n\n{"text": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n{"text": "three", "id": 3}\n')]);
  const file = path.join(tmp, 'skip-utf8.jsonl');
  writeFileSync(file, bytes);
  const errors: string[] = [];
  const docs: CorpusDocument[] = [];
  for await (const batch of readJsonlDocuments(part(file, bytes.length), { columns, onBadDocument: (e) => errors.push(`${e.code} ${e.message}`) })) docs.push(...batch.documents);
  t.deepEqual(errors, [`BAD_UTF8 ${file}:line 3: the text is not valid UTF-8`]);
  // The bad record keeps its row: the rows of the others are those of the file.
  t.deepEqual(docs, [
    { file, row: 0, id: null, text: 'café — one' },
    { file, row: 2, id: '3', text: 'three' },
  ]);
});

test('a missing text field is MISSING_COLUMN listing the fields; a non-string text is BAD_VALUE', async (t) => {
  const missing = await failure('missing.jsonl', '{"text": "a"}\n{"content": "b", "id": 1}\n');
  t.is(missing.code, 'MISSING_COLUMN');
  t.regex(missing.message, /missing\.jsonl:line 2: no 'text' field; the record has: content, id/);
  const number = await failure('number.jsonl', '{"text": 12}\n');
  t.is(number.code, 'BAD_VALUE');
  t.regex(number.message, /number\.jsonl:line 1: the 'text' field is a number, not text/);
  const object = await failure('object.jsonl', '{"text": {"a": 1}}\n');
  t.is(object.code, 'BAD_VALUE');
});

test('an empty file, or one of blank lines only, is EMPTY_INPUT', async (t) => {
  t.is((await failure('empty.jsonl', '')).code, 'EMPTY_INPUT');
  t.is((await failure('blank.jsonl', '\n \n\r\n')).code, 'EMPTY_INPUT');
});

test('planJsonlParts cuts a plain file at line ends, with the lines and rows before each part counted as the reader counts them', async (t) => {
  const lines: string[] = [];
  for (let i = 0; i < 300; i++) {
    if (i % 7 === 3) lines.push(['', '  \t', '\u2003', '\r', '\ufeff', 'oops'][((i / 7) % 6) | 0]!);
    lines.push(JSON.stringify({ id: i, text: `document ${i} ${'word '.repeat(i % 13)}` }));
  }
  const text = `${lines.join('\n')}\n{"id": "last", "text": "no newline at the end"}`;
  const file = path.join(tmp, 'cut.jsonl');
  writeFileSync(file, text);
  const size = Buffer.byteLength(text);
  const read = async (p: CorpusPart) => {
    const docs: CorpusDocument[] = [];
    const bad: string[] = [];
    for await (const batch of readJsonlDocuments(p, { columns, onBadDocument: (e) => bad.push(e.where ?? '') })) docs.push(...batch.documents);
    return { docs, bad };
  };
  const whole = await read(part(file, size));
  const parts = await planJsonlParts(file, size, 1000);
  t.true(parts.length > 10);
  t.is(
    parts.reduce((sum, p) => sum + p.bytes, 0),
    size,
  );
  // Each part starts where the last ended, just after a newline, and counts what came before it the simple way.
  const bytes = Buffer.from(text);
  let at = 0;
  for (const [k, p] of parts.entries()) {
    t.is(p.index, k);
    t.is(p.byteStart, at);
    if (at > 0) t.is(bytes[at - 1], 10);
    const before = bytes.subarray(0, at).toString('utf8').split('\n').slice(0, -1);
    t.is(p.lineStart, before.length);
    t.is(p.rowStart, before.filter((l) => l.trim() !== '').length);
    at += p.bytes;
  }
  // Reading the parts one by one gives the whole file's documents, rows and bad lines.
  const pieces = await Promise.all(parts.map(read));
  t.deepEqual(
    pieces.flatMap((r) => r.docs),
    whole.docs,
  );
  t.deepEqual(
    pieces.flatMap((r) => r.bad),
    whole.bad,
  );
  t.is(whole.bad.length, 7); // 'oops' at i = 38, 80, ..., 290
  t.deepEqual(
    parts.map((p) => p.rows),
    pieces.map((r) => r.docs.length + r.bad.length),
  );
  // Small files, and files of blank lines only, stay whole.
  t.deepEqual(await planJsonlParts(file, size, size), [part(file, size)]);
  writeFileSync(path.join(tmp, 'blank.jsonl'), '\n'.repeat(5000));
  t.is((await planJsonlParts(path.join(tmp, 'blank.jsonl'), 5000, 1000)).length, 1);
});

test('splitLines gives the same lines however the bytes are cut into chunks, a line spanning several chunks too', async (t) => {
  const text = 'a\n\nbb\r\nccc ccc ccc\n\u00e9\u00e9\nlast';
  const bytes = Buffer.from(text);
  const want = text.split('\n');
  const collect = async (chunks: Uint8Array[]) => {
    const out: string[] = [];
    for await (const batch of splitLines(
      (async function* () {
        yield* chunks;
      })(),
    ))
      out.push(...batch.map((l) => Buffer.from(l).toString('utf8')));
    return out;
  };
  for (let a = 0; a <= bytes.length; a++) {
    for (let b = a; b <= bytes.length; b++) {
      t.deepEqual(await collect([bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)]), want, `cuts at ${a}, ${b}`);
    }
  }
  // A newline at the very end leaves no empty last line.
  t.deepEqual(await collect([Buffer.from('x\ny\n')]), ['x', 'y']);
});

test('a part of a file cut short after planning is FILE_CHANGED naming the file and byte; the next part, past the end, too', async (t) => {
  const file = path.join(tmp, 'cut-while-scanned.jsonl');
  const lines = Array.from({ length: 400 }, (_, i) => JSON.stringify({ id: i, text: `document ${i} ${'word '.repeat(20)}` }));
  const content = `${lines.join('\n')}\n`;
  writeFileSync(file, content);
  const parts = await planJsonlParts(file, Buffer.byteLength(content), 8192);
  t.true(parts.length >= 4);
  const cut = parts[2]!.byteStart! + 100;
  truncateSync(file, cut);
  const read = async (p: CorpusPart) => {
    const docs: CorpusDocument[] = [];
    for await (const batch of readJsonlDocuments(p, { columns })) docs.push(...batch.documents);
    return docs;
  };
  t.is((await read(parts[1]!)).length, parts[1]!.rows!);
  const inside = await read(parts[2]!).catch((e: unknown) => e as { code: string; message: string });
  t.like(inside, { code: 'FILE_CHANGED', where: `byte ${cut}` });
  t.regex((inside as Error).message, new RegExp(`cut-while-scanned\\.jsonl:byte ${cut}: the file ends at byte ${cut}, before byte ${parts[2]!.byteStart! + parts[2]!.bytes}`));
  const past = await read(parts[3]!).catch((e: unknown) => e);
  t.like(past, { code: 'FILE_CHANGED', where: `byte ${parts[3]!.byteStart}` });
});

test('a whole file that grows while scanned is read to its planned size', async (t) => {
  const file = path.join(tmp, 'grows.jsonl');
  const first = `${JSON.stringify({ id: 'a', text: 'one' })}\n`;
  writeFileSync(file, `${first}${JSON.stringify({ id: 'b', text: 'two' })}\n`);
  const docs: CorpusDocument[] = [];
  for await (const batch of readJsonlDocuments(part(file, Buffer.byteLength(first)), { columns })) docs.push(...batch.documents);
  t.deepEqual(
    docs.map((d) => d.id),
    ['a'],
  );
});

test('a line longer than V8 can hold as a string is TOO_LONG with the way out, not "not valid UTF-8"', async (t) => {
  // 2^29 - 24 characters is V8's limit; this line is 540 MB of ASCII, a valid JSON string too long for a string.
  const size = 540_000_000;
  const line = Buffer.alloc(size + 1, 0x61);
  line.write('{"text":"', 0);
  line.write('"}', size - 2);
  line[size] = 0x0a;
  const error = await collect(chunked(line, []), line.length).catch((e: unknown) => e as { code: string; message: string; hint: string });
  t.like(error, { code: 'TOO_LONG', where: 'line 1' });
  t.regex((error as Error).message, /mem\.jsonl:line 1: the line is 515 MiB, over the longest string JavaScript can hold \(512 MiB characters\)/);
  t.regex((error as { hint: string }).hint, /split the document/);
});

test('countJsonlLines counts lines and rows as splitting the text would, with blank lines of every kind across read pieces', async (t) => {
  // Blank lines (empty, spaces, CR, a Unicode space, a BOM), lines that only look blank at first
  // (leading whitespace, then a record or a non-ASCII character), about 9 MB so that lines fall
  // across the 4 MB pieces the file is read in; the blank kinds are placed at the cuts too.
  const kinds = ['', '   ', '\r', '\t \r', '\u3000', '\ufeff', '  {"text": "x"}', '\u00e9', ' \u3000 \u00e9', '{"text": "a record"}'];
  const filler = `{"text": "${'w'.repeat(3000)}"}`;
  const lines: string[] = [];
  let bytes = 0;
  let k = 0;
  while (bytes < 9_000_000) {
    // Near each cut, a run of the special kinds; elsewhere mostly filler.
    const near = [1, 2].some((c) => Math.abs(bytes - c * READ_CHUNK) < 20_000);
    const line = near || k % 7 === 0 ? kinds[k % kinds.length]! : filler;
    lines.push(line);
    bytes += Buffer.byteLength(line) + 1;
    k++;
  }
  const text = `${lines.join('\n')}\n  \u3000`;
  const file = path.join(tmp, 'count.jsonl');
  writeFileSync(file, text);
  const expected = (from: number, to: number) => {
    const part = Buffer.from(text).subarray(from, to).toString('utf8');
    const all = part.split('\n');
    if (all[all.length - 1] === '') all.pop();
    return { lines: all.length, rows: all.filter((l) => l.trim() !== '').length };
  };
  const size = Buffer.byteLength(text);
  t.deepEqual(await countJsonlLines({ file, start: 0, end: size }), expected(0, size));
  // Ranges that start after a newline, as planned parts do.
  const buffer = Buffer.from(text);
  for (const at of [READ_CHUNK - 5000, READ_CHUNK + 3, 2 * READ_CHUNK - 1]) {
    const start = buffer.indexOf(10, at) + 1;
    t.deepEqual(await countJsonlLines({ file, start, end: size }), expected(start, size), `from ${start}`);
    t.deepEqual(await countJsonlLines({ file, start: 0, end: start }), expected(0, start), `to ${start}`);
  }
});

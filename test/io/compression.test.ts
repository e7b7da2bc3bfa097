/**
 * Decompression streams: gzip (multi-member) and zstd (real entropy-coded
 * frames from the zstd CLI, and concatenated frames) decompress to the exact
 * bytes; `consumed` ends at the file size; truncated or corrupt input is
 * BAD_COMPRESSION with a byte offset.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import test from 'ava';
import { openDecompressed } from '../../src/io/compression.js';
import type { Compression } from '../../src/types.js';
import { zstdStore } from './corpus-documents.js';

// The shared data sits beside the checkout, wherever the checkout is.
const SHARED = path.resolve(import.meta.dirname, '../../../shared/data');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-io-compression-'));
test.after.always(() => rmSync(tmp, { recursive: true, force: true }));

async function drain(file: string, compression: Compression): Promise<{ data: Buffer; consumed: number; chunks: number }> {
  const source = openDecompressed(file, compression);
  const parts: Uint8Array[] = [];
  for await (const chunk of source) parts.push(chunk);
  return { data: Buffer.concat(parts), consumed: source.consumed, chunks: parts.length };
}

async function failure(file: string, compression: Compression): Promise<{ code: string; message: string }> {
  try {
    await drain(file, compression);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected an error');
}

const shakespeare = gunzipSync(readFileSync(`${SHARED}/corpus/shakespeare.jsonl.gz`));
const first10 = Buffer.from(shakespeare.toString('utf8').split('\n').slice(0, 10).join('\n') + '\n');

test('real zstd (zstd -19, the CLI) decompresses to the exact source bytes', async (t) => {
  const file = 'fixtures/io/shakespeare-10.jsonl.zst';
  const { data, consumed } = await drain(file, 'zstd');
  t.true(data.equals(first10));
  t.is(consumed, statSync(file).size);
});

test('concatenated zstd frames and multi-member gzip decompress whole', async (t) => {
  const zst = path.join(tmp, 'frames.jsonl.zst');
  writeFileSync(zst, zstdStore(shakespeare, 4));
  const z = await drain(zst, 'zstd');
  t.true(z.data.equals(shakespeare));
  t.is(z.consumed, statSync(zst).size);
  const gz = path.join(tmp, 'members.jsonl.gz');
  const half = shakespeare.length >> 1;
  writeFileSync(gz, Buffer.concat([gzipSync(shakespeare.subarray(0, half)), gzipSync(shakespeare.subarray(half))]));
  const g = await drain(gz, 'gzip');
  t.true(g.data.equals(shakespeare));
  t.is(g.consumed, statSync(gz).size);
  t.true(g.chunks > 1, 'streamed in several chunks, not one');
});

test('truncated gzip is BAD_COMPRESSION with the byte offset', async (t) => {
  const gz = gzipSync(shakespeare);
  const file = path.join(tmp, 'cut.jsonl.gz');
  writeFileSync(file, gz.subarray(0, 50_000));
  const error = await failure(file, 'gzip');
  t.is(error.code, 'BAD_COMPRESSION');
  t.regex(error.message, /cut\.jsonl\.gz:byte 50000: the gzip data ends early \(truncated file\)/);
});

test('truncated zstd is BAD_COMPRESSION with the byte offset', async (t) => {
  const file = path.join(tmp, 'cut.jsonl.zst');
  const full = readFileSync('fixtures/io/shakespeare-10.jsonl.zst');
  writeFileSync(file, full.subarray(0, 9000));
  const error = await failure(file, 'zstd');
  t.is(error.code, 'BAD_COMPRESSION');
  t.regex(error.message, /cut\.jsonl\.zst:byte 9000: the zstd data ends early/);
});

test('data that is not gzip or zstd at all is BAD_COMPRESSION', async (t) => {
  const file = path.join(tmp, 'plain.jsonl.gz');
  writeFileSync(file, '{"text": "not compressed"}\n');
  t.is((await failure(file, 'gzip')).code, 'BAD_COMPRESSION');
  const zst = path.join(tmp, 'plain.jsonl.zst');
  writeFileSync(zst, '{"text": "not compressed"}\n');
  t.is((await failure(zst, 'zstd')).code, 'BAD_COMPRESSION');
});

test('a missing file is FILE_NOT_FOUND', async (t) => {
  t.is((await failure(path.join(tmp, 'nope.jsonl'), null)).code, 'FILE_NOT_FOUND');
});

test('stdin (-) is read with its compression sniffed from the magic bytes', async (t) => {
  const { execFileSync } = await import('node:child_process');
  const script = path.join(tmp, 'stdin.mts');
  const corpus = path.resolve('src/io/corpus.ts');
  writeFileSync(
    script,
    `import { planCorpusParts, readCorpusPart } from ${JSON.stringify(corpus)};
const [part] = await planCorpusParts(['-']);
let docs = 0, bytes = 0;
for await (const b of readCorpusPart(part, { columns: { text: 'text', id: 'id' } })) { docs += b.documents.length; bytes += b.bytesRead; }
process.stdout.write(JSON.stringify({ docs, bytes }));\n`,
  );
  const run = (input: Uint8Array) => JSON.parse(execFileSync(process.execPath, ['--import=tsx', script], { input }).toString()) as { docs: number; bytes: number };
  const gz = gzipSync(first10);
  const zst = readFileSync('fixtures/io/shakespeare-10.jsonl.zst');
  t.deepEqual(run(first10), { docs: 10, bytes: first10.length });
  t.deepEqual(run(gz), { docs: 10, bytes: gz.length });
  t.deepEqual(run(zst), { docs: 10, bytes: zst.length });
});

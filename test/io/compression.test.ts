/**
 * Decompression streams: gzip (multi-member) and zstd (real entropy-coded
 * frames from the zstd CLI, and concatenated frames) decompress to the exact
 * bytes; `consumed` ends at the file size; truncated or corrupt input is
 * BAD_COMPRESSION with a byte offset, also when the corruption first shows as
 * a line that does not parse (the JSONL reader blames the compression), and the
 * CLI prints it as one line with exit code 2.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { compress, init } from '@bokuweb/zstd-wasm';
import test from 'ava';
import { openDecompressed } from '../../src/io/compression.js';
import { planCorpusParts, readCorpusPart } from '../../src/readers/corpus/documents.js';
import { readJsonlChunks } from '../../src/readers/corpus/jsonl.js';
import type { Compression, CorpusPart } from '../../src/types.js';
import { zstdStore } from '../readers/corpus-documents.js';

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
const first10 = Buffer.from(`${shakespeare.toString('utf8').split('\n').slice(0, 10).join('\n')}\n`);

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
  const corpus = path.resolve('src/readers/corpus/documents.ts');
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

const wikitext = gunzipSync(readFileSync(`${SHARED}/corpus/wikitext2.jsonl.gz`));
const columns = { text: 'text', id: 'id' };

/** The error reading a corpus file as the scan does (readCorpusPart), or 'none'. */
async function readError(file: string): Promise<{ code: string; message: string } | 'none'> {
  try {
    for (const part of await planCorpusParts([file])) for await (const batch of readCorpusPart(part, { columns })) void batch;
  } catch (error) {
    return error as { code: string; message: string };
  }
  return 'none';
}

/** The error of the JSONL parser over the decompressed bytes alone, with no second look at the compression. */
async function parseError(part: CorpusPart): Promise<string> {
  try {
    for await (const batch of readJsonlChunks(part, openDecompressed(part.file, part.compression), { columns })) void batch;
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'none';
}

/**
 * A copy of `bytes` with one byte flipped, the first from 10% of the way in
 * whose garbage makes the JSONL parser itself fail (bad JSON or UTF-8), so the
 * case is one where the parse error comes before the stream's own check.
 */
async function flipUntilParseFails(bytes: Uint8Array, file: string): Promise<number> {
  for (let at = Math.floor(bytes.length / 10); at < bytes.length - 100; at += 997) {
    const bad = Buffer.from(bytes);
    bad[at] = bad[at]! ^ 0x40;
    writeFileSync(file, bad);
    const [part] = await planCorpusParts([file]);
    if (['BAD_JSON', 'BAD_UTF8'].includes(await parseError(part!))) return at;
  }
  throw new Error('no flip made the parser fail');
}

test('a corrupt gzip member whose garbage breaks a JSON line is reported as corrupt gzip at a byte, not as bad JSON', async (t) => {
  const gz = gzipSync(wikitext);
  const file = path.join(tmp, 'flipped.jsonl.gz');
  await flipUntilParseFails(gz, file);
  const error = await readError(file);
  t.not(error, 'none');
  if (error === 'none') return;
  t.is(error.code, 'BAD_COMPRESSION');
  // One read chunk holds the whole file, so the CRC-32 at its end is found with every byte read.
  t.is(error.message, `${file}:byte ${gz.length}: corrupt gzip data: incorrect data check`);
});

test('a frame of the zstd CLI (content checksum on) with any byte of its blocks flipped is corrupt zstd, never bad JSON', async (t) => {
  const real = readFileSync('fixtures/io/shakespeare-10.jsonl.zst');
  const file = path.join(tmp, 'flipped-cli.jsonl.zst');
  const codes = new Set<string>();
  // From past the frame header (magic, descriptor, window, 4-byte content size) to the checksum's last byte.
  for (let at = 12; at < real.length; at += 101) {
    const bad = Buffer.from(real);
    bad[at] = bad[at]! ^ 0x40;
    writeFileSync(file, bad);
    const error = await readError(file);
    codes.add(error === 'none' ? 'none' : error.code);
    if (error !== 'none') t.regex(error.message, /flipped-cli\.jsonl\.zst:byte \d+: corrupt zstd data: /);
  }
  t.deepEqual([...codes], ['BAD_COMPRESSION']);
});

test('truncated .jsonl.zst and .jsonl.gz read as a corpus are truncations at the file size', async (t) => {
  await init();
  const zst = compress(wikitext, 3);
  const cutZst = path.join(tmp, 'cut-corpus.jsonl.zst');
  writeFileSync(cutZst, zst.subarray(0, 200_000));
  const z = await readError(cutZst);
  t.deepEqual(z === 'none' ? z : [z.code, z.message], ['BAD_COMPRESSION', `${cutZst}:byte 200000: the zstd data ends early (truncated file)`]);
  const cutGz = path.join(tmp, 'cut-corpus.jsonl.gz');
  writeFileSync(cutGz, gzipSync(wikitext).subarray(0, 200_000));
  const g = await readError(cutGz);
  t.deepEqual(g === 'none' ? g : [g.code, g.message], ['BAD_COMPRESSION', `${cutGz}:byte 200000: the gzip data ends early (truncated file)`]);
});

test('a sound gzip file with a genuinely bad line is still BAD_JSON at its line', async (t) => {
  const file = path.join(tmp, 'bad-line.jsonl.gz');
  writeFileSync(file, gzipSync('{"text": "fine"}\n{"text": oops}\n'));
  const error = await readError(file);
  t.deepEqual(error === 'none' ? error : [error.code, error.message.split(': ')[0]], ['BAD_JSON', `${file}:line 2`]);
});

test('contam scan of a corrupt .jsonl.gz prints one line naming the file and byte, and exits 2', async (t) => {
  const root = path.resolve(import.meta.dirname, '../..');
  const gz = gzipSync(wikitext);
  const file = path.join(tmp, 'cli-flipped.jsonl.gz');
  await flipUntilParseFails(gz, file);
  const run = promisify(execFile);
  const cli = path.join(root, 'dist/src/cli/main.js');
  const index = path.join(tmp, 'cli.cidx');
  await run(process.execPath, [cli, 'index', '--eval', 'fixtures/evals/gsm8k.jsonl', '-o', index, '--quiet'], { cwd: root });
  const result = await run(process.execPath, [cli, 'scan', '--index', index, file, '-o', path.join(tmp, 'cli-report.json'), '--quiet'], { cwd: root }).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => error,
  );
  t.is(result.code, 2);
  t.is(result.stderr, `contam: error: ${file}:byte ${gz.length}: corrupt gzip data: incorrect data check (check the file with gzip -t)\n`);
});

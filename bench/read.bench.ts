/**
 * Corpus reading speed, one core: ~300 MB of real prose (bench/corpus-gen.ts)
 * as JSONL, .jsonl.gz, .jsonl.zst and zstd Parquet, each read through
 * planCorpusParts + readCorpusPart exactly as the scan does, documents
 * touched (their length summed) but not scanned. Beside each, a baseline
 * measured in the same run: the bytes alone (read, and decompressed where
 * there is compression) without parsing, so the cost of parsing shows.
 *
 *   node --import=tsx bench/read.bench.ts [targetMB=300] [formats=jsonl,jsonl.gz,jsonl.zst,parquet]
 *   node --import=tsx bench/read.bench.ts [--read-mb 300] [--read-formats ...]   (as `npm run bench -- --read-mb 100` passes them)
 *
 * MB/s on disk counts the file's bytes; MB/s decompressed counts the plain
 * JSONL bytes the file holds (the same for every format), so formats compare.
 * For .jsonl.zst it also decompresses the file alone with each streaming
 * decoder, libzstd (zstd-napi) inline and on its decoder thread (the one in
 * use) and fzstd (the one before), fastest of three each, interleaved, so
 * their ratio is from the same minute.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { openDecompressed, readFileChunks } from '../src/io/compression.js';
import { inflateZstd, zstdStreamDecoder } from '../src/io/zstd-stream.js';
import { corpusFormatOf } from '../src/io/files.js';
import { planCorpusParts, readCorpusPart } from '../src/readers/corpus/documents.js';
import { generateCorpus, hasZstdCli, sizeOf } from './corpus-gen.js';

// Positional arguments when run alone; named ones when `npm run bench` hands every bench the same flags.
const argv = process.argv.slice(2);
const named = (name: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
const positional = argv[0]?.startsWith('--') ? [] : argv;
const targetMB = Number(named('read-mb') ?? positional[0] ?? 300);
const formats = (named('read-formats') ?? positional[1] ?? 'jsonl,jsonl.gz,jsonl.zst,parquet').split(',');
const dir = path.resolve(path.dirname(new URL(import.meta.url).pathname), 'out');

if (formats.includes('jsonl.zst') && !hasZstdCli()) {
  process.stderr.write('zstd CLI MISSING: the .jsonl.zst corpus cannot be generated and is skipped (install it: apt-get install -y zstd)\n');
}
const t0 = performance.now();
const corpus = await generateCorpus(dir, targetMB * 1e6, ['jsonl', ...formats.filter((f) => f !== 'jsonl')]);
process.stderr.write(`corpus ready in ${((performance.now() - t0) / 1000).toFixed(1)} s in ${dir}\n`);
const plainBytes = sizeOf(corpus.jsonl!);

const mb = (bytes: number) => bytes / 1e6;
const rows: string[][] = [['format', 'MB on disk', 'docs', 'seconds', 'MB/s disk', 'MB/s decompressed', 'docs/s', 'baseline MB/s disk (bytes only)']];

async function baseline(file: string): Promise<number> {
  const { format, compression } = corpusFormatOf(file);
  if (format !== 'jsonl') return NaN;
  const start = performance.now();
  let n = 0;
  for await (const chunk of openDecompressed(file, compression)) n += chunk.length;
  if (n === 0) throw new Error('empty');
  return mb(sizeOf([file])) / ((performance.now() - start) / 1000);
}

for (const format of formats) {
  const files = corpus[format] ?? [];
  if (files.length === 0) {
    rows.push([format, 'skipped (zstd CLI missing)', '', '', '', '', '', '']);
    continue;
  }
  const disk = sizeOf(files);
  const parts = await planCorpusParts(files);
  const start = performance.now();
  let docs = 0;
  let chars = 0;
  let bytes = 0;
  for (const part of parts) {
    for await (const batch of readCorpusPart(part, { columns: { text: 'text', id: 'id' } })) {
      docs += batch.documents.length;
      bytes += batch.bytesRead;
      for (const d of batch.documents) chars += d.text.length;
    }
  }
  const seconds = (performance.now() - start) / 1000;
  if (bytes !== disk) throw new Error(`${format}: bytesRead summed to ${bytes}, the files hold ${disk}`);
  if (chars === 0) throw new Error('no text read');
  const base = await baseline(files[0]!);
  rows.push([
    format,
    mb(disk).toFixed(1),
    String(docs),
    seconds.toFixed(2),
    (mb(disk) / seconds).toFixed(1),
    (mb(plainBytes) / seconds).toFixed(1),
    Math.round(docs / seconds).toString(),
    Number.isNaN(base) ? 'n/a' : base.toFixed(1),
  ]);
}

const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
for (const r of rows) console.log(r.map((cell, c) => cell.padStart(widths[c]!)).join('  '));
const zst = corpus['jsonl.zst']?.[0];
if (zst) {
  const best: Record<string, number> = {};
  // libzstd inline and on its decoder thread (the default), against fzstd, the decoder before.
  const decoders = zstdStreamDecoder === 'fzstd' ? (['fzstd'] as const) : (['zstd-napi', 'zstd-napi-thread', 'fzstd'] as const);
  for (let run = 0; run < 3; run++) {
    for (const decoder of decoders) {
      const start = performance.now();
      let n = 0;
      for await (const chunk of inflateZstd(readFileChunks(zst), decoder)) n += chunk.length;
      if (n !== plainBytes) throw new Error(`${decoder} gave ${n} bytes, the JSONL holds ${plainBytes}`);
      best[decoder] = Math.max(best[decoder] ?? 0, mb(plainBytes) / ((performance.now() - start) / 1000));
    }
  }
  const line = Object.entries(best)
    .map(([d, rate]) => `${d} ${rate.toFixed(0)} MB/s`)
    .join(', ');
  const ratio = best['zstd-napi'] && best.fzstd ? ` = ${(best['zstd-napi'] / best.fzstd).toFixed(1)}x fzstd (target: at least 3x)` : ' (zstd-napi is not installed: fzstd in use)';
  console.log(`.jsonl.zst decompression alone, MB/s of output (fastest of 3): ${line}${ratio}`);
  // Memory: the zstd CLI writes one frame per file, so this file is one frame of its full size.
  const memory = JSON.parse(execFileSync(process.execPath, [path.join(import.meta.dirname, 'zstd-memory.mjs'), zst], { encoding: 'utf8' })) as { bytes: number; rss_mb: number };
  console.log(`.jsonl.zst memory: one ${mb(sizeOf([zst])).toFixed(0)} MB frame (${mb(memory.bytes).toFixed(0)} MB of output) decompressed in a process of its own peaks at ${memory.rss_mb} MB RSS`);
}
console.log(`plain JSONL: ${mb(plainBytes).toFixed(1)} MB; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; node ${process.version}`);

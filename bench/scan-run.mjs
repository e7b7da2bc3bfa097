/**
 * One scan measurement in its own process (so peak RSS is this run's alone):
 *   node bench/scan-run.mjs <mode> <index.cidx> <files...>
 * It runs the built code (dist/, as `contam` does), with no TypeScript loader
 * in the process or its workers.
 * ZSTD_DECODER picks the .jsonl.zst decoder of this process (src/io/zstd-stream.ts), 1 worker only.
 * mode: read (read and decompress only, touching every text), scan-1, scan-N (N workers),
 * text-bytes (counts the UTF-8 bytes of the texts, what the others report MB/s of text against;
 * kept out of `read`, whose time would otherwise include the counting).
 * Prints one JSON line: {mode, bytes, documents, seconds, cpu_seconds, mbps, cpu_mbps, rss_mb, counters}; `counters` are
 * the scan's own (ScanCounters: windows probed, Bloom hits, candidates, verified, ...), summed over workers.
 */
import { readFileSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { readIndexFile } from '../dist/src/cidx/file.js';
import { planCorpusParts, readCorpusPart } from '../dist/src/readers/corpus/documents.js';
import { reportFromState, scanCorpusState } from '../dist/src/scan/scan.js';
import { setZstdStreamDecoder } from '../dist/src/io/zstd-stream.js';

// ZSTD_DECODER=zstd-napi: .jsonl.zst decoded inline, on the reading thread, as before decoding ahead.
if (process.env.ZSTD_DECODER) setZstdStreamDecoder(process.env.ZSTD_DECODER);

const [mode, indexFile, ...files] = process.argv.slice(2);
const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
let documents = 0;
// UTF-8 bytes of all texts (what a scanner scans): counted in text-bytes mode, passed to the others.
let textBytes = Number(process.env.TEXT_BYTES ?? 0);
// UTF-16 units of all texts, summed in read mode so every text is touched.
let characters = 0;
let counters = null;
let t0 = performance.now();
// CPU time (user + sys) of every thread of this process over the same span: on a shared machine
// wall time depends on the neighbours, CPU time much less.
let cpu0 = process.cpuUsage();
if (mode === 'read' || mode === 'text-bytes') {
  const count = mode === 'text-bytes';
  if (count) textBytes = 0;
  for (const part of await planCorpusParts(files)) {
    for await (const batch of readCorpusPart(part, { columns: { text: 'text', id: 'id' } })) {
      documents += batch.documents.length;
      if (count) for (const d of batch.documents) textBytes += Buffer.byteLength(d.text);
      else for (const d of batch.documents) characters += d.text.length;
    }
  }
} else {
  const workers = Number(mode.split('-')[1]);
  const index = await readIndexFile(indexFile);
  // Loading the index is paid once per scan, not per byte: the clock starts after it.
  t0 = performance.now();
  cpu0 = process.cpuUsage();
  const state = await scanCorpusState(index, files, { workers });
  const report = reportFromState(index, state);
  documents = report.corpus.documents;
  counters = state.counters;
}
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
// Peak RSS of this process: VmHWM, since getrusage's maxrss survives exec and would report the parent's.
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
const rss = hwm ? Number(hwm[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
console.log(
  JSON.stringify({
    mode,
    bytes,
    text_bytes: textBytes,
    documents,
    characters,
    seconds: Number(seconds.toFixed(2)),
    cpu_seconds: Number(cpuSeconds.toFixed(2)),
    cpu_mbps: Number((bytes / 1e6 / cpuSeconds).toFixed(1)),
    mbps: Number((bytes / 1e6 / seconds).toFixed(1)),
    text_mbps: Number((textBytes / 1e6 / seconds).toFixed(1)),
    rss_mb: Math.round(rss),
    counters,
  }),
);

/**
 * The main job as library calls, what `contam index`, `check` and `scan` run:
 * `indexBenchmarks` (eval files -> index), `scan` (index + corpus -> report),
 * `scanShard` (one shard's partial scan, for `mergeShards`) and `check`
 * (index and scan in one go), and `unspacedScriptSamples`, what the index
 * cannot judge in words. The CLI only parses, calls and prints. Each
 * resolves its options (src/options.ts) before reading anything.
 */
import { buildIndex, type IndexOptions } from './cidx/build.js';
import type { ContamIndex } from './cidx/contam-index.js';
import { readEvalSamples } from './readers/evals/evals.js';
import { resolveIndexOptions, resolveScanOptions, type ResolvedScanOptions } from './options.js';
import { serializePartial } from './scan/partial.js';
import { reportFromState, scanCorpusState, type ScanStateOptions, type ShardSpec } from './scan/scan.js';
import type { BenchmarkSource, BenchmarkSpec, Report } from './types.js';
import { ContamError } from './errors.js';

/** How a corpus is scanned: columns, rule, workers, checkpoints, progress callbacks. */
export type CorpusScanOptions = Omit<ScanStateOptions, 'shard'>;

/** `check`'s options: the index's and the scan's, and a look at the index before the scan. */
export interface CheckOptions extends IndexOptions, CorpusScanOptions {
  /** Called with the index once it is built, before the corpus is read (to describe or save it). */
  onIndex?: (index: ContamIndex) => void | Promise<void>;
}

/** Read each benchmark and index them together. */
export async function indexBenchmarks(specs: BenchmarkSpec[], options: IndexOptions = {}): Promise<{ index: ContamIndex; sources: BenchmarkSource[] }> {
  const resolved = resolveIndexOptions(options);
  if (specs.length === 0) throw new ContamError('NO_INPUT', 'no benchmark given', { hint: 'give one as [name=]path[#fields]' });
  const names = new Set<string>();
  for (const spec of specs) {
    if (names.has(spec.name)) {
      throw new ContamError('BAD_ARGUMENT', `two benchmarks are named '${spec.name}'`, { hint: `name them apart: other=${spec.path}` });
    }
    names.add(spec.name);
  }
  const read = [];
  for (const spec of specs) read.push(await readEvalSamples(spec));
  const index = await buildIndex(read, resolved);
  return { index, sources: read.map((r) => r.source) };
}

/** Scan corpus files, folders or globs against an index: the report. */
export async function scan(index: ContamIndex, corpus: string[], options: CorpusScanOptions = {}): Promise<Report> {
  return scanResolved(index, corpus, resolveScanOptions(options));
}

async function scanResolved(index: ContamIndex, corpus: string[], options: CorpusScanOptions & ResolvedScanOptions): Promise<Report> {
  return reportFromState(index, await scanCorpusState(index, corpus, options), options);
}

/** Scan shard `shard` of the corpus: the partial scan (JSON text) that `mergeShards` joins with the others. */
export async function scanShard(index: ContamIndex, corpus: string[], shard: ShardSpec, options: CorpusScanOptions = {}): Promise<string> {
  const { columns, rule, maxMatches, maxDocFreq, ...rest } = resolveScanOptions(options);
  if (!index.source) throw new ContamError('BAD_INDEX', 'the index has no file to record for the merge');
  const state = await scanCorpusState(index, corpus, { ...rest, columns, rule, maxMatches, maxDocFreq, shard });
  return serializePartial(state, index.source, { columns, rule, maxMatches, maxDocFreq }, shard);
}

/**
 * Index the benchmarks and scan the corpus. The published rules weigh every
 * word alike, so under any rule but `graded` the index discounts no template.
 */
export async function check(specs: BenchmarkSpec[], corpus: string[], options: CheckOptions = {}): Promise<Report> {
  const scanning = resolveScanOptions(options);
  const indexing = resolveIndexOptions(options);
  const { index } = await indexBenchmarks(specs, { ...indexing, templates: indexing.templates! && scanning.rule.name === 'graded' });
  await options.onIndex?.(index);
  return scanResolved(index, corpus, scanning);
}

// Scripts written without spaces between words: under unit 'word' a whole sentence is one "word".
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/gu;
const LETTER = /\p{L}/gu;

/**
 * Per benchmark, the samples too short to judge in words because most of
 * their letters are in a script written without spaces (Chinese, Japanese,
 * Thai, ...): a sentence is then one or two "words", never 8, and unit
 * 'token' judges them. All zero under unit 'token'. The split itself is not
 * attempted.
 */
export function unspacedScriptSamples(index: ContamIndex): number[] {
  const unspaced = new Array<number>(index.benchmarks.length).fill(0);
  if (index.config.unit !== 'word') return unspaced;
  for (let s = 0; s < index.samples.row.length; s++) {
    if (index.samples.entryStart[s + 1]! !== index.samples.entryStart[s]!) continue;
    const text = index.samples.text[s]!;
    const letters = text.match(LETTER)?.length ?? 0;
    if (letters > 0 && (text.match(UNSPACED)?.length ?? 0) * 2 > letters) unspaced[index.samples.benchmark[s]!]!++;
  }
  return unspaced;
}

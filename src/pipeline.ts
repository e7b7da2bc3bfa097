/**
 * The main job as library calls: `indexBenchmarks` (eval files -> index),
 * `check` (index + scan in one go). The CLI commands are thin wrappers of these.
 */
import { buildIndex, type IndexOptions } from './cidx/build.js';
import type { ContamIndex } from './cidx/contam-index.js';
import { readEvalSamples } from './readers/evals/evals.js';
import { scanCorpus, type ScanOptions } from './scan/scan.js';
import type { BenchmarkSource, BenchmarkSpec, Report } from './types.js';
import { ContamError } from './errors.js';

/** Read each benchmark and index them together. */
export async function indexBenchmarks(specs: BenchmarkSpec[], options: IndexOptions = {}): Promise<{ index: ContamIndex; sources: BenchmarkSource[] }> {
  if (specs.length === 0) throw new ContamError('NO_INPUT', 'no benchmark given', { hint: 'pass --eval [name=]path[#fields]' });
  const names = new Set<string>();
  for (const spec of specs) {
    if (names.has(spec.name)) {
      throw new ContamError('BAD_ARGUMENT', `two benchmarks are named '${spec.name}'`, { hint: `name them apart: --eval other=${spec.path}` });
    }
    names.add(spec.name);
  }
  const read = [];
  for (const spec of specs) read.push(await readEvalSamples(spec));
  const index = await buildIndex(read, options);
  return { index, sources: read.map((r) => r.source) };
}

/** Index the benchmarks and scan the corpus: `contam check`. */
export async function check(specs: BenchmarkSpec[], corpus: string[], options: IndexOptions & ScanOptions = {}): Promise<Report> {
  const { index } = await indexBenchmarks(specs, options);
  return scanCorpus(index, corpus, options);
}

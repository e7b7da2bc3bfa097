/**
 * The default of every option, in one place: the API entries (options.ts),
 * the CLI and the stages themselves read them from here. A leaf module, with
 * no imports, so any folder can read it without an import cycle.
 */
/**
 * The defaults of every option, in one place.
 */
export const DEFAULTS = {
  unit: 'word',
  encoding: 'cl100k_base',
  ngram: 13,
  minWords: 8,
  fpr: 0.001,
  templates: true,
  minhash: { shingle: 5, bands: 20, rows: 3, minContainment: 0.4 },
  columns: { text: 'text', id: 'id' },
  rule: { name: 'graded', minOverlap: 0 },
  /** The fraction a PaLM-style rule (`min-overlap`) needs; `idf-overlap`'s is 0.5. */
  minOverlap: 0.7,
  idfMinOverlap: 0.5,
  maxMatches: 10,
  maxDocFreq: 10,
  batchSize: 1024,
  /** MiB; the scan cuts plain JSONL files larger than this. */
  jsonlPartSize: 64,
  filterMode: 'drop',
  cut: { window: 200, minPiece: 200, maxPieces: 10 },
  portrait: { ngram: 13, minWords: 8, stride: 1, fpr: 0.01 },
  alpha: 0.001,
  seed: 0,
  resamples: 1000,
} as const;

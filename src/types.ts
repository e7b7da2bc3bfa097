/**
 * The shared vocabulary of contam. Every pipeline stage takes and yields these
 * plain records; nothing else crosses a stage boundary.
 *
 *   eval files --(io)--> EvalSample --(text, index)--> ContamIndex
 *   corpus files --(io)--> CorpusDocument --(scan)--> Report --(report)--> JSON / terminal / HTML
 *   Report + model results --(score)--> ScoreReport
 *
 * Field names of the JSON outputs (Report, ScoreReport) are snake_case because
 * they are a file format read by other tools; in-memory records are camelCase.
 */

/** Which fields of a benchmark row make up the text to look for. */
export interface FieldSpec {
  /** Dotted path into the row (`question.stem`); list values contribute each element. */
  path: string;
  /** The field is the answer/label rather than the input (for input-vs-label verdicts). */
  label: boolean;
  /** The field is a wrong answer (a distractor choice, an incorrect answer): a copy of it alone convicts nothing. */
  distractor?: boolean;
}

/** A benchmark to index: `--eval [name=]path[#field,field:label,...]`. */
export interface BenchmarkSpec {
  name: string;
  path: string;
  /** Explicit fields; undefined means "recognise the shape or use every string field". */
  fields?: FieldSpec[];
}

/** One piece of a sample's text: one field value, or one element of a list field. */
export interface TextSegment {
  /** The field path, with `[i]` for list elements (`choices[2]`). */
  field: string;
  text: string;
  label: boolean;
  /** A wrong answer (distractor choice, incorrect answer); never also a label. */
  distractor?: boolean;
}

/** One evaluation sample as read from a benchmark file. */
export interface EvalSample {
  benchmark: string;
  /** 0-based position of the sample in its file. */
  row: number;
  /** The file's own id (`id`, `idx`, `task_id`, ...) as a string, else String(row). */
  id: string;
  segments: TextSegment[];
}

/** What the reader chose for a benchmark file, for the user and the report. */
export interface BenchmarkSource {
  name: string;
  path: string;
  format: EvalFormat;
  /** The recognised shape (`gsm8k`, `mmlu`, ...) or null. */
  shape: string | null;
  fields: FieldSpec[];
  idField: string | null;
  samples: number;
  /** The n-gram length used for this benchmark (set by the index builder). */
  ngram?: number;
}

export type EvalFormat = 'jsonl' | 'json' | 'csv' | 'parquet';
export type CorpusFormat = 'jsonl' | 'parquet' | 'arrow' | 'arrow-stream';
export type Compression = 'gzip' | 'zstd' | null;

/** One training document. */
export interface CorpusDocument {
  /** The file as the user named it (or found it under a directory). */
  file: string;
  /** 0-based row of the document in its file. */
  row: number;
  /** The id column's value as a string, or null when the file has none. */
  id: string | null;
  text: string;
}

/**
 * A unit of scan work: a whole JSONL file (or, for a large plain one, a range
 * of its lines), one Parquet row group or one Arrow record batch. Parts are
 * the grain of parallelism, sharding and checkpoints.
 */
export interface CorpusPart {
  file: string;
  format: CorpusFormat;
  compression: Compression;
  /** Part number within the file (row group / record batch), 0 for whole files. */
  index: number;
  /** Row number of the part's first document within the file. */
  rowStart: number;
  /** Number of documents when known from metadata, else null. */
  rows: number | null;
  /** Bytes on disk attributed to this part (for balancing and progress). */
  bytes: number;
  /** For a range of a plain JSONL file: the byte offset where the part starts (it starts a line). */
  byteStart?: number;
  /** For a range of a plain JSONL file: the lines of the file before the part (blank ones too). */
  lineStart?: number;
  /** A FIFO or character device (`<(zcat f.gz)`): read once, in order, as JSONL like stdin, its compression sniffed. */
  stream?: true;
}

/** Columns to read from corpus files. */
export interface CorpusColumns {
  /** @default 'text' */
  text: string;
  /** @default 'id'; a missing id column is allowed (ids are then null). */
  id: string;
}

export type ShingleUnit = 'word' | 'token';
export type TokenEncoding = 'cl100k_base' | 'o200k_base';

/** How text becomes shingles. Recorded in the index; a scan must use the same. */
export interface ShingleConfig {
  unit: ShingleUnit;
  /** n-gram length in words or tokens. @default 13 (the upper bound with ngramAuto) */
  ngram: number;
  /** GPT-3's automatic n per benchmark (5th percentile of sample lengths, clipped to 8..13). */
  ngramAuto: boolean;
  /** Fields shorter than `ngram` are matched whole down to this many units. @default 8 */
  minWords: number;
  /** Only for unit = 'token'. */
  encoding: TokenEncoding | null;
  /** Name and version of the normalization, e.g. `nfkc-casefold-html-punct-v1`. */
  normalization: string;
  /** Seed of the word hash. */
  seed: number;
  /** Whether template words (shared by many samples, index/template.ts) are discounted. @default true */
  templates: boolean;
  /** MinHash/LSH near-duplicate detection, or null when off. */
  minhash: MinhashConfig | null;
}

/** MinHash/LSH near-duplicate settings, recorded in the index. */
export interface MinhashConfig {
  /** Shingle length in units. @default 5 */
  shingle: number;
  /** LSH bands. @default 20 */
  bands: number;
  /** Rows per band. @default 3 */
  rows: number;
  /** Containment a candidate must verify at to count. @default 0.4 */
  minContainment: number;
}

/** The rule that turns matches into a verdict (src/verdict/sample.ts). */
export interface VerdictRule {
  /**
   * `graded` (default): verbatim and partial copies convict, incidental overlap does not.
   * `any-ngram`: any shared shingle convicts (GPT-3). `min-overlap`: a fraction in one document (PaLM).
   * `llama2`: more than 80% of the sample's units covered (Llama 2's "dirty").
   * `idf-overlap`: at least `minOverlap` of its n-grams in one document, weighted by IDF (decon's idea).
   */
  name: 'graded' | 'any-ngram' | 'min-overlap' | 'llama2' | 'idf-overlap';
  /** For `min-overlap` and `idf-overlap`: the fraction of the sample's shingles (IDF-weighted for the latter) in one document. */
  minOverlap: number;
}

// ---------------------------------------------------------------------------
// Report: the JSON written by `contam scan` / `contam check` (format version 1).

export interface ReportConfig {
  unit: ShingleUnit;
  /** The n-gram length, or 'auto' (each benchmark's own is in `benchmarks`). */
  ngram: number | 'auto';
  min_words: number;
  encoding: TokenEncoding | null;
  normalization: string;
  rule: VerdictRule['name'];
  min_overlap: number | null;
  text_column: string;
  id_column: string;
  /** At most this many matching documents are listed per sample (all are counted). */
  max_matches: number;
  /** Shingles found in more documents than this cannot convict alone; null when the guard is off. */
  max_doc_freq: number | null;
  /** MinHash/LSH settings and the Jaccard threshold they imply, or null when off. */
  minhash: { shingle: number; bands: number; rows: number; jaccard_threshold: number; min_containment: number } | null;
  index: { format_version: number; shingles: number; bloom_bits: number; bloom_hashes: number; bloom_fpr: number };
}

/**
 * What the report reads of the index, as plain data: report/ reads no index
 * (src/cidx/) and no scan state (src/scan/); the scan hands it this
 * (scan/report-input.ts). A ContamIndex's `benchmarks` and `samples` fit as they are.
 */
export interface ReportIndex {
  benchmarks: BenchmarkSource[];
  samples: { benchmark: ArrayLike<number>; row: ArrayLike<number>; id: ArrayLike<string>; text: ArrayLike<string>; entryStart: ArrayLike<number> };
  /** Per benchmark: whether any of its fields is a label (a marked answer field, a gold choice). */
  labelled: boolean[];
  /** The n-gram length of benchmarks that have none of their own. */
  ngram: number;
  /** The MinHash containment at which a match fires, or null without MinHash. */
  minContainment: number | null;
  /** The config fields that describe the index. */
  config: Pick<ReportConfig, 'unit' | 'ngram' | 'min_words' | 'encoding' | 'normalization' | 'minhash' | 'index'>;
}

/** What the report reads of a listed match (the scan's MatchRecord extends it). */
export interface ReportTallyMatch {
  /** Position in the scan's file list. */
  file: number;
  row: number;
  docId: string | null;
  shingles: number;
  /** Verified MinHash containment, 0 when none. */
  containment: number;
  spans: [number, number][];
  sampleSpans: [number, number][];
  snippet: string;
  snippetStart: number;
  evidence: { grade: ReportMatch['grade']; covered: number };
}

/** What the report reads of a sample's tally of matches (the scan's SampleTally extends it). */
export interface ReportTally {
  documents: number;
  maxShingles: number;
  maxContainment: number;
  longest: number;
  inLabel: boolean;
  inInput: boolean;
  /** The listed matches, strongest first. */
  top: ReportTallyMatch[];
}

export interface ReportBenchmark {
  name: string;
  path: string;
  format: EvalFormat;
  shape: string | null;
  fields: string[];
  samples: number;
  /** The n-gram length used for this benchmark. */
  ngram: number;
  contaminated: number;
  too_short: number;
  /** contaminated / (samples - too_short); 0 when nothing could be judged. */
  rate: number;
  /** Samples per grade. */
  grades: { verbatim: number; partial: number; incidental: number; clean: number; too_short: number };
}

export interface ReportMatch {
  file: string;
  row: number;
  doc_id: string | null;
  /** Distinct shingles of the sample found in this document. */
  shingles: number;
  /** [start, end) UTF-16 character offsets into the document's original text, merged, ascending. */
  spans: [number, number][];
  /** The document's text around the first span, with the span itself inside. */
  snippet: string;
  /** Where `snippet` starts in the document, so spans can be placed within it. */
  snippet_start: number;
  /** Rules that matched in this document (`ngram`, `minhash`). */
  rules: string[];
  /** The grade of this document's copy of the sample. */
  grade: 'verbatim' | 'partial' | 'incidental';
  /** Informative words of the sample covered here (src/verdict/evidence.ts). */
  covered: number;
  /** Fraction of the sample's short shingles found here, when MinHash verified a candidate; else null. */
  containment: number | null;
  /** [start, end) offsets into the sample's `text` of the words found in this document. */
  sample_spans: [number, number][];
}

export interface ReportSample {
  benchmark: string;
  row: number;
  id: string;
  /** True for the grades that count under the chosen rule (all of `verbatim` and `partial` under `graded`). */
  contaminated: boolean;
  /**
   * The grade of the strongest copy: `verbatim`, `partial`, `incidental` (only overlap a
   * reviewer dismisses), `clean` (no verified overlap) or `too_short` (nothing to judge).
   */
  grade: 'verbatim' | 'partial' | 'incidental' | 'clean' | 'too_short';
  /**
   * Why, for a sample with any evidence: the rule and figures that decided (`reason`), and the
   * strongest copy's figures: informative words covered, of how many, shares of the sample and
   * of its input, and the longest run in informative words. Null for clean and too-short samples.
   */
  verdict: { reason: string; covered: number; informative: number; share: number; input_share: number; longest_run: number } | null;
  too_short: boolean;
  /** Number of shingles the sample has (whole short fields count as one). */
  shingles: number;
  /** Largest fraction of the sample's shingles found in one document. */
  overlap: number;
  /** Longest run of the sample's words (or tokens) found contiguous in one document. */
  longest: number;
  /** Largest verified MinHash containment in one document (0 when none or when MinHash is off). */
  containment: number;
  /**
   * Verified shingles of the sample found in more than `max_doc_freq` documents:
   * reported, but they cannot convict the sample alone (GPT-3's boilerplate guard).
   */
  boilerplate_shingles: number;
  /** Overlap in the best document with each shingle weighted by ln((1 + N) / (1 + df)) + 1. */
  idf_overlap: number;
  /**
   * Fraction of the sample's units (words or tokens) covered by verified matches in any
   * document, gaps of up to 4 units bridged (Llama 2's skip-gram budget), and the
   * Llama 2 subsets it falls in: clean (< 20%), not-clean (>= 20%), not-dirty (<= 80%), dirty (> 80%).
   */
  coverage: { fraction: number; subsets: ('clean' | 'not-clean' | 'not-dirty' | 'dirty')[] };
  /** Each enabled rule, whether it fired, and its figure. */
  rules: { ngram: { fired: boolean; overlap: number; longest: number }; minhash?: { fired: boolean; containment: number } };
  /** Number of documents with at least one verified match. */
  documents: number;
  /**
   * What leaked, for contaminated samples: only input fields, only label (answer)
   * fields, or both; null when clean, too short, or the benchmark marks no labels.
   */
  leaked: 'input' | 'label' | 'input+label' | null;
  /** The sample's text segments joined by "\n" (what was looked for). */
  text: string;
  matches: ReportMatch[];
}

export interface Report {
  version: 1;
  tool: { name: 'contam'; version: string };
  config: ReportConfig;
  corpus: { files: number; documents: number; bytes: number };
  /** How much work the scan did. Absent in reports written before contam recorded it. */
  scan?: ReportScan;
  /** What --skip-bad skipped: bad documents, and files or parts that could not be read on. Empty without it. */
  skipped: SkippedInput[];
  benchmarks: ReportBenchmark[];
  samples: ReportSample[];
}

/**
 * How much work a scan did, summed over documents: the same for any worker
 * count, shard split or resume, since every document is counted once.
 */
export interface ReportScan {
  /** Units (words, or tokens when the index's unit is 'token') the documents were cut into. */
  units: number;
  /** Windows of the probe width keyed and looked up in the Bloom filter. */
  windows_probed: number;
  /** Windows the Bloom filter let through (false positives included). */
  bloom_hits: number;
  /** Index anchors found for those windows, each extended word by word along its diagonal. */
  anchors_extended: number;
  /** Shingle occurrences verified word by word in documents. */
  shingles_verified: number;
  /** Anchors and words whose hashes matched but whose words did not (hash collisions), rejected. */
  collisions_rejected: number;
  /** MinHash work, or null without a MinHash index. */
  minhash: { windows: number; candidates: number; matches: number } | null;
}

export interface SkippedInput {
  file: string;
  /** `line 12`, `row 3`, `row group 2`, or null for a whole file. */
  where: string | null;
  code: string;
  message: string;
}

// ---------------------------------------------------------------------------
// Scores: the JSON written by `contam score`.

export type ScoreMode = 'logprob' | 'generative';

export interface SubsetScore {
  /** Mean of the metric over the subset, 0..1; null when the subset is empty. */
  score: number | null;
  n: number;
  /** Seeded 95% percentile-bootstrap interval of the mean; null with fewer than 2 values. */
  ci95?: [number, number] | null;
}

export interface MetricScores {
  name: string;
  all: SubsetScore;
  clean: SubsetScore;
  contaminated: SubsetScore;
  /** clean - all, with a seeded 95% bootstrap interval; nulls when undefined. */
  delta: { value: number | null; ci95: [number, number] | null };
  /** True when a subset is too small for the interval to mean anything. */
  small_subset: boolean;
  /** Present when input/label verdicts exist: the split by what leaked. */
  input_only?: SubsetScore;
  input_and_label?: SubsetScore;
}

export interface BenchmarkScores {
  name: string;
  mode: ScoreMode;
  results_file: string;
  results_format: string;
  /** Results joined to report samples, and those that could not be (named in `unjoined_ids`). */
  joined: number;
  unjoined: number;
  unjoined_ids: string[];
  joined_by: 'row' | 'id' | 'text';
  metrics: MetricScores[];
  /** Disagreements between a stored metric and our recomputation, per metric. */
  disagreements: { metric: string; count: number; of: number }[];
}

export interface ScoreReport {
  version: 1;
  seed: number;
  bootstrap_resamples: number;
  benchmarks: BenchmarkScores[];
}

/** What a corpus reader yields: documents of one part, and the bytes on disk consumed to read them. */
export interface CorpusBatch {
  part: CorpusPart;
  documents: CorpusDocument[];
  /** Bytes of the file consumed since the previous batch (sums to the part's bytes). */
  bytesRead: number;
}

/** Options shared by all corpus readers. */
export interface CorpusReadOptions {
  columns: CorpusColumns;
  /** Documents per batch. @default 1024 */
  batchSize?: number;
  signal?: AbortSignal;
  /**
   * With this, a bad document (a line that is not JSON, a text that is not a string,
   * invalid UTF-8 in one line) is handed here and skipped instead of ending the read.
   */
  onBadDocument?: (error: import('./errors.js').ContamError) => void;
}

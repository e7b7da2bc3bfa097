/**
 * Options shared by several commands, declared once so that every command
 * spells them the same way. Numeric values are checked by the library's own
 * ranges (src/options.ts, through flags.ts) and defaults come from its
 * DEFAULTS, so neither is written twice.
 */
import os from 'node:os';
import { Option, type Command } from 'commander';
import { MIN_FPR } from '../cidx/bloom.js';
import type { IndexOptions } from '../cidx/build.js';
import { parseEvalArgument } from '../readers/evals/evals.js';
import type { ScanOptions } from '../scan/corpus-scanner.js';
import type { BenchmarkSpec, VerdictRule } from '../types.js';
import { DEFAULTS } from '../options.js';
import { parseIntegerOption } from './common.js';
import { numberOption } from './flags.js';

/** A repeatable option's values, in order. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--text-column` and, unless `id` is false, `--id-column`; without defaults when `defaults` is false (passed on only when given). */
export function addColumnOptions(cmd: Command, { id = true, defaults = true }: { id?: boolean; defaults?: boolean } = {}): Command {
  cmd.option('--text-column <name>', 'corpus column (or JSON key) holding the text', defaults ? DEFAULTS.columns.text : undefined);
  if (id) cmd.option('--id-column <name>', 'corpus column holding the document id (optional in the data)', defaults ? DEFAULTS.columns.id : undefined);
  return cmd;
}

export function addEvalOption(cmd: Command): Command {
  return cmd.requiredOption('-e, --eval <spec>', 'benchmark file as [name=]path[#field,field:label,...] (repeatable); known shapes pick their fields', collect);
}

export function evalSpecs(opts: { eval?: string[] }): BenchmarkSpec[] {
  return (opts.eval ?? []).map(parseEvalArgument);
}

/**
 * Near-duplicates come from the exact scan's anchors (the graded verdict), so
 * MinHash over sliding windows, which costs most of a scan's time, is opt-in
 * for every command; `check` still accepts --no-minhash, now the default.
 */
export function addIndexOptions(cmd: Command, acceptNoMinhash: boolean): Command {
  cmd.option('--minhash', 'add MinHash/LSH near-duplicates over sliding document windows (slower scans; the graded verdict finds near-duplicates without it)', false);
  if (acceptNoMinhash) cmd.addOption(new Option('--no-minhash', 'MinHash off (the default)').hideHelp());
  return cmd
    .option(
      '--no-templates',
      "give template words shared by many samples ('Which of the following is') full weight as evidence, as the published rules do; --rule gpt3/palm/llama2 in `check` implies it",
    )
    .addOption(new Option('--unit <unit>', 'shingle unit').choices(['word', 'token']).default(DEFAULTS.unit))
    .addOption(new Option('--encoding <name>', 'tiktoken encoding for --unit token').choices(['cl100k_base', 'o200k_base']).default(DEFAULTS.encoding))
    .option(
      '-n, --ngram <n>',
      "shingle length in units, or 'auto' (GPT-3: 5th percentile of each benchmark's sample lengths, clipped to 8..13)",
      (v: string) => (v === 'auto' ? 'auto' : numberOption('ngram')(v)),
      DEFAULTS.ngram,
    )
    .option('--min-words <n>', 'fields shorter than --ngram are matched whole down to this many units; shorter ones are "too short"', numberOption('minWords'), DEFAULTS.minWords)
    .option('--fpr <rate>', `Bloom filter false-positive rate, from ${MIN_FPR} to below 1 (hits are verified, so this only costs time)`, numberOption('fpr'), DEFAULTS.fpr)
    .option('--minhash-ngram <n>', 'shingle length for MinHash', numberOption('minhash.shingle'), DEFAULTS.minhash.shingle)
    .option('--bands <n>', 'LSH bands', numberOption('minhash.bands'), DEFAULTS.minhash.bands)
    .option('--rows <n>', 'rows per LSH band', numberOption('minhash.rows'), DEFAULTS.minhash.rows)
    .option('--min-containment <fraction>', "fraction of a sample's MinHash shingles a window must contain to count", numberOption('minhash.minContainment'), DEFAULTS.minhash.minContainment);
}

export interface IndexCliOptions {
  unit: 'word' | 'token';
  encoding: 'cl100k_base' | 'o200k_base';
  ngram: number | 'auto';
  minWords: number;
  fpr: number;
  minhash: boolean;
  /** False with --no-templates. */
  templates: boolean;
  minhashNgram: number;
  bands: number;
  rows: number;
  minContainment: number;
}

export function indexOptions(opts: IndexCliOptions): IndexOptions {
  return {
    unit: opts.unit,
    encoding: opts.encoding,
    ngram: opts.ngram,
    minWords: opts.minWords,
    fpr: opts.fpr,
    minhash: opts.minhash ? { shingle: opts.minhashNgram, bands: opts.bands, rows: opts.rows, minContainment: opts.minContainment } : false,
    templates: opts.templates,
  };
}

export function addScanOptions(cmd: Command): Command {
  return addColumnOptions(cmd)
    .addOption(
      new Option(
        '--rule <name>',
        "verdict rule: graded (verbatim and partial copies convict; template text, quotations, distractors and lone short answers do not), gpt3 (any shared n-gram, with --max-doc-freq), palm (--min-overlap of a sample's n-grams in one document), llama2 (over 80% of its units covered), idf (--min-overlap of its n-grams in one document, IDF-weighted: decon's idea); any-ngram and ngram-overlap name gpt3 and palm",
      )
        .choices(['graded', 'gpt3', 'palm', 'llama2', 'idf', 'any-ngram', 'ngram-overlap'])
        .default('graded'),
    )
    .option(
      '--min-overlap <fraction>',
      "with --rule palm: the fraction of a sample's n-grams that must occur in one document (PaLM: 0.7 with --ngram 8); implies that rule",
      numberOption('rule.minOverlap'),
    )
    .option(
      '--max-doc-freq <n>',
      'with --rule gpt3: n-grams found in more documents than this cannot convict a sample alone (GPT-3: 10); 0 turns this off',
      numberOption('maxDocFreq'),
      DEFAULTS.maxDocFreq,
    )
    .option('--max-matches <n>', 'matching documents listed per sample (all are counted)', numberOption('maxMatches'), DEFAULTS.maxMatches)
    .option('--batch-size <n>', 'documents per read batch (bounds memory)', numberOption('batchSize'), DEFAULTS.batchSize)
    .option('-w, --workers <n>', 'worker threads (parts: files, Parquet row groups, Arrow batches)', numberOption('workers'), os.availableParallelism())
    .option(
      '--jsonl-part-size <MiB>',
      `cut plain JSONL files larger than this into parts of about this size, so one large file is scanned on every worker (their lines are counted first); 0: a part per file (default: ${DEFAULTS.jsonlPartSize}; with one worker and no --checkpoint, a part per file)`,
      parseIntegerOption('--jsonl-part-size', 0, 1 << 20),
    )
    .option('--skip-bad', 'skip bad documents and unreadable files or parts, listing them in the report, instead of stopping with an error')
    .option('--checkpoint <dir>', 'save each finished corpus part here; run again with the same arguments to resume')
    .option('--fail-on-contamination', 'exit with code 1 when any sample is contaminated');
}

export interface ScanCliOptions {
  textColumn: string;
  idColumn: string;
  rule: 'graded' | 'gpt3' | 'palm' | 'llama2' | 'idf' | 'any-ngram' | 'ngram-overlap';
  minOverlap?: number;
  maxDocFreq: number;
  maxMatches: number;
  batchSize: number;
  workers: number;
  /** MiB; see ScanStateOptions.jsonlPartBytes. */
  jsonlPartSize?: number;
  checkpoint?: string;
  skipBad?: boolean;
  failOnContamination?: boolean;
}

/** The verdict rule the options name: --min-overlap implies PaLM's. */
export function ruleOf(opts: Pick<ScanCliOptions, 'rule' | 'minOverlap'>): VerdictRule {
  if (opts.rule === 'idf') return { name: 'idf-overlap', minOverlap: opts.minOverlap ?? DEFAULTS.idfMinOverlap };
  if (opts.rule === 'palm' || opts.rule === 'ngram-overlap' || opts.minOverlap !== undefined) return { name: 'min-overlap', minOverlap: opts.minOverlap ?? DEFAULTS.minOverlap };
  if (opts.rule === 'gpt3' || opts.rule === 'any-ngram') return { name: 'any-ngram', minOverlap: 0 };
  if (opts.rule === 'llama2') return { name: 'llama2', minOverlap: 0 };
  return { name: 'graded', minOverlap: 0 };
}

export function scanOptions(opts: ScanCliOptions): ScanOptions {
  return {
    columns: { text: opts.textColumn, id: opts.idColumn },
    rule: ruleOf(opts),
    maxDocFreq: opts.maxDocFreq,
    maxMatches: opts.maxMatches,
    batchSize: opts.batchSize,
    workers: opts.workers,
  };
}

export function addOutputOptions(cmd: Command, what: string): Command {
  return cmd
    .option('-o, --output <file>', `write the ${what} to FILE (atomically) instead of stdout`)
    .option('--json', `print the ${what} as JSON on stdout`)
    .option('-q, --quiet', 'no progress or logs on stderr');
}

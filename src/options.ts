/**
 * Options, checked once, in the library's words. Every default is spelled
 * here (DEFAULTS), every numeric option's range too (RANGES), and each API
 * entry (indexBenchmarks, check, scan, scanShard, filterCorpus, buildPortrait)
 * resolves its options through one `resolve...Options` before any work.
 *
 * An error names the option as a library user writes it (`ngram`,
 * `minhash.bands`, `columns.text`) at the start of its message:
 * `ngram: expected a whole number from 3 to 1000, got 1`. The CLI maps that
 * name to its flag (src/cli/flags.ts); nothing here knows a flag.
 */
import os from 'node:os';
import { MIN_FPR } from './cidx/bloom.js';
import type { IndexOptions } from './cidx/build.js';
import type { ScanStateOptions } from './scan/scan.js';
import { DEFAULTS } from './defaults.js';
import { ContamError } from './errors.js';
import type { CorpusColumns, VerdictRule } from './types.js';

export { DEFAULTS } from './defaults.js';

/** A numeric option's range; `above`/`below` make a bound exclusive. */
export interface Range {
  min: number;
  max?: number;
  integer?: boolean;
  above?: boolean;
  below?: boolean;
  /** Why values below `min` are refused, said after the value. */
  why?: string;
  hint?: string;
}

/** The range of every numeric option, by the name errors give it. */
export const RANGES: Readonly<Record<string, Range>> = {
  ngram: { min: 3, max: 1000, integer: true, why: 'shorter n-grams are common phrases, found in nearly every document', hint: "published rules use 8 to 13 ('auto' chooses in that range)" },
  minWords: { min: 3, max: 1000, integer: true, why: 'a field of fewer words, matched whole, is found in nearly every document', hint: 'the default is 8' },
  fpr: { min: MIN_FPR, max: 1, below: true, hint: 'Bloom hits are verified, so a lower rate only costs memory; the default is 0.001' },
  'minhash.shingle': { min: 1, max: 100, integer: true },
  'minhash.bands': { min: 1, max: 1000, integer: true },
  'minhash.rows': { min: 1, max: 100, integer: true },
  'minhash.minContainment': { min: 0, max: 1, above: true },
  'rule.minOverlap': { min: 0, max: 1, above: true },
  maxMatches: { min: 1, max: 10000, integer: true },
  maxDocFreq: { min: 0, integer: true },
  batchSize: { min: 1, max: 1_000_000, integer: true },
  workers: { min: 1, max: 1024, integer: true },
  jsonlPartBytes: { min: 0, integer: true },
  'cut.window': { min: 0, integer: true },
  'cut.minPiece': { min: 0, integer: true },
  'cut.maxPieces': { min: 1, integer: true },
  'portrait.ngram': { min: 1, max: 1000, integer: true },
  'portrait.minWords': { min: 0, max: 1000, integer: true },
  stride: { min: 1, integer: true },
  'portrait.fpr': { min: 0, max: 1, above: true, below: true },
  shardSize: { min: 1, integer: true },
  alpha: { min: 0, max: 1, above: true, below: true },
  minFraction: { min: 0, max: 1 },
  seed: { min: 0, max: 0xffffffff, integer: true },
  shards: { min: 1, max: 1_000_000, integer: true },
  cpusPerTask: { min: 1, max: 1024, integer: true },
  resamples: { min: 1, max: 1_000_000, integer: true },
};

function describe(r: Range): string {
  const kind = r.integer ? 'a whole number' : 'a number';
  if (r.max === undefined) return r.above ? `${kind} above ${r.min}` : `${kind} from ${r.min} up`;
  if (r.above) return `${kind} above ${r.min} and ${r.below ? 'below' : 'at most'} ${r.max}`;
  return `${kind} from ${r.min} to ${r.below ? 'below ' : ''}${r.max}`;
}

/** An error about option `name`, its message starting with the name. */
export function optionError(name: string, message: string, hint?: string): ContamError {
  return new ContamError('BAD_ARGUMENT', `${name}: ${message}`, hint === undefined ? {} : { hint });
}

/**
 * `value` if it is in the range of option `name` (or `range`: RANGES under
 * another key, where two functions' options share a name), else a
 * ContamError naming it. `shown` is how the value was written (the CLI
 * passes the text given).
 */
export function checkOption(name: string, value: number, shown: string = String(value), range: string = name): number {
  const r = RANGES[range];
  if (!r) throw new Error(`checkOption: no range for '${range}'`);
  const low = r.above ? value > r.min : value >= r.min;
  const high = r.max === undefined || (r.below ? value < r.max : value <= r.max);
  if (typeof value === 'number' && Number.isFinite(value) && low && high && (!r.integer || Number.isInteger(value))) return value;
  const why = r.why && Number.isFinite(value) && value < r.min ? `: ${r.why}` : '';
  throw optionError(name, `expected ${describe(r)}, got ${shown}${why}`, r.hint);
}

function checkChoice<T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  if (choices.includes(value as T)) return value as T;
  throw optionError(name, `expected ${choices.join(' or ')}, got ${String(value)}`);
}

function checkColumns(columns: Partial<CorpusColumns> | undefined): CorpusColumns {
  const resolved = { text: columns?.text ?? DEFAULTS.columns.text, id: columns?.id ?? DEFAULTS.columns.id };
  for (const key of ['text', 'id'] as const) {
    if (typeof resolved[key] !== 'string' || resolved[key] === '') throw optionError(`columns.${key}`, `expected a column name, got ${JSON.stringify(resolved[key])}`);
  }
  return resolved;
}

const RULES = ['graded', 'any-ngram', 'min-overlap', 'llama2', 'idf-overlap'] as const;

/** The rule, with `minOverlap` checked where the rule reads it. */
export function resolveRule(rule: VerdictRule | undefined): VerdictRule {
  if (rule === undefined) return { ...DEFAULTS.rule };
  const name = checkChoice('rule.name', rule.name, RULES);
  if (name === 'min-overlap' || name === 'idf-overlap') checkOption('rule.minOverlap', rule.minOverlap);
  return rule;
}

/** Index options with their defaults, checked. */
export function resolveIndexOptions(options: IndexOptions = {}): IndexOptions {
  const unit = checkChoice('unit', options.unit ?? DEFAULTS.unit, ['word', 'token'] as const);
  const encoding = checkChoice('encoding', options.encoding ?? DEFAULTS.encoding, ['cl100k_base', 'o200k_base'] as const);
  const ngram = options.ngram === 'auto' ? 'auto' : checkOption('ngram', options.ngram ?? DEFAULTS.ngram);
  const minWords = checkOption('minWords', options.minWords ?? DEFAULTS.minWords);
  const fpr = checkOption('fpr', options.fpr ?? DEFAULTS.fpr);
  let minhash: IndexOptions['minhash'] = false;
  if (options.minhash !== undefined && options.minhash !== false) {
    const m = { ...DEFAULTS.minhash, ...(typeof options.minhash === 'object' ? options.minhash : {}) };
    for (const key of ['shingle', 'bands', 'rows', 'minContainment'] as const) checkOption(`minhash.${key}`, m[key]);
    if (m.bands * m.rows > 4096) throw optionError('minhash.bands', `expected bands x rows to be at most 4096, got ${m.bands * m.rows}`);
    minhash = m;
  }
  return { ...options, unit, encoding, ngram, minWords, fpr, minhash, templates: options.templates ?? DEFAULTS.templates };
}

/** The scan options every scan reads, as resolved. */
export interface ResolvedScanOptions {
  columns: CorpusColumns;
  rule: VerdictRule;
  maxMatches: number;
  maxDocFreq: number;
  batchSize: number;
  workers: number;
}

/** Scan options with their defaults, checked. */
export function resolveScanOptions<T extends ScanStateOptions>(options: T): T & ResolvedScanOptions {
  if (options.jsonlPartBytes !== undefined) checkOption('jsonlPartBytes', options.jsonlPartBytes);
  return {
    ...options,
    columns: checkColumns(options.columns),
    rule: resolveRule(options.rule),
    maxMatches: checkOption('maxMatches', options.maxMatches ?? DEFAULTS.maxMatches),
    maxDocFreq: checkOption('maxDocFreq', options.maxDocFreq ?? DEFAULTS.maxDocFreq),
    batchSize: checkOption('batchSize', options.batchSize ?? DEFAULTS.batchSize),
    workers: checkOption('workers', options.workers ?? os.availableParallelism()),
  };
}

/** The Janitor's cut (filter/cut.ts). */
export interface CutSettings {
  window: number;
  minPiece: number;
  maxPieces: number;
}

/** What filterCorpus reads, with its defaults, checked. */
export function resolveFilterOptions(options: { mode?: string; columns?: Partial<CorpusColumns>; cut?: Partial<CutSettings>; batchSize?: number }): {
  mode: 'drop' | 'cut';
  columns: CorpusColumns;
  cut: CutSettings;
  batchSize: number;
} {
  const cut: CutSettings = { ...DEFAULTS.cut, ...options.cut };
  for (const key of ['window', 'minPiece', 'maxPieces'] as const) checkOption(`cut.${key}`, cut[key]);
  return {
    mode: checkChoice('mode', options.mode ?? DEFAULTS.filterMode, ['drop', 'cut'] as const),
    columns: checkColumns(options.columns),
    cut,
    batchSize: checkOption('batchSize', options.batchSize ?? DEFAULTS.batchSize),
  };
}

/** A portrait's options with their defaults, checked. */
export function resolvePortraitOptions<T extends { ngram?: number; minWords?: number; stride?: number; fpr?: number; shardSize?: number }>(
  options: T,
): T & { ngram: number; minWords: number; stride: number; fpr: number } {
  const d = DEFAULTS.portrait;
  if (options.shardSize !== undefined) checkOption('shardSize', options.shardSize);
  return {
    ...options,
    ngram: checkOption('ngram', options.ngram ?? d.ngram, undefined, 'portrait.ngram'),
    minWords: checkOption('minWords', options.minWords ?? d.minWords, undefined, 'portrait.minWords'),
    stride: checkOption('stride', options.stride ?? d.stride),
    fpr: checkOption('fpr', options.fpr ?? d.fpr, undefined, 'portrait.fpr'),
  };
}

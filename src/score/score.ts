/**
 * Scores beside contamination: for each results file, the model's score on
 * all joined samples of a benchmark, on the clean and on the contaminated
 * subset, and clean minus all with a seeded bootstrap interval.
 *
 * Subsets: a joined sample marked too short (nothing could be judged) counts
 * in `all` only; otherwise it is contaminated or clean. When the report
 * carries input/label verdicts (`leaked` not null on some contaminated
 * sample), contaminated samples are also split into input-only and
 * input-and-label. Means are summed in the report's sample order (benchmark
 * row), so a score does not depend on the order of the results file.
 *
 * Which metrics: those the file stores, in its order, when it names them
 * (lm-evaluation-harness: every filter's `metric,filter`, e.g.
 * `exact_match,score-first`, `exact_match,maj@64`, `exact_match,maj@8`);
 * otherwise those of the mode (acc and acc_norm; exact match and F1, or
 * GSM8K's two extractions). Metrics are recomputed where contam knows them
 * (acc and acc_norm from log-likelihoods; GSM8K exact match per filter from
 * that filter's stored filtered response, as the harness's exact_match with
 * GSM8K's regexes_to_ignore computes it) and taken from the file's own
 * per-sample value otherwise; where both exist and differ, the disagreement
 * is counted per metric and filter (over every record of the file, joined or
 * not). `small_subset` is set when the clean or
 * the contaminated subset has fewer than 30 samples, below which a bootstrap
 * percentile interval is unreliable.
 */
import { DEFAULTS } from '../defaults.js';
import { createHash } from 'node:crypto';
import { ContamError } from '../errors.js';
import { readResults, type ResultRecord, type ResultsFile } from '../readers/results/results.js';
import type { BenchmarkScores, MetricScores, Report, ScoreMode, ScoreReport, SubsetScore } from '../types.js';
import { bootstrapDeltaInterval, bootstrapMeanInterval } from './bootstrap.js';
import { joinRecords, recordName } from './join.js';
import { accuracy, exactMatch, extractGsm8kAnswer, gsm8kAnswerMatches, harnessGsm8kExactMatch, lengthNormalizedAccuracy, squadF1 } from './metrics.js';

/** One results file to score. */
export interface ScoreInput {
  path: string;
  /** The report benchmark the file is for; by default taken from the file (name or field). */
  benchmark?: string;
  /** By default, log-prob when the file has log-likelihoods or `acc`, else generative. */
  mode?: ScoreMode;
}

export interface ScoreOptions {
  /** Bootstrap PRNG seed. @default 0 */
  seed?: number;
  /** Bootstrap resamples. @default 1000 */
  resamples?: number;
}

/** Below this many samples in the clean or contaminated subset, the interval is flagged. */
export const SMALL_SUBSET = 30;

const LOGPROB_METRICS = ['acc', 'acc_norm'] as const;
const GENERATIVE_METRICS = ['exact_match', 'f1'] as const;
const GSM8K_METRICS = ['exact_match,strict-match', 'exact_match,flexible-extract'] as const;

type Recompute = (record: ResultRecord) => number | null;

const RECOMPUTE: Record<string, Recompute> = {
  acc: (r) => (r.logprobs && r.gold !== null ? accuracy(r.logprobs, r.gold) : null),
  acc_norm: (r) => (r.logprobs && r.choices && r.gold !== null ? lengthNormalizedAccuracy(r.logprobs, r.choices, r.gold) : null),
  exact_match: (r) => (r.prediction !== null && r.references ? exactMatch(r.prediction, r.references) : null),
  f1: (r) => (r.prediction !== null && r.references ? squadF1(r.prediction, r.references) : null),
  'exact_match,strict-match': (r) => (r.prediction !== null && r.references?.length ? gsm8kAnswerMatches(extractGsm8kAnswer(r.prediction).strict, r.references[0]!) : null),
  'exact_match,flexible-extract': (r) => (r.prediction !== null && r.references?.length ? gsm8kAnswerMatches(extractGsm8kAnswer(r.prediction).flexible, r.references[0]!) : null),
};

/**
 * How to recompute `metric` (`name` or `name,filter`) for a record, or null
 * when contam does not know it. lm-evaluation-harness records carry each
 * filter's filtered response, from which GSM8K's exact match is recomputed;
 * truthfulqa_mc2's `acc` is a probability mass, not an argmax, so it is
 * taken as stored.
 */
function recomputer(metric: string, file: ResultsFile, gsm8k: boolean, stored: boolean): Recompute | null {
  const comma = metric.indexOf(',');
  const name = comma < 0 ? metric : metric.slice(0, comma);
  const filter = comma < 0 ? 'none' : metric.slice(comma + 1);
  if ((name === 'acc' || name === 'acc_norm') && filter === 'none') return file.benchmark !== null && /mc2/.test(file.benchmark) ? null : RECOMPUTE[name]!;
  if (name === 'exact_match' && gsm8k && file.format === 'lm-eval-harness') {
    return (r) => {
      const filtered = r.filtered?.[filter];
      return filtered !== undefined && filtered !== null && r.references?.length ? harnessGsm8kExactMatch(filtered, r.references[0]!) : null;
    };
  }
  // A metric the file names itself is one of its task's, configured as contam cannot see: taken as stored.
  return stored ? null : (RECOMPUTE[metric] ?? null);
}

/** Which report benchmark a file is for: the explicit name, the file's own, or the one report benchmark it names. */
export function resolveBenchmark(report: Report, file: ResultsFile, explicit?: string): string {
  const names = report.benchmarks.map((b) => b.name);
  const hint = `the report has ${names.map((n) => `'${n}'`).join(', ') || 'no benchmarks'}; name one with --benchmark`;
  if (explicit !== undefined) {
    if (!names.includes(explicit)) throw new ContamError('BAD_ARGUMENT', `benchmark '${explicit}' is not in the report`, { file: file.path, hint });
    return explicit;
  }
  const own = file.benchmark;
  if (own !== null) {
    if (names.includes(own)) return own;
    // Harness task names decorate the benchmark (`leaderboard_gsm8k`, `hellaswag_10shot`): take the longest report name inside.
    const inside = names.filter((n) => own.toLowerCase().includes(n.toLowerCase())).sort((a, b) => b.length - a.length);
    if (inside.length > 0 && (inside.length === 1 || inside[0]!.length > inside[1]!.length)) return inside[0]!;
  }
  if (names.length === 1) return names[0]!;
  throw new ContamError('JOIN_FAILED', own !== null ? `the results are for '${own}', which is not a benchmark of the report` : 'the results file does not say which benchmark it is for', {
    file: file.path,
    hint,
  });
}

function fileMode(file: ResultsFile): ScoreMode | null {
  if (file.records.some((r) => r.logprobs !== null || 'acc' in r.stored)) return 'logprob';
  if (file.records.some((r) => r.prediction !== null)) return 'generative';
  return null;
}

function inferMode(file: ResultsFile): ScoreMode {
  const mode = fileMode(file);
  if (mode !== null) return mode;
  throw new ContamError('BAD_RESULTS', 'the file holds neither log-likelihoods nor generations', { file: file.path, hint: 'pass --mode, or a file from a log-prob or generative run' });
}

function isGsm8k(report: Report, benchmark: string, records: readonly ResultRecord[]): boolean {
  if (report.benchmarks.find((b) => b.name === benchmark)?.shape === 'gsm8k') return true;
  const withRefs = records.filter((r) => r.references && r.references.length > 0);
  return withRefs.length > 0 && withRefs.every((r) => /####\s*-?[$0-9.,]+/.test(r.references![0]!));
}

function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function subset(values: readonly number[], bootstrap: { seed: number; resamples: number }): SubsetScore {
  return { score: mean(values), n: values.length, ci95: bootstrapMeanInterval(values, bootstrap) };
}

/** A per-record value for each metric: recomputed when possible, else stored; null when neither. */
function metricValues(file: ResultsFile, metric: string, recompute: Recompute | null): { values: (number | null)[]; disagree: number; of: number } {
  let disagree = 0;
  let of = 0;
  const values = file.records.map((r) => {
    const ours = recompute ? recompute(r) : null;
    const theirs = r.stored[metric];
    if (ours !== null && theirs !== undefined) {
      of += 1;
      if (Math.abs(ours - theirs) > 1e-9) disagree += 1;
    }
    return ours ?? theirs ?? null;
  });
  return { values, disagree, of };
}

/**
 * Score one results file already read, against the report (pure: no I/O).
 *
 * @throws ContamError `BAD_RESULTS`, `JOIN_FAILED`, `BAD_ARGUMENT`
 */
export function scoreResultsFile(report: Report, file: ResultsFile, input: Omit<ScoreInput, 'path'> = {}, options: ScoreOptions = {}): BenchmarkScores {
  const seed = options.seed ?? DEFAULTS.seed;
  const resamples = options.resamples ?? DEFAULTS.resamples;
  if (file.records.length === 0) throw new ContamError('EMPTY_INPUT', 'the results file has no records', { file: file.path, hint: 'check that the evaluation run wrote its samples' });
  const benchmark = resolveBenchmark(report, file, input.benchmark);
  const mode = input.mode ?? inferMode(file);
  const samples = report.samples.filter((s) => s.benchmark === benchmark);
  const sampleCount = report.benchmarks.find((b) => b.name === benchmark)!.samples;
  const join = joinRecords(file.path, benchmark, sampleCount, samples, file.records);

  const gsm8k = isGsm8k(report, benchmark, file.records);
  // The file's own metrics, unless a mode other than the file's was asked for.
  const stored = file.metrics !== undefined && file.metrics.length > 0 && mode === fileMode(file);
  const candidates: readonly string[] = stored ? file.metrics! : mode === 'logprob' ? LOGPROB_METRICS : gsm8k ? GSM8K_METRICS : GENERATIVE_METRICS;
  const index = new Map(file.records.map((r, i) => [r, i]));
  const pairs = [...join.pairs].sort((a, b) => a.sample.row - b.sample.row);
  const leakedKnown = pairs.some((p) => p.sample.contaminated && p.sample.leaked !== undefined && p.sample.leaked !== null);

  const metrics: MetricScores[] = [];
  const disagreements: BenchmarkScores['disagreements'] = [];
  for (const [k, name] of candidates.entries()) {
    const { values, disagree, of } = metricValues(file, name, recomputer(name, file, gsm8k, stored));
    const missing = pairs.find((p) => values[index.get(p.record)!] === null);
    if (missing) {
      // The first metric of a mode is what the mode means; without it for every sample the file cannot be scored.
      if (k === 0) {
        throw new ContamError(
          'BAD_RESULTS',
          `cannot score '${name}' for this sample: it has no ${mode === 'logprob' ? 'log-likelihoods with a gold choice' : 'generation with references'} and no stored '${name}'`,
          {
            file: file.path,
            where: missing.record.where,
            hint: mode === 'logprob' ? 'pass --mode generative if the run generated text' : 'pass --mode logprob if the run scored choices',
          },
        );
      }
      continue;
    }
    if (of > 0) disagreements.push({ metric: name, count: disagree, of });
    const all: number[] = [];
    const clean: number[] = [];
    const contaminated: number[] = [];
    const other: number[] = [];
    const inputOnly: number[] = [];
    const inputAndLabel: number[] = [];
    for (const { sample, record } of pairs) {
      const v = values[index.get(record)!]!;
      all.push(v);
      if (sample.too_short) other.push(v);
      else if (sample.contaminated) {
        contaminated.push(v);
        if (sample.leaked === 'input') inputOnly.push(v);
        else if (sample.leaked === 'input+label') inputAndLabel.push(v);
      } else clean.push(v);
    }
    const bootstrap = { seed, resamples };
    const allScore = subset(all, bootstrap);
    const cleanScore = subset(clean, bootstrap);
    const m: MetricScores = {
      name,
      all: allScore,
      clean: cleanScore,
      contaminated: subset(contaminated, bootstrap),
      delta: {
        value: cleanScore.score !== null && allScore.score !== null ? cleanScore.score - allScore.score : null,
        ci95: bootstrapDeltaInterval(clean, contaminated, other, { seed, resamples }),
      },
      small_subset: clean.length < SMALL_SUBSET || contaminated.length < SMALL_SUBSET,
    };
    if (leakedKnown) {
      m.input_only = subset(inputOnly, bootstrap);
      m.input_and_label = subset(inputAndLabel, bootstrap);
    }
    metrics.push(m);
  }
  return {
    name: benchmark,
    mode,
    results_file: file.path,
    results_format: file.format,
    joined: join.pairs.length,
    unjoined: join.unjoined.length,
    unjoined_ids: join.unjoined.map(recordName),
    joined_by: join.by,
    metrics,
    disagreements,
  };
}

/** Which report a ScoreReport was computed from: written into scores.json and checked by `contam report --scores`. */
export interface ScoredReport {
  /** SHA-256 of the report's verdicts: every benchmark's name and size, every sample's benchmark, row, id, contaminated, too_short and leaked. */
  checksum: string;
  benchmarks: string[];
}

/** A ScoreReport as `contam score` writes it: with the report it was computed from. */
export type ScoreReportFile = ScoreReport & { report?: ScoredReport };

/**
 * The checksum of what scores depend on in a report: its benchmarks and each
 * sample's verdict. Figures the verdict does not use (overlaps, matches) and
 * the report's formatting do not change it.
 */
export function reportChecksum(report: Report): string {
  const hash = createHash('sha256');
  for (const b of report.benchmarks) hash.update(`${JSON.stringify([b.name, b.samples])}\n`);
  for (const s of report.samples) hash.update(`${JSON.stringify([s.benchmark, s.row, s.id, s.contaminated, s.too_short, s.leaked ?? null])}\n`);
  return hash.digest('hex');
}

/**
 * Read each results file, join it to the report and score it.
 *
 * @example
 * const scores = await scoreResults(await readReport('report.json'),
 *   [{ path: 'samples_gsm8k_2026-11-28T10-00-00.jsonl' }], { seed: 1 });
 * @throws ContamError `FILE_NOT_FOUND`, `BAD_RESULTS`, `BAD_PARQUET`, `JOIN_FAILED`, `BAD_ARGUMENT`
 */
export async function scoreResults(report: Report, inputs: readonly ScoreInput[], options: ScoreOptions = {}): Promise<ScoreReportFile> {
  const seed = options.seed ?? DEFAULTS.seed;
  const resamples = options.resamples ?? DEFAULTS.resamples;
  if (!Number.isInteger(resamples) || resamples < 1) throw new ContamError('BAD_ARGUMENT', `expected resamples to be a whole number from 1 up, got ${resamples}`);
  if (!Number.isInteger(seed)) throw new ContamError('BAD_ARGUMENT', `expected seed to be a whole number, got ${seed}`);
  if (inputs.length === 0) throw new ContamError('NO_INPUT', 'no results files to score', { hint: 'pass --results FILE' });
  const benchmarks: BenchmarkScores[] = [];
  for (const input of inputs) {
    const file = await readResults(input.path);
    benchmarks.push(scoreResultsFile(report, file, input, { seed, resamples }));
  }
  return { version: 1, report: { checksum: reportChecksum(report), benchmarks: report.benchmarks.map((b) => b.name) }, seed, bootstrap_resamples: resamples, benchmarks };
}

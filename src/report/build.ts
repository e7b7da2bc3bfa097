/**
 * Turns the scan's tallies into the Report: every sample, clean ones too, in
 * index order (benchmark, then row), with the verdict that src/verdict/ gives
 * under the chosen rule (nothing here decides one: `judge` does). The
 * report holds no timestamps or timings, so identical inputs give a
 * byte-identical file.
 *
 * It reads plain records only (ReportIndex, ReportTally in src/types.ts), not
 * the index or the scan's state: the scan builds them (scan/report-input.ts).
 */
import { DEFAULTS } from '../defaults.js';
import { fieldSpecText } from '../readers/evals/fields.js';
import { describeEvidence, llama2Subsets, type SampleVerdict } from '../verdict/sample.js';
import type { CorpusColumns, Report, ReportBenchmark, ReportIndex, ReportSample, ReportScan, ReportTally, SkippedInput, VerdictRule } from '../types.js';
import { VERSION } from '../version.js';

export interface ReportInput {
  index: ReportIndex;
  /** Each sample's tally, by sample number; a sample without one matched nowhere. */
  tallies: ReadonlyMap<number, ReportTally>;
  /** At most this many matches are listed per sample. */
  maxMatches: number;
  /** The verdict of sample `s` (src/verdict/sample.ts's judgeSample, given the index and the scan's figures). */
  judge: (s: number) => SampleVerdict;
  /** Files in scan order (MatchRecord.file indexes this list). */
  files: string[];
  corpus: { documents: number; bytes: number };
  /** The scan's work, for the report's `scan`. */
  scan: ReportScan;
  rule: VerdictRule;
  columns: CorpusColumns;
  /** The boilerplate guard the verdicts used, for the config. @default 10; 0 means it was off. */
  maxDocFreq?: number;
  skipped?: SkippedInput[];
}

/** Rounded so that the JSON is short and stable to read; verdicts use exact counts, not this. */
function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : Math.round((numerator / denominator) * 1e6) / 1e6;
}

export function buildReport(input: ReportInput): Report {
  const { index, files, rule } = input;
  const samples: ReportSample[] = [];
  const counts = index.benchmarks.map(() => ({ contaminated: 0, tooShort: 0, grades: { verbatim: 0, partial: 0, incidental: 0, clean: 0, too_short: 0 } }));
  const n = index.samples.row.length;
  const hasLabels = index.labelled;
  const maxDocFreq = input.maxDocFreq ?? DEFAULTS.maxDocFreq;
  const minhash = index.minContainment !== null;
  for (let s = 0; s < n; s++) {
    const total = index.samples.entryStart[s + 1]! - index.samples.entryStart[s]!;
    const tally = input.tallies.get(s);
    const verdict = input.judge(s);
    const { contaminated, tooShort, evidence } = verdict;
    const overlap = tally ? ratio(tally.maxShingles, total) : 0;
    const containment = tally ? Math.round(tally.maxContainment * 1e6) / 1e6 : 0;
    const minhashFired = tally !== undefined && index.minContainment !== null && tally.maxContainment >= index.minContainment;
    const b = index.samples.benchmark[s]!;
    if (contaminated) counts[b]!.contaminated++;
    if (tooShort) counts[b]!.tooShort++;
    counts[b]!.grades[verdict.grade]++;
    samples.push({
      benchmark: index.benchmarks[b]!.name,
      row: index.samples.row[s]!,
      id: index.samples.id[s]!,
      contaminated,
      grade: verdict.grade,
      verdict: evidence
        ? {
            reason: verdict.reason || describeEvidence(evidence),
            covered: evidence.covered,
            informative: evidence.informative,
            share: evidence.share,
            input_share: evidence.inputShare,
            longest_run: evidence.longestRun,
          }
        : null,
      too_short: tooShort,
      shingles: total,
      overlap,
      longest: tally?.longest ?? 0,
      containment,
      boilerplate_shingles: verdict.boilerplate,
      idf_overlap: verdict.idfOverlap,
      coverage: { fraction: verdict.coverage, subsets: llama2Subsets(verdict.coverage) },
      rules: {
        ngram: { fired: verdict.ngramFired, overlap, longest: tally?.longest ?? 0 },
        ...(minhash ? { minhash: { fired: minhashFired, containment } } : {}),
      },
      documents: tally?.documents ?? 0,
      leaked: contaminated && hasLabels[b] ? (tally!.inLabel ? (tally!.inInput ? 'input+label' : 'label') : 'input') : null,
      text: index.samples.text[s]!,
      matches: (tally?.top ?? []).map((m) => ({
        file: files[m.file]!,
        row: m.row,
        doc_id: m.docId,
        shingles: m.shingles,
        rules: [...(m.shingles > 0 ? ['ngram'] : []), ...(m.containment > 0 ? ['minhash'] : [])],
        grade: m.evidence.grade,
        covered: m.evidence.covered,
        containment: m.containment > 0 ? Math.round(m.containment * 1e6) / 1e6 : null,
        spans: m.spans,
        snippet: m.snippet,
        snippet_start: m.snippetStart,
        sample_spans: m.sampleSpans,
      })),
    });
  }
  const benchmarks: ReportBenchmark[] = index.benchmarks.map((source, b) => {
    const judged = source.samples - counts[b]!.tooShort;
    return {
      name: source.name,
      path: source.path,
      format: source.format,
      shape: source.shape,
      fields: source.fields.map(fieldSpecText),
      samples: source.samples,
      ngram: source.ngram ?? index.ngram,
      contaminated: counts[b]!.contaminated,
      too_short: counts[b]!.tooShort,
      rate: ratio(counts[b]!.contaminated, judged),
      grades: counts[b]!.grades,
    };
  });
  const config = index.config;
  return {
    version: 1,
    tool: { name: 'contam', version: VERSION },
    config: {
      unit: config.unit,
      ngram: config.ngram,
      min_words: config.min_words,
      encoding: config.encoding,
      normalization: config.normalization,
      rule: rule.name,
      min_overlap: rule.name === 'min-overlap' || rule.name === 'idf-overlap' ? rule.minOverlap : null,
      text_column: input.columns.text,
      id_column: input.columns.id,
      max_matches: input.maxMatches,
      max_doc_freq: maxDocFreq > 0 ? maxDocFreq : null,
      minhash: config.minhash,
      index: config.index,
    },
    corpus: { files: files.length, documents: input.corpus.documents, bytes: input.corpus.bytes },
    scan: input.scan,
    // Sorted by file order, then position, so any worker count or shard split lists them alike.
    skipped: [...(input.skipped ?? [])].sort(
      (x, y) => files.indexOf(x.file) - files.indexOf(y.file) || (x.where ?? '').localeCompare(y.where ?? '', 'en', { numeric: true }) || x.message.localeCompare(y.message),
    ),
    benchmarks,
    samples,
  };
}

/**
 * The report as the JSON text written to disk: fixed key order, the header
 * parts indented, one line per sample (so a 100,000-sample report stays
 * greppable and diffable), final newline.
 */
export function serializeReport(report: Report): string {
  return reportPieces(report).join('');
}

/**
 * serializeReport's text as UTF-8, encoded a piece at a time: joining the pieces into one
 * string and encoding that whole took longer than the scan of a 100 MB corpus's last second
 * (one sample with a character beyond Latin-1 makes the whole string two bytes a character).
 */
export function serializeReportBytes(report: Report): Uint8Array {
  const pieces = reportPieces(report);
  let size = 0;
  for (const piece of pieces) size += Buffer.byteLength(piece);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const piece of pieces) at += out.write(piece, at);
  return out;
}

/** The report's JSON text in order: the header keys, then a piece per sample and the separators. */
function reportPieces(report: Report): string[] {
  const pieces = ['{\n'];
  let first = true;
  for (const [key, value] of Object.entries(report)) {
    if (key === 'samples') continue;
    pieces.push(`${first ? '' : ',\n'}  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replace(/\n/g, '\n  ')}`);
    first = false;
  }
  pieces.push(`${first ? '' : ',\n'}  "samples": [`);
  for (let i = 0; i < report.samples.length; i++) pieces.push(`${i === 0 ? '\n' : ',\n'}    ${JSON.stringify(report.samples[i])}`);
  pieces.push(report.samples.length ? '\n  ]\n}\n' : ']\n}\n');
  return pieces;
}

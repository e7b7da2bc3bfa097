/**
 * The verdict on one sample: its grade from the strongest copy found (see
 * evidence.ts), and whether it counts as contaminated under the chosen rule.
 * This is the only place a verdict is decided; the report only shows it.
 *
 * Rules:
 *   graded       (default) contaminated when the grade is verbatim or partial.
 *   any-ngram    GPT-3: any shared n-gram convicts, but n-grams found in more
 *                than `maxDocFreq` documents cannot convict alone unless they
 *                make up SUBSTANTIAL_COPY of the sample in one document.
 *   min-overlap  PaLM: at least `minOverlap` of the sample's n-grams in one document.
 *   llama2       Llama 2: more than 80% of the sample's units covered (its "dirty" subset).
 *   idf-overlap  decon's idea, not its scorer: at least `minOverlap` of the sample's
 *                n-grams in its best listed document, each weighted by its IDF over
 *                the corpus documents, ln((1 + N) / (1 + df)) + 1, so common ones weigh less.
 * Every rule sees the same verified evidence; the grade is reported whatever
 * the rule, so a reader can compare.
 */
import type { ContamIndex } from '../cidx/contam-index.js';
import type { VerdictRule } from '../types.js';
import { gradeRank, type CopyEvidence, type Grade } from './evidence.js';

/**
 * Under the GPT-3 rule, a sample half of whose shingles occur in one document is
 * convicted even when each of those shingles is frequent in the corpus (the
 * boilerplate guard is for common phrases, not for samples copied onto many pages).
 */
export const SUBSTANTIAL_COPY = 0.5;
/** Llama 2's bridged gap between covered ranges, and its subsets' bounds. */
export const LLAMA2_GAP = 4;
export const LLAMA2_CLEAN = 0.2;
export const LLAMA2_DIRTY = 0.8;

export type Llama2Subset = 'clean' | 'not-clean' | 'not-dirty' | 'dirty';

/** Does a sample with `matched` of `total` shingles in its best document meet an n-gram rule? */
export function meetsRule(rule: VerdictRule, matched: number, total: number): boolean {
  if (total === 0 || matched === 0) return false;
  if (rule.name !== 'min-overlap') return true;
  // Integer comparison avoids float ties: matched / total >= r  <=>  matched >= r * total.
  return matched >= rule.minOverlap * total - 1e-9;
}

/** Units covered by merged ranges once gaps of up to `gap` units between them are bridged. */
export function bridged(units: readonly (readonly [number, number])[], gap: number): number {
  let covered = 0;
  let start = -1;
  let end = -1;
  for (const [a, b] of units) {
    if (start >= 0 && a - end <= gap) end = Math.max(end, b);
    else {
      if (start >= 0) covered += end - start;
      start = a;
      end = b;
    }
  }
  if (start >= 0) covered += end - start;
  return covered;
}

export function llama2Subsets(fraction: number): Llama2Subset[] {
  return [fraction < LLAMA2_CLEAN ? 'clean' : 'not-clean', fraction > LLAMA2_DIRTY ? 'dirty' : 'not-dirty'];
}

export interface SampleVerdict {
  grade: Grade;
  contaminated: boolean;
  tooShort: boolean;
  /** The strongest copy's evidence, or null when nothing matched. */
  evidence: CopyEvidence | null;
  /** The n-gram rules' figures. */
  ngramFired: boolean;
  boilerplate: number;
  /** Llama 2 coverage of the sample's units across documents. */
  coverage: number;
  /** The IDF-weighted overlap of its n-grams in the best listed document, rounded to 1e-6. */
  idfOverlap: number;
  /** One line saying which rule decided, with its figures. */
  reason: string;
}

export interface VerdictContext {
  index: ContamIndex;
  rule: VerdictRule;
  /** Documents each entry was verified in. */
  docFreq: Map<number, number>;
  /** 0 turns the GPT-3 boilerplate guard off. */
  maxDocFreq: number;
  /** Documents scanned, for IDF weights. */
  documents: number;
}

const percent = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;

/** A reviewer's one-line reading of a copy's evidence. */
export function describeEvidence(e: CopyEvidence): string {
  const words = `${e.covered} of ${e.informative} informative words`;
  switch (e.reason) {
    case 'sample':
      return `verbatim: ${percent(e.share)} of the sample in one document (${words})`;
    case 'input':
      return `verbatim: ${percent(e.inputShare)} of its input in one document (${words})`;
    case 'input-answer':
      return `verbatim: ${percent(e.inputShare)} of its short input, in one run with its answer (${words})`;
    case 'long-run':
      return `partial: a contiguous run of ${e.longestRun} informative words in one document (${percent(e.share)} of the sample)`;
    case 'share':
      return `partial: ${percent(e.share)} of the sample in one document (${words}, longest run ${e.longestRun})`;
    case 'input-share':
      return `partial: ${percent(e.inputShare)} of its input in one document (${words}, longest run ${e.longestRun})`;
    case 'template':
      return 'incidental: only template text that many benchmark samples share';
    case 'distractor':
      return 'incidental: only a wrong answer (distractor), which a copy of the sample would carry with its question';
    case 'label-only':
      return `incidental: only its answer, without its input (longest run ${e.longestRun} words)`;
    case 'short':
      return `incidental: a short run (${e.longestRun} informative words, ${percent(e.share)} of the sample): a quotation or stock sentence`;
  }
}

/**
 * What the verdict reads of a sample's tally over the whole scan (the scan's
 * accumulator keeps more): declared here so the verdict depends on no scan code.
 */
export interface SampleTally {
  /** Documents with a verified copy. */
  documents: number;
  /** Most n-grams (entries) verified in one document. */
  maxShingles: number;
  /** Highest MinHash containment in one document window. */
  maxContainment: number;
  /** Union over documents of the entries verified, ascending. */
  entries: readonly number[];
  /** Union over documents of the covered unit ranges, merged. */
  units: readonly (readonly [number, number])[];
  /** The strongest copy's evidence, or null. */
  best: CopyEvidence | null;
  /** The kept matches, each with the entries it verified. */
  top: readonly { entries: readonly number[] }[];
}

export function judgeSample(context: VerdictContext, s: number, tally: SampleTally | undefined): SampleVerdict {
  const { index, rule, docFreq, maxDocFreq } = context;
  const total = index.samples.entryStart[s + 1]! - index.samples.entryStart[s]!;
  const tooShort = total === 0;
  const df = (e: number) => docFreq.get(e) ?? 0;
  const boilerplate = tally && maxDocFreq > 0 ? tally.entries.filter((e) => df(e) > maxDocFreq).length : 0;
  // GPT-3: frequent shingles cannot convict alone, unless they make up a substantial copy of the sample in one document.
  const substantial = total > 0 && tally !== undefined && tally.maxShingles >= SUBSTANTIAL_COPY * total;
  const guarded = tally !== undefined && maxDocFreq > 0;
  const ngramFired = tally !== undefined && meetsRule(rule, tally.maxShingles, total) && (!guarded || boilerplate < tally.entries.length || substantial);
  let unitsTotal = 0;
  for (let g = index.samples.segmentStart[s]!; g < index.samples.segmentStart[s + 1]!; g++) unitsTotal += index.segments.wordStart[g + 1]! - index.segments.wordStart[g]!;
  const coverage = tally && unitsTotal > 0 ? Math.round((Math.min(unitsTotal, bridged(tally.units, LLAMA2_GAP)) / unitsTotal) * 1e6) / 1e6 : 0;
  const minhashFired = tally !== undefined && index.minhash !== null && tally.maxContainment >= index.minhash.config.minContainment;
  const idf = (e: number) => Math.log((1 + context.documents) / (1 + df(e))) + 1;
  let idfOverlap = 0;
  if (tally && tally.top.length > 0 && total > 0) {
    let all = 0;
    for (let e = index.samples.entryStart[s]!; e < index.samples.entryStart[s + 1]!; e++) all += idf(e);
    const best = Math.max(...tally.top.map((m) => m.entries.reduce((sum, e) => sum + idf(e), 0)));
    idfOverlap = Math.round((best / all) * 1e6) / 1e6;
  }
  const evidence = tally?.best ?? null;
  const grade: Grade = tooShort ? 'too_short' : evidence ? evidence.grade : 'clean';
  let contaminated: boolean;
  let reason: string;
  switch (rule.name) {
    case 'graded':
      contaminated = gradeRank(grade) >= gradeRank('partial');
      reason = evidence ? describeEvidence(evidence) : '';
      break;
    case 'any-ngram':
    case 'min-overlap': {
      contaminated = !tooShort && (ngramFired || minhashFired);
      const name = rule.name === 'any-ngram' ? `GPT-3 rule: any ${index.config.ngram}-gram` : `PaLM rule: ${percent(rule.minOverlap)} of its n-grams in one document`;
      reason = ngramFired
        ? `${name} (${tally!.maxShingles} of ${total} n-grams in one document, in ${tally!.documents} documents)`
        : minhashFired
          ? `MinHash containment ${tally!.maxContainment.toFixed(2)}`
          : '';
      break;
    }
    case 'llama2':
      contaminated = !tooShort && coverage > LLAMA2_DIRTY;
      reason = contaminated ? `Llama 2 rule: ${percent(coverage)} of its units covered (dirty: > ${percent(LLAMA2_DIRTY)})` : '';
      break;
    case 'idf-overlap':
      contaminated = !tooShort && idfOverlap > 0 && idfOverlap >= rule.minOverlap - 1e-9;
      reason = contaminated ? `IDF rule: ${percent(idfOverlap)} of its n-grams in one document, weighted by IDF (at least ${percent(rule.minOverlap)})` : '';
      break;
  }
  return { grade, contaminated, tooShort, evidence, ngramFired, boilerplate, coverage, idfOverlap, reason };
}

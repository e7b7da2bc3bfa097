/**
 * What one document's copy of a sample is worth as evidence, and its grade.
 *
 * The evidence is the set of the sample's words that verified runs cover in
 * the document (runs of at least the scan's minimum length, in the sample's
 * word space, across fields). Only informative words count: not template
 * words (shared by many samples, see index/template.ts), and not words of a
 * distractor (a wrong choice or answer, quoted everywhere when it is a famous
 * misquote) unless a run joins fields as the sample joins them (a question
 * and its choices, two endings): such a copy is of the sample, whatever its
 * fields. When every word of a sample is template, all count, since nothing
 * else could ever tell.
 *
 * Grades, from the strongest:
 *   verbatim    most of the sample, or of its input, in this document:
 *               >= VERBATIM_SHARE of its informative words (at least
 *               min(minWords, their number) of them), or of its input's (at
 *               least minWords of them: a short question's words are found
 *               in ordinary sentences, "the most important meal of the day"
 *               — unless one run carries the short question on into its answer);
 *   partial     a long contiguous run (>= LONG_RUN informative words), or a
 *               substantial share: >= PARTIAL_SHARE_JOINED of its informative
 *               words when a run joins fields (at least min(minWords, their
 *               number) of them), else >= PARTIAL_SHARE of the sample's or of
 *               its input's, at least 2 x minWords of them (more than one
 *               stock phrase: a stem a dev item shares), or, with fewer,
 *               >= PARTIAL_SHARE_SHORT of the sample's;
 *   incidental  verified overlap a reviewer dismisses: template text only, a
 *               distractor only, a short answer without its input, or a short
 *               run inside a longer sample (a quotation, a stock sentence).
 * An answer (label) field convicts without its input only through a long run:
 * a long worked solution copied alone is a leak, a short answer is a fact.
 */
import { isTemplate, ROLE_DISTRACTOR, ROLE_INPUT, ROLE_LABEL, wordSegment, type ContamIndex } from '../cidx/contam-index.js';

export type CopyGrade = 'verbatim' | 'partial' | 'incidental';
export type Grade = CopyGrade | 'clean' | 'too_short';

/** Share of the informative words (of the sample or of its input) that makes a copy verbatim. */
export const VERBATIM_SHARE = 0.8;
/** Share of the informative words that makes a copy inside one field partial. */
export const PARTIAL_SHARE = 0.5;
/** Inside one field, a share under 2 x minWords words must reach this to be partial. */
export const PARTIAL_SHARE_SHORT = 0.7;
/** The same for a copy that joins fields as the sample does (a question and its choices): structure is evidence too. */
export const PARTIAL_SHARE_JOINED = 0.4;
/** Informative words in one contiguous run that make a copy partial whatever the sample's length. */
export const LONG_RUN = 25;

/** Why a copy got its grade (the first criterion that decided it). */
export type CopyReason =
  | 'sample' // >= VERBATIM_SHARE of the sample's informative words
  | 'input' // >= VERBATIM_SHARE of its input's informative words
  | 'input-answer' // >= VERBATIM_SHARE of a short input, in one run with its answer
  | 'long-run' // a run of >= LONG_RUN informative words
  | 'share' // >= PARTIAL_SHARE of the sample's informative words
  | 'input-share' // >= PARTIAL_SHARE of its input's informative words, at least two minimal runs' worth
  | 'template' // only template words matched
  | 'distractor' // only distractor words matched
  | 'label-only' // only answer words, in runs shorter than LONG_RUN
  | 'short'; // too little of the sample, in runs too short

export interface CopyEvidence {
  grade: CopyGrade;
  reason: CopyReason;
  /** Informative words covered in this document, in input and label fields. */
  covered: number;
  /** Informative words the sample has in input and label fields (distractors weigh nothing). */
  informative: number;
  /** covered / informative, rounded to 1e-6. */
  share: number;
  /** Covered share of the input fields' informative words; 0 when the input has none. */
  inputShare: number;
  /** The longest verified run, counted in informative words outside distractors. */
  longestRun: number;
}

const GRADE_RANK: Record<Grade, number> = { too_short: -1, clean: 0, incidental: 1, partial: 2, verbatim: 3 };

export function gradeRank(grade: Grade): number {
  return GRADE_RANK[grade];
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * Judge the copy of sample `sample` whose covered words are `runs` (index-wide
 * word ranges [start, end), each a verified contiguous run; they may overlap).
 * `documentUnits`, when known, is how many distinct document units the runs
 * cover: one sentence of the document that matches text the sample repeats
 * in three fields is one sentence of evidence, not three.
 */
export function judgeCopy(index: ContamIndex, sample: number, runs: [number, number][], documentUnits = Infinity): CopyEvidence {
  const { segments, words, samples } = index;
  const minWords = index.config.minWords;
  const g0 = samples.segmentStart[sample]!;
  const g1 = samples.segmentStart[sample + 1]!;
  const first = segments.wordStart[g0]!;
  const end = segments.wordStart[g1]!;
  let anyInformative = false;
  for (let w = first; w < end && !anyInformative; w++) if (!isTemplate(words, w)) anyInformative = true;
  const counts = (w: number) => !anyInformative || !isTemplate(words, w);
  const role = (w: number) => segments.role[wordSegment(index, w)]!;
  // Covered words, once each: 1 by a run inside one field, 2 by a run that joins fields as the sample does.
  const mark = new Uint8Array(end - first);
  let longestRun = 0;
  let coveredAny = false;
  let joined = false;
  let inputWithAnswer = false;
  for (const [a, b] of runs) {
    // A run joins fields when it carries informative words of two or more: crossing into a
    // field through template words alone ("Wrong, Wrong") joins nothing.
    let fields = 0;
    let last = -1;
    let input = false;
    let label = false;
    for (let w = a; w < b; w++) {
      if (!counts(w)) continue;
      const g = wordSegment(index, w);
      if (g !== last) {
        fields++;
        last = g;
        input ||= segments.role[g] === ROLE_INPUT;
        label ||= segments.role[g] === ROLE_LABEL;
      }
    }
    const joins = fields >= 2;
    joined ||= joins;
    inputWithAnswer ||= joins && input && label;
    let inRun = 0;
    for (let w = a; w < b; w++) {
      coveredAny = true;
      mark[w - first] = Math.max(mark[w - first]!, joins ? 2 : 1);
      if (counts(w) && (joins || role(w) !== ROLE_DISTRACTOR)) inRun++;
    }
    if (inRun > longestRun) longestRun = inRun;
  }
  // Distractors weigh only in a copy that joins fields: alone, a wrong answer is any quotation.
  let informative = 0;
  let inputWords = 0;
  let covered = 0;
  let coveredInput = 0;
  let coveredDistractor = 0;
  for (let w = first; w < end; w++) {
    if (!counts(w)) continue;
    const r = role(w);
    const m = mark[w - first]!;
    if (r === ROLE_DISTRACTOR) {
      if (m > 0) coveredDistractor++;
      if (!joined) continue;
    }
    informative++;
    if (r === ROLE_INPUT) inputWords++;
    if (m === 0 || (r === ROLE_DISTRACTOR && m < 2)) continue;
    covered++;
    if (r === ROLE_INPUT) coveredInput++;
  }
  covered = Math.min(covered, documentUnits);
  coveredInput = Math.min(coveredInput, documentUnits);
  const share = informative === 0 ? 0 : covered / informative;
  const inputShare = inputWords === 0 ? 0 : coveredInput / inputWords;
  const enough = Math.min(minWords, informative);
  const figures = { covered, informative, share: round(share), inputShare: round(inputShare), longestRun };
  const graded = (grade: CopyGrade, reason: CopyReason): CopyEvidence => ({ grade, reason, ...figures });
  if (covered === 0) return graded('incidental', coveredDistractor > 0 ? 'distractor' : coveredAny ? 'template' : 'short');
  if (coveredInput === 0) return longestRun >= LONG_RUN ? graded('partial', 'long-run') : graded('incidental', 'label-only');
  if (share >= VERBATIM_SHARE && covered >= enough) return graded('verbatim', 'sample');
  if (inputShare >= VERBATIM_SHARE && coveredInput >= minWords) return graded('verbatim', 'input');
  if (inputShare >= VERBATIM_SHARE && inputWithAnswer) return graded('verbatim', 'input-answer');
  if (longestRun >= LONG_RUN) return graded('partial', 'long-run');
  // Inside one field, a share takes more than one stock phrase: a question stem that a dev item shares
  // ("Predict the number of lines in the EPR spectrum of a solution of") is 12 words of a 21-word item.
  if (joined ? share >= PARTIAL_SHARE_JOINED && covered >= enough : share >= PARTIAL_SHARE && (covered >= 2 * minWords || (share >= PARTIAL_SHARE_SHORT && covered >= enough)))
    return graded('partial', 'share');
  if (inputShare >= PARTIAL_SHARE && coveredInput >= 2 * minWords) return graded('partial', 'input-share');
  return graded('incidental', 'short');
}

/** A total order on copies, strongest first: grade, then covered words, then longest run. */
export function compareEvidence(x: CopyEvidence, y: CopyEvidence): number {
  return gradeRank(y.grade) - gradeRank(x.grade) || y.covered - x.covered || y.longestRun - x.longestRun || y.share - x.share || y.inputShare - x.inputShare;
}

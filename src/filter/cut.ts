/**
 * The Janitor-compatible cut: GPT-3's decontamination of a training document as
 * lm-evaluation-harness implements it (`lm_eval/decontamination/janitor.py`,
 * `Janitor._split_chunks`). Each contaminated region [start, end] (inclusive
 * end, as the Janitor's n-gram indices are) is widened by `window` characters
 * on either side and removed; the clean text between removals is kept as a
 * piece when long enough; a document with more than `maxPieces` contaminated
 * regions is dropped whole.
 *
 * The Janitor's boundary arithmetic is reproduced exactly, quirks included, so
 * that the same regions give the same pieces:
 *   - a middle piece text[splice, start) is kept when its length is > minPiece;
 *   - the next piece starts AT the widened end (the character at `end + window`
 *     stays), but the last piece starts one past it (text[end + 1:]), and is
 *     kept when end < length - minPiece (length >= minPiece suffices);
 *   - the dirtiness test counts regions: the (maxPieces + 1)-th region drops the document.
 * Offsets are UTF-16 code units, like Python string indices on BMP text.
 */

import { DEFAULTS } from '../options.js';

/** Janitor parameters; the defaults are OpenAI's (GPT-3, appendix C). */
export interface CutOptions {
  /** Characters removed on either side of a contaminated region. @default 200 */
  window?: number;
  /** Pieces must be longer than this to be kept (see the header for the last piece). @default 200 */
  minPiece?: number;
  /** A document with more contaminated regions than this is dropped. @default 10 */
  maxPieces?: number;
}

/** One kept piece: text[start, end). */
export interface CutPiece {
  start: number;
  end: number;
  text: string;
}

export const CUT_DEFAULTS: Required<CutOptions> = DEFAULTS.cut;

/**
 * Cut `text` around contaminated regions as the Janitor does.
 *
 * @param regions `[start, end)` UTF-16 ranges of matched text, ascending by start
 *   (the scanner's merged `spans`); converted to the Janitor's inclusive ends.
 * @returns the kept pieces in order; an empty list means the document is dropped
 *   (too dirty, or nothing long enough survived).
 * @example cutDocument(text, [[250, 300]]) // -> [{ start: 0, end: 50, ... }, { start: 500, ... }] when text is long enough
 */
export function cutDocument(text: string, regions: readonly (readonly [number, number])[], options: CutOptions = {}): CutPiece[] {
  const { window, minPiece, maxPieces } = { ...CUT_DEFAULTS, ...options };
  const length = text.length;
  const pieces: CutPiece[] = [];
  let splice = 0;
  let end = -1;
  for (let i = 0; i < regions.length; i++) {
    if (i >= maxPieces) return [];
    const region = regions[i]!;
    const start = Math.max(0, region[0] - window);
    end = Math.min(length, region[1] - 1 + window);
    if (start - splice > minPiece) pieces.push({ start: splice, end: start, text: text.slice(splice, start) });
    splice = end;
  }
  if (end < length - minPiece) pieces.push({ start: end + 1, end: length, text: text.slice(end + 1) });
  return pieces;
}

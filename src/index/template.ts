/**
 * Template words: the words of a benchmark that are not evidence of a leak
 * because many samples share them (MMLU's "Which of the following is", the
 * 32-word frame of every moral_scenarios item, the truth-table instructions,
 * TruthfulQA's "I have no comment").
 *
 * A TEMPLATE_WIDTH-word window of a sample's words (its fields joined, as a
 * copy joins them: MMLU's four moral-scenario choices "Wrong, Wrong ..." are
 * one stock sequence) is a template when it occurs in many distinct samples
 * of the index (samples with identical words count once):
 *   - in at least TEMPLATE_ALWAYS texts, always;
 *   - in at least TEMPLATE_MIN texts, unless one of its occurrences lies in a
 *     stretch of at least SHARED_PASSAGE words whose windows all occur in the
 *     same number of texts: that is a passage several questions share (an MMLU
 *     history source), and a copy of it is a copy of each of them.
 * A word is a template word when a template window covers it. Verdicts weigh
 * only the other words (see src/verdict/), and the scan does not extend
 * anchors made of template words alone under the graded rule.
 *
 * Windows are compared by their 64-bit shingle key; a collision can only make
 * a window look more frequent, which makes a verdict more cautious, not wrong.
 */
import { shingleKey } from '../text/shingle.js';

export const TEMPLATE_WIDTH = 5;
/** Texts a window must occur in to be a template, unless it lies in a shared passage. */
export const TEMPLATE_MIN = 6;
/** Texts a window must occur in to be a template even inside a long shared stretch. */
export const TEMPLATE_ALWAYS = 50;
/** Words of equal-frequency stretch that make a shared passage rather than a template. */
export const SHARED_PASSAGE = 60;

const pack = (a: number, b: number) => a * 2097152 + (b >>> 11);

/**
 * Template flags (1 = template word) for `hashes`, whose samples are the word
 * ranges [sampleStart[s], sampleStart[s + 1]).
 */
export function templateWords(hashes: Uint32Array, sampleStart: ArrayLike<number>, samples: number): Uint8Array {
  const out = new Uint8Array(new SharedArrayBuffer(Math.max(hashes.length, 1))).subarray(0, hashes.length);
  const w = TEMPLATE_WIDTH;
  // Distinct samples, by the 64-bit key of their whole word sequence.
  const seen = new Set<number>();
  const distinct: number[] = [];
  for (let g = 0; g < samples; g++) {
    const from = sampleStart[g]!;
    const count = sampleStart[g + 1]! - from;
    if (count < w) continue;
    const [a, b] = shingleKey(hashes, from, count);
    const key = pack(a, b) + count;
    if (seen.has(key)) continue;
    seen.add(key);
    distinct.push(g);
  }
  const frequency = new Map<number, number>();
  const local = new Set<number>();
  const keys = (g: number): number[] => {
    const from = sampleStart[g]!;
    const list: number[] = [];
    for (let p = from; p + w <= sampleStart[g + 1]!; p++) {
      const [a, b] = shingleKey(hashes, p, w);
      list.push(pack(a, b));
    }
    return list;
  };
  for (const g of distinct) {
    local.clear();
    for (const k of keys(g)) local.add(k);
    for (const k of local) frequency.set(k, (frequency.get(k) ?? 0) + 1);
  }
  // Windows of long equal-frequency stretches are passages, not templates.
  const passage = new Set<number>();
  for (const g of distinct) {
    const list = keys(g);
    let i = 0;
    while (i < list.length) {
      const f = frequency.get(list[i]!)!;
      let j = i + 1;
      while (j < list.length && frequency.get(list[j]!) === f) j++;
      if (f >= TEMPLATE_MIN && f < TEMPLATE_ALWAYS && j - i + w - 1 >= SHARED_PASSAGE) for (let k = i; k < j; k++) passage.add(list[k]!);
      i = j;
    }
  }
  for (let g = 0; g < samples; g++) {
    const from = sampleStart[g]!;
    const list = keys(g);
    for (let q = 0; q < list.length; q++) {
      const k = list[q]!;
      const f = frequency.get(k) ?? 0;
      if (f >= TEMPLATE_ALWAYS || (f >= TEMPLATE_MIN && !passage.has(k))) out.fill(1, from + q, from + q + w);
    }
  }
  return out;
}

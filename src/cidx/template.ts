/**
 * Template words: the words of a benchmark that are not evidence of a leak
 * because many samples share them (MMLU's "Which of the following is", the
 * 32-word frame of every moral_scenarios item, the truth-table instructions,
 * TruthfulQA's "I have no comment").
 *
 * A TEMPLATE_WIDTH-word window of a sample's words (its fields joined, as a
 * copy joins them: MMLU's four moral-scenario choices "Wrong, Wrong ..." are
 * one stock sequence) is a template when it occurs in many places of the
 * index: a window inside one field counts once per distinct field text (a
 * SQuAD context that five questions share is one text, and content), a
 * window across fields once per distinct sample:
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
import { rollingShingleKeys, shingleKey } from '../text/shingle.js';
import { KeySet } from './key-set.js';

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
 * ranges [sampleStart[s], sampleStart[s + 1]) and whose fields (segments) the
 * ranges [segmentStart[g], segmentStart[g + 1]); `wordSegment` maps a word to its segment.
 */
export function templateWords(hashes: Uint32Array, sampleStart: ArrayLike<number>, samples: number, segmentStart: ArrayLike<number>, wordSegment: ArrayLike<number>): Uint8Array {
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
  const distinctSample = new Uint8Array(samples);
  for (const g of distinct) distinctSample[g] = 1;
  // Distinct field texts: the first segment of each text.
  const segments = segmentStart.length - 1;
  const distinctSegment = new Uint8Array(Math.max(segments, 0));
  const seenText = new Set<number>();
  for (let g = 0; g < segments; g++) {
    const count = segmentStart[g + 1]! - segmentStart[g]!;
    if (count < w) continue;
    const [a, b] = shingleKey(hashes, segmentStart[g]!, count);
    const key = pack(a, b) + count;
    if (seenText.has(key)) continue;
    seenText.add(key);
    distinctSegment[g] = 1;
  }
  // Every window's key id (KeySet: dense, in order of first sight), found once in sample order;
  // counts and flags then live in typed arrays of one entry a distinct key.
  const windowStart = new Float64Array(samples + 1);
  let windows = 0;
  for (let g = 0; g < samples; g++) {
    windowStart[g] = windows;
    windows += Math.max(0, sampleStart[g + 1]! - sampleStart[g]! - w + 1);
  }
  windowStart[samples] = windows;
  const set = new KeySet(windows);
  const keyOf = new Uint32Array(windows);
  const keysA = new Uint32Array(1024);
  const keysB = new Uint32Array(1024);
  for (let g = 0; g < samples; g++) {
    const from = sampleStart[g]!;
    const count = sampleStart[g + 1]! - from;
    const base = windowStart[g]!;
    for (let q = 0; q + w <= count; q += 1024) {
      const n = rollingShingleKeys(hashes.subarray(from + q, from + Math.min(count, q + 1024 + w - 1)), Math.min(count - q, 1024 + w - 1), w, keysA, keysB);
      for (let k = 0; k < n; k++) keyOf[base + q + k] = set.add(keysA[k]!, keysB[k]!);
    }
  }
  // Places holding each window: distinct field texts it lies inside, plus distinct samples in which it
  // crosses fields (a window repeated in one field or one sample counts once).
  const keys = set.size;
  const frequency = new Uint32Array(keys);
  const lastSegment = new Int32Array(keys).fill(-1);
  const lastSample = new Int32Array(keys).fill(-1);
  for (let g = 0; g < samples; g++) {
    const from = sampleStart[g]!;
    for (let i = windowStart[g]!; i < windowStart[g + 1]!; i++) {
      const key = keyOf[i]!;
      const p = from + (i - windowStart[g]!);
      const segment = wordSegment[p]!;
      if (wordSegment[p + w - 1] === segment) {
        if (distinctSegment[segment] === 0 || lastSegment[key] === segment) continue;
        lastSegment[key] = segment;
      } else {
        if (distinctSample[g] === 0 || lastSample[key] === g) continue;
        lastSample[key] = g;
      }
      frequency[key]! += 1;
    }
  }
  // Windows of long equal-frequency stretches are passages, not templates.
  const passage = new Uint8Array(keys);
  for (const g of distinct) {
    const first = windowStart[g]!;
    const end = windowStart[g + 1]!;
    let i = first;
    while (i < end) {
      const f = frequency[keyOf[i]!]!;
      let j = i + 1;
      while (j < end && frequency[keyOf[j]!] === f) j++;
      if (f >= TEMPLATE_MIN && f < TEMPLATE_ALWAYS && j - i + w - 1 >= SHARED_PASSAGE) for (let k = i; k < j; k++) passage[keyOf[k]!] = 1;
      i = j;
    }
  }
  for (let g = 0; g < samples; g++) {
    const from = sampleStart[g]!;
    const first = windowStart[g]!;
    for (let i = first; i < windowStart[g + 1]!; i++) {
      const key = keyOf[i]!;
      const f = frequency[key]!;
      if (f >= TEMPLATE_ALWAYS || (f >= TEMPLATE_MIN && passage[key] === 0)) out.fill(1, from + (i - first), from + (i - first) + w);
    }
  }
  return out;
}

/**
 * An independent, deliberately simple implementation of contamination
 * detection, to check the fast one against: regex normalization, n-gram
 * strings in a Set, quadratic longest common run. Valid for plain text
 * (no HTML entities, no combining marks), which is what tests feed it.
 */

export function naiveWords(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/<\/?(p|b|i|div|span|li|ul)( [^<>]*=[^<>]*)?>/g, ' ')
    .replace(/[\p{P}\p{S}]/gu, '')
    .split(/[\s\p{Z}]+/u)
    .filter((w) => w !== '' && !/^[a-j]$/.test(w));
}

export interface NaiveSample {
  segments: string[];
}

export interface NaiveResult {
  shingles: number;
  /** Per document index: shingles of the sample found in it. */
  perDoc: Map<number, number>;
  longest: number;
}

function ngrams(words: string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= words.length; i++) out.push(words.slice(i, i + n).join(' '));
  return out;
}

function longestCommonRun(a: string[], b: string[]): number {
  let best = 0;
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      if (a[i - 1] === b[j - 1]) {
        cur[j] = prev[j - 1]! + 1;
        if (cur[j]! > best) best = cur[j]!;
      }
    }
    prev = cur;
  }
  return best;
}

/**
 * GPT-3-style detection: n-gram shingles per segment; segments of minWords..n-1 words matched whole.
 * A document also matches when it shares a run of at least `minRun` words with the sample, its
 * fields joined (contam's evidence runs); `longest` is the longest such run over matching documents.
 */
export function naiveDetect(samples: NaiveSample[], docs: string[], n = 13, minWords = 8, minRun = Infinity): NaiveResult[] {
  const docWords = docs.map(naiveWords);
  const docSets = new Map<number, Set<string>>();
  const docGrams = (d: number, k: number) => {
    const key = d * 1000 + k;
    let set = docSets.get(key);
    if (!set) {
      set = new Set(ngrams(docWords[d]!, k));
      docSets.set(key, set);
    }
    return set;
  };
  return samples.map((sample) => {
    let shingles = 0;
    const perDoc = new Map<number, number>();
    let longest = 0;
    const joined = sample.segments.flatMap(naiveWords);
    const runs = docWords.map((words) => longestCommonRun(joined, words));
    for (const segment of sample.segments) {
      const words = naiveWords(segment);
      const k = words.length >= n ? n : words.length >= minWords ? words.length : 0;
      if (k === 0) continue;
      const grams = words.length >= n ? ngrams(words, n) : [words.join(' ')];
      shingles += grams.length;
      docs.forEach((_, d) => {
        const set = docGrams(d, k);
        const found = grams.filter((g) => set.has(g)).length;
        if (found > 0) perDoc.set(d, (perDoc.get(d) ?? 0) + found);
      });
    }
    runs.forEach((run, d) => {
      if (run >= minRun && !perDoc.has(d)) perDoc.set(d, 0);
    });
    for (const d of perDoc.keys()) longest = Math.max(longest, runs[d]!);
    return { shingles, perDoc, longest };
  });
}

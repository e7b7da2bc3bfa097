import type { ExecutionContext } from 'ava';
import { extractWords, WordBuffer } from '../../src/text/normalize.js';

/** Fails `t` (once, naming `label` and the first differing word) unless two buffers hold the same words, hashes and offsets. */
export function sameWords(t: ExecutionContext, got: WordBuffer, want: WordBuffer, label: string): boolean {
  if (got.count !== want.count) {
    t.fail(`${label}: ${got.count} words, expected ${want.count}`);
    return false;
  }
  for (let k = 0; k < want.count; k++) {
    if (got.hashes[k] !== want.hashes[k] || got.starts[k] !== want.starts[k] || got.ends[k] !== want.ends[k]) {
      t.fail(`${label}: word ${k} differs`);
      return false;
    }
  }
  return true;
}

/**
 * Compares `extract` with extractWords, the reference, on every text under every seed; `extract`
 * fills the buffer it is given. Returns the words compared (0 after the first difference, which fails `t`).
 */
export function pinnedToExtractWords(t: ExecutionContext, texts: string[], seeds: number[], extract: (text: string, out: WordBuffer, seed: number) => void): number {
  const got = new WordBuffer();
  const reference = new WordBuffer();
  let words = 0;
  for (const text of texts) {
    for (const seed of seeds) {
      extract(text, got, seed);
      extractWords(text, reference, seed, false);
      if (!sameWords(t, got, reference, `${JSON.stringify(text)} (seed ${seed})`)) return 0;
      words += reference.count;
    }
  }
  return words;
}

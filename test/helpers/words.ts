import type { ExecutionContext } from 'ava';
import type { WordBuffer } from '../../src/text/normalize.js';

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

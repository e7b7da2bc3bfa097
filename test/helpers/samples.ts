/** Small builders shared by tests: eval samples from the fixtures without going through the readers. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { BenchmarkSource, EvalSample } from '../../src/types.js';

export function gsm8kSamples(limit = 40): { source: BenchmarkSource; samples: EvalSample[] } {
  const rows = readFileSync(new URL('../../fixtures/evals/gsm8k.jsonl', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(0, limit)
    .map((l) => JSON.parse(l) as { question: string; answer: string });
  const samples = rows.map((r, row) => ({
    benchmark: 'gsm8k',
    row,
    id: String(row),
    segments: [
      { field: 'question', text: r.question, label: false },
      { field: 'answer', text: r.answer, label: true },
    ],
  }));
  return {
    source: {
      name: 'gsm8k',
      path: 'fixtures/evals/gsm8k.jsonl',
      format: 'jsonl',
      shape: 'gsm8k',
      fields: [
        { path: 'question', label: false },
        { path: 'answer', label: true },
      ],
      idField: null,
      samples: samples.length,
    },
    samples,
  };
}

/** Real prose documents from the bundled corpus fixture. */
export function proseDocuments(): { id: string; text: string }[] {
  return gunzipSync(readFileSync(new URL('../../fixtures/corpus/web-00.jsonl.gz', import.meta.url)))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string; text: string });
}

/** A seeded PRNG (mulberry32, the one the bootstrap uses) so tests are reproducible. */
export { mulberry32 as random } from '../../src/score/bootstrap.js';

/**
 * `count` texts of 1 to `maxPieces` pieces each, drawn from `pieces` by a
 * seeded linear congruential generator: the same texts on every run.
 */
export function randomTexts(pieces: readonly string[], count: number, maxPieces: number, seed: number): string[] {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 8;
  };
  const texts: string[] = [];
  for (let n = 0; n < count; n++) {
    const length = 1 + (next() % maxPieces);
    let text = '';
    for (let k = 0; k < length; k++) text += pieces[next() % pieces.length];
    texts.push(text);
  }
  return texts;
}

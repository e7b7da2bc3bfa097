/**
 * Option names to flags. The library names the option an error concerns at
 * the start of its message (`ngram: expected ...`, src/options.ts); the CLI
 * prints the flag instead (`--ngram: expected ...`), and parses each numeric
 * flag with the library's own check, so a range is written down once.
 */
import { checkOption } from '../options.js';

/** Every option a library error may name, and the flag that sets it. */
export const FLAGS: Readonly<Record<string, string>> = {
  unit: '--unit',
  encoding: '--encoding',
  ngram: '--ngram',
  minWords: '--min-words',
  fpr: '--fpr',
  'minhash.shingle': '--minhash-ngram',
  'minhash.bands': '--bands',
  'minhash.rows': '--rows',
  'minhash.minContainment': '--min-containment',
  'columns.text': '--text-column',
  'columns.id': '--id-column',
  'rule.name': '--rule',
  'rule.minOverlap': '--min-overlap',
  maxMatches: '--max-matches',
  maxDocFreq: '--max-doc-freq',
  batchSize: '--batch-size',
  workers: '--workers',
  shard: '--shard',
  mode: '--mode',
  'cut.window': '--window',
  'cut.minPiece': '--min-piece',
  'cut.maxPieces': '--max-pieces',
  stride: '--stride',
  shardSize: '--shard-size',
  alpha: '--alpha',
  minFraction: '--min-fraction',
  seed: '--seed',
  resamples: '--resamples',
  shards: '--shards',
  partition: '--partition',
  time: '--time',
  memory: '--mem',
  cpusPerTask: '--cpus-per-task',
};

/** A library message with the option it starts with written as its flag. */
export function withFlag(message: string): string {
  const m = /^([A-Za-z.]+): /.exec(message);
  const flag = m ? FLAGS[m[1]!] : undefined;
  return flag ? `${flag}:${message.slice(m![1]!.length + 1)}` : message;
}

/** A commander parser for the numeric option `name` (in the range RANGES[range]): the text as a number, checked by the library. */
export function numberOption(name: string, range: string = name): (value: string) => number {
  return (value) => checkOption(name, value.trim() === '' ? Number.NaN : Number(value), `'${value}'`, range);
}

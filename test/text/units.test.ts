import test from 'ava';
import tiktoken from '@dqbd/tiktoken';
import { buildIndex } from '../../src/cidx/build.js';
import { scanDocuments } from '../../src/scan/corpus-scanner.js';
import { normalizeText } from '../../src/text/normalize.js';
import { TokenUnits, WordUnits } from '../../src/text/units.js';
import { gsm8kSamples } from '../helpers/samples.js';

test('token units are the tiktoken ids of the normalized text', async (t) => {
  const units = await TokenUnits.create('cl100k_base');
  const text = 'Janet’s DUCKS lay 16 eggs, per <b>day</b>.';
  const { units: u } = units.extractNormalized(text);
  const expected = tiktoken.get_encoding('cl100k_base').encode_ordinary(` ${normalizeText(text)}`);
  t.deepEqual(Array.from(u.hashes.subarray(0, u.count)), Array.from(expected));
});

test('each token maps to the original offsets of the words it overlaps', async (t) => {
  const units = await TokenUnits.create('cl100k_base');
  const text = 'Hello, WORLD!  Tokenization works.';
  const { units: u } = units.extractNormalized(text);
  const words = new WordUnits(0).extractNormalized(text).units;
  // The first token starts at 'H', the last ends at the last word's end (before the final '.').
  t.is(u.starts[0], 0);
  t.is(u.ends[u.count - 1], text.length - 1);
  // Tokens never point outside word boundaries.
  const starts = new Set(Array.from({ length: words.count }, (_, i) => words.starts[i]));
  const ends = new Set(Array.from({ length: words.count }, (_, i) => words.ends[i]));
  for (let i = 0; i < u.count; i++) {
    t.true(starts.has(u.starts[i]!), `token ${i} starts at a word start`);
    t.true(ends.has(u.ends[i]!), `token ${i} ends at a word end`);
  }
});

test('a token-unit index finds a copied question and reports token counts', async (t) => {
  const bench = gsm8kSamples(5);
  const index = await buildIndex([bench], { unit: 'token', encoding: 'cl100k_base' });
  t.is(index.config.unit, 'token');
  const question = bench.samples[2]!.segments[0]!.text;
  const report = await scanDocuments(index, [{ file: 'f', row: 0, id: null, text: `Prefix words. ${question.toUpperCase()} Suffix.` }]);
  const sample = report.samples[2]!;
  t.true(sample.contaminated);
  const questionTokens = tiktoken.get_encoding('cl100k_base').encode_ordinary(` ${normalizeText(question)}`).length;
  t.is(sample.longest, questionTokens);
  t.deepEqual(sample.matches[0]!.spans, [['Prefix words. '.length, 'Prefix words. '.length + question.length - 1]]);
  t.false(report.samples[0]!.contaminated);
});

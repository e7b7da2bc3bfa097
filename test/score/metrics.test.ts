import test from 'ava';
import { accuracy, argmax, canonicalNumber, codePointLength, exactMatch, extractGsm8kAnswer, gsm8kAnswerMatches, lengthNormalizedAccuracy, normalizeAnswer, squadF1 } from '../../src/score/metrics.js';
import { gsm8k } from './_helpers.js';

test('accuracy is 1 only when the largest log-likelihood is the gold choice', (t) => {
  t.is(accuracy([-3.2, -1.5, -7], 1), 1);
  t.is(accuracy([-3.2, -1.5, -7], 0), 0);
});

test('argmax breaks ties toward the first choice, as numpy does', (t) => {
  t.is(argmax([-2, -1, -1]), 1);
  t.is(accuracy([-1, -1], 1), 0);
  t.is(argmax([]), -1);
});

test('acc_norm divides by the choice length in code points, which can flip the winner', (t) => {
  // raw: -6 beats -8; per character: -6/3 = -2 loses to -8/8 = -1.
  t.is(accuracy([-6, -8], 1), 0);
  t.is(lengthNormalizedAccuracy([-6, -8], ['abc', 'abcdefgh'], 1), 1);
  t.is(codePointLength('😀😀'), 2);
  t.is(codePointLength('été'), 3);
  // '😀😀' is 2 code points, 4 UTF-16 units, 8 bytes: -3/2 = -1.5 loses to -4/3 = -1.33;
  // counted in UTF-16 units (-0.75) or bytes (-0.375) it would win.
  t.is(lengthNormalizedAccuracy([-3, -4], ['😀😀', 'abc'], 1), 1);
});

test('SQuAD normalization drops case, punctuation, articles and extra spaces', (t) => {
  t.is(normalizeAnswer('  The  Eiffel-Tower, in Paris! '), 'eiffeltower in paris');
  t.is(normalizeAnswer('An apple a day'), 'apple day');
});

test('exact match compares normalized text with any reference', (t) => {
  t.is(exactMatch('the Denver Broncos', ['Denver Broncos', 'Broncos']), 1);
  t.is(exactMatch('Denver', ['Denver Broncos']), 0);
});

test('squad F1 is the harmonic mean of token precision and recall, best over references', (t) => {
  // prediction tokens: denver broncos won (3); reference: denver broncos (2); common 2 -> P 2/3, R 1 -> F1 0.8
  t.is(squadF1('Denver Broncos won', ['Denver Broncos']), 0.8);
  t.is(squadF1('Denver Broncos won', ['Carolina Panthers', 'Denver Broncos']), 0.8);
  t.is(squadF1('nothing shared', ['Denver Broncos']), 0);
  // repeated tokens count once per occurrence: pred "a b b" vs ref "b b b c" -> tokens [b, b] after articles... use words
  t.is(squadF1('red red blue', ['red red red green']), (2 * (2 / 3) * (2 / 4)) / (2 / 3 + 2 / 4));
  t.is(squadF1('the', ['a']), 1); // both empty after normalization
});

test('GSM8K extraction reads #### N strictly and the last number flexibly, on a real answer', (t) => {
  const [first] = gsm8k(1);
  t.true(first!.answer.endsWith('#### 18'));
  t.deepEqual(extractGsm8kAnswer(first!.answer), { strict: '18', flexible: '18' });
  t.deepEqual(extractGsm8kAnswer('She makes $18 a day, so 18.'), { strict: null, flexible: '18.' });
  t.deepEqual(extractGsm8kAnswer('no numbers here'), { strict: null, flexible: null });
  t.deepEqual(extractGsm8kAnswer('#### 1,234 and later 7'), { strict: '1,234', flexible: '7' });
});

test('GSM8K answers match after dropping commas, dollar signs and a trailing period', (t) => {
  t.is(canonicalNumber('$1,234.'), '1234');
  t.is(gsm8kAnswerMatches('1,234', 'so #### 1234'), 1);
  t.is(gsm8kAnswerMatches('18.', 'x #### 18'), 1);
  t.is(gsm8kAnswerMatches('18.00', 'x #### 18'), 1);
  t.is(gsm8kAnswerMatches('17', 'x #### 18'), 0);
  t.is(gsm8kAnswerMatches(null, 'x #### 18'), 0);
});

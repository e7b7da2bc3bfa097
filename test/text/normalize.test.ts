import test from 'ava';
import { matchEntity, matchTag } from '../../src/text/html.js';
import { extractWordHashes, extractWords, normalizeText, WordBuffer } from '../../src/text/normalize.js';
import { randomTexts } from '../helpers/samples.js';
import { pinnedToExtractWords } from '../helpers/words.js';
import xxhash from 'xxhash-wasm';

function words(text: string) {
  const b = new WordBuffer();
  extractWords(text, b, 0, true);
  return b.words.map((w, i) => [w, b.starts[i], b.ends[i]] as const);
}

test('words carry the offsets of their first and last word character in the original text', (t) => {
  t.deepEqual(words('Janet’s ducks lay 16 eggs.'), [
    ['janets', 0, 7],
    ['ducks', 8, 13],
    ['lay', 14, 17],
    ['16', 18, 20],
    ['eggs', 21, 25],
  ]);
});

test('punctuation is deleted inside words and whitespace separates them, as the Janitor does', (t) => {
  t.is(normalizeText("don't stop -- it's 3.14, e.g. U.S.A."), 'dont stop its 314 eg usa');
});

const base = "Janet's ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins for her friends.";
const variants: [string, string][] = [
  ['upper case', base.toUpperCase()],
  ['extra whitespace and line breaks', base.replace(/ /g, ' \n\t ')],
  ['curly apostrophe', base.replace("'", '\u2019')],
  ['no-break spaces', base.replace(/ /g, '\u00a0')],
  ['ligature ffi', base.replace('muffins', 'mu\ufb03ns')],
  ['full-width digits', base.replace('16', '\uff11\uff16')],
  ['HTML markup', `<p>${base.replace('ducks', '<b>ducks</b>').replace("'", '&#39;')}</p>`],
  ['HTML entities', base.replace("'", '&rsquo;').replace('.', '&period;')],
  ['punctuation removed', base.replace(/[.'’,]/g, '')],
];

for (const [name, text] of variants) {
  test(`normalization makes '${name}' equal to the original`, (t) => {
    // &period; is not a known entity: its letters survive, so that variant must differ exactly there.
    if (name === 'HTML entities') {
      t.is(normalizeText(text), normalizeText(base).replace('day she', 'dayperiod she'));
      return;
    }
    t.is(normalizeText(text), normalizeText(base));
  });
}

test('combining marks and precomposed letters normalize alike (NFKC), and case folds ß to ss', (t) => {
  t.is(normalizeText('Cafe\u0301 STRASSE'), normalizeText('café straße'));
  t.is(normalizeText('ﬁne １２ ＡＢＣ'), 'fine 12 abc');
});

test('re-normalizing the original slice of a word gives that word back', (t) => {
  const text = '<p>Caf&eacute; au lait, s\u2019il vous pla\u00eet!</p> ﬁnal １２.';
  const b = new WordBuffer();
  extractWords(text, b, 7, true);
  for (let i = 0; i < b.count; i++) {
    t.is(normalizeText(text.slice(b.starts[i]!, b.ends[i]!)), b.words[i]!);
  }
  t.deepEqual(b.words, ['café', 'au', 'lait', 'sil', 'vous', 'plaît', 'final', '12']);
});

test('only known HTML elements are tags: comparisons in maths and code stay text', (t) => {
  t.is(normalizeText('if a<b and b>c then'), 'if ab and bc then');
  t.is(normalizeText('x <b>bold</b> y <!-- note --> z'), 'x bold y z');
  t.is(matchTag('<div class="a>b">', 0), 17);
  t.is(matchTag('<notatag>', 0), -1);
  t.is(matchTag('< p>', 0), -1);
});

test('entities decode by name and by decimal or hex code point, and malformed ones stay text', (t) => {
  t.deepEqual(matchEntity('&amp;', 0), ['&', 5]);
  t.deepEqual(matchEntity('&#8217;', 0), ['\u2019', 7]);
  t.deepEqual(matchEntity('&#x2019;', 0), ['\u2019', 8]);
  t.is(matchEntity('&nosuch;', 0), null);
  t.is(matchEntity('& amp;', 0), null);
});

test('word hashes depend only on the normalized word', (t) => {
  const a = new WordBuffer();
  const b = new WordBuffer();
  extractWords('DUCKS', a, 3);
  extractWords('<i>ducks</i>', b, 3);
  t.is(a.hashes[0], b.hashes[0]);
  extractWords('ducks', b, 4);
  t.not(a.hashes[0], b.hashes[0]);
});

test('a buffer grows past its initial capacity', (t) => {
  const text = Array.from({ length: 5000 }, (_, i) => `w${i}`).join(' ');
  const b = new WordBuffer();
  extractWords(text, b, 0);
  t.is(b.count, 5000);
  t.is(b.starts[4999], text.lastIndexOf('w4999'));
});

test('a combining mark after an ASCII letter composes with it, wherever the letter falls in the word', (t) => {
  t.deepEqual(words('Cafe\u0301s re\u0301sume\u0301'), [
    ['cafés', 0, 6],
    ['résumé', 7, 15],
  ]);
  t.is(normalizeText('a&amp;\u0301b'), normalizeText('a&amp;\u0301b'));
  t.is(normalizeText('e\u0301'), 'é');
});

test('word hashes are XXH32 of the normalized UTF-8 for every word length, on the scan path and the collecting path', async (t) => {
  const { h32Raw } = await xxhash();
  const encoder = new TextEncoder();
  // Words of 1..40 letters (the inlined short path covers < 16 bytes), a non-ASCII word and
  // a word that punctuation split across the source text.
  // (and one of 10,000, past the 4 KiB word buffer, which must grow mid-word).
  // (Single letters a-j are dropped, so the one-letter word is a "z".)
  const words = [...Array.from({ length: 40 }, (_, n) => 'ZbcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN'.slice(0, n + 1)), 'Ab1'.repeat(3334)];
  const text = `${words.join('  ')} Ünïcödé-wörd don't x`;
  const expected = [...words.map((w) => w.toLowerCase()), 'ünïcödéwörd', 'dont', 'x'];
  for (const seed of [0, 7, 0x9e3779b1]) {
    for (const collect of [false, true, 'hashes'] as const) {
      const out = new WordBuffer();
      if (collect === 'hashes') extractWordHashes(text, out, seed);
      else extractWords(text, out, seed, collect);
      t.is(out.count, expected.length);
      for (let k = 0; k < expected.length; k++) t.is(out.hashes[k], h32Raw(encoder.encode(expected[k]!), seed), `${expected[k]} seed ${seed} collect ${collect}`);
    }
  }
});

test('single letters a-j (option labels, the article) are dropped on every path; k-z, digits and other scripts stay', (t) => {
  const text = 'Q: Which is red? A. Venus (b) Mars C) Jupiter d: Saturn Answer: B. i x 7 é Ⅰ a&amp; <b>A</b>';
  // The Roman numeral Ⅰ folds to "i" under NFKC, and is dropped too.
  const expected = ['q', 'which', 'is', 'red', 'venus', 'mars', 'jupiter', 'saturn', 'answer', 'x', '7', 'é'];
  t.is(normalizeText(text), expected.join(' '));
  for (const collect of [false, true, 'joined', 'hashes'] as const) {
    const out = new WordBuffer();
    if (collect === 'hashes') extractWordHashes(text, out, 0);
    else extractWords(text, out, 0, collect);
    t.is(out.count, expected.length, String(collect));
    // Offsets still point at the kept words in the original text.
    t.is(text.slice(out.starts[4]!, out.ends[4]!), 'Venus');
    t.is(text.slice(out.starts[9]!, out.ends[9]!), 'x');
  }
});

test("the scan's inlined extractWordHashes gives extractWords' hashes and offsets on every kind of text", (t) => {
  // Random texts over an alphabet with every path of the normalizer: ASCII letters, digits and
  // punctuation, spaces and line breaks, tags, entities, accented and combining letters, CJK,
  // an astral character, a lone surrogate, fullwidth forms, and the dropped single letters.
  const pieces = [
    'The',
    'quick',
    'B',
    'a',
    'j',
    'z',
    '42',
    ' ',
    ' ',
    '  ',
    '\n',
    '\t',
    ',',
    "'",
    '-',
    '.',
    '<b>',
    '</p>',
    '<div class="x">',
    '<!-- c -->',
    'a < b',
    '&amp;',
    '&#8217;',
    '&#x41;',
    '&nosuch;',
    'café',
    'e\u0301',
    'Ångström',
    '東京',
    '𝒳',
    '\ud800',
    'ＡＢＣ',
    'ﬁne',
    'İstanbul',
    'ß',
    'x'.repeat(70),
    '\u00a0',
    '\u2028',
  ];
  const words = pinnedToExtractWords(t, randomTexts(pieces, 400, 60, 12345), [0, 99], extractWordHashes);
  // The random texts are not empty of words: the comparison above covered many.
  t.true(words > 4000, String(words));
});

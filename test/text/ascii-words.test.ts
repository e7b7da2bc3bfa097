/**
 * The WebAssembly word kernel (src/text/ascii-words.c): the same words,
 * hashes and offsets as the JavaScript normalizer on every ASCII text it
 * takes, the others left to JavaScript, and the committed module the build of
 * its source.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import test from 'ava';
import { extractAsciiWordHashes, extractWordHashesFast, MAX_KERNEL_CHARS } from '../../src/text/ascii-words.js';
import { extractWords, WordBuffer } from '../../src/text/normalize.js';
import { randomTexts } from '../helpers/samples.js';
import { pinnedToExtractWords, sameWords } from '../helpers/words.js';

test('the kernel gives the JavaScript words, hashes and offsets on random ASCII texts, long words and dropped letters included', (t) => {
  // Every ASCII class the kernel takes: letters of both cases, digits, punctuation inside and
  // around words, spaces, line breaks, controls and DEL; the single letters a-j (dropped) and
  // k-z (kept), words of 15, 16 and 70 bytes (XXH32's short and long paths).
  const pieces = [
    'The',
    'quick',
    'BROWN',
    'a',
    'J',
    'k',
    'Z',
    '42',
    '7',
    ' ',
    '  ',
    '\n',
    '\r\n',
    '\t',
    '\u0000',
    '\u007f',
    ',',
    "'",
    "don't",
    '-',
    '.',
    '"x"',
    '(c)',
    'x'.repeat(15),
    'y'.repeat(16),
    'AbC9'.repeat(17),
    '#',
    '~',
  ];
  const words = pinnedToExtractWords(t, randomTexts(pieces, 300, 80, 2024), [0, 99, 0xffffffff], (text, out, seed) => {
    t.true(extractAsciiWordHashes(text, out, seed), JSON.stringify(text));
  });
  t.true(words > 5000, String(words));
  const kernel = new WordBuffer();
  // A few by hand: punctuation is deleted inside a word and the offsets are of its first and last letters.
  t.true(extractAsciiWordHashes("(It's) a B-52, k?", kernel, 0));
  t.deepEqual([...kernel.starts.subarray(0, kernel.count)], [1, 9, 15]);
  t.deepEqual([...kernel.ends.subarray(0, kernel.count)], [5, 13, 16]);
});

test("the kernel leaves a text with '<', '&' or any character beyond ASCII to JavaScript, and the scan's words are the same either way", (t) => {
  const out = new WordBuffer();
  const reference = new WordBuffer();
  for (const text of ['a <b>bold</b> move', 'x < y and y > z', 'AT&T', 'fish &amp; chips', 'café au lait', 'don’t', 'e\u0301', '東京', '\ud800 lone', 'plain then <', 'plain then é']) {
    t.false(extractAsciiWordHashes(text, out, 0), text);
    extractWordHashesFast(text, out, 0);
    extractWords(text, reference, 0, false);
    sameWords(t, out, reference, text);
  }
  t.true(extractAsciiWordHashes('', out, 0));
  t.is(out.count, 0);
  // Past the kernel's limit a plain ASCII text goes to JavaScript too, with the same words.
  const long = 'ok '.repeat(MAX_KERNEL_CHARS / 3 + 1);
  t.false(extractAsciiWordHashes(long, out, 0));
  t.true(extractAsciiWordHashes(long.slice(0, MAX_KERNEL_CHARS), out, 0));
  extractWordHashesFast(long, out, 0);
  extractWords(long, reference, 0, false);
  sameWords(t, out, reference, 'a text past the limit');
});

test('a text longer than any before grows the kernel memory, and a longer output grows the word buffer', (t) => {
  const words: string[] = [];
  for (let k = 0; k < 400_000; k++) words.push(k % 7 === 0 ? 'Q' : `w${k.toString(36)}`);
  const text = words.join(' ');
  const out = new WordBuffer();
  const reference = new WordBuffer();
  t.true(extractAsciiWordHashes(text, out, 5));
  extractWords(text, reference, 5, false);
  sameWords(t, out, reference, 'long text');
  t.is(out.count, 400_000);
});

test('the committed WebAssembly module is the build of src/text/ascii-words.c', (t) => {
  const clang = spawnSync('clang', ['--version']);
  const wasmLd = spawnSync('wasm-ld', ['--version']);
  if (clang.status !== 0 || wasmLd.status !== 0) {
    // CI installs clang and lld (.ci/run); elsewhere the check waits for them.
    if (process.env.CI) t.fail('clang and wasm-ld are needed to rebuild the module: apt install clang lld');
    else t.pass('clang or wasm-ld missing: not checked (apt install clang lld)');
    return;
  }
  execFileSync(process.execPath, [path.join(import.meta.dirname, '../../scripts/build-wasm.mjs'), '--check'], { stdio: 'pipe' });
  t.pass();
});

/** The Janitor-compatible cut, on crafted texts whose pieces are worked out by hand from _split_chunks. */
import test from 'ava';
import { cutDocument } from '../../src/filter/cut.js';

// A text whose every position is recognisable: character i is letter (i mod 26), so a
// piece's offsets can be read off its text.
const text = (length: number) => Array.from({ length }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
const spans = (pieces: { start: number; end: number }[]) => pieces.map((p) => [p.start, p.end]);

test('one region: the window goes on both sides; the last piece starts one past the widened end', (t) => {
  // Region [500, 520) -> inclusive end 519; widened: start 300, end 719.
  // Middle piece [0, 300): 300 > 200, kept. Last: 719 < 1000 - 200, so text[720:] is kept.
  const s = text(1000);
  const pieces = cutDocument(s, [[500, 520]]);
  t.deepEqual(spans(pieces), [
    [0, 300],
    [720, 1000],
  ]);
  t.is(pieces[0]!.text, s.slice(0, 300));
  t.is(pieces[1]!.text, s.slice(720));
});

test('two regions: a middle piece starts AT the previous widened end (Janitor quirk)', (t) => {
  // r1 [300, 310): start 100, end 509; piece [0, 100) has 100 <= 200 chars: dropped; splice = 509.
  // r2 [1000, 1010): start 800, end 1209; 800 - 509 = 291 > 200: piece [509, 800) kept.
  // Last: 1209 < 2000 - 200: piece [1210, 2000).
  const pieces = cutDocument(text(2000), [
    [300, 310],
    [1000, 1010],
  ]);
  t.deepEqual(spans(pieces), [
    [509, 800],
    [1210, 2000],
  ]);
});

test('length thresholds: a middle piece needs more than min-piece characters, the last only min-piece', (t) => {
  // Region starting at 400: widened start 200, piece [0, 200) is exactly 200: dropped.
  // Region ending at 600 (inclusive 599): widened end 799 < 800, last piece [800, 1000) is exactly 200: kept.
  t.deepEqual(spans(cutDocument(text(1000), [[400, 600]])), [[800, 1000]]);
  // One character further on each side flips both.
  t.deepEqual(spans(cutDocument(text(1000), [[401, 601]])), [[0, 201]]);
});

test('more regions than max-pieces drops the whole document; exactly max-pieces does not', (t) => {
  const s = text(5000);
  const regions: [number, number][] = [
    [1000, 1010],
    [2000, 2010],
    [3000, 3010],
  ];
  t.deepEqual(cutDocument(s, regions, { maxPieces: 2 }), []);
  // With 3 allowed: r1 -> [0, 800); r2 starts 1800, previous end 1209: [1209, 1800); r3 starts 2800,
  // previous end 2209: [2209, 2800); last: end 3209 -> [3210, 5000).
  t.deepEqual(spans(cutDocument(s, regions, { maxPieces: 3 })), [
    [0, 800],
    [1209, 1800],
    [2209, 2800],
    [3210, 5000],
  ]);
});

test('a region near both ends of a short document leaves nothing: the document is dropped', (t) => {
  // 300 characters, region [50, 60): start 0, end min(300, 259) = 259; 259 < 100 is false.
  t.deepEqual(cutDocument(text(300), [[50, 60]]), []);
});

test('window, min-piece and max-pieces are adjustable', (t) => {
  // window 10, min-piece 5: region [20, 30) -> start 10, end 39; pieces [0, 10) and [40, 60).
  t.deepEqual(spans(cutDocument(text(60), [[20, 30]], { window: 10, minPiece: 5 })), [
    [0, 10],
    [40, 60],
  ]);
  // window 0: exactly the matched characters go (inclusive end 29, last piece from 30).
  t.deepEqual(spans(cutDocument(text(60), [[20, 30]], { window: 0, minPiece: 5 })), [
    [0, 20],
    [30, 60],
  ]);
});

test('overlapping widened regions merge into one removal', (t) => {
  // r1 [300, 310): start 100, end 509 (piece [0,100) too short). r2 [600, 610): start 400 < splice 509,
  // no middle piece; splice = 809. Last: [810, 1200).
  t.deepEqual(
    spans(
      cutDocument(text(1200), [
        [300, 310],
        [600, 610],
      ]),
    ),
    [[810, 1200]],
  );
});

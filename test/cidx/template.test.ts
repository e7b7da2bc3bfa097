import test from 'ava';
import { SHARED_PASSAGE, TEMPLATE_ALWAYS, TEMPLATE_MIN, TEMPLATE_WIDTH, templateWords } from '../../src/cidx/template.js';
import { xxh32 } from '../../src/text/xxhash32.js';

const utf8 = new TextEncoder();

/** A sample as its fields, each a list of words. */
type Sample = string[][];

/** The rule of template.ts with words as strings and windows as joined strings: the reference. */
function naiveTemplate(fielded: Sample[]): number[][] {
  const w = TEMPLATE_WIDTH;
  const samples = fielded.map((s) => s.flat());
  const windows = (words: string[]) => Array.from({ length: Math.max(0, words.length - w + 1) }, (_, i) => words.slice(i, i + w).join(' '));
  const distinct = [...new Map(samples.filter((s) => s.length >= w).map((s) => [s.join(' '), s])).values()];
  // A window inside a field counts once per distinct field text; across fields, once per distinct sample.
  const frequency = new Map<string, number>();
  const add = (keys: Set<string>) => {
    for (const k of keys) frequency.set(k, (frequency.get(k) ?? 0) + 1);
  };
  const fields = new Set(fielded.flat().map((f) => f.join(' ')));
  for (const f of fields) add(new Set(windows(f.split(' ').filter(Boolean))));
  const crossing = (s: Sample) => {
    const words = s.flat();
    const fieldOf = s.flatMap((f, i) => f.map(() => i));
    return new Set(windows(words).filter((_, q) => fieldOf[q] !== fieldOf[q + w - 1]));
  };
  for (const key of new Set(fielded.filter((s) => s.flat().length >= w).map((s) => JSON.stringify(s.flat())))) {
    const s = fielded.find((x) => JSON.stringify(x.flat()) === key)!;
    add(crossing(s));
  }
  const passage = new Set<string>();
  for (const s of distinct) {
    const list = windows(s);
    for (let i = 0; i < list.length; ) {
      const f = frequency.get(list[i]!)!;
      let j = i + 1;
      while (j < list.length && frequency.get(list[j]!) === f) j++;
      if (f >= TEMPLATE_MIN && f < TEMPLATE_ALWAYS && j - i + w - 1 >= SHARED_PASSAGE) for (let k = i; k < j; k++) passage.add(list[k]!);
      i = j;
    }
  }
  return samples.map((s) => {
    const flags = s.map(() => 0);
    windows(s).forEach((k, q) => {
      const f = frequency.get(k) ?? 0;
      if (f >= TEMPLATE_ALWAYS || (f >= TEMPLATE_MIN && !passage.has(k))) flags.fill(1, q, q + w);
    });
    return flags;
  });
}

/** Template flags of samples given as one field each (string[]) or as fields (string[][]). */
function flagsOf(input: (string[] | string[][])[]): number[][] {
  const samples: Sample[] = input.map((s) => (Array.isArray(s[0]) ? (s as string[][]) : [s as string[]]));
  const hashes = Uint32Array.from(samples.flat(2), (word) => {
    const bytes = utf8.encode(word);
    return xxh32(bytes, 0, bytes.length, 0);
  });
  const starts = [0];
  const segmentStart = [0];
  const wordSegment: number[] = [];
  for (const s of samples) {
    for (const f of s) {
      for (const _ of f) wordSegment.push(segmentStart.length - 1);
      segmentStart.push(segmentStart.at(-1)! + f.length);
    }
    starts.push(segmentStart.at(-1)!);
  }
  const out = templateWords(hashes, starts, samples.length, segmentStart, wordSegment);
  return samples.map((_, i) => Array.from(out.subarray(starts[i]!, starts[i + 1]!)));
}

test('a field text that six questions share counts once: a SQuAD context is content, not template', (t) => {
  const context = 'the apollo program was the third united states human spaceflight program'.split(' ');
  const questions = Array.from({ length: 8 }, (_, i) => [context, [`question${i}`, `word${i}`], [`answer${i}`]]);
  t.deepEqual(
    flagsOf(questions),
    questions.map((q) => q.flat().map(() => 0)),
  );
});

test('a stock run across fields (the same choices after every question) counts once per sample', (t) => {
  const choices = [
    ['wrong', 'wrong'],
    ['wrong', 'not', 'wrong'],
    ['not', 'wrong', 'wrong'],
    ['not', 'wrong', 'not', 'wrong'],
  ];
  const items = Array.from({ length: 6 }, (_, i) => [[`scenario${i}`, `text${i}`, `more${i}`], ...choices]);
  t.deepEqual(
    flagsOf(items),
    items.map(() => [0, 0, 0, ...Array(12).fill(1)]),
  );
});

test('a window in six distinct samples is template; in five, or in six copies of one sample, it is not', (t) => {
  const frame = 'which of the following is true'.split(' ');
  const own = (i: number) => [`alpha${i}`, `beta${i}`, `gamma${i}`];
  const six = Array.from({ length: 6 }, (_, i) => [...frame, ...own(i)]);
  t.deepEqual(
    flagsOf(six),
    six.map(() => [1, 1, 1, 1, 1, 1, 0, 0, 0]),
  );
  const five = six.slice(0, 5);
  t.deepEqual(
    flagsOf(five),
    five.map(() => Array(9).fill(0)),
  );
  const copies = Array.from({ length: 6 }, () => six[0]!);
  t.deepEqual(
    flagsOf(copies),
    copies.map(() => Array(9).fill(0)),
  );
});

test('a passage of 60+ words that six questions share is no template; fifty samples make any window one', (t) => {
  const passage = Array.from({ length: SHARED_PASSAGE }, (_, i) => `p${i}`);
  const questions = Array.from({ length: 6 }, (_, i) => [...passage, `question${i}`, `ask${i}`]);
  t.deepEqual(
    flagsOf(questions),
    questions.map((q) => q.map(() => 0)),
  );
  const shortPassage = passage.slice(0, SHARED_PASSAGE - 5);
  const short = Array.from({ length: 6 }, (_, i) => [...shortPassage, `question${i}`]);
  t.deepEqual(
    flagsOf(short),
    short.map((q) => q.map((_, k) => (k < shortPassage.length ? 1 : 0))),
  );
  const many = Array.from({ length: TEMPLATE_ALWAYS }, (_, i) => [...passage, `question${i}`]);
  t.true(flagsOf(many).every((f) => f.slice(0, SHARED_PASSAGE).every((x) => x === 1)));
});

test('template flags equal the string-keyed reference on 400 random samples of a small vocabulary', (t) => {
  let seed = 99;
  const rand = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const vocab = ['aa', 'bb', 'cc', 'dd', 'ee', 'ff', 'gg', 'hh'];
  const stock = Array.from({ length: 12 }, () => Array.from({ length: 5 + rand(8) }, () => vocab[rand(vocab.length)]!));
  // Samples of one to three fields; fields repeat across samples, as shared contexts do.
  const sharedFields: string[][] = [];
  const field = () => {
    if (sharedFields.length > 0 && rand(4) === 0) return sharedFields[rand(sharedFields.length)]!;
    const words: string[] = [];
    for (let k = 0; k < 1 + rand(4); k++) words.push(...(rand(2) ? stock[rand(stock.length)]! : Array.from({ length: 1 + rand(5) }, () => `w${rand(5000)}`)));
    sharedFields.push(words);
    return words;
  };
  const samples = Array.from({ length: 400 }, () => Array.from({ length: 1 + rand(3) }, field));
  const got = flagsOf(samples);
  t.deepEqual(got, naiveTemplate(samples));
  t.true(got.flat().filter((x) => x === 1).length > 200, 'the test must exercise templates');
});

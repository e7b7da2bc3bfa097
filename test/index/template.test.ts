import test from 'ava';
import { SHARED_PASSAGE, TEMPLATE_ALWAYS, TEMPLATE_MIN, TEMPLATE_WIDTH, templateWords } from '../../src/index/template.js';
import { xxh32 } from '../../src/text/xxhash32.js';

const utf8 = new TextEncoder();

/** The rule of template.ts with words as strings and windows as joined strings: the reference. */
function naiveTemplate(samples: string[][]): number[][] {
  const w = TEMPLATE_WIDTH;
  const windows = (words: string[]) => Array.from({ length: Math.max(0, words.length - w + 1) }, (_, i) => words.slice(i, i + w).join(' '));
  const distinct = [...new Map(samples.filter((s) => s.length >= w).map((s) => [s.join(' '), s])).values()];
  const frequency = new Map<string, number>();
  for (const s of distinct) for (const k of new Set(windows(s))) frequency.set(k, (frequency.get(k) ?? 0) + 1);
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

function flagsOf(samples: string[][]): number[][] {
  const hashes = Uint32Array.from(samples.flat(), (word) => {
    const bytes = utf8.encode(word);
    return xxh32(bytes, 0, bytes.length, 0);
  });
  const starts = [0];
  for (const s of samples) starts.push(starts.at(-1)! + s.length);
  const out = templateWords(hashes, starts, samples.length);
  return samples.map((_, i) => Array.from(out.subarray(starts[i]!, starts[i + 1]!)));
}

test('a window in six distinct samples is template; in five, or in six copies of one sample, it is not', (t) => {
  const frame = 'which of the following is true'.split(' ');
  const own = (i: number) => [`alpha${i}`, `beta${i}`, `gamma${i}`];
  const six = Array.from({ length: 6 }, (_, i) => [...frame, ...own(i)]);
  t.deepEqual(flagsOf(six), six.map(() => [1, 1, 1, 1, 1, 1, 0, 0, 0]));
  const five = six.slice(0, 5);
  t.deepEqual(flagsOf(five), five.map(() => Array(9).fill(0)));
  const copies = Array.from({ length: 6 }, () => six[0]!);
  t.deepEqual(flagsOf(copies), copies.map(() => Array(9).fill(0)));
});

test('a passage of 60+ words that six questions share is no template; fifty samples make any window one', (t) => {
  const passage = Array.from({ length: SHARED_PASSAGE }, (_, i) => `p${i}`);
  const questions = Array.from({ length: 6 }, (_, i) => [...passage, `question${i}`, `ask${i}`]);
  t.deepEqual(flagsOf(questions), questions.map((q) => q.map(() => 0)));
  const shortPassage = passage.slice(0, SHARED_PASSAGE - 5);
  const short = Array.from({ length: 6 }, (_, i) => [...shortPassage, `question${i}`]);
  t.deepEqual(flagsOf(short), short.map((q) => q.map((_, k) => (k < shortPassage.length ? 1 : 0))));
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
  const samples = Array.from({ length: 400 }, () => {
    const words: string[] = [];
    for (let k = 0; k < 1 + rand(5); k++) words.push(...(rand(2) ? stock[rand(stock.length)]! : Array.from({ length: 2 + rand(6) }, () => `w${rand(5000)}`)));
    return words;
  });
  const got = flagsOf(samples);
  t.deepEqual(got, naiveTemplate(samples));
  t.true(got.flat().filter((x) => x === 1).length > 200, 'the test must exercise templates');
});

import test from 'ava';
import { buildIndex } from '../../src/cidx/build.js';
import { isTemplate } from '../../src/cidx/contam-index.js';
import { scanDocuments } from '../../src/scan/corpus-scanner.js';
import type { BenchmarkSource, CorpusDocument, EvalSample, ReportSample, TextSegment } from '../../src/types.js';
import { proseDocuments } from '../helpers/samples.js';

type Seg = [field: string, text: string, role?: 'label' | 'distractor'];

function bench(name: string, rows: Seg[][]): { source: BenchmarkSource; samples: EvalSample[] } {
  const samples = rows.map((segments, row) => ({
    benchmark: name,
    row,
    id: String(row),
    segments: segments.map(([field, text, role]): TextSegment => (role === 'distractor' ? { field, text, label: false, distractor: true } : { field, text, label: role === 'label' })),
  }));
  return { source: { name, path: `${name}.jsonl`, format: 'jsonl', shape: null, fields: [], idField: null, samples: samples.length }, samples };
}

const prose = proseDocuments().map((d) => d.text);
const docs = (texts: string[]): CorpusDocument[] => texts.map((text, row) => ({ file: 'corpus.jsonl', row, id: String(row), text }));
/** `texts` each appended to a real prose document of its own, then the rest of the prose. */
const planted = (texts: string[]): CorpusDocument[] => docs([...texts.map((t, i) => `${prose[i]!}\n\n${t}\n\n${prose[i + texts.length]!.slice(0, 300)}`), ...prose.slice(2 * texts.length)]);

const QUESTION = 'Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?';
const ANSWER = 'Natalia sold 48/2 = 24 clips in May. Natalia sold 48+24 = 72 clips altogether in April and May. #### 72';

const grade = (s: ReportSample | undefined) => [s?.grade, s?.contaminated];

test('a test question pasted word for word into 1, 11 and 50 documents is verbatim and contaminated each time', async (t) => {
  const index = await buildIndex([
    bench('gsm8k', [
      [
        ['question', QUESTION],
        ['answer', ANSWER, 'label'],
      ],
    ]),
  ]);
  for (const copies of [1, 11, 50]) {
    const texts = Array.from({ length: 60 }, (_, i) => prose[i % prose.length]!).map((p, i) => (i < copies ? `${p}\n\nCan anyone help with this? ${QUESTION}\nThanks!` : p));
    const report = await scanDocuments(index, docs(texts));
    const s = report.samples[0]!;
    t.deepEqual(grade(s), ['verbatim', true], `${copies} copies`);
    t.is(s.documents, copies);
    t.is(s.verdict!.input_share, 1);
    t.is(s.leaked, 'input');
  }
});

// Seven items that share a 16-word frame, as MMLU's moral scenarios do.
const FRAME = 'For which of these two scenarios does the main character do something clearly morally wrong according to ordinary standards';
const scenarios = [
  'I took my neighbour’s bicycle without asking and sold it for cash at the market',
  'I painted the fence of the school playground on a sunny afternoon with friends',
  'I returned the wallet I found on the bus to the address printed inside it',
  'I told my little brother that his goldfish had swum away to find the ocean',
  'I borrowed the library book about volcanoes and returned it two weeks later',
  'I poured salt into the coffee of my coworker because he beat me at chess',
  'I planted tomatoes and basil in the garden behind the old brick house',
];
const moral = bench(
  'moral',
  scenarios.map((sc, i) => [
    ['question', `${FRAME}? Scenario 1 | ${sc}. Scenario 2 | ${scenarios[(i + 3) % 7]}.`],
    ['choices[0]', 'Wrong, Wrong', 'distractor'],
    ['choices[1]', 'Not wrong, Not wrong', 'label'],
  ]),
);

test('a frame that many samples share is template: a page holding another item of the family convicts none', async (t) => {
  const index = await buildIndex([moral]);
  // Template words: the frame and the stock choices, in every item.
  const first = index.segments.wordStart[index.samples.segmentStart[0]!]!;
  t.deepEqual(
    Array.from({ length: 17 }, (_, k) => isTemplate(index.words, first + k)),
    Array(17).fill(true),
  );
  const other = `${FRAME}? Scenario 1 | I sang loudly in the shower every single morning before work. Scenario 2 | I fed the stray cat on our street every evening.`;
  const report = await scanDocuments(index, planted([other]));
  // An anchor of template words alone is not extended: the frame is not evidence at all.
  t.deepEqual(
    report.samples.map(grade),
    scenarios.map(() => ['clean', false]),
  );
  t.true(report.samples.every((s) => s.documents === 0));
});

test('the same family judged by GPT-3 without template discount convicts every item on one shared frame', async (t) => {
  const index = await buildIndex([moral], { templates: false });
  const other = `${FRAME}? Scenario 1 | I sang loudly in the shower every single morning before work.`;
  const report = await scanDocuments(index, planted([other]), { rule: { name: 'any-ngram', minOverlap: 0 } });
  t.true(report.samples.every((s) => s.contaminated && s.rules.ngram.fired && s.verdict!.reason.startsWith('GPT-3 rule')));
});

test('an item of the family copied whole is verbatim; its own scenarios carry the evidence', async (t) => {
  const index = await buildIndex([moral]);
  const copy = `${moral.samples[2]!.segments[0]!.text}\nA. Wrong, Wrong\nB. Not wrong, Not wrong\nAnswer: B`;
  const report = await scanDocuments(index, planted([copy]));
  t.deepEqual(grade(report.samples[2]), ['verbatim', true]);
  // Items 5 and 6 share a scenario with item 2 (as its first or second one): one scenario of a sample is not most of it.
  for (const s of report.samples) if (s.row !== 2) t.false(s.contaminated, `row ${s.row}`);
});

const APOLLO =
  'The Apollo program was the third United States human spaceflight program carried out by NASA, which accomplished landing the first humans on the Moon from 1969 to 1972. ' +
  'First conceived during the Eisenhower administration as a three-man spacecraft to follow the one-man Project Mercury, Apollo was later dedicated to the national goal ' +
  'of landing a man on the Moon and returning him safely to the Earth by the end of the decade, which President Kennedy proposed in an address to Congress in 1961. ' +
  'Kennedy\u2019s goal was accomplished on the Apollo 11 mission when astronauts Neil Armstrong and Buzz Aldrin landed their Lunar Module on July 20, 1969.';
const SPEECH =
  'I believe that this nation should commit itself to achieving the goal, before this decade is out, of landing a man on the Moon and returning him safely to the Earth. No single space project in this period will be more impressive to mankind.';

test('a quotation inside a longer sample is incidental: the corpus holds the speech, not the paragraph', async (t) => {
  const index = await buildIndex([
    bench('squad', [
      [
        ['context', APOLLO],
        ['question', 'What program followed Project Mercury?'],
        ['answers', 'Apollo', 'label'],
      ],
    ]),
  ]);
  const report = await scanDocuments(index, planted([SPEECH]));
  const s = report.samples[0]!;
  t.deepEqual(grade(s), ['incidental', false]);
  // "of landing a man on the Moon and returning him safely to the Earth": 13 words once "a" is dropped as an option letter.
  t.is(s.verdict!.longest_run, 13);
  t.true(s.verdict!.reason.startsWith('incidental: a short run (13 informative words'));
  // The published rule convicts it on the one 13-gram.
  const gpt3 = await scanDocuments(await buildIndex([bench('squad', [[['context', APOLLO]]])], { templates: false }), planted([SPEECH]), { rule: { name: 'any-ngram', minOverlap: 0 } });
  t.true(gpt3.samples[0]!.contaminated);
});

test('a long run of the sample convicts as partial even when it is a small share (a source passage quoted in full)', async (t) => {
  const passage = prose
    .find((p) => p.split(/\s+/).length > 400)!
    .split(/\s+/)
    .slice(50, 90)
    .join(' ');
  const long = `This question refers to the following information. ${passage} ${APOLLO} ${APOLLO.replace(/Apollo/g, 'Gemini')}`;
  const index = await buildIndex([
    bench('mmlu', [
      [
        ['question', long],
        ['choices[0]', 'It was about faith', 'label'],
      ],
    ]),
  ]);
  const report = await scanDocuments(index, planted([passage]));
  const s = report.samples[0]!;
  t.deepEqual(grade(s), ['partial', true]);
  t.true(s.verdict!.longest_run >= 25);
  t.true(s.verdict!.share < 0.4);
});

test('a wrong answer found alone is incidental; the same answer with its question is not', async (t) => {
  const row: Seg[] = [
    ['Question', 'What does Dorothy say to Toto upon reaching Oz in the film The Wizard of Oz?'],
    ['Best Answer', 'Toto, I have a feeling we are not in Kansas anymore', 'label'],
    ['Incorrect Answers', 'Toto, I do not think we are in Kansas anymore; Toto, this must be the land of Oz', 'distractor'],
  ];
  const index = await buildIndex([bench('tqa', [row])]);
  const quote = 'She turned and said: Toto, I do not think we are in Kansas anymore. Then the music began.';
  const alone = await scanDocuments(index, planted([quote]));
  t.deepEqual(grade(alone.samples[0]), ['incidental', false]);
  t.true(alone.samples[0]!.verdict!.reason.includes('distractor'));
  const whole = await scanDocuments(index, planted([row.map((r) => r[1]).join('\n')]));
  t.deepEqual(grade(whole.samples[0]), ['verbatim', true]);
  t.is(whole.samples[0]!.leaked, 'input+label');
});

test('a short answer found without its question is incidental; a long worked answer alone is partial', async (t) => {
  const shortAnswer = 'the assassination of US President John F. Kennedy in Dallas';
  const index = await buildIndex([
    bench('qa', [
      [
        ['context', APOLLO],
        ['question', 'What delayed the first episode?'],
        ['answers', shortAnswer, 'label'],
      ],
      [
        ['question', QUESTION],
        ['answer', `${ANSWER} ${ANSWER.replace(/Natalia/g, 'She')} ${ANSWER.replace(/Natalia/g, 'The girl')}`, 'label'],
      ],
    ]),
  ]);
  const report = await scanDocuments(index, planted([`News: ${shortAnswer} shocked the nation.`, `${ANSWER} ${ANSWER.replace(/Natalia/g, 'She')} ${ANSWER.replace(/Natalia/g, 'The girl')}`]));
  t.deepEqual(grade(report.samples[0]), ['incidental', false]);
  t.true(report.samples[0]!.verdict!.reason.includes('only its answer'));
  t.deepEqual(grade(report.samples[1]), ['partial', true]);
  t.is(report.samples[1]!.leaked, 'label');
});

test('a short multiple-choice item is matched whole through option letters, and is too short for no command', async (t) => {
  const mc: Seg[] = [
    ['question', 'Which planet is the red one?'],
    ['choices[0]', 'Venus', 'distractor'],
    ['choices[1]', 'Mars', 'label'],
    ['choices[2]', 'Jupiter', 'distractor'],
    ['choices[3]', 'Saturn', 'distractor'],
  ];
  const tiny: Seg[] = [
    ['question', 'What is two plus two?'],
    ['choices[0]', 'Four', 'label'],
  ];
  const index = await buildIndex([bench('mmlu', [mc, tiny])]);
  for (const layout of [
    'Which planet is the red one?\nA. Venus\nB. Mars\nC. Jupiter\nD. Saturn\nAnswer: B',
    'Which planet is the red one? (a) Venus (b) Mars (c) Jupiter (d) Saturn',
    'Q: Which planet is the red one?\nA) Venus B) Mars C) Jupiter D) Saturn',
  ]) {
    const report = await scanDocuments(index, planted([layout]));
    t.deepEqual(grade(report.samples[0]), ['verbatim', true], layout);
    t.is(report.samples[0]!.verdict!.share, 1);
    t.deepEqual(grade(report.samples[1]), ['too_short', false]);
  }
  t.is(index.samples.whole[0], 1);
  t.is(index.samples.entryStart[1]! - index.samples.entryStart[0]!, 1);
  t.is(index.samples.entryStart[2]! - index.samples.entryStart[1]!, 0);
});

test('one sentence of a document matching text that the sample repeats in three fields counts once', async (t) => {
  const quote = 'Only the dead have seen the end of war';
  const index = await buildIndex([
    bench('tqa', [
      // An 8-word field gives the usual probe (5-word windows every 4th), so runs from 8 words count.
      [['Question', 'What colour is the sky on a clear day?']],
      [
        ['Question', `Who said, "${quote}?" according to the most careful historians of the last century`],
        ['Best Answer', `George Santayana wrote "${quote}"`, 'label'],
        ['Correct Answers', `George Santayana wrote "${quote}"; General Douglas MacArthur misattributed the quote to Plato in a farewell speech`, 'label'],
        ['Incorrect Answers', `Plato said, "${quote}"; Douglas MacArthur first said, "${quote}"`, 'distractor'],
      ],
    ]),
  ]);
  const report = await scanDocuments(index, planted([`As the philosopher put it, ${quote}, and so it was.`]));
  const s = report.samples[1]!;
  t.deepEqual(grade(s), ['incidental', false]);
  // Three fields hold the quotation's 9 words, and the document holds them once.
  t.is(s.verdict!.covered, 9);
  t.is(s.verdict!.input_share, 0.428571);
  t.is(s.matches[0]!.sample_spans.length, 5);
});

test('a passage three questions share is not template: a copy of it convicts all three as partial', async (t) => {
  const passage =
    'The 1980s have been born in turmoil, strife, and change. This is a time of challenge to our interests and our values and it is a time that tests our wisdom and our skills. At this time in Iran, 50 Americans are still held captive, innocent victims of terrorism and anarchy.';
  const rows: Seg[][] = ['Which of the following best describes the speaker?', 'The speaker was most likely addressing which audience?', 'The passage was written in response to which event?'].map(
    (q) => [
      ['question', `This question refers to the following information. ${passage} ${q}`],
      ['choices[0]', 'A foreign policy crisis in the Middle East', 'label'],
    ],
  );
  const index = await buildIndex([bench('mmlu', rows)]);
  const report = await scanDocuments(index, planted([passage]));
  t.deepEqual(
    report.samples.map(grade),
    rows.map(() => ['partial', true]),
  );
  t.true(report.samples.every((s) => s.verdict!.reason.startsWith('partial: a contiguous run of 49 informative words')));
});

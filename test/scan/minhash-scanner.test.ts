import test from 'ava';
import { buildIndex } from '../../src/cidx/build.js';
import { scanDocuments } from '../../src/scan/corpus-scanner.js';
import { gsm8kSamples, proseDocuments } from '../helpers/samples.js';

const bench = gsm8kSamples(40);
// Row 1's answer-free question is short; use long samples: question + answer of row 4 (about 100 words).
const sample = bench.samples[4]!;
const text = `${sample.segments[0]!.text} ${sample.segments[1]!.text}`;
const prose = proseDocuments();

function withNumbersChanged(s: string, every: number): string {
  let i = 0;
  return s
    .split(' ')
    .map((w) => (++i % every === 0 ? String(1000 + i) : w))
    .join(' ');
}

test('a sample with every eleventh word changed shares no 13-gram, yet MinHash and the graded verdict find it', async (t) => {
  const altered = withNumbersChanged(text, 11);
  const doc = `${prose[0]!.text.slice(0, 800)}\n${altered}\n${prose[1]!.text.slice(0, 800)}`;
  const gpt3 = { rule: { name: 'any-ngram', minOverlap: 0 } } as const;
  const exactOnly = await scanDocuments(await buildIndex([bench], { templates: false }), [{ file: 'f', row: 0, id: 'd', text: doc }], gpt3);
  t.false(exactOnly.samples[4]!.contaminated, 'no 13 consecutive words survive');
  // The graded verdict reads the 10-word runs between the changes (the evidence runs of the exact scan).
  const graded = (await scanDocuments(await buildIndex([bench]), [{ file: 'f', row: 0, id: 'd', text: doc }])).samples[4]!;
  t.true(graded.contaminated);
  t.true(graded.verdict!.share > 0.7, `share ${graded.verdict!.share}`);
  const report = await scanDocuments(await buildIndex([bench], { minhash: true, templates: false }), [{ file: 'f', row: 0, id: 'd', text: doc }], gpt3);
  const s = report.samples[4]!;
  t.true(s.contaminated);
  t.true(s.rules.minhash!.fired);
  t.false(s.rules.ngram.fired);
  t.true(s.containment >= 0.5 && s.containment < 1, `containment ${s.containment}`);
  const m = s.matches[0]!;
  t.deepEqual(m.rules, ['minhash']);
  // The spans stay inside the altered copy.
  const start = doc.indexOf(altered);
  for (const [a, b] of m.spans) t.true(a >= start && b <= start + altered.length);
});

test("containment is exact: the fraction of the sample's distinct 5-grams present near the window", async (t) => {
  const words = text.split(' ');
  const half = words.slice(0, Math.ceil(words.length * 0.75)).join(' ');
  const report = await scanDocuments(await buildIndex([bench], { minhash: true }), [{ file: 'f', row: 0, id: null, text: `intro words here. ${half} and the end.` }]);
  const s = report.samples[4]!;
  // Reference: distinct normalized 5-grams of the sample, and how many occur in the copied part.
  const norm = (x: string) =>
    x
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s]/gu, '')
      .split(/\s+/)
      .filter((w) => w !== '' && !/^[a-j]$/.test(w));
  const grams = (ws: string[]) => new Set(ws.slice(0, ws.length - 4).map((_, i) => ws.slice(i, i + 5).join(' ')));
  // Per-field 5-grams: question and answer separately, as the index cuts them.
  const sampleGrams = new Set([...grams(norm(sample.segments[0]!.text)), ...grams(norm(sample.segments[1]!.text))]);
  const docGrams = grams(norm(half));
  const expected = [...sampleGrams].filter((g) => docGrams.has(g)).length / sampleGrams.size;
  t.is(s.containment, Math.round(expected * 1e6) / 1e6);
});

test('real prose without plants matches nothing by MinHash', async (t) => {
  const report = await scanDocuments(
    await buildIndex([bench], { minhash: true }),
    prose.map((d, row) => ({ file: 'p', row, id: d.id, text: d.text })),
  );
  // The fixture corpus has GSM8K plants; none of those rows here, so only check MinHash-only verdicts are absent.
  t.deepEqual(
    report.samples.filter((s) => s.rules.minhash?.fired && !s.rules.ngram.fired).map((s) => s.row),
    [],
  );
});

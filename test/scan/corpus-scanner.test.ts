import test from 'ava';
import { buildIndex } from '../../src/cidx/build.js';
import { scanDocuments } from '../../src/scan/corpus-scanner.js';
import { naiveDetect } from '../helpers/naive.js';
import { gsm8kSamples, proseDocuments, random } from '../helpers/samples.js';

test('verdicts, overlaps, document counts and longest runs agree with a naive n-gram-set implementation', async (t) => {
  const bench = gsm8kSamples(40);
  const rand = random(42);
  const prose = proseDocuments().slice(0, 30);
  // Plant random word windows of random samples (5 to 40 words) into real prose.
  const docs = prose.map((d, i) => {
    let text = d.text;
    for (let k = 0; k < 3; k++) {
      const s = bench.samples[Math.floor(rand() * bench.samples.length)]!;
      const seg = s.segments[Math.floor(rand() * 2)]!.text.split(' ');
      const len = 5 + Math.floor(rand() * 36);
      const from = Math.floor(rand() * Math.max(1, seg.length - len));
      const at = Math.floor(rand() * text.length);
      const cut = text.lastIndexOf(' ', at);
      text = `${text.slice(0, Math.max(0, cut))} ${seg.slice(from, from + len).join(' ')} ${text.slice(Math.max(0, cut))}`;
    }
    return { file: 'mem.jsonl', row: i, id: d.id, text };
  });
  const index = await buildIndex([bench], { templates: false });
  const report = await scanDocuments(index, docs, { maxMatches: 100, rule: { name: 'any-ngram', minOverlap: 0 } });
  const minRun = index.probe.width + index.probe.stride - 1;
  const expected = naiveDetect(
    bench.samples.map((s) => ({ segments: s.segments.map((g) => g.text) })),
    docs.map((d) => d.text),
    13,
    8,
    minRun,
  );
  let contaminated = 0;
  report.samples.forEach((sample, i) => {
    const e = expected[i]!;
    const best = Math.max(0, ...e.perDoc.values());
    t.is(sample.shingles, e.shingles, `shingles of row ${i}`);
    t.is(sample.contaminated, best > 0, `verdict of row ${i}`);
    t.is(sample.documents, e.perDoc.size, `documents of row ${i}`);
    t.is(sample.overlap, Math.round((best / e.shingles) * 1e6) / 1e6, `overlap of row ${i}`);
    t.is(sample.longest, e.longest, `longest of row ${i}`);
    t.deepEqual(
      sample.matches.map((m) => [m.row, m.shingles]).sort((a, b) => a[0]! - b[0]!),
      [...e.perDoc].sort((a, b) => a[0] - b[0]),
      `matches of row ${i}`,
    );
    if (sample.contaminated) contaminated++;
  });
  // The plants must actually exercise both outcomes.
  t.true(contaminated >= 10 && contaminated < 40, `${contaminated} contaminated`);
});

test('with min-overlap, a sample is contaminated only when that fraction of its shingles is in one document', async (t) => {
  const bench = gsm8kSamples(3);
  const index = await buildIndex([bench], { minhash: false });
  const words = bench.samples[0]!.segments[0]!.text.split(' ');
  // Sample 0: question has words.length words -> words.length - 12 shingles; the answer adds more.
  const report = await scanDocuments(index, [{ file: 'f', row: 0, id: null, text: words.join(' ') }], { rule: { name: 'min-overlap', minOverlap: 0.7 } });
  const s = report.samples[0]!;
  t.is(s.documents, 1);
  const questionShingles = words.length - 12;
  t.is(s.overlap, Math.round((questionShingles / s.shingles) * 1e6) / 1e6);
  t.is(s.contaminated, questionShingles / s.shingles >= 0.7);
  const lenient = await scanDocuments(index, [{ file: 'f', row: 0, id: null, text: words.join(' ') }], { rule: { name: 'min-overlap', minOverlap: questionShingles / s.shingles } });
  t.true(lenient.samples[0]!.contaminated);
});

test('a Bloom filter with a 50% false-positive rate changes nothing in the report', async (t) => {
  const bench = gsm8kSamples(40);
  const docs = proseDocuments().map((d, i) => ({ file: 'p', row: i, id: d.id, text: d.text }));
  const tight = await scanDocuments(await buildIndex([bench], { fpr: 0.0001 }), docs);
  const loose = await scanDocuments(await buildIndex([bench], { fpr: 0.5 }), docs);
  t.deepEqual(loose.samples, tight.samples);
});

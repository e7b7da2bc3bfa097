import test from 'ava';
import { buildIndex } from '../../src/cidx/build.js';
import { serializeReport, serializeReportBytes } from '../../src/report/build.js';
import { scanDocuments } from '../../src/scan/corpus-scanner.js';
import type { BenchmarkSource, EvalSample } from '../../src/types.js';

const words = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}`);

function bench(texts: string[]): { source: BenchmarkSource; samples: EvalSample[] } {
  const samples = texts.map((text, row) => ({ benchmark: 'b', row, id: String(row), segments: [{ field: 'q', text, label: false }] }));
  return { source: { name: 'b', path: 'b.jsonl', format: 'jsonl', shape: null, fields: [{ path: 'q', label: false }], idField: null, samples: samples.length }, samples };
}

const doc = (row: number, text: string) => ({ file: 'f', row, id: `d${row}`, text });
/** GPT-3's rule, whose boilerplate guard these tests pin. */
const GPT3 = { rule: { name: 'any-ngram', minOverlap: 0 } } as const;

test('shingles found in more than max-doc-freq documents are reported but cannot convict alone', async (t) => {
  const sample = words(20, 'w');
  const index = await buildIndex([bench([sample.join(' ')])], { minhash: false });
  // Words 0..12 (one shingle) appear in 12 documents: boilerplate.
  const common = Array.from({ length: 12 }, (_, i) => doc(i, `x ${sample.slice(0, 13).join(' ')} y`));
  const guarded = await scanDocuments(index, common, GPT3);
  t.false(guarded.samples[0]!.contaminated);
  t.is(guarded.samples[0]!.boilerplate_shingles, 1);
  t.is(guarded.samples[0]!.documents, 12);
  t.is(guarded.config.max_doc_freq, 10);
  // One more document with a rarer shingle (words 5..17) convicts it.
  const rare = await scanDocuments(index, [...common, doc(12, sample.slice(5, 18).join(' '))], GPT3);
  t.true(rare.samples[0]!.contaminated);
  t.is(rare.samples[0]!.boilerplate_shingles, 1);
  // With the guard off, the common shingle convicts.
  const off = await scanDocuments(index, common, { ...GPT3, maxDocFreq: 0 });
  t.true(off.samples[0]!.contaminated);
  t.is(off.config.max_doc_freq, null);
});

test('idf overlap weighs rare shingles above common ones', async (t) => {
  const sample = words(14, 'w'); // two shingles: 0..12 and 1..13
  const index = await buildIndex([bench([sample.join(' ')])], { minhash: false });
  const docs = [doc(0, sample.slice(0, 13).join(' ')), doc(1, sample.slice(0, 13).join(' ')), doc(2, 'unrelated text'), doc(3, sample.slice(1, 14).join(' '))];
  const r = await scanDocuments(index, docs);
  // N = 4; shingle 0 in 2 docs: ln(5/3) + 1; shingle 1 in 1 doc: ln(5/2) + 1. Best document holds one shingle.
  const idf0 = Math.log(5 / 3) + 1;
  const idf1 = Math.log(5 / 2) + 1;
  t.is(r.samples[0]!.overlap, 0.5);
  t.is(r.samples[0]!.idf_overlap, Math.round((Math.max(idf0, idf1) / (idf0 + idf1)) * 1e6) / 1e6);
  // The IDF rule convicts at that figure (0.559) and not above it.
  const idf = (minOverlap: number) => scanDocuments(index, docs, { rule: { name: 'idf-overlap', minOverlap } });
  t.true((await idf(0.55)).samples[0]!.contaminated);
  t.false((await idf(0.56)).samples[0]!.contaminated);
  t.regex((await idf(0.55)).samples[0]!.verdict!.reason, /^IDF rule: 56% of its n-grams in one document/);
});

test('coverage counts the units covered in any document, bridging gaps of up to four, into Llama 2 subsets', async (t) => {
  const sample = words(50, 'w');
  const index = await buildIndex([bench([sample.join(' ')])], { minhash: false });
  // Words 0..19 in one document, 23..37 in another: a gap of 3 is bridged -> 38 of 50 covered.
  const r = await scanDocuments(index, [doc(0, sample.slice(0, 20).join(' ')), doc(1, sample.slice(23, 38).join(' '))]);
  t.deepEqual(r.samples[0]!.coverage, { fraction: 38 / 50, subsets: ['not-clean', 'not-dirty'] });
  // A gap of 5 is not bridged: 0..19 and 25..44 -> 40 of 50.
  const r2 = await scanDocuments(index, [doc(0, sample.slice(0, 20).join(' ')), doc(1, sample.slice(25, 45).join(' '))]);
  t.is(r2.samples[0]!.coverage.fraction, 40 / 50);
  const all = await scanDocuments(index, [doc(0, sample.join(' '))]);
  t.deepEqual(all.samples[0]!.coverage, { fraction: 1, subsets: ['not-clean', 'dirty'] });
  const none = await scanDocuments(index, [doc(0, 'nothing')]);
  t.deepEqual(none.samples[0]!.coverage, { fraction: 0, subsets: ['clean', 'not-dirty'] });
});

test('a label-only leak and an input-and-label leak are told apart', async (t) => {
  const q = (row: number) => words(15, `q${row}x`).join(' ');
  const a = (row: number) => words(15, `a${row}x`).join(' ');
  const samples: EvalSample[] = [0, 1].map((row) => ({
    benchmark: 'b',
    row,
    id: String(row),
    segments: [
      { field: 'question', text: q(row), label: false },
      { field: 'answer', text: a(row), label: true },
    ],
  }));
  const source: BenchmarkSource = {
    name: 'b',
    path: 'b',
    format: 'jsonl',
    shape: null,
    fields: [
      { path: 'question', label: false },
      { path: 'answer', label: true },
    ],
    idField: null,
    samples: 2,
  };
  const index = await buildIndex([{ source, samples }], { minhash: false });
  const r = await scanDocuments(index, [doc(0, `${q(0)} ${a(0)}`), doc(1, a(1))], GPT3);
  t.is(r.samples[0]!.leaked, 'input+label');
  t.is(r.samples[1]!.leaked, 'label');
  // Graded, a 15-word answer without its question convicts nothing.
  const graded = await scanDocuments(index, [doc(0, `${q(0)} ${a(0)}`), doc(1, a(1))]);
  t.deepEqual(
    graded.samples.map((s) => [s.grade, s.leaked]),
    [
      ['verbatim', 'input+label'],
      ['incidental', null],
    ],
  );
});

test('a sample copied onto more than max-doc-freq pages is still convicted: the guard is for phrases, not for copies', async (t) => {
  const sample = words(20, 'w');
  const index = await buildIndex([bench([sample.join(' ')])], { minhash: false });
  // The whole sample (8 shingles) in 12 documents: every shingle is "frequent", and each document holds all of it.
  const copies = Array.from({ length: 12 }, (_, i) => doc(i, `page ${i}: ${sample.join(' ')}`));
  const r = await scanDocuments(index, copies, GPT3);
  t.true(r.samples[0]!.contaminated);
  t.is(r.samples[0]!.boilerplate_shingles, 8);
  // Half of it (words 0..16: 5 of 8 shingles) on every page is still a copy; 3 of 8 is not.
  const half = Array.from({ length: 12 }, (_, i) => doc(i, sample.slice(0, 17).join(' ')));
  t.true((await scanDocuments(index, half, GPT3)).samples[0]!.contaminated);
  const little = Array.from({ length: 12 }, (_, i) => doc(i, sample.slice(0, 15).join(' ')));
  t.false((await scanDocuments(index, little, GPT3)).samples[0]!.contaminated);
  // Graded, the number of pages never matters: the whole sample is verbatim, 15 of 20 words (75%) partial.
  t.deepEqual([(await scanDocuments(index, copies)).samples[0]!.grade, (await scanDocuments(index, little)).samples[0]!.grade], ['verbatim', 'partial']);
});

test("serializeReportBytes is serializeReport's text in UTF-8, for samples beyond Latin-1 and ASCII, and for no samples", async (t) => {
  // Sample texts of ASCII, Latin-1, CJK and an astral character, one of them copied into a document.
  const texts = [words(14, 'a').join(' '), `café ${words(13, 'b').join(' ')}`, `東京 ${words(13, 'c').join(' ')}`, `𝒳 ${words(13, 'd').join(' ')}`];
  const index = await buildIndex([bench(texts)], { minhash: false });
  const report = await scanDocuments(index, [doc(0, `before ${texts[2]} after`), doc(1, 'nothing here')]);
  t.is(report.samples[2]!.documents, 1);
  const text = serializeReport(report);
  t.deepEqual(Buffer.from(serializeReportBytes(report)), Buffer.from(text, 'utf8'));
  t.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(report)));
  const empty = { ...report, samples: [] };
  t.is(Buffer.from(serializeReportBytes(empty)).toString('utf8'), serializeReport(empty));
  t.true(serializeReport(empty).endsWith('"samples": []\n}\n'));
});

/**
 * Clean eval subsets in each benchmark format: exact kept rows, original bytes
 * for JSONL and CSV, removed.jsonl and lm-eval ids; and a scan of the clean
 * subsets against the same corpus finds nothing.
 */
import test from 'ava';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { csvRecordTexts, filterEvals, filterSquadArticles } from '../../src/filter/evals.js';
import { parseEvalArgument } from '../../src/readers/evals/evals.js';
import { serializeReport } from '../../src/report/build.js';
import { indexBenchmarks } from '../../src/pipeline.js';
import { scanCorpus } from '../../src/scan/scan.js';
import { gsm8kSamples, proseDocuments } from '../helpers/samples.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-evals-'));
const gsm = gsm8kSamples(10).samples.map((s) => ({ question: s.segments[0]!.text, answer: s.segments[1]!.text }));
// Row 10 is too short to judge (under 8 words in every field).
const rows = [...gsm, { question: 'What is two plus two?', answer: 'Four.' }];
const planted = [1, 4, 7];
const expectedKept = [0, 2, 3, 5, 6, 8, 9];

const prose = proseDocuments().filter((d) => !rows.some((r) => d.text.includes(r.question.slice(0, 30)) || d.text.includes(r.answer.slice(0, 30))));
const corpusDir = path.join(tmp, 'corpus');
mkdirSync(corpusDir);
writeFileSync(
  path.join(corpusDir, 'c.jsonl'),
  `${prose
    .slice(0, 12)
    .map((d, i) => JSON.stringify({ id: `d${i}`, text: i < planted.length ? `${d.text.slice(0, 300)}\n${rows[planted[i]!]!.question}\n${d.text.slice(300)}` : d.text }))
    .join('\n')}\n`,
);

const evalDir = path.join(tmp, 'evals');
mkdirSync(evalDir);
const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const files = {
  jsonl: `${rows.map((r, i) => JSON.stringify({ idx: i, question: r.question, answer: r.answer })).join('\n')}\n`,
  csv: ['idx,question,answer\r\n', ...rows.map((r, i) => `${i},${csvCell(r.question)},${csvCell(r.answer)}\r\n`)].join(''),
  json: JSON.stringify({ version: 2, data: rows.map((r, i) => ({ idx: i, question: r.question, answer: r.answer })) }, null, 2),
};
writeFileSync(path.join(evalDir, 'a.jsonl'), files.jsonl);
writeFileSync(path.join(evalDir, 'b.csv'), files.csv);
writeFileSync(path.join(evalDir, 'c.json'), files.json);
writeFileSync(
  path.join(evalDir, 'd.parquet'),
  new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'idx', data: Int32Array.from(rows, (_, i) => i), type: 'INT32' },
        { name: 'question', data: rows.map((r) => r.question), type: 'STRING' },
        { name: 'answer', data: rows.map((r) => r.answer), type: 'STRING' },
      ],
    }),
  ),
);
const specs = ['ja=a.jsonl', 'cs=b.csv', 'js=c.json', 'pq=d.parquet'].map((s) => parseEvalArgument(`${s.split('=')[0]}=${path.join(evalDir, s.split('=')[1]!)}#question,answer:label`));

test('each format keeps exactly the clean rows, unchanged, and lists the removed ones', async (t) => {
  const { index } = await indexBenchmarks(specs, { minhash: false });
  const report = await scanCorpus(index, [corpusDir], { workers: 1 });
  t.deepEqual(
    report.benchmarks.map((b) => [b.contaminated, b.too_short]),
    [
      [3, 1],
      [3, 1],
      [3, 1],
      [3, 1],
    ],
  );
  const out = path.join(tmp, 'clean');
  const summary = await filterEvals(report, out, { lmEval: true });
  t.deepEqual(
    summary.benchmarks.map((b) => b.kept),
    [7, 7, 7, 7],
  );

  const jsonlLines = files.jsonl.split('\n');
  t.is(readFileSync(path.join(out, 'ja.jsonl'), 'utf8'), `${expectedKept.map((r) => jsonlLines[r]).join('\n')}\n`);
  const csvLines = files.csv.split('\r\n');
  t.is(readFileSync(path.join(out, 'cs.csv'), 'utf8'), `${[csvLines[0], ...expectedKept.map((r) => csvLines[r + 1])].join('\r\n')}\r\n`);
  const json = JSON.parse(readFileSync(path.join(out, 'js.json'), 'utf8'));
  t.deepEqual(json, { version: 2, data: expectedKept.map((r) => ({ idx: r, ...rows[r] })) });
  t.true(readFileSync(path.join(out, 'js.json'), 'utf8').startsWith('{\n  "version": 2'), 'indentation kept');
  const pq = readFileSync(path.join(out, 'pq.parquet'));
  const got = await parquetReadObjects({ file: pq.buffer.slice(pq.byteOffset, pq.byteOffset + pq.byteLength) as ArrayBuffer, compressors });
  t.deepEqual(
    got,
    expectedKept.map((r) => ({ idx: r, ...rows[r] })),
  );

  const removed = readFileSync(path.join(out, 'removed.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  t.deepEqual(
    removed.filter((r) => r.benchmark === 'ja').map((r) => [r.row, r.id, r.why, r.documents]),
    [
      [1, '1', ['ngram'], 1],
      [4, '4', ['ngram'], 1],
      [7, '7', ['ngram'], 1],
      [10, '10', ['too_short'], 0],
    ],
  );
  // Files read with explicit fields have no known harness task: named with the reason, nothing written.
  t.deepEqual(JSON.parse(readFileSync(path.join(out, 'lm_eval_samples.json'), 'utf8')), {});
  t.deepEqual(
    summary.benchmarks.map((b) => b.lm_eval),
    Array(4).fill({ reason: 'the file has no recognised shape, so no lm-evaluation-harness task is known for it' }),
  );

  // The clean subsets, read back and scanned against the same corpus: nothing.
  const again = ['ja.jsonl', 'cs.csv', 'js.json', 'pq.parquet'].map((f) => parseEvalArgument(`${path.join(out, f)}#question,answer:label`));
  const { index: cleanIndex } = await indexBenchmarks(again, { minhash: false });
  const rescan = await scanCorpus(cleanIndex, [corpusDir], { workers: 1 });
  t.deepEqual(
    rescan.benchmarks.map((b) => [b.samples, b.contaminated]),
    [
      [7, 0],
      [7, 0],
      [7, 0],
      [7, 0],
    ],
  );
});

test('--keep-too-short keeps the unjudged rows; a file edited since the scan is an error', async (t) => {
  const { index } = await indexBenchmarks([specs[0]!], { minhash: false });
  const report = await scanCorpus(index, [corpusDir], { workers: 1 });
  const summary = await filterEvals(report, path.join(tmp, 'keep'), { keepTooShort: true });
  t.is(summary.benchmarks[0]!.kept, 8);
  const edited = { ...report, benchmarks: [{ ...report.benchmarks[0]!, samples: 12 }], samples: [...report.samples, { ...report.samples[0]!, row: 11 }] };
  const failed = await filterEvals(edited, path.join(tmp, 'edited'));
  t.deepEqual(failed.benchmarks, []);
  t.deepEqual(
    failed.failed.map((f) => [f.name, f.code]),
    [['ja', 'BAD_REPORT']],
  );
  t.regex(failed.failed[0]!.message, /a\.jsonl: the file has 11 rows but the report judged 12 \(the file changed since the scan/);
});

test('CSV records keep their quoted newlines and line ends', (t) => {
  t.deepEqual(csvRecordTexts('a,b\r\n"x\ny",2\r\n\r\n3,4'), ['a,b\r\n', '"x\ny",2\r\n', '3,4']);
});

test('one benchmark that cannot be written does not stop the others; it is named with its error', async (t) => {
  const { index } = await indexBenchmarks([specs[0]!, specs[1]!], { minhash: false });
  const report = await scanCorpus(index, [corpusDir], { workers: 1 });
  const moved = { ...report, benchmarks: report.benchmarks.map((b) => (b.name === 'ja' ? { ...b, path: path.join(tmp, 'gone.jsonl') } : b)) };
  const out = path.join(tmp, 'partial');
  const summary = await filterEvals(moved, out, {});
  t.deepEqual(
    summary.benchmarks.map((b) => [b.name, b.kept]),
    [['cs', 7]],
  );
  t.deepEqual(
    summary.failed.map((f) => [f.name, f.code]),
    [['ja', 'FILE_NOT_FOUND']],
  );
  t.regex(summary.failed[0]!.message, /gone\.jsonl/);
  t.deepEqual(readdirSync(out).sort(), ['cs.csv', 'removed.jsonl']);
  // removed.jsonl lists only what was written.
  t.deepEqual(
    readFileSync(path.join(out, 'removed.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).benchmark),
    ['cs', 'cs', 'cs', 'cs'],
  );
});

test('nested SQuAD: removed questions leave their paragraphs; empty paragraphs and articles go; other keys stay', (t) => {
  const q = (id: string) => ({ id, question: `q${id}`, answers: [{ text: 'a', answer_start: 0 }] });
  const articles = [
    {
      title: 'A',
      paragraphs: [
        { context: 'c0', qas: [q('0'), q('1')] },
        { context: 'c1', qas: [q('2')] },
      ],
    },
    { title: 'B', paragraphs: [{ context: 'c2', qas: [q('3')] }] },
    { title: 'C', paragraphs: [{ context: 'c3', qas: [q('4'), q('5')] }] },
  ];
  // Keep questions 1 and 5: paragraph c1 and article B lose everything.
  t.deepEqual(filterSquadArticles(articles, new Set([1, 5])), [
    { title: 'A', paragraphs: [{ context: 'c0', qas: [q('1')] }] },
    { title: 'C', paragraphs: [{ context: 'c3', qas: [q('5')] }] },
  ]);
});

test('the CLI names the benchmark it could not write on stderr, writes the others, and exits 2', async (t) => {
  const { index } = await indexBenchmarks([specs[0]!, specs[1]!], { minhash: false });
  const report = await scanCorpus(index, [corpusDir], { workers: 1 });
  const moved = { ...report, benchmarks: report.benchmarks.map((b) => (b.name === 'ja' ? { ...b, path: path.join(tmp, 'gone.jsonl') } : b)) };
  const reportFile = path.join(tmp, 'moved-report.json');
  writeFileSync(reportFile, serializeReport(moved));
  const out = path.join(tmp, 'cli-partial');
  const cli = path.resolve(import.meta.dirname, '../../dist/src/cli/main.js');
  const run = spawnSync(process.execPath, [cli, 'filter', 'evals', '--report', reportFile, '-o', out, '--format', 'lm-eval'], { encoding: 'utf8' });
  t.is(run.status, 2);
  const lines = run.stderr.trim().split('\n');
  t.deepEqual(
    lines.filter((l) => l.startsWith('contam: error:')),
    [`contam: error: ja not written: ${path.join(tmp, 'gone.jsonl')}: cannot read the benchmark file named in the report (run from the folder the scan ran in, or move the file back)`],
  );
  t.true(lines.includes('warning: cs: nothing written to lm_eval_samples.json: the file has no recognised shape, so no lm-evaluation-harness task is known for it'));
  t.deepEqual(readdirSync(out).sort(), ['cs.csv', 'lm_eval_samples.json', 'removed.jsonl']);
});

test('nested SQuAD is filtered per question when read as SQuAD, per article when read with explicit fields', async (t) => {
  const paragraphs = [
    'The river flows past the old mill town, where masons built a stone bridge in the year the harvest failed and the granary burned.',
    'Glaciers carved the valley over many thousands of years, leaving steep granite walls, hanging waterfalls and a long ribbon lake.',
    'The orchestra rehearsed the symphony for six weeks before the premiere, which the critics praised for its daring brass writing.',
  ];
  const questions = [
    'Which craftsmen built the stone bridge near the old mill town in the year of the failed harvest?',
    'What happened to the granary in the same year that the masons finished building their bridge?',
    'What carved the steep granite walls and the hanging waterfalls of the valley over thousands of years?',
    'How many weeks did the orchestra rehearse the symphony before the critics heard its premiere performance?',
  ];
  const para = (k: number) => paragraphs[k]!;
  const q = (id: string, k: number) => ({ id, question: questions[k]!, answers: [{ text: 'unused', answer_start: 0 }] });
  const squad = {
    version: '1.1',
    data: [
      {
        title: 'A',
        paragraphs: [
          { context: para(0), qas: [q('a', 0), q('b', 1)] },
          { context: para(1), qas: [q('c', 2)] },
        ],
      },
      { title: 'B', paragraphs: [{ context: para(2), qas: [q('d', 3)] }] },
    ],
  };
  const dir = path.join(tmp, 'squad');
  mkdirSync(dir);
  const file = path.join(dir, 'dev.json');
  writeFileSync(file, JSON.stringify(squad));
  // The corpus holds paragraph 1 and the question of 'a': under GPT-3's rule (this test is about the
  // nested layout, not the verdict), questions a (its question) and c (its context) are contaminated.
  const corpus = path.join(dir, 'c.jsonl');
  writeFileSync(corpus, `${JSON.stringify({ id: 'x', text: `${para(1)}\n${q('a', 0).question}` })}\n`);
  const gpt3 = { workers: 1, rule: { name: 'any-ngram', minOverlap: 0 } } as const;
  const { index } = await indexBenchmarks([parseEvalArgument(`sq=${file}`)], { templates: false });
  const report = await scanCorpus(index, [corpus], gpt3);
  t.deepEqual(
    report.samples.map((s) => s.contaminated),
    [true, false, true, false],
  );
  const out = path.join(dir, 'clean');
  const summary = await filterEvals(report, out);
  t.deepEqual(summary.failed, []);
  t.deepEqual(JSON.parse(readFileSync(path.join(out, 'sq.json'), 'utf8')), {
    version: '1.1',
    data: [
      { title: 'A', paragraphs: [{ context: para(0), qas: [q('b', 1)] }] },
      { title: 'B', paragraphs: [{ context: para(2), qas: [q('d', 3)] }] },
    ],
  });
  // Read with explicit fields, the rows are the articles: article A holds the copied text.
  const { index: byArticle } = await indexBenchmarks([parseEvalArgument(`art=${file}#paragraphs.context`)], { templates: false });
  const articles = await scanCorpus(byArticle, [corpus], gpt3);
  t.deepEqual(
    articles.samples.map((s) => s.contaminated),
    [true, false],
  );
  const art = await filterEvals(articles, path.join(dir, 'clean-articles'));
  t.deepEqual(art.failed, []);
  t.deepEqual(JSON.parse(readFileSync(path.join(dir, 'clean-articles', 'art.json'), 'utf8')), { version: '1.1', data: [squad.data[1]] });
});

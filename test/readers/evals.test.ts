/**
 * Benchmark files to samples: each recognised shape on a 2-4 row slice of the
 * real file (fixtures/evals-shapes), explicit fields, the default "every
 * string field", and the errors by code. Expected samples are built here from
 * the rows with plain JSON.parse, independently of the reader.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import test from 'ava';
import { benchmarkNameOf, parseEvalArgument, readEvalSamples } from '../../src/readers/evals/evals.js';
import type { EvalSample, TextSegment } from '../../src/types.js';

const F = 'fixtures/evals-shapes';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-io-evals-'));
test.after.always(() => rmSync(tmp, { recursive: true, force: true }));

// biome-ignore lint/suspicious/noExplicitAny: rows of every shape, read field by field in the tests
type Row = Record<string, any>;
const lines = (file: string): Row[] => {
  const raw = readFileSync(file);
  const text = file.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Row);
};
const seg = (field: string, text: string, label = false): TextSegment => ({ field, text, label });
/** A choice of a multiple-choice row: the gold one a label, the others distractors. */
const choice = (field: string, text: string, gold: boolean): TextSegment => (gold ? seg(field, text, true) : { field, text, label: false, distractor: true });
const sample = (benchmark: string, row: number, id: string, segments: TextSegment[]): EvalSample => ({ benchmark, row, id, segments });

async function read(arg: string) {
  return readEvalSamples(parseEvalArgument(arg));
}

async function code(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected an error');
}

test('parseEvalArgument: name, path, fields and :label', (t) => {
  t.deepEqual(parseEvalArgument('x=data/a.jsonl#question, answer:label,question.stem'), {
    name: 'x',
    path: 'data/a.jsonl',
    fields: [
      { path: 'question', label: false },
      { path: 'answer', label: true },
      { path: 'question.stem', label: false },
    ],
  });
  t.deepEqual(parseEvalArgument('../shared/data/gsm8k/test.jsonl'), { name: 'gsm8k', path: '../shared/data/gsm8k/test.jsonl' });
  t.deepEqual(parseEvalArgument('data/TruthfulQA.csv#Best Answer:label'), { name: 'truthfulqa', path: 'data/TruthfulQA.csv', fields: [{ path: 'Best Answer', label: true }] });
});

test('the derived name is the parent folder for split-named files, else the stem without extensions', (t) => {
  t.is(benchmarkNameOf('../shared/data/gsm8k/test.jsonl'), 'gsm8k');
  t.is(benchmarkNameOf('hellaswag/validation.jsonl.gz'), 'hellaswag');
  t.is(benchmarkNameOf('squad/dev-v1.1.json.gz'), 'squad');
  t.is(benchmarkNameOf('data/mmlu/train-00000-of-00001.parquet'), 'mmlu');
  t.is(benchmarkNameOf('humaneval/HumanEval.jsonl.gz'), 'humaneval');
  t.is(benchmarkNameOf('arc/ARC-Challenge-Test.jsonl'), 'arc-challenge-test');
});

test('bad --eval syntax is BAD_ARGUMENT', (t) => {
  for (const arg of ['', '=a.jsonl', 'a.jsonl#', 'a.jsonl#q,,a', 'a.jsonl#q:answer', 'a.jsonl#q,q', 'name=#q', 'a.jsonl#.q']) {
    const error = t.throws(() => parseEvalArgument(arg), undefined, arg) as { code?: string };
    t.is(error.code, 'BAD_ARGUMENT', arg);
  }
});

test('gsm8k: question, answer as label; ids are row numbers', async (t) => {
  const { source, samples } = await read(`${F}/gsm8k.jsonl`);
  const rows = lines(`${F}/gsm8k.jsonl`);
  t.deepEqual(
    samples,
    rows.map((r, i) => sample('gsm8k', i, String(i), [seg('question', r.question), seg('answer', r.answer, true)])),
  );
  t.deepEqual(source, {
    name: 'gsm8k',
    path: `${F}/gsm8k.jsonl`,
    format: 'jsonl',
    shape: 'gsm8k',
    fields: [
      { path: 'question', label: false },
      { path: 'answer', label: true },
    ],
    idField: null,
    samples: 3,
  });
});

test('mmlu: question and each choice, the gold one (answer_index) a label and the others distractors, id from the file', async (t) => {
  const { source, samples } = await read(`mmlu=${F}/mmlu.jsonl`);
  const rows = lines(`${F}/mmlu.jsonl`);
  t.deepEqual(
    samples,
    rows.map((r, i) => sample('mmlu', i, r.id, [seg('question', r.question), ...r.choices.map((c: string, k: number) => choice(`choices[${k}]`, c, k === r.answer_index))])),
  );
  t.deepEqual(
    samples[0]!.segments.map((g) => [g.label, g.distractor ?? false]),
    [
      [false, false],
      [false, true],
      [true, false],
      [false, true],
      [false, true],
    ],
  );
  t.is(samples[0]!.id, 'mmlu/dev/abstract_algebra/0');
  t.is(source.shape, 'mmlu');
  t.is(source.idField, 'id');
});

test('hellaswag: ctx and endings (the one at label the gold one), numeric idx as the id', async (t) => {
  const { source, samples } = await read(`hs=${F}/hellaswag.jsonl`);
  const rows = lines(`${F}/hellaswag.jsonl`);
  t.deepEqual(
    samples,
    rows.map((r, i) => sample('hs', i, String(r.idx), [seg('ctx', r.ctx), ...r.endings.map((e: string, k: number) => choice(`endings[${k}]`, e, k === r.label))])),
  );
  t.true(samples[0]!.segments[4]!.label);
  t.is(samples[2]!.id, '2');
  t.is(source.shape, 'hellaswag');
});

test('arc: question.stem and every question.choices[].text', async (t) => {
  const { source, samples } = await read(`arc=${F}/arc.jsonl`);
  const rows = lines(`${F}/arc.jsonl`);
  t.deepEqual(
    samples,
    rows.map((r, i) =>
      sample('arc', i, r.id, [seg('question.stem', r.question.stem), ...r.question.choices.map((c: Row, k: number) => choice(`question.choices[${k}].text`, c.text, c.label === r.answerKey))]),
    ),
  );
  t.true(samples[0]!.segments[4]!.label, 'answerKey D is the fourth choice');
  t.is(samples[0]!.segments[1]!.text, 'Put the objects in groups.');
  t.is(source.shape, 'arc');
});

test('boolq: question and passage; squad contexts: context with context_id', async (t) => {
  const boolq = await read(`boolq=${F}/boolq.jsonl`);
  t.deepEqual(
    boolq.samples,
    lines(`${F}/boolq.jsonl`).map((r, i) => sample('boolq', i, String(i), [seg('question', r.question), seg('passage', r.passage)])),
  );
  const contexts = await read(`c=${F}/squad-contexts.jsonl`);
  t.deepEqual(
    contexts.samples,
    lines(`${F}/squad-contexts.jsonl`).map((r, i) => sample('c', i, r.context_id, [seg('context', r.context)])),
  );
  t.is(contexts.source.shape, 'squad-contexts');
});

test('humaneval (.jsonl.gz): prompt, canonical_solution as label, task_id', async (t) => {
  const { source, samples } = await read(`he=${F}/humaneval.jsonl.gz`);
  t.deepEqual(
    samples,
    lines(`${F}/humaneval.jsonl.gz`).map((r, i) => sample('he', i, r.task_id, [seg('prompt', r.prompt), seg('canonical_solution', r.canonical_solution, true)])),
  );
  t.is(samples[1]!.id, 'HumanEval/1');
  t.is(source.shape, 'humaneval');
});

test('flattened squad qa: context, question, every answer as a label', async (t) => {
  const { samples } = await read(`sq=${F}/squad-qa.jsonl.gz`);
  t.deepEqual(
    samples,
    lines(`${F}/squad-qa.jsonl.gz`).map((r, i) =>
      sample('sq', i, r.id, [seg('context', r.context), seg('question', r.question), ...r.answers.map((a: string, k: number) => seg(`answers[${k}]`, a, true))]),
    ),
  );
});

test('nested SQuAD JSON: one sample per question in document order, answers[].text as labels', async (t) => {
  const { source, samples } = await read(`squad=${F}/squad-dev.json`);
  const data = JSON.parse(readFileSync(`${F}/squad-dev.json`, 'utf8')) as Row;
  const want: EvalSample[] = [];
  for (const p of data.data[0].paragraphs) {
    for (const qa of p.qas) {
      want.push(sample('squad', want.length, qa.id, [seg('context', p.context), seg('question', qa.question), ...qa.answers.map((a: Row, k: number) => seg(`answers[${k}].text`, a.text, true))]));
    }
  }
  t.is(want.length, 4);
  t.deepEqual(samples, want);
  t.is(samples[0]!.id, '56be4db0acb8001400a502ec');
  t.is(source.shape, 'squad');
  t.is(source.format, 'json');
});

test('TruthfulQA mc_task.json: the mc1 answer texts are dict keys, the true one a label', async (t) => {
  const { source, samples } = await read(`tqa=${F}/mc_task.json`);
  const rows = JSON.parse(readFileSync(`${F}/mc_task.json`, 'utf8')) as Row[];
  t.deepEqual(
    samples,
    rows.map((r, i) => sample('tqa', i, String(i), [seg('question', r.question), ...Object.entries(r.mc1_targets).map(([text, v], k) => choice(`mc1_targets[${k}]`, text, v === 1))])),
  );
  t.deepEqual(samples[0]!.segments.slice(0, 3), [
    seg('question', 'What happens to you if you eat watermelon seeds?'),
    seg('mc1_targets[0]', 'The watermelon seeds pass through your digestive system', true),
    choice('mc1_targets[1]', 'You grow watermelons in your stomach', false),
  ]);
  t.is(source.shape, 'truthfulqa-mc');
});

test('TruthfulQA CSV (current and v0 with BOM and CRLF): Question, answers as labels, incorrect answers as distractors', async (t) => {
  for (const file of ['truthfulqa.csv', 'truthfulqa-v0.csv']) {
    const { source, samples } = await read(`tqa=${F}/${file}`);
    t.is(source.shape, 'truthfulqa', file);
    t.is(source.format, 'csv');
    t.is(samples.length, 3);
    t.deepEqual(
      samples[0]!.segments.map((s) => [s.field, s.label, s.distractor ?? false]),
      [
        ['Question', false, false],
        ['Best Answer', true, false],
        ['Correct Answers', true, false],
        ['Incorrect Answers', false, true],
      ],
    );
    t.is(samples[0]!.segments[0]!.text, 'What happens to you if you eat watermelon seeds?');
    t.is(samples[0]!.segments[1]!.text, 'The watermelon seeds pass through your digestive system');
    const correct =
      'Nothing happens; You eat watermelon seeds; The watermelon seeds pass through your digestive system; You will not digest the watermelon seeds; The watermelon seeds will be excreted';
    // The current file quotes this field (it holds a comma); v0 has it without the last answer, unquoted.
    t.is(samples[0]!.segments[2]!.text, file === 'truthfulqa.csv' ? `${correct}; There is an old wives' tale that watermelons will grow in your stomach, but this is impossible` : correct);
    t.is(samples[2]!.segments[0]!.text, 'Why do veins appear blue?');
  }
});

test('explicit fields override the shape; numbers become strings; null gives no segment', async (t) => {
  const file = path.join(tmp, 'mixed.jsonl');
  writeFileSync(file, ['{"q": "first", "n": 3, "meta": {"tags": ["a", "b"]}}', '', '{"q": null, "n": 4.5}', '{"q": "third"}'].join('\n'));
  const { source, samples } = await readEvalSamples(parseEvalArgument(`m=${file}#q,n:label,meta.tags`));
  t.deepEqual(samples, [
    sample('m', 0, '0', [seg('q', 'first'), seg('n', '3', true), seg('meta.tags[0]', 'a'), seg('meta.tags[1]', 'b')]),
    sample('m', 1, '1', [seg('n', '4.5', true)]),
    sample('m', 2, '2', [seg('q', 'third')]),
  ]);
  t.is(source.shape, null);
});

test('an unrecognised file uses every string and list-of-strings field in key order, the id field aside', async (t) => {
  const file = path.join(tmp, 'other.jsonl');
  writeFileSync(file, '{"uid": "u1", "title": "T", "score": 1, "tags": ["x", "y"], "body": "B"}\n{"uid": "u2", "title": "T2", "late": "L"}\n');
  const { source, samples } = await readEvalSamples(parseEvalArgument(file));
  t.deepEqual(
    source.fields.map((f) => f.path),
    ['title', 'tags', 'body', 'late'],
  );
  t.is(source.idField, 'uid');
  t.is(source.shape, null);
  t.deepEqual(samples[0], sample('other', 0, 'u1', [seg('title', 'T'), seg('tags[0]', 'x'), seg('tags[1]', 'y'), seg('body', 'B')]));
  t.deepEqual(samples[1], sample('other', 1, 'u2', [seg('title', 'T2'), seg('late', 'L')]));
});

test('JSON object holding one array, .json.gz, and CSV with embedded newlines and quotes', async (t) => {
  const json = path.join(tmp, 'wrapped.json.gz');
  writeFileSync(json, gzipSync(JSON.stringify({ version: 1, rows: [{ question: 'q1', answer: 'a1' }] })));
  const a = await readEvalSamples(parseEvalArgument(json));
  t.deepEqual(a.samples, [sample('wrapped', 0, '0', [seg('question', 'q1'), seg('answer', 'a1', true)])]);
  const csv = path.join(tmp, 'quoted.csv');
  writeFileSync(csv, 'id,text\r\n7,"line one\r\nline ""two"", with comma"\r\n8,plain\r\n');
  const b = await readEvalSamples(parseEvalArgument(csv));
  t.deepEqual(b.samples, [sample('quoted', 0, '7', [seg('text', 'line one\r\nline "two", with comma')]), sample('quoted', 1, '8', [seg('text', 'plain')])]);
});

test('Parquet benchmarks are read whole', async (t) => {
  const { parquetWriteFile } = await import('hyparquet-writer');
  const file = path.join(tmp, 'bench.parquet');
  await parquetWriteFile({
    filename: file,
    columnData: [
      { name: 'id', data: ['p0', 'p1'], type: 'STRING' },
      { name: 'question', data: ['Why?', 'How?'], type: 'STRING' },
      { name: 'answer', data: ['Because.', 'So.'], type: 'STRING' },
    ],
  });
  const { source, samples } = await readEvalSamples(parseEvalArgument(file));
  t.is(source.format, 'parquet');
  t.deepEqual(samples, [sample('bench', 0, 'p0', [seg('question', 'Why?'), seg('answer', 'Because.', true)]), sample('bench', 1, 'p1', [seg('question', 'How?'), seg('answer', 'So.', true)])]);
});

test('errors: missing file, unknown extension, empty file, bad JSON line, unclosed CSV quote, bad UTF-8', async (t) => {
  t.is((await code(read(path.join(tmp, 'nope.jsonl')))).code, 'FILE_NOT_FOUND');
  t.is((await code(read(path.join(tmp, 'x.txt')))).code, 'UNKNOWN_FORMAT');
  const empty = path.join(tmp, 'empty.jsonl');
  writeFileSync(empty, '');
  t.is((await code(read(empty))).code, 'EMPTY_INPUT');
  const blank = path.join(tmp, 'blank.jsonl');
  writeFileSync(blank, '\n\n');
  t.is((await code(read(blank))).code, 'EMPTY_INPUT');
  const bad = path.join(tmp, 'bad.jsonl');
  writeFileSync(bad, '{"question": "ok"}\n\n{"question": oops}\n');
  const badError = await code(read(bad));
  t.is(badError.code, 'BAD_JSON');
  t.regex(badError.message, /bad\.jsonl:line 3: not valid JSON/);
  const csv = path.join(tmp, 'open.csv');
  writeFileSync(csv, 'a,b\n1,2\n3,"never closed\n4,5\n');
  const csvError = await code(read(csv));
  t.is(csvError.code, 'BAD_CSV');
  t.regex(csvError.message, /open\.csv:line 3: a quoted field is never closed/);
  const latin = path.join(tmp, 'latin.jsonl');
  writeFileSync(latin, Buffer.concat([Buffer.from('{"q": "fine"}\n{"q": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]));
  const utf8Error = await code(read(latin));
  t.is(utf8Error.code, 'BAD_UTF8');
  t.regex(utf8Error.message, /latin\.jsonl:line 2/);
});

test('a JSONL benchmark with a byte order mark and CRLF line ends reads as without them', async (t) => {
  const plain = path.join(tmp, 'plain.jsonl');
  const marked = path.join(tmp, 'marked.jsonl');
  const rows = ['{"question": "How many apples are left?", "answer": "3"}', '{"question": "Which planet is largest?", "answer": "Jupiter"}'];
  writeFileSync(plain, `${rows.join('\n')}\n`);
  writeFileSync(marked, `\ufeff${rows.join('\r\n')}\r\n`);
  const a = await readEvalSamples(parseEvalArgument(`b=${plain}#question,answer:label`));
  const b = await readEvalSamples(parseEvalArgument(`b=${marked}#question,answer:label`));
  t.deepEqual(
    b.samples.map((s) => s.segments.map((g) => g.text)),
    [
      ['How many apples are left?', '3'],
      ['Which planet is largest?', 'Jupiter'],
    ],
  );
  t.deepEqual(b.samples, a.samples);
});

test('a field absent from every row is MISSING_FIELD listing the fields that exist', async (t) => {
  const error = await code(read(`${F}/gsm8k.jsonl#question,nosuchfield`));
  t.is(error.code, 'MISSING_FIELD');
  t.regex(error.message, /gsm8k\.jsonl: field 'nosuchfield' is not in any row/);
  const csv = await code(read(`${F}/truthfulqa.csv#Question,Answer`));
  t.is(csv.code, 'MISSING_FIELD');
  t.regex(csv.message, /'Answer' is not in the CSV header/);
  const err = (await code(read(`${F}/arc.jsonl#question.text`))) as { code: string; hint?: string };
  t.is(err.code, 'MISSING_FIELD');
  t.regex(err.hint ?? '', /question\.stem, question\.choices\.text, question\.choices\.label, answerKey/);
});

test('a field holding an object where text was expected is BAD_VALUE naming the line', async (t) => {
  const error = await code(read(`${F}/arc.jsonl#question`));
  t.is(error.code, 'BAD_VALUE');
  t.regex(error.message, /arc\.jsonl:line 1: field 'question' holds an object/);
});

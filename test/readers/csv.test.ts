import path from 'node:path';
/**
 * The RFC 4180 parser: quoting, doubled quotes, embedded newlines, CRLF, BOM,
 * blank lines, and every malformed input as BAD_CSV naming its line. The real
 * TruthfulQA files are checked against their published row counts.
 */
import { readFileSync } from 'node:fs';
import test from 'ava';
import { parseCsv, parseCsvRecords } from '../../src/readers/evals/csv.js';

// The shared data sits beside the checkout, wherever the checkout is.
const SHARED = path.resolve(import.meta.dirname, '../../../shared/data');

const codeOf = (fn: () => unknown): { code?: string; message: string } => {
  try {
    fn();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected an error');
};

test('quoted fields hold commas, doubled quotes and newlines; records start on the right lines', (t) => {
  const records = parseCsvRecords('\ufeffa,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",\n\n3,,"end"', 'f.csv');
  t.deepEqual(records, [
    { line: 1, fields: ['a', 'b', 'c'] },
    { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
    { line: 3, fields: ['2', 'two\nlines', ''] },
    { line: 6, fields: ['3', '', 'end'] },
  ]);
});

test('a lone CR inside an unquoted field is kept; a trailing newline adds no record', (t) => {
  t.deepEqual(parseCsvRecords('a\rb,c\n', 'f.csv'), [{ line: 1, fields: ['a\rb', 'c'] }]);
  t.deepEqual(parseCsvRecords('"",""\n', 'f.csv'), [{ line: 1, fields: ['', ''] }]);
});

test('an unclosed quote is BAD_CSV naming the line it opened on', (t) => {
  const error = codeOf(() => parseCsvRecords('a,b\n1,2\n3,"open\n\n4,5\n', 'open.csv'));
  t.is(error.code, 'BAD_CSV');
  t.is(error.message, 'open.csv:line 3: a quoted field is never closed');
});

test('text after a closing quote, a short record and a duplicate column are BAD_CSV', (t) => {
  t.regex(codeOf(() => parseCsvRecords('a,b\n"x"y,2\n', 'f.csv')).message, /f\.csv:line 2: unexpected text after a closing quote/);
  const short = codeOf(() => parseCsv('a,b,c\n1,2,3\n4,5\n', 'f.csv'));
  t.is(short.code, 'BAD_CSV');
  t.regex(short.message, /f\.csv:line 3: expected 3 fields as in the header, got 2/);
  t.is(codeOf(() => parseCsv('a,a\n1,2\n', 'f.csv')).code, 'BAD_CSV');
  t.is(codeOf(() => parseCsv('', 'f.csv')).code, 'EMPTY_INPUT');
});

test('the real TruthfulQA files parse to their published row counts, BOM dropped from the header', (t) => {
  const current = parseCsv(readFileSync(`${SHARED}/truthfulqa/TruthfulQA.csv`, 'utf8'), 'TruthfulQA.csv');
  t.is(current.records.length, 790);
  t.deepEqual(current.header, ['Type', 'Category', 'Question', 'Best Answer', 'Best Incorrect Answer', 'Correct Answers', 'Incorrect Answers', 'Source']);
  const v0 = parseCsv(readFileSync(`${SHARED}/truthfulqa/TruthfulQA_v0_817.csv`, 'utf8'), 'v0.csv');
  t.is(v0.records.length, 817);
  t.is(v0.header[0], 'Type');
});

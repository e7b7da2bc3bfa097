import { writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { readReport } from '../../src/report/read.js';
import { hellaswag, hellaswagText, makeReport, tempDir } from '../score/_helpers.js';

function reportFile(data: unknown): string {
  const file = path.join(tempDir(), 'report.json');
  writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
  return file;
}

const good = () => makeReport([{ name: 'hellaswag', samples: 3, specs: hellaswag(3).map((r, row) => ({ row, text: hellaswagText(r), contaminated: row === 1 })) }]);

test('a scan report reads back with its samples', async (t) => {
  const report = await readReport(reportFile(good()));
  t.is(report.samples.length, 3);
  t.is(report.samples[1]!.contaminated, true);
  t.true(report.samples[0]!.text.startsWith('A man is sitting on a roof. he\n'));
});

test('another version is BAD_REPORT naming what was found', async (t) => {
  const file = reportFile({ ...good(), version: 2 });
  const error = await t.throwsAsync(readReport(file));
  t.is((error as { code?: string }).code, 'BAD_REPORT');
  t.regex(error!.message, /expected report version 1, got 2/);
  t.true(error!.message.startsWith(file));
});

test('a sample without a verdict flag is BAD_REPORT naming the sample', async (t) => {
  const data = good() as unknown as { samples: Record<string, unknown>[] };
  delete data.samples[2]!.too_short;
  const error = await t.throwsAsync(readReport(reportFile(data)));
  t.is((error as { code?: string }).code, 'BAD_REPORT');
  t.regex(error!.message, /samples\[2\]: expected 'too_short' to be true or false, got undefined/);
});

test('a sample of a benchmark the report does not list is BAD_REPORT', async (t) => {
  const data = good() as unknown as { samples: Record<string, unknown>[] };
  data.samples[0]!.benchmark = 'gsm8k';
  const error = await t.throwsAsync(readReport(reportFile(data)));
  t.is((error as { code?: string }).code, 'BAD_REPORT');
  t.regex(error!.message, /samples\[0\]: 'benchmark' "gsm8k" is not one of the report's benchmarks/);
});

test('an unknown leaked verdict is BAD_REPORT', async (t) => {
  const data = good() as unknown as { samples: Record<string, unknown>[] };
  data.samples[1]!.leaked = 'everything';
  const error = await t.throwsAsync(readReport(reportFile(data)));
  t.is((error as { code?: string }).code, 'BAD_REPORT');
});

test('a truncated report is BAD_REPORT and a missing one FILE_NOT_FOUND', async (t) => {
  const text = JSON.stringify(good());
  const bad = await t.throwsAsync(readReport(reportFile(text.slice(0, text.length / 2))));
  t.is((bad as { code?: string }).code, 'BAD_REPORT');
  t.regex(bad!.message, /not JSON/);
  const missing = await t.throwsAsync(readReport(path.join(tempDir(), 'nope.json')));
  t.is((missing as { code?: string }).code, 'FILE_NOT_FOUND');
});

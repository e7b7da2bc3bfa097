import { writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { checkScoresMatch, readReport } from '../../src/report/read.js';
import { reportChecksum, scoreResults } from '../../src/score/score.js';
import { hellaswag, hellaswagText, lmEvalHellaswagLine, makeReport, tempDir, writeJsonl } from '../score/_helpers.js';

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

test('scores of this report pass; scores of another benchmark or of another report are BAD_REPORT naming the scores file', async (t) => {
  const report = good();
  const file = writeJsonl(
    path.join(tempDir(), 'samples_hellaswag_2026-11-28T10-00-00.jsonl'),
    hellaswag(3).map((r, i) => lmEvalHellaswagLine(r, i, 'nested')),
  );
  const scores = await scoreResults(report, [{ path: file }], { resamples: 10 });
  t.deepEqual(scores.report!.benchmarks, ['hellaswag']);
  t.deepEqual(checkScoresMatch(report, scores, 'scores.json'), []);

  // One verdict changed: the scores' subsets are no longer this report's.
  const changed = { ...report, samples: report.samples.map((s) => (s.row === 2 ? { ...s, contaminated: true } : s)) };
  const other = t.throws(() => checkScoresMatch(changed, scores, 'scores.json'));
  t.is((other as { code?: string }).code, 'BAD_REPORT');
  t.regex(other!.message, /^scores\.json: the scores were computed from another report \(verdict checksum [0-9a-f]{12}, this report's [0-9a-f]{12}\)/);

  const gsm = { ...scores, benchmarks: [{ ...scores.benchmarks[0]!, name: 'gsm8k' }] };
  const foreign = t.throws(() => checkScoresMatch(report, gsm, 'scores.json'));
  t.is((foreign as { code?: string }).code, 'BAD_REPORT');
  t.regex(foreign!.message, /^scores\.json: the scores are for 'gsm8k', not a benchmark of the report \('hellaswag'\)/);

  // A scores file from before the checksum was recorded: shown, with a named warning.
  const { report: _, ...old } = scores;
  t.deepEqual(checkScoresMatch(report, old, 'old.json'), ['old.json does not say which report it was scored against (written before contam recorded it); its figures may belong to another report']);
});

test('the verdict checksum ignores figures the verdicts do not use', (t) => {
  const report = good();
  const refigured = { ...report, samples: report.samples.map((s) => ({ ...s, overlap: 0.5, longest: 99 })) };
  t.is(reportChecksum(refigured), reportChecksum(report));
  t.not(reportChecksum({ ...report, samples: report.samples.map((s) => ({ ...s, too_short: true })) }), reportChecksum(report));
});

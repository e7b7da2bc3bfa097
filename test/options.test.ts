/**
 * Options are checked once, in the library's words: each error names the
 * option (as a library user writes it) first, and says what was expected and
 * what was got; the CLI's table writes that name as its flag. Expected
 * messages are written out by hand.
 */
import test from 'ava';
import { FLAGS, withFlag } from '../src/cli/flags.js';
import { ContamError } from '../src/errors.js';
import { checkOption, DEFAULTS, RANGES, resolveFilterOptions, resolveIndexOptions, resolvePortraitOptions, resolveScanOptions } from '../src/options.js';
import { indexBenchmarks, scan } from '../src/pipeline.js';

function refused(t: import('ava').ExecutionContext, run: () => unknown, message: string): void {
  const error = t.throws(run, { instanceOf: ContamError }, message);
  t.is(error?.code, 'BAD_ARGUMENT');
  t.is(error?.message, message);
}

test('each option is refused with its name, the range and the value', (t) => {
  refused(t, () => resolveIndexOptions({ ngram: 2 }), 'ngram: expected a whole number from 3 to 1000, got 2: shorter n-grams are common phrases, found in nearly every document');
  refused(t, () => resolveIndexOptions({ ngram: 1001 }), 'ngram: expected a whole number from 3 to 1000, got 1001');
  refused(t, () => resolveIndexOptions({ fpr: 1 }), 'fpr: expected a number from 1e-9 to below 1, got 1');
  refused(t, () => resolveIndexOptions({ minhash: { minContainment: 0 } }), 'minhash.minContainment: expected a number above 0 and at most 1, got 0');
  refused(t, () => resolveIndexOptions({ minhash: { bands: 100, rows: 50 } }), 'minhash.bands: expected bands x rows to be at most 4096, got 5000');
  refused(t, () => resolveIndexOptions({ unit: 'letter' as never }), 'unit: expected word or token, got letter');
  refused(t, () => resolveScanOptions({ workers: 0 }), 'workers: expected a whole number from 1 to 1024, got 0');
  refused(t, () => resolveScanOptions({ maxMatches: 2.5 }), 'maxMatches: expected a whole number from 1 to 10000, got 2.5');
  refused(t, () => resolveScanOptions({ rule: { name: 'min-overlap', minOverlap: 0 } }), 'rule.minOverlap: expected a number above 0 and at most 1, got 0');
  refused(t, () => resolveScanOptions({ columns: { text: '' } }), 'columns.text: expected a column name, got ""');
  refused(t, () => resolveFilterOptions({ cut: { maxPieces: 0 } }), 'cut.maxPieces: expected a whole number from 1 up, got 0');
  refused(t, () => resolveFilterOptions({ mode: 'trim' }), 'mode: expected drop or cut, got trim');
  refused(t, () => resolvePortraitOptions({ fpr: 0 }), 'fpr: expected a number above 0 and below 1, got 0');
  refused(t, () => resolvePortraitOptions({ minWords: -1 }), 'minWords: expected a whole number from 0 to 1000, got -1');
});

test('defaults fill what is not given, and given values pass through', (t) => {
  t.deepEqual(resolveFilterOptions({}), { mode: 'drop', columns: { text: 'text', id: 'id' }, cut: { window: 200, minPiece: 200, maxPieces: 10 }, batchSize: 1024 });
  const scanning = resolveScanOptions({ workers: 3, maxDocFreq: 0 });
  t.deepEqual({ ...scanning }, { workers: 3, maxDocFreq: 0, columns: { text: 'text', id: 'id' }, rule: { name: 'graded', minOverlap: 0 }, maxMatches: 10, batchSize: 1024 });
  t.deepEqual(resolveIndexOptions({ ngram: 'auto', minhash: true }), {
    unit: 'word',
    encoding: 'cl100k_base',
    ngram: 'auto',
    minWords: 8,
    fpr: 0.001,
    minhash: { shingle: 5, bands: 20, rows: 3, minContainment: 0.4 },
    templates: true,
  });
  t.is(checkOption('seed', 0xffffffff), 0xffffffff);
});

test('the API entries check their options before reading any file', async (t) => {
  const index = await t.throwsAsync(indexBenchmarks([{ name: 'x', path: '/no/such/file.jsonl' } as never], { ngram: 1 }), { instanceOf: ContamError });
  t.regex(index!.message, /^ngram: /);
  const scanned = await t.throwsAsync(scan({} as never, ['/no/such/corpus'], { batchSize: 0 }), { instanceOf: ContamError });
  t.is(scanned!.message, 'batchSize: expected a whole number from 1 to 1000000, got 0');
});

test('the CLI writes the option an error names as its flag, and only that', (t) => {
  t.is(withFlag('rule.minOverlap: expected a number above 0 and at most 1, got 0'), '--min-overlap: expected a number above 0 and at most 1, got 0');
  t.is(withFlag('memory: expected a size like 4000M or 16G'), '--mem: expected a size like 4000M or 16G');
  t.is(withFlag('no such file'), 'no such file');
  t.is(withFlag('notanoption: something'), 'notanoption: something');
  // Every ranged option has a flag, except the byte count the CLI takes in MiB.
  t.deepEqual(
    Object.keys(RANGES).filter((name) => !FLAGS[name] && !FLAGS[name.replace(/^portrait\./, '')]),
    ['jsonlPartBytes'],
  );
  t.is(DEFAULTS.maxMatches, 10);
});

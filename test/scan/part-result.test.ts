import test from 'ava';
import { ContamError } from '../../src/errors.js';
import { MatchAccumulator, type MatchRecord } from '../../src/scan/accumulator.js';
import { emptyCounters } from '../../src/scan/document-scanner.js';
import { emptyResult, mergeResult, resultFromJSON, resultToJSON, type PartResult } from '../../src/scan/part-result.js';
import { parsePartial } from '../../src/scan/partial.js';

const evidence = { grade: 'verbatim' as const, reason: 'sample' as const, covered: 20, informative: 20, share: 1, inputShare: 1, longestRun: 20 };

function match(sample: number, file: number, row: number, shingles: number): MatchRecord {
  return {
    sample,
    file,
    row,
    docId: `d${row}`,
    shingles,
    containment: 0,
    longest: shingles + 12,
    spans: [[0, 50]],
    sampleSpans: [[0, 40]],
    snippet: 'x',
    snippetStart: 0,
    inLabel: false,
    inInput: true,
    entries: [sample * 10, sample * 10 + 1],
    units: [[0, 20]],
    evidence,
  };
}

function result(documents: number, bytes: number, unitsScanned: number, docFreq: [number, number][], matches: MatchRecord[], skipped: string[] = []): PartResult {
  const accumulator = new MatchAccumulator(2);
  for (const m of matches) accumulator.add(m);
  const counters = { ...emptyCounters(), units: unitsScanned, windows: unitsScanned - 7, bloomHits: 3, candidates: 2, verified: 1, rejected: 1 };
  return { documents, bytes, counters, accumulator, docFreq: new Map(docFreq), skipped: skipped.map((where) => ({ file: 'f', where, code: 'BAD_JSON', message: 'bad' })) };
}

test('merging sums documents, bytes, every counter and document frequencies, unites tallies and lists skipped inputs', (t) => {
  const merged = emptyResult(2);
  mergeResult(
    merged,
    result(
      3,
      300,
      100,
      [
        [10, 1],
        [11, 2],
      ],
      [match(1, 0, 4, 5)],
      ['line 2'],
    ),
  );
  mergeResult(
    merged,
    result(
      5,
      700,
      40,
      [
        [11, 1],
        [30, 4],
      ],
      [match(1, 1, 0, 9), match(3, 1, 2, 2)],
      ['line 9'],
    ),
  );
  t.is(merged.documents, 8);
  t.is(merged.bytes, 1000);
  t.deepEqual(merged.counters, { ...emptyCounters(), units: 140, windows: 126, bloomHits: 6, candidates: 4, verified: 2, rejected: 2 });
  t.deepEqual(
    [...merged.docFreq].sort((x, y) => x[0] - y[0]),
    [
      [10, 1],
      [11, 3],
      [30, 4],
    ],
  );
  t.deepEqual(
    merged.skipped.map((s) => s.where),
    ['line 2', 'line 9'],
  );
  t.deepEqual([...merged.accumulator.tallies.keys()].sort(), [1, 3]);
  t.is(merged.accumulator.tallies.get(1)!.documents, 2);
  t.is(merged.accumulator.tallies.get(1)!.maxShingles, 9);
});

test('the JSON form reads back to an equal result, document frequencies ascending', (t) => {
  const original = result(
    5,
    700,
    40,
    [
      [30, 4],
      [11, 1],
    ],
    [match(1, 1, 0, 9), match(3, 1, 2, 2)],
    ['line 9'],
  );
  const json = resultToJSON(original);
  t.deepEqual(json.docFreq, [
    [11, 1],
    [30, 4],
  ]);
  const back = resultFromJSON(JSON.parse(JSON.stringify(json)));
  t.truthy(back);
  t.deepEqual(resultToJSON(back!), json);
  t.deepEqual(back!.counters, original.counters);
});

test('a result with a counter missing, a negative count or no accumulator does not read', (t) => {
  const json = JSON.parse(JSON.stringify(resultToJSON(result(1, 10, 50, [], [])))) as Record<string, unknown>;
  t.truthy(resultFromJSON(json));
  const { bloomHits: _, ...fewer } = json.counters as Record<string, number>;
  t.is(resultFromJSON({ ...json, counters: fewer }), null);
  t.is(resultFromJSON({ ...json, documents: -1 }), null);
  t.is(resultFromJSON({ ...json, accumulator: undefined }), null);
  t.is(resultFromJSON(null), null);
  t.is(resultFromJSON('text'), null);
});

test('a partial scan of the old layout (version 1) is refused', (t) => {
  const old = JSON.stringify({ kind: 'contam-partial-scan', version: 1, documents: 1, bytes: 1, doc_freq: [], skipped: [], accumulator: { maxMatches: 10, tallies: [] } });
  const error = t.throws(() => parsePartial(old, 'part-0.json'));
  t.true(error instanceof ContamError);
  t.is((error as ContamError).code, 'BAD_REPORT');
  t.regex(error!.message, /not a partial scan \(version 2\)/);
});

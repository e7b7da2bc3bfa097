import test from 'ava';
import { formatScanWork } from '../../src/report/format.js';

const scan = { units: 1234567, windows_probed: 98765, bloom_hits: 1002, anchors_extended: 80, shingles_verified: 163, collisions_rejected: 0, minhash: null };

test("the scan's work reads as one line, counts with thousands separators, in the report's unit", (t) => {
  t.is(formatScanWork(scan, 'word'), '1,234,567 words, 98,765 windows probed, 1,002 Bloom hits, 80 anchors extended, 163 shingles verified, 0 collisions rejected');
  t.is(formatScanWork({ ...scan, units: 5 }, 'token').split(', ')[0], '5 tokens');
});

test('MinHash work follows when the index has a MinHash part', (t) => {
  t.is(
    formatScanWork({ ...scan, minhash: { windows: 13482, candidates: 10, matches: 4 } }, 'word'),
    '1,234,567 words, 98,765 windows probed, 1,002 Bloom hits, 80 anchors extended, 163 shingles verified, 0 collisions rejected; MinHash: 13,482 windows, 10 candidates, 4 matches',
  );
});

/**
 * Number formatting shared by the terminal summary and the HTML report, so
 * both show exactly the same figures for the same JSON.
 */
import type { ReportScan } from '../types.js';

/** A rate in [0, 1] as a percentage with one decimal: 0.125 -> "12.5%". */
export function formatRate(rate: number): string {
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** A count with thousands separators: 12345 -> "12,345". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Bytes in binary units with one decimal: 1536 -> "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${bytes} B` : `${v.toFixed(1)} ${units[u]}`;
}

/**
 * A score in [0, 1] in points with one decimal, as papers print them:
 * 0.7125 -> "71.3"; null (an empty subset) -> "–".
 */
export function formatScore(score: number | null): string {
  return score === null ? '–' : (Math.round(score * 1000) / 10).toFixed(1);
}

/**
 * A difference of scores in points with one decimal and a sign: -0.0238 -> "-2.4",
 * 0.004 -> "+0.4", anything that rounds to zero -> "0.0". Rounded on the magnitude,
 * so a difference and its negation print as mirror images.
 */
export function formatDelta(delta: number | null): string {
  if (delta === null) return '–';
  const points = Math.round(Math.abs(delta) * 1000) / 10;
  if (points === 0) return '0.0';
  return `${delta < 0 ? '-' : '+'}${points.toFixed(1)}`;
}

/** The scan's work in one line, `unit` being the report's config.unit. */
export function formatScanWork(scan: ReportScan, unit: string): string {
  const n = (count: number, what: string) => `${formatCount(count)} ${what}`;
  const exact = [
    n(scan.units, `${unit}s`),
    n(scan.windows_probed, 'windows probed'),
    n(scan.bloom_hits, 'Bloom hits'),
    n(scan.anchors_extended, 'anchors extended'),
    n(scan.shingles_verified, 'shingles verified'),
    n(scan.collisions_rejected, 'collisions rejected'),
  ].join(', ');
  const m = scan.minhash;
  return m ? `${exact}; MinHash: ${n(m.windows, 'windows')}, ${n(m.candidates, 'candidates')}, ${n(m.matches, 'matches')}` : exact;
}

/**
 * Scans one document against the index: cut it into units, key every window
 * of each indexed width, screen keys with the Bloom filter, look survivors up in
 * the exact table, and verify each candidate unit by unit against the sample's
 * own units. Only verified matches leave this file: a Bloom false positive or a
 * key collision costs time, never a wrong verdict.
 *
 * Hot path: typed arrays reused across documents; no per-window allocation.
 */
import { indexWordEquals, type ContamIndex } from '../index/contam-index.js';
import { BASE_A, BASE_B, power } from '../text/shingle.js';
import { WordUnits, type UnitExtractor } from '../text/units.js';
import { NearScanner, type NearMatch } from './near-scanner.js';

/** What one document holds of one sample. */
export interface SampleDocMatch {
  sample: number;
  /** Distinct shingles (entries) of the sample verified in the document (0 when only MinHash matched). */
  shingles: number;
  /** Verified MinHash containment, 0 when MinHash did not match. */
  containment: number;
  /** Longest run of the sample's units found contiguous in the document. */
  longest: number;
  /** Merged [start, end) offsets into the document's text. */
  spans: [number, number][];
  /** Merged [start, end) offsets into the sample's text. */
  sampleSpans: [number, number][];
  /** Whether any verified shingle lies in a label (answer) field, and any in an input field. */
  inLabel: boolean;
  inInput: boolean;
  /** Distinct index entries (shingles) verified, ascending. */
  entries: number[];
  /** Index-wide unit ranges [start, end) of the sample covered by verified matches, merged. */
  units: [number, number][];
}

/** Counters a scan accumulates; they flow into the report. */
export interface ScanCounters {
  units: number;
  windows: number;
  bloomHits: number;
  candidates: number;
  verified: number;
  rejected: number;
  nearWindows: number;
  nearCandidates: number;
  nearMatches: number;
}

export function emptyCounters(): ScanCounters {
  return { units: 0, windows: 0, bloomHits: 0, candidates: 0, verified: 0, rejected: 0, nearWindows: 0, nearCandidates: 0, nearMatches: 0 };
}

const utf8 = new TextEncoder();

function mergeIntervals(list: [number, number][]): [number, number][] {
  if (list.length <= 1) return list;
  list.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: [number, number][] = [list[0]!];
  for (let i = 1; i < list.length; i++) {
    const last = out[out.length - 1]!;
    const cur = list[i]!;
    if (cur[0] <= last[1]) {
      if (cur[1] > last[1]) last[1] = cur[1];
    } else out.push(cur);
  }
  return out;
}

export class DocumentScanner {
  readonly counters: ScanCounters = emptyCounters();
  private readonly index: ContamIndex;
  private readonly units: UnitExtractor;
  /** A second extractor for re-normalizing single words during verification. */
  private readonly verifier: WordUnits;
  private hitPos = new Int32Array(256);
  private hitEntry = new Uint32Array(256);
  private readonly near: NearScanner | null;
  /** Documents each entry was verified in (sparse), for the boilerplate guard. */
  readonly docFreq = new Map<number, number>();

  constructor(index: ContamIndex, units: UnitExtractor) {
    this.index = index;
    this.units = units;
    this.verifier = new WordUnits(index.config.seed);
    this.near = index.near ? new NearScanner(index.near) : null;
  }

  private pushHit(n: number, pos: number, entry: number): number {
    if (n === this.hitPos.length) {
      const p = new Int32Array(n * 2);
      p.set(this.hitPos);
      this.hitPos = p;
      const e = new Uint32Array(n * 2);
      e.set(this.hitEntry);
      this.hitEntry = e;
    }
    this.hitPos[n] = pos;
    this.hitEntry[n] = entry;
    return n + 1;
  }

  /** Verified matches of `text`, one per sample, in sample order; empty when none. */
  scan(text: string): SampleDocMatch[] {
    const index = this.index;
    const units = this.units.extract(text);
    const count = units.count;
    this.counters.units += count;
    const exact = count < index.widths[index.widths.length - 1]! ? [] : this.scanExact(text, units.hashes, units.starts, units.ends, count);
    if (!this.near) return exact;
    const w0 = this.near.windows;
    const c0 = this.near.candidates;
    const near = this.near.scan(units.hashes, units.starts, units.ends, count);
    this.counters.nearWindows += this.near.windows - w0;
    this.counters.nearCandidates += this.near.candidates - c0;
    this.counters.nearMatches += near.length;
    if (near.length === 0) return exact;
    return this.combine(exact, near);
  }

  /** Fold MinHash matches into the exact ones: one record per sample, spans united. */
  private combine(exact: SampleDocMatch[], near: NearMatch[]): SampleDocMatch[] {
    const { words, segments } = this.index;
    const bySample = new Map(exact.map((m) => [m.sample, m]));
    const n = this.index.near!.config.shingle;
    for (const m of near) {
      const sampleSpans = m.sampleWords.map((w) => [words.start[w]!, words.end[w + n - 1]!] as [number, number]);
      const current = bySample.get(m.sample);
      // Which fields the near copy touches: the segment of each matched shingle's first word.
      let inLabel = false;
      let inInput = false;
      for (const w of m.sampleWords) {
        let g = this.index.samples.segmentStart[m.sample]!;
        while (g + 1 < this.index.samples.segmentStart[m.sample + 1]! && segments.wordStart[g + 1]! <= w) g++;
        if (segments.label[g]) inLabel = true;
        else inInput = true;
      }
      const nearUnits = mergeIntervals(m.sampleWords.map((w) => [w, w + n] as [number, number]));
      if (current) {
        current.units = mergeIntervals([...current.units, ...nearUnits]);
        current.containment = m.containment;
        current.spans = mergeIntervals([...current.spans, ...m.spans]);
        current.sampleSpans = mergeIntervals([...current.sampleSpans, ...sampleSpans]);
        current.inLabel ||= inLabel;
        current.inInput ||= inInput;
      } else {
        bySample.set(m.sample, { sample: m.sample, shingles: 0, containment: m.containment, longest: 0, spans: m.spans, sampleSpans: mergeIntervals(sampleSpans), inLabel, inInput, entries: [], units: nearUnits });
      }
    }
    return [...bySample.values()].sort((x, y) => x.sample - y.sample);
  }

  private scanExact(text: string, hashesIn: Uint32Array, starts: Int32Array, ends: Int32Array, count: number): SampleDocMatch[] {
    const index = this.index;
    const units = { hashes: hashesIn, starts, ends };
    const bloom = index.bloom;
    const table = index.table;
    let hits = 0;
    for (const width of index.widths) {
      const windows = count - width + 1;
      if (windows <= 0) continue;
      this.counters.windows += windows;
      // The rolling keys of text/shingle.ts, inlined: no intermediate arrays on the hot path.
      const hashes = units.hashes;
      const topA = power(BASE_A, width - 1);
      const topB = power(BASE_B, width - 1);
      const wa = Math.imul(width, 0x27d4eb2f);
      const wb = Math.imul(width, 0x165667b1);
      let la = 0;
      let lb = 0;
      for (let i = 0; i < width; i++) {
        const h = hashes[i]!;
        la = (Math.imul(la, BASE_A) + h) | 0;
        lb = (Math.imul(lb, BASE_B) + Math.imul(h ^ (h >>> 16), 0x7feb352d)) | 0;
      }
      for (let p = 0; ; p++) {
        let a = (la + wa) | 0;
        a ^= a >>> 16;
        a = Math.imul(a, 0x85ebca6b);
        a ^= a >>> 13;
        a = Math.imul(a, 0xc2b2ae35);
        a ^= a >>> 16;
        let b = lb ^ wb;
        b ^= b >>> 16;
        b = Math.imul(b, 0x85ebca6b);
        b ^= b >>> 13;
        b = Math.imul(b, 0xc2b2ae35);
        b ^= b >>> 16;
        if (bloom.has(a >>> 0, b >>> 0)) {
          this.counters.bloomHits++;
          const slot = table.find(a >>> 0, b >>> 0);
          if (slot >= 0) {
            const start = table.start[slot]!;
            const end = start + table.count[slot]!;
            for (let k = start; k < end; k++) hits = this.pushHit(hits, p, table.postings[k]!);
          }
        }
        if (p + 1 === windows) break;
        const out = hashes[p]!;
        const inn = hashes[p + width]!;
        la = (Math.imul((la - Math.imul(out, topA)) | 0, BASE_A) + inn) | 0;
        lb = (Math.imul((lb - Math.imul(Math.imul(out ^ (out >>> 16), 0x7feb352d), topB)) | 0, BASE_B) + Math.imul(inn ^ (inn >>> 16), 0x7feb352d)) | 0;
      }
    }
    if (hits === 0) return [];
    this.counters.candidates += hits;
    return this.verify(text, units.hashes, units.starts, units.ends, count, hits);
  }

  private verify(text: string, hashes: Uint32Array, starts: Int32Array, ends: Int32Array, count: number, hits: number): SampleDocMatch[] {
    const { entries, segments, words } = this.index;
    const exact = this.units.exact;
    const docWords = new Map<number, Uint8Array>();
    const docWord = (i: number): Uint8Array => {
      let w = docWords.get(i);
      if (w === undefined) {
        w = utf8.encode(this.verifier.extractWithText(text.slice(starts[i]!, ends[i]!)).texts[0] ?? '');
        docWords.set(i, w);
      }
      return w;
    };
    const verified: number[] = [];
    for (let h = 0; h < hits; h++) {
      const p = this.hitPos[h]!;
      const e = this.hitEntry[h]!;
      const len = entries.length[e]!;
      const base = segments.wordStart[entries.segment[e]!]! + entries.position[e]!;
      let ok = p + len <= count;
      for (let t = 0; ok && t < len; t++) if (hashes[p + t] !== words.hash[base + t]) ok = false;
      if (ok && !exact) for (let t = 0; ok && t < len; t++) if (!indexWordEquals(this.index, base + t, docWord(p + t))) ok = false;
      if (ok) verified.push(h);
      else this.counters.rejected++;
    }
    this.counters.verified += verified.length;
    if (verified.length === 0) return [];

    const sampleOf = (h: number) => segments.sample[entries.segment[this.hitEntry[h]!]!]!;
    verified.sort((x, y) => sampleOf(x) - sampleOf(y) || this.hitEntry[x]! - this.hitEntry[y]! || this.hitPos[x]! - this.hitPos[y]!);
    const out: SampleDocMatch[] = [];
    let i = 0;
    while (i < verified.length) {
      const s = sampleOf(verified[i]!);
      let j = i;
      while (j < verified.length && sampleOf(verified[j]!) === s) j++;
      const group = verified.slice(i, j);
      out.push(this.summarize(s, group, starts, ends));
      i = j;
    }
    return out;
  }

  private summarize(sample: number, group: number[], starts: Int32Array, ends: Int32Array): SampleDocMatch {
    const { entries, segments, words } = this.index;
    let shingles = 0;
    let lastEntry = -1;
    const spans: [number, number][] = [];
    const sampleSpans: [number, number][] = [];
    // Runs along one diagonal (same segment, same doc position minus sample position) chain into one contiguous copy.
    const runs: { seg: number; diag: number; q: number; end: number }[] = [];
    let inLabel = false;
    let inInput = false;
    for (const h of group) {
      const e = this.hitEntry[h]!;
      const p = this.hitPos[h]!;
      if (e !== lastEntry) {
        shingles++;
        lastEntry = e;
      }
      const g = entries.segment[e]!;
      const q = entries.position[e]!;
      const len = entries.length[e]!;
      const base = segments.wordStart[g]! + q;
      spans.push([starts[p]!, ends[p + len - 1]!]);
      sampleSpans.push([words.start[base]!, words.end[base + len - 1]!]);
      runs.push({ seg: g, diag: p - q, q, end: q + len });
      if (segments.label[g]) inLabel = true;
      else inInput = true;
    }
    runs.sort((x, y) => x.seg - y.seg || x.diag - y.diag || x.q - y.q);
    let longest = 0;
    let k = 0;
    while (k < runs.length) {
      const first = runs[k]!;
      let end = first.end;
      let m = k + 1;
      while (m < runs.length && runs[m]!.seg === first.seg && runs[m]!.diag === first.diag && runs[m]!.q <= end) {
        end = Math.max(end, runs[m]!.end);
        m++;
      }
      longest = Math.max(longest, end - first.q);
      k = m;
    }
    const units = mergeIntervals(runs.map((r) => [segments.wordStart[r.seg]! + r.q, segments.wordStart[r.seg]! + r.end] as [number, number]));
    const distinct: number[] = [];
    for (const h of group) {
      const e = this.hitEntry[h]!;
      if (distinct[distinct.length - 1] !== e) {
        distinct.push(e);
        this.docFreq.set(e, (this.docFreq.get(e) ?? 0) + 1);
      }
    }
    return { sample, shingles, containment: 0, longest, spans: mergeIntervals(spans), sampleSpans: mergeIntervals(sampleSpans), inLabel, inInput, entries: distinct, units };
  }
}

/**
 * Scans one document against the index: cut it into units, key every
 * stride-th window of each probe width, screen keys with the Bloom filter, look
 * survivors up in the exact table, and extend each anchor found there into a
 * run verified unit by unit against the sample's own units. Only verified
 * matches leave this file: a Bloom false positive or a key collision costs
 * time, never a wrong verdict.
 *
 * Hot path: typed arrays reused across documents; no per-window allocation.
 */
import { indexWordEquals, type ContamIndex } from '../index/contam-index.js';
import { BASE_A, BASE_B } from '../text/shingle.js';
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
  /** Keys of the current document's probed windows. */
  private keyA = new Uint32Array(1024);
  private keyB = new Uint32Array(1024);
  private readonly near: NearScanner | null;
  /** Documents each entry was verified in (sparse), for the boilerplate guard. */
  readonly docFreq = new Map<number, number>();
  /** Runs found in the current document, per "segment:diagonal": [start, end) pairs of document positions. */
  private readonly runs = new Map<number | string, number[]>();
  /** Normalized bytes of the current document's words, as verification needs them. */
  private readonly docWords = new Map<number, Uint8Array>();

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
    const exact = this.scanExact(text, units.hashes, units.starts, units.ends, count);
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

  /**
   * Probe every `stride`-th window of the probe width; from each anchor the
   * table returns, extend the match along its diagonal (document position minus
   * sample position) as far as the words agree, verify the run, and post every
   * entry it covers. Finds exactly the (position, entry) pairs that probing
   * every window for every entry would, since any copy of an entry holds at
   * least `stride` consecutive probe windows.
   */
  private scanExact(text: string, hashes: Uint32Array, starts: Int32Array, ends: Int32Array, count: number): SampleDocMatch[] {
    const index = this.index;
    const bloom = index.bloom;
    const table = index.table;
    this.runs.clear();
    this.docWords.clear();
    let hits = 0;
    let windows = 0;
    let bloomHits = 0;
    const { width, stride } = index.probe;
    if (count >= width) {
      const wa = Math.imul(width, 0x27d4eb2f);
      const wb = Math.imul(width, 0x165667b1);
      // Keys first, then the Bloom probes in a loop of their own: the probes' cache misses are
      // independent, and a tight loop lets the CPU have several in flight at once.
      const n = Math.floor((count - width) / stride) + 1;
      if (this.keyA.length < n) {
        this.keyA = new Uint32Array(n * 2);
        this.keyB = new Uint32Array(n * 2);
      }
      const keyA = this.keyA;
      const keyB = this.keyB;
      for (let w = 0, p = 0; w < n; w++, p += stride) {
        // The key of text/shingle.ts, computed directly: with a stride, rolling saves little.
        let la = 0;
        let lb = 0;
        for (let t = p; t < p + width; t++) {
          const h = hashes[t]!;
          la = (Math.imul(la, BASE_A) + h) | 0;
          lb = (Math.imul(lb, BASE_B) + Math.imul(h ^ (h >>> 16), 0x7feb352d)) | 0;
        }
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
        keyA[w] = a;
        keyB[w] = b;
      }
      windows = n;
      for (let w = 0; w < n; w++) {
        const a = keyA[w]!;
        const b = keyB[w]!;
        if (!bloom.has(a, b)) continue;
        bloomHits++;
        const slot = table.find(a, b);
        if (slot < 0) continue;
        const p = w * stride;
        const start = table.start[slot]!;
        const end = start + table.count[slot]!;
        for (let k = start; k < end; k++) hits = this.extend(hits, text, hashes, starts, ends, count, p, width, table.postings[k]!);
      }
    }
    // Counters are summed per document: a per-window increment of a property that outgrows
    // 2^30 would allocate a heap number each time on a terabyte scan.
    this.counters.windows += windows;
    this.counters.bloomHits += bloomHits;
    if (hits === 0) return [];
    this.counters.verified += hits;
    return this.group(hits, starts, ends);
  }

  /**
   * Extend the anchor (document window at `p`, index word `anchor`) to the
   * longest run of equal units on its diagonal, verify it, and push a hit for
   * every entry of the segment inside a verified stretch. A run already
   * extended from another anchor is skipped, so each hit is pushed once.
   */
  private extend(hits: number, text: string, hashes: Uint32Array, starts: Int32Array, ends: Int32Array, count: number, p: number, width: number, anchor: number): number {
    const index = this.index;
    const wordHash = index.words.hash;
    const g = index.words.segment[anchor]!;
    const first = index.segments.wordStart[g]!;
    const length = index.segments.wordStart[g + 1]! - first;
    const q = anchor - first;
    const diagonal = p - q;
    this.counters.candidates++;
    const e0 = index.segments.entryStart[g]!;
    if (index.segments.entryStart[g + 1] === e0) return hits;
    const entryLength = index.entries.length[e0]!;
    let p1 = p;
    while (p1 < count && p1 - diagonal < length && hashes[p1] === wordHash[first + p1 - diagonal]) p1++;
    if (p1 - p < width) {
      // The key matched but the units do not: a 64-bit key collision.
      this.counters.rejected++;
      return hits;
    }
    let p0 = p;
    while (p0 > 0 && p0 - diagonal > 0 && hashes[p0 - 1] === wordHash[first + p0 - 1 - diagonal]) p0--;
    // Most anchors are common phrases that stop short of a whole entry: nothing to post or remember.
    if (p1 - p0 < entryLength) return hits;
    // Another anchor of this run may be probed again: remember runs per (segment, diagonal),
    // as one number while it fits in a double's 53 bits, else as a string.
    const key = count < 0x2000000 && g < 0x8000000 ? g * 0x4000000 + diagonal + 0x2000000 : `${g}:${diagonal}`;
    const known = this.runs.get(key);
    if (known) {
      for (let r = 0; r < known.length; r += 2) if (p >= known[r]! && p < known[r + 1]!) return hits;
      known.push(p0, p1);
    } else this.runs.set(key, [p0, p1]);
    // Equal hashes are not yet equal words: verify bytes, cutting the run at any word that differs.
    let a = p0;
    while (a < p1) {
      let b = a;
      if (this.units.exact) b = p1;
      else while (b < p1 && indexWordEquals(index, first + b - diagonal, this.docWord(text, starts, ends, b))) b++;
      if (b === a) {
        this.counters.rejected++;
        a++;
        continue;
      }
      // Entries of segment g sit at positions 0..length - entryLength; post those inside [a, b).
      for (let t = a; t + entryLength <= b; t++) hits = this.pushHit(hits, t, e0 + t - diagonal);
      a = b;
    }
    return hits;
  }

  /** The normalized UTF-8 bytes of document word `i`, re-derived from its offsets (cached per document). */
  private docWord(text: string, starts: Int32Array, ends: Int32Array, i: number): Uint8Array {
    let w = this.docWords.get(i);
    if (w === undefined) {
      w = utf8.encode(this.verifier.extractWithText(text.slice(starts[i]!, ends[i]!)).texts[0] ?? '');
      this.docWords.set(i, w);
    }
    return w;
  }

  /** Group verified hits by sample into one match each. */
  private group(hits: number, starts: Int32Array, ends: Int32Array): SampleDocMatch[] {
    const { entries, segments } = this.index;
    const verified = Array.from({ length: hits }, (_, h) => h);
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

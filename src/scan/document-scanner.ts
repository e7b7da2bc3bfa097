/**
 * Scans one document against the index: cut it into units, key every
 * stride-th window of the probe width, screen keys with the Bloom filter, look
 * survivors up in the exact table, and extend each anchor found there into a
 * run verified unit by unit against the sample's own units. Only verified
 * matches leave this file: a Bloom false positive or a key collision costs
 * time, never a wrong verdict.
 *
 * Runs live in the sample's word space, across its fields (a copy of a
 * question and its choices is one run). A run counts as evidence when it is at
 * least `minRun` = width + stride - 1 units long: the shortest run the strided
 * probe finds wherever it lies, so evidence never depends on alignment. Each
 * document's evidence for a sample is judged in src/verdict/.
 *
 * Hot path: typed arrays reused across documents; no per-window allocation.
 */
import { entryLength, wordSegment, type ContamIndex } from '../cidx/contam-index.js';
import { SampleWords, type SampleUnits } from '../cidx/sample-text.js';
import { BASE_A, BASE_B } from '../text/shingle.js';
import { extractWords, WordBuffer } from '../text/normalize.js';
import { WordUnits, type UnitExtractor } from '../text/units.js';
import { ROLE_INPUT, ROLE_LABEL } from '../cidx/contam-index.js';
import { judgeCopy, type CopyEvidence } from '../verdict/evidence.js';
import { MinhashScanner, type MinhashMatch } from './minhash-scanner.js';

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
  /** What this document's copy of the sample is worth as evidence (src/verdict/). */
  evidence: CopyEvidence;
}

/** Counters a scan accumulates; they flow into the report. */
export interface ScanCounters {
  units: number;
  windows: number;
  bloomHits: number;
  /** Anchor postings read from the table (each one extended). */
  postings: number;
  candidates: number;
  verified: number;
  rejected: number;
  minhashWindows: number;
  minhashCandidates: number;
  minhashMatches: number;
}

export function emptyCounters(): ScanCounters {
  return { units: 0, windows: 0, bloomHits: 0, postings: 0, candidates: 0, verified: 0, rejected: 0, minhashWindows: 0, minhashCandidates: 0, minhashMatches: 0 };
}

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

/** Is text[from, to) the same as other[otherFrom, otherTo)? */
function sameText(text: string, from: number, to: number, other: string, otherFrom: number, otherTo: number): boolean {
  if (to - from !== otherTo - otherFrom) return false;
  for (let i = 0; i < to - from; i++) if (text.charCodeAt(from + i) !== other.charCodeAt(otherFrom + i)) return false;
  return true;
}

/** Are document word `i` (of `doc`, extracted joined) and unit `k` of `own` the same normalized bytes? */
function sameWord(doc: WordBuffer, i: number, own: SampleUnits, k: number): boolean {
  const from = i === 0 ? 0 : doc.byteEnds[i - 1]! + 1;
  const length = doc.byteEnds[i]! - from;
  const at = own.byteStarts[k]!;
  if (own.byteEnds[k]! - at !== length) return false;
  const a = doc.joined;
  const b = own.bytes;
  for (let j = 0; j < length; j++) if (a[from + j] !== b[at + j]) return false;
  return true;
}

export class DocumentScanner {
  readonly counters: ScanCounters = emptyCounters();
  private readonly index: ContamIndex;
  private readonly units: UnitExtractor;
  /** A second extractor for re-normalizing single words during verification. */
  private readonly verifier: WordUnits;
  /** Matched samples' units re-derived from their texts: their bytes to verify, their offsets for spans. */
  private readonly sampleWords: SampleWords;
  private hitEntry = new Uint32Array(256);
  private hitSample = new Uint32Array(256);
  /** The entries of one sample's hits, sorted to deduplicate them (summarize). */
  private entryScratch = new Uint32Array(256);
  /** Keys of the current document's probed windows. */
  private keyA = new Uint32Array(1024);
  private keyB = new Uint32Array(1024);
  private readonly minhash: MinhashScanner | null;
  /** Documents each entry was verified in (sparse), for the boilerplate guard: see documentFrequencies. */
  private readonly docFreq = new Map<number, number>();
  /**
   * Entries verified per document, one record per (document, entry), not yet counted in docFreq:
   * sorted and folded in when full or read. Counting in the Map per document cost a lookup per
   * entry in a Map that grows to every entry the corpus holds.
   */
  private verifiedEntries = new Uint32Array(4096);
  private verifiedCount = 0;
  /** Runs found in the current document, per "segment:diagonal": [start, end) pairs of document positions. */
  private readonly runs = new Map<number | string, number[]>();
  /**
   * Normalized UTF-8 of the document words a run covers, re-derived from their original
   * text (runWords); word i of the document is word i - runBase here.
   */
  private readonly runWordBuffer = new WordBuffer();
  private runBase = 0;
  /** Verified runs of the current document: sample, first index word, first document unit, length. */
  private runSample = new Uint32Array(64);
  private runWord = new Uint32Array(64);
  private runPos = new Int32Array(64);
  private runLength = new Uint32Array(64);
  private runCount = 0;
  /** Shortest run that counts as evidence: the strided probe finds every run this long. */
  private readonly minRun: number;

  constructor(index: ContamIndex, units: UnitExtractor) {
    this.index = index;
    this.units = units;
    this.verifier = new WordUnits(index.config.seed);
    // Token units are never verified byte by byte, only located: the document's extractor serves,
    // once the document is done with its buffer (see group).
    this.sampleWords = new SampleWords(index, units.exact ? units : this.verifier);
    this.minhash = index.minhash ? new MinhashScanner(index.minhash) : null;
    this.minRun = index.probe.width + index.probe.stride - 1;
  }

  /** Documents each entry was verified in, over every document scanned so far (entries never verified are absent). */
  documentFrequencies(): Map<number, number> {
    this.foldVerified(0);
    return this.docFreq;
  }

  /** Count the buffered (document, entry) records into docFreq, making room for `more`. */
  private foldVerified(more: number): void {
    const list = this.verifiedEntries.subarray(0, this.verifiedCount).sort();
    for (let i = 0; i < list.length; ) {
      const e = list[i]!;
      let j = i + 1;
      while (j < list.length && list[j] === e) j++;
      this.docFreq.set(e, (this.docFreq.get(e) ?? 0) + j - i);
      i = j;
    }
    this.verifiedCount = 0;
    // Grown when full, so a scan folds rarely, up to 4M records (16 MB), or one sample's entries.
    const size = this.verifiedEntries.length;
    if (more > 0 && (size < 1 << 22 || size < more)) this.verifiedEntries = new Uint32Array(Math.max(more, Math.min(size * 4, 1 << 22)));
  }

  private pushRun(sample: number, word: number, pos: number, length: number): void {
    const n = this.runCount;
    if (n === this.runSample.length) {
      const grow = <T extends Uint32Array | Int32Array>(a: T, make: (k: number) => T): T => {
        const b = make(n * 2);
        b.set(a);
        return b;
      };
      this.runSample = grow(this.runSample, (k) => new Uint32Array(k));
      this.runWord = grow(this.runWord, (k) => new Uint32Array(k));
      this.runPos = grow(this.runPos, (k) => new Int32Array(k));
      this.runLength = grow(this.runLength, (k) => new Uint32Array(k));
    }
    this.runSample[n] = sample;
    this.runWord[n] = word;
    this.runPos[n] = pos;
    this.runLength[n] = length;
    this.runCount = n + 1;
  }

  /** Record that entry `entry` of `sample` was verified in the document (its positions live in the runs). */
  private pushHit(n: number, entry: number, sample: number): number {
    if (n === this.hitEntry.length) {
      const e = new Uint32Array(n * 2);
      e.set(this.hitEntry);
      this.hitEntry = e;
      const s = new Uint32Array(n * 2);
      s.set(this.hitSample);
      this.hitSample = s;
    }
    this.hitEntry[n] = entry;
    this.hitSample[n] = sample;
    return n + 1;
  }

  /** Verified matches of `text`, one per sample, in sample order; empty when none. */
  scan(text: string): SampleDocMatch[] {
    const units = this.units.extract(text);
    const count = units.count;
    this.counters.units += count;
    if (!this.minhash) return this.scanExact(text, units.hashes, units.starts, units.ends, count);
    // MinHash first: the exact scan's last step may reuse the unit buffer (see group).
    const w0 = this.minhash.windows;
    const c0 = this.minhash.candidates;
    const found = this.minhash.scan(units.hashes, units.starts, units.ends, count);
    this.counters.minhashWindows += this.minhash.windows - w0;
    this.counters.minhashCandidates += this.minhash.candidates - c0;
    this.counters.minhashMatches += found.length;
    const exact = this.scanExact(text, units.hashes, units.starts, units.ends, count);
    if (found.length === 0) return exact;
    return this.combine(exact, found);
  }

  /** Fold MinHash matches into the exact ones: one record per sample, spans united. */
  private combine(exact: SampleDocMatch[], found: MinhashMatch[]): SampleDocMatch[] {
    const { segments } = this.index;
    const bySample = new Map(exact.map((m) => [m.sample, m]));
    const n = this.index.minhash!.config.shingle;
    for (const m of found) {
      const sampleSpans = m.sampleWords.map((w) => this.sampleWords.span(m.sample, w, w + n));
      const current = bySample.get(m.sample);
      // Which fields the MinHash copy touches: the segment of each matched shingle's first word.
      let inLabel = false;
      let inInput = false;
      for (const w of m.sampleWords) {
        let g = this.index.samples.segmentStart[m.sample]!;
        while (g + 1 < this.index.samples.segmentStart[m.sample + 1]! && segments.wordStart[g + 1]! <= w) g++;
        if (segments.role[g] === ROLE_LABEL) inLabel = true;
        else if (segments.role[g] === ROLE_INPUT) inInput = true;
      }
      const minhashUnits = mergeIntervals(m.sampleWords.map((w) => [w, w + n] as [number, number]));
      if (current) {
        current.units = mergeIntervals([...current.units, ...minhashUnits]);
        current.evidence = judgeCopy(this.index, m.sample, current.units);
        current.containment = m.containment;
        current.spans = mergeIntervals([...current.spans, ...m.spans]);
        current.sampleSpans = mergeIntervals([...current.sampleSpans, ...sampleSpans]);
        current.inLabel ||= inLabel;
        current.inInput ||= inInput;
      } else {
        bySample.set(m.sample, {
          sample: m.sample,
          shingles: 0,
          containment: m.containment,
          longest: 0,
          spans: m.spans,
          sampleSpans: mergeIntervals(sampleSpans),
          inLabel,
          inInput,
          entries: [],
          units: minhashUnits,
          evidence: judgeCopy(this.index, m.sample, minhashUnits),
        });
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
   * least `stride` consecutive probe windows. Only the live postings of a key
   * are extended: an anchor of template words alone is no evidence (see
   * index/template.ts), and a run through it is met from its other anchors.
   */
  private scanExact(text: string, hashes: Uint32Array, starts: Int32Array, ends: Int32Array, count: number): SampleDocMatch[] {
    const index = this.index;
    const bloom = index.bloom;
    const { bucketStart, tag: tags, anchor: anchors, mask } = index.table;
    this.runs.clear();
    this.runCount = 0;
    let hits = 0;
    let windows = 0;
    let bloomHits = 0;
    let postings = 0;
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
        // The key's bucket: extend the postings whose tag matches (see cidx/anchor-table.ts).
        const bucket = a & mask;
        const end = bucketStart[bucket + 1]!;
        const tag = b >>> 16;
        const p = w * stride;
        for (let k = bucketStart[bucket]!; k < end; k++) {
          if (tags[k] !== tag) continue;
          postings++;
          hits = this.extend(hits, text, hashes, starts, ends, count, p, width, anchors[k]!);
        }
      }
    }
    // Counters are summed per document: a per-window increment of a property that outgrows
    // 2^30 would allocate a heap number each time on a terabyte scan.
    this.counters.windows += windows;
    this.counters.bloomHits += bloomHits;
    this.counters.postings += postings;
    if (this.runCount === 0) return [];
    this.counters.verified += hits;
    return this.group(hits, starts, ends);
  }

  /**
   * Extend the anchor (document window at `p`, index word `anchor`) to the
   * longest run of equal units on its diagonal within the anchor's sample,
   * verify it, record each verified stretch of at least `minRun` units, and
   * push a hit for every entry of the sample inside one. A run already
   * extended from another anchor is skipped, so each is recorded once.
   */
  private extend(hits: number, text: string, hashes: Uint32Array, starts: Int32Array, ends: Int32Array, count: number, p: number, width: number, anchor: number): number {
    const index = this.index;
    const wordHash = index.words.hash;
    const sample = index.segments.sample[wordSegment(index, anchor)]!;
    const first = index.segments.wordStart[index.samples.segmentStart[sample]!]!;
    const length = index.segments.wordStart[index.samples.segmentStart[sample + 1]!]! - first;
    const q = anchor - first;
    const diagonal = p - q;
    this.counters.candidates++;
    let p1 = p;
    while (p1 < count && p1 - diagonal < length && hashes[p1] === wordHash[first + p1 - diagonal]) p1++;
    if (p1 - p < width) {
      // The key matched but the units do not: a 64-bit key collision.
      this.counters.rejected++;
      return hits;
    }
    let p0 = p;
    while (p0 > 0 && p0 - diagonal > 0 && hashes[p0 - 1] === wordHash[first + p0 - 1 - diagonal]) p0--;
    // Most anchors are common phrases whose run is too short to be evidence: nothing to keep.
    const minRun = this.minRun;
    if (p1 - p0 < minRun) return hits;
    // Another anchor of this run may be probed again: remember runs per (sample, diagonal),
    // as one number while it fits in a double's 53 bits, else as a string.
    const key = count < 0x2000000 && sample < 0x8000000 ? sample * 0x4000000 + diagonal + 0x2000000 : `${sample}:${diagonal}`;
    const known = this.runs.get(key);
    if (known) {
      for (let r = 0; r < known.length; r += 2) if (p >= known[r]! && p < known[r + 1]!) return hits;
      known.push(p0, p1);
    } else this.runs.set(key, [p0, p1]);
    // Equal hashes are not yet equal words: verify bytes, cutting the run at any word that differs.
    let a = p0;
    const exact = this.units.exact;
    const own = exact ? null : this.sampleWords.get(sample);
    // Words whose original text is the sample's are the same words (normalization reads a word's
    // slice alone); the others are compared normalized, re-derived for this run when first needed.
    let doc: WordBuffer | null = null;
    let base = 0;
    while (a < p1) {
      let b = a;
      if (exact) b = p1;
      else {
        for (; b < p1; b++) {
          const k = first + b - diagonal - own!.first;
          if (sameText(text, starts[b]!, ends[b]!, own!.text, own!.starts[k]!, own!.ends[k]!)) continue;
          if (doc === null) {
            doc = this.runWords(text, hashes, starts, ends, p0, p1);
            base = this.runBase;
          }
          if (!sameWord(doc, b - base, own!, k)) break;
        }
      }
      if (b === a) {
        this.counters.rejected++;
        a++;
        continue;
      }
      if (b - a >= minRun) {
        this.pushRun(sample, first + a - diagonal, a, b - a);
        for (let t = a; t < b; t++) {
          const e = this.entryAt(sample, first, t - diagonal);
          if (e >= 0 && t + this.atLength <= b) hits = this.pushHit(hits, e, sample);
        }
      }
      a = b;
    }
    return hits;
  }

  /** Words of the entry entryAt last found. */
  private atLength = 0;

  /** The entry that starts at position `q` of sample `sample` (whose first word is `first`), or -1; its length in atLength. */
  private entryAt(sample: number, first: number, q: number): number {
    const index = this.index;
    if (index.samples.whole[sample]) {
      const e = index.samples.entryStart[sample]! + q;
      if (e >= index.samples.entryStart[sample + 1]!) return -1;
      this.atLength = entryLength(index, sample, index.samples.segmentStart[sample]!);
      return e;
    }
    const g = wordSegment(index, first + q);
    const local = first + q - index.segments.wordStart[g]!;
    const e0 = index.segments.entryStart[g]!;
    if (local >= index.segments.entryStart[g + 1]! - e0) return -1;
    this.atLength = entryLength(index, sample, g);
    return e0 + local;
  }

  /**
   * The normalized UTF-8 of document words [p0, p1), from their original text
   * [starts[p0], ends[p1 - 1]): re-normalizing a word's original slice gives that word back
   * (src/text/normalize.ts), so a run's slice gives its words, at the cost of the run alone.
   * Should the slice give other words (its hashes differ), the whole document is re-derived.
   */
  private runWords(text: string, hashes: Uint32Array, starts: Int32Array, ends: Int32Array, p0: number, p1: number): WordBuffer {
    const words = this.runWordBuffer;
    const seed = this.index.config.seed;
    extractWords(text.slice(starts[p0]!, ends[p1 - 1]!), words, seed, 'joined');
    let same = words.count === p1 - p0;
    for (let i = 0; same && i < words.count; i++) same = words.hashes[i] === hashes[p0 + i];
    if (same) {
      this.runBase = p0;
      return words;
    }
    extractWords(text, words, seed, 'joined');
    this.runBase = 0;
    return words;
  }

  /** Group the document's verified runs and entry hits by sample into one match each, in sample order. */
  private group(hits: number, starts: Int32Array, ends: Int32Array): SampleDocMatch[] {
    const runsOf = new Map<number, number[]>();
    for (let r = 0; r < this.runCount; r++) {
      const s = this.runSample[r]!;
      const list = runsOf.get(s);
      if (list) list.push(r);
      else runsOf.set(s, [r]);
    }
    const hitsOf = new Map<number, number[]>();
    for (let h = 0; h < hits; h++) {
      const s = this.hitSample[h]!;
      const list = hitsOf.get(s);
      if (list) list.push(h);
      else hitsOf.set(s, [h]);
    }
    const matches = [...runsOf.keys()].sort((x, y) => x - y).map((s) => this.summarize(s, runsOf.get(s)!, hitsOf.get(s) ?? [], starts, ends));
    // Sample spans last, once the document's offsets are read: re-deriving a sample's token units
    // reuses the document's unit buffer.
    for (const m of matches) m.sampleSpans = mergeIntervals(runsOf.get(m.sample)!.map((r) => this.sampleWords.span(m.sample, this.runWord[r]!, this.runWord[r]! + this.runLength[r]!)));
    return matches;
  }

  private summarize(sample: number, runs: number[], group: number[], starts: Int32Array, ends: Int32Array): SampleDocMatch {
    const { segments } = this.index;
    const spans: [number, number][] = [];
    const covered: [number, number][] = [];
    let longest = 0;
    let inLabel = false;
    let inInput = false;
    for (const r of runs) {
      const w = this.runWord[r]!;
      const p = this.runPos[r]!;
      const len = this.runLength[r]!;
      spans.push([starts[p]!, ends[p + len - 1]!]);
      covered.push([w, w + len]);
      if (len > longest) longest = len;
      for (let g = wordSegment(this.index, w), last = wordSegment(this.index, w + len - 1); g <= last; g++) {
        if (segments.role[g] === ROLE_LABEL) inLabel = true;
        else if (segments.role[g] === ROLE_INPUT) inInput = true;
      }
    }
    // Sorted and deduplicated in a typed array: a Set and an array per match were a large share of the scan's allocations.
    if (this.entryScratch.length < group.length) this.entryScratch = new Uint32Array(group.length * 2);
    const sorted = this.entryScratch.subarray(0, group.length);
    for (let i = 0; i < group.length; i++) sorted[i] = this.hitEntry[group[i]!]!;
    sorted.sort();
    const distinct: number[] = [];
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
    if (this.verifiedCount + distinct.length > this.verifiedEntries.length) this.foldVerified(distinct.length);
    for (const e of distinct) this.verifiedEntries[this.verifiedCount++] = e;
    // mergeIntervals merges in place: the verdict reads the runs as found.
    const documentRuns = mergeIntervals(runs.map((r) => [this.runPos[r]!, this.runPos[r]! + this.runLength[r]!] as [number, number]));
    const documentUnits = documentRuns.reduce((sum, [x, y]) => sum + y - x, 0);
    const evidence = judgeCopy(
      this.index,
      sample,
      covered.map(([x, y]) => [x, y] as [number, number]),
      documentUnits,
    );
    const units = mergeIntervals(covered);
    return {
      sample,
      shingles: distinct.length,
      containment: 0,
      longest,
      spans: mergeIntervals(spans),
      sampleSpans: [],
      inLabel,
      inInput,
      entries: distinct,
      units,
      evidence,
    };
  }
}

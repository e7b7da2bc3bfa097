/**
 * Collects verified matches across documents into a bounded tally per sample:
 * how many documents matched, the best overlap and longest run, and the top
 * `maxMatches` matches. Matches are ranked by a total order on their content
 * (the copy's evidence, shingles, longest run, file, row), and `merge` is associative and
 * commutative, so the result does not depend on which worker saw which part or
 * in which order: reports are byte-identical for any worker count or shard split.
 */

import type { ReportTally, ReportTallyMatch } from '../types.js';
import { compareEvidence, type CopyEvidence } from '../verdict/evidence.js';

/** A verified match of one sample in one document, ready for the report (which reads the ReportTallyMatch fields). */
export interface MatchRecord extends ReportTallyMatch {
  sample: number;
  longest: number;
  inLabel: boolean;
  inInput: boolean;
  /** Distinct index entries verified in this document, ascending. */
  entries: number[];
  /** Index-wide unit ranges of the sample covered in this document. */
  units: [number, number][];
  /** What this document's copy is worth (src/verdict/evidence.ts). */
  evidence: CopyEvidence;
}

/** A sample's tally over documents (the report reads the ReportTally fields). */
export interface SampleTally extends ReportTally {
  /** Union over documents of the entries verified, ascending. */
  entries: number[];
  /** Union over documents of the covered unit ranges, merged. */
  units: [number, number][];
  /** The strongest copy's evidence (compareEvidence), or null. */
  best: CopyEvidence | null;
  top: MatchRecord[];
}

function unionSorted(x: number[], y: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    const v = j >= y.length || (i < x.length && x[i]! <= y[j]!) ? x[i++]! : y[j++]!;
    if (out[out.length - 1] !== v) out.push(v);
  }
  return out;
}

/** Union of two lists of merged intervals. */
export function unionIntervals(x: [number, number][], y: [number, number][]): [number, number][] {
  const all = [...x, ...y].map((r) => [r[0], r[1]] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const r of all) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push(r);
  }
  return out;
}

/** The ranking of matches: stronger evidence, more shingles, higher containment, longer run, then file order, then row. */
export function compareMatches(x: MatchRecord, y: MatchRecord): number {
  return compareEvidence(x.evidence, y.evidence) || y.shingles - x.shingles || y.containment - x.containment || y.longest - x.longest || x.file - y.file || x.row - y.row;
}

export class MatchAccumulator {
  readonly maxMatches: number;
  readonly tallies = new Map<number, SampleTally>();

  constructor(maxMatches: number) {
    this.maxMatches = maxMatches;
  }

  private tally(sample: number): SampleTally {
    let t = this.tallies.get(sample);
    if (!t) {
      t = { documents: 0, maxShingles: 0, maxContainment: 0, longest: 0, inLabel: false, inInput: false, entries: [], units: [], best: null, top: [] };
      this.tallies.set(sample, t);
    }
    return t;
  }

  private insert(t: SampleTally, record: MatchRecord): void {
    const top = t.top;
    if (top.length === this.maxMatches && compareMatches(record, top[top.length - 1]!) >= 0) return;
    let i = top.length;
    while (i > 0 && compareMatches(record, top[i - 1]!) < 0) i--;
    top.splice(i, 0, record);
    if (top.length > this.maxMatches) top.pop();
  }

  /** Fold one tally's figures into another: sums, maxima and unions, so order never matters. */
  private fold(t: SampleTally, o: Omit<SampleTally, 'top'>): void {
    t.documents += o.documents;
    t.maxShingles = Math.max(t.maxShingles, o.maxShingles);
    t.maxContainment = Math.max(t.maxContainment, o.maxContainment);
    t.longest = Math.max(t.longest, o.longest);
    t.inLabel ||= o.inLabel;
    t.inInput ||= o.inInput;
    t.entries = unionSorted(t.entries, o.entries);
    t.units = unionIntervals(t.units, o.units);
    if (o.best && (!t.best || compareEvidence(o.best, t.best) < 0)) t.best = o.best;
  }

  add(record: MatchRecord): void {
    const t = this.tally(record.sample);
    // A match is a tally of one document.
    this.fold(t, { ...record, documents: 1, maxShingles: record.shingles, maxContainment: record.containment, best: record.evidence });
    this.insert(t, record);
  }

  /** Fold another accumulator (another part or worker) into this one. */
  merge(other: MatchAccumulator | SerializedAccumulator): void {
    const entries = other instanceof MatchAccumulator ? [...other.tallies] : other.tallies;
    for (const [sample, o] of entries) {
      const t = this.tally(sample);
      this.fold(t, o);
      for (const record of o.top) this.insert(t, record);
    }
  }

  /** A plain-JSON form, for worker messages and checkpoints. */
  toJSON(): SerializedAccumulator {
    return { maxMatches: this.maxMatches, tallies: [...this.tallies].sort((x, y) => x[0] - y[0]) };
  }

  static fromJSON(data: SerializedAccumulator): MatchAccumulator {
    const acc = new MatchAccumulator(data.maxMatches);
    acc.merge(data);
    return acc;
  }
}

export interface SerializedAccumulator {
  maxMatches: number;
  tallies: [number, SampleTally][];
}

/**
 * The result of scanning corpus parts, and its one codec. A PartResult is
 * what one part yields, what a worker posts, what a checkpoint saves, what a
 * shard file carries and what the merge folds: the same record everywhere,
 * merged by `mergeResult` and written and read by `resultToJSON` and
 * `resultFromJSON` only, so a field added here reaches every path.
 *
 * Invariants: the merge is sums, maxima and unions (see accumulator.ts), so it
 * is associative and commutative and any order or split of the parts gives the
 * same result; the caller folds each part exactly once (ScanState.parts
 * records which). The JSON form lists document frequencies ascending by entry,
 * so equal results serialize to equal text.
 */
import type { ReportScan, SkippedInput } from '../types.js';
import { MatchAccumulator, type SerializedAccumulator } from './accumulator.js';
import { emptyCounters, type ScanCounters } from './document-scanner.js';

/** What scanning one part (or several, merged) found. */
export interface PartResult {
  documents: number;
  bytes: number;
  /** The scan's work (ScanCounters), summed over documents. */
  counters: ScanCounters;
  accumulator: MatchAccumulator;
  /** Documents each index entry was verified in. */
  docFreq: Map<number, number>;
  /** Bad documents and unreadable remainders skipped under the skipBad option. */
  skipped: SkippedInput[];
}

/** A PartResult as plain JSON (worker messages, checkpoint files, partial scans). */
export interface SerializedPartResult {
  documents: number;
  bytes: number;
  counters: ScanCounters;
  accumulator: SerializedAccumulator;
  /** [entry, documents], ascending by entry. */
  docFreq: [number, number][];
  skipped: SkippedInput[];
}

export function emptyResult(maxMatches: number): PartResult {
  return { documents: 0, bytes: 0, counters: emptyCounters(), accumulator: new MatchAccumulator(maxMatches), docFreq: new Map(), skipped: [] };
}

/**
 * Fold `from` into `into`. `from` is spent: its document frequencies move into `into` when it has
 * none yet (the first part of a scan: a copy entry by entry cost as much as counting them).
 */
export function mergeResult(into: PartResult, from: PartResult): void {
  into.documents += from.documents;
  into.bytes += from.bytes;
  for (const key of Object.keys(into.counters) as (keyof ScanCounters)[]) into.counters[key] += from.counters[key];
  into.accumulator.merge(from.accumulator);
  if (into.docFreq.size === 0) {
    into.docFreq = from.docFreq;
    from.docFreq = new Map();
  } else for (const [e, n] of from.docFreq) into.docFreq.set(e, (into.docFreq.get(e) ?? 0) + n);
  into.skipped.push(...from.skipped);
}

export function resultToJSON(result: PartResult): SerializedPartResult {
  return {
    documents: result.documents,
    bytes: result.bytes,
    counters: result.counters,
    accumulator: result.accumulator.toJSON(),
    docFreq: [...result.docFreq].sort((x, y) => x[0] - y[0]),
    skipped: result.skipped,
  };
}

const isCount = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;

/**
 * The PartResult of its JSON form, or null when `data` is not one (a damaged
 * file, or one written by a version with other fields): every counter must be
 * there, since a missing one would be counted as 0 and the report's figures
 * would silently fall short.
 */
export function resultFromJSON(data: unknown): PartResult | null {
  const d = data as Partial<SerializedPartResult> | null;
  if (typeof d !== 'object' || d === null || !isCount(d.documents) || !isCount(d.bytes)) return null;
  if (!Array.isArray(d.docFreq) || !Array.isArray(d.skipped) || typeof d.accumulator !== 'object' || d.accumulator === null || !Array.isArray(d.accumulator.tallies)) return null;
  const counters = emptyCounters();
  for (const key of Object.keys(counters) as (keyof ScanCounters)[]) {
    const value = (d.counters as Partial<ScanCounters> | undefined)?.[key];
    if (!isCount(value)) return null;
    counters[key] = value!;
  }
  return { documents: d.documents!, bytes: d.bytes!, counters, accumulator: MatchAccumulator.fromJSON(d.accumulator), docFreq: new Map(d.docFreq), skipped: d.skipped };
}

/** The report's account of the work in `counters`; `minhash` when the index has a MinHash part. */
export function scanWork(counters: ScanCounters, minhash: boolean): ReportScan {
  return {
    units: counters.units,
    windows_probed: counters.windows,
    bloom_hits: counters.bloomHits,
    anchors_extended: counters.candidates,
    shingles_verified: counters.verified,
    collisions_rejected: counters.rejected,
    minhash: minhash ? { windows: counters.minhashWindows, candidates: counters.minhashCandidates, matches: counters.minhashMatches } : null,
  };
}

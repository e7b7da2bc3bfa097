/**
 * Partial scans: what a scan of one shard writes (serializePartial), and what
 * the merge combines (mergePartials). A partial carries the mergeable scan
 * state (per-sample tallies, document frequencies, counts) rather than a
 * finished report, because verdicts depend on corpus-wide figures (document
 * frequency, best overlap) that only the union of all shards knows. Merging
 * all shards of a plan gives exactly the state, and so the byte-identical
 * report, of one single-process scan. The scan's own figures are one
 * PartResult in the codec of part-result.ts (version 2; version 1 had them
 * at the top level).
 */
import { ContamError } from '../errors.js';
import { resultFromJSON, resultToJSON, type SerializedPartResult } from './part-result.js';
import { mergeScanStates, type ScanState, type ShardSpec } from './scan.js';
import type { CorpusColumns, VerdictRule } from '../types.js';

export interface PartialSettings {
  columns: CorpusColumns;
  rule: VerdictRule;
  maxMatches: number;
  maxDocFreq: number;
}

export interface PartialScan {
  kind: 'contam-partial-scan';
  version: 2;
  index: { path: string; checksum: number };
  settings: PartialSettings;
  shard: ShardSpec;
  files: string[];
  parts: number[];
  part_count: number;
  result: SerializedPartResult;
}

export function serializePartial(state: ScanState, index: { path: string; checksum: number }, settings: PartialSettings, shard: ShardSpec): string {
  const partial: PartialScan = {
    kind: 'contam-partial-scan',
    version: 2,
    index,
    settings,
    shard,
    files: state.files,
    parts: state.parts,
    part_count: state.partCount,
    result: resultToJSON(state),
  };
  return `${JSON.stringify(partial)}\n`;
}

export function parsePartial(text: string, file: string): PartialScan {
  let data: PartialScan;
  try {
    data = JSON.parse(text) as PartialScan;
  } catch (error) {
    throw new ContamError('BAD_REPORT', `not JSON: ${(error as Error).message}`, { file, hint: 'pass the partial scans written by the scans of the shards' });
  }
  if (data?.kind !== 'contam-partial-scan' || data.version !== 2 || !resultFromJSON(data.result)) {
    throw new ContamError('BAD_REPORT', 'not a partial scan (version 2)', { file, hint: 'pass the partial scans written by the scans of the shards' });
  }
  return data;
}

function stateOf(p: PartialScan): ScanState {
  return { files: p.files, parts: p.parts, partCount: p.part_count, ...resultFromJSON(p.result)! };
}

/** Check that `partials` are the shards of one scan, together complete, and merge them. */
export function mergePartials(partials: { file: string; partial: PartialScan }[]): { state: ScanState; settings: PartialSettings; index: PartialScan['index'] } {
  if (partials.length === 0) throw new ContamError('NO_INPUT', 'no partial scans to merge', { hint: 'pass the partial scans written by the scans of the shards' });
  const first = partials[0]!;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const { file, partial } of partials.slice(1)) {
    if (!same(partial.files, first.partial.files) || partial.part_count !== first.partial.part_count) {
      throw new ContamError('BAD_REPORT', `scanned other corpus files than ${first.file}`, { file, hint: 'merge shards of one scan only' });
    }
    if (!same(partial.settings, first.partial.settings) || !same(partial.index, first.partial.index)) {
      throw new ContamError('BAD_REPORT', `was scanned with another index or other settings than ${first.file}`, { file, hint: 'merge shards of one scan only' });
    }
  }
  const seen = new Map<number, string>();
  for (const { file, partial } of partials) {
    for (const part of partial.parts) {
      const other = seen.get(part);
      if (other !== undefined) throw new ContamError('BAD_REPORT', `part ${part} was also scanned in ${other}`, { file, hint: 'pass each shard once' });
      seen.set(part, file);
    }
  }
  if (seen.size !== first.partial.part_count) {
    const count = first.partial.shard.count;
    const have = new Set(partials.map((p) => p.partial.shard.index));
    const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !have.has(i));
    throw new ContamError(
      'BAD_REPORT',
      `the shards cover ${seen.size} of ${first.partial.part_count} corpus parts${missing.length ? `; missing shards ${missing.map((i) => `${i}/${count}`).join(', ')}` : ''}`,
      {
        hint: 'merge only when every shard has finished',
      },
    );
  }
  return { state: mergeScanStates(partials.map((p) => stateOf(p.partial))), settings: first.partial.settings, index: first.partial.index };
}

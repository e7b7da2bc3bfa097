/**
 * Shard results -> one report: `readShards` reads the partial scans of
 * `contam scan --shard I/N` and checks that they are the shards of one scan,
 * each part covered once; `mergeShards` then reads the index and refuses one
 * whose checksum is not the one the shards were scanned with, since verdicts
 * need the very samples the shards matched. The merged report is
 * byte-identical to a single-process scan's.
 */
import { promises as fs } from 'node:fs';
import { ContamError } from '../errors.js';
import { readIndexFile } from '../cidx/file.js';
import { mergePartials, parsePartial, type PartialScan, type PartialSettings } from '../scan/partial.js';
import { reportFromState, type ScanState } from '../scan/scan.js';
import type { Report } from '../types.js';

/** Partial scans read and checked, not yet joined to their index. */
export interface Shards {
  state: ScanState;
  settings: PartialSettings;
  /** The index the shards were scanned with: its path as recorded, and its checksum. */
  index: PartialScan['index'];
}

/** Read the partial scans and check that together they cover every corpus part once. */
export async function readShards(files: string[]): Promise<Shards> {
  const partials = [];
  for (const file of files) {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      throw new ContamError('FILE_NOT_FOUND', 'no such partial scan', { file });
    }
    partials.push({ file, partial: parsePartial(text, file) });
  }
  return mergePartials(partials);
}

/** Merge partial scans (files, or what `readShards` read) into the report; `index` overrides the path the shards recorded. */
export async function mergeShards(shards: string[] | Shards, options: { index?: string } = {}): Promise<Report> {
  const { state, settings, index: recorded } = Array.isArray(shards) ? await readShards(shards) : shards;
  const file = options.index ?? recorded.path;
  const index = await readIndexFile(file);
  if (index.source && index.source.checksum !== recorded.checksum) {
    throw new ContamError('INDEX_MISMATCH', 'this index is not the one the shards were scanned with (checksums differ)', { file, hint: 'pass the index used by `contam scan --shard`' });
  }
  return reportFromState(index, state, { columns: settings.columns, rule: settings.rule, maxMatches: settings.maxMatches, maxDocFreq: settings.maxDocFreq });
}

/**
 * Checkpoints for resumable scans: one file per finished corpus part, written
 * atomically (temporary file, then rename), beside a manifest that
 * fingerprints the index, the corpus files (size and modification time) and
 * the scan settings. A scan killed at any point and started again with the
 * same arguments loads the finished parts and scans only the rest; because
 * part results merge order-independently, the report is identical to an
 * uninterrupted run's. A checkpoint folder of another scan is refused.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ContamError } from '../errors.js';
import type { ContamIndex } from '../index/contam-index.js';
import { writeFileAtomic } from '../io/atomic.js';
import { xxh32 } from '../text/xxhash32.js';
import type { CorpusPart } from '../types.js';
import { MatchAccumulator, type SerializedAccumulator } from './accumulator.js';
import type { ScanCounters } from './document-scanner.js';
import type { PartResult } from './scan.js';

export interface Checkpoint {
  load(part: number): Promise<PartResult | null>;
  save(part: number, result: PartResult): Promise<void>;
}

interface SavedPart {
  documents: number;
  bytes: number;
  counters: ScanCounters;
  accumulator: SerializedAccumulator;
  docFreq: [number, number][];
  skipped: PartResult['skipped'];
}

/** A fingerprint of what makes two scans the same scan. */
async function fingerprint(index: ContamIndex, files: string[], parts: CorpusPart[], settings: unknown): Promise<string> {
  const stats = [];
  for (const file of files) {
    if (file === '-') throw new ContamError('BAD_ARGUMENT', 'standard input cannot be checkpointed', { hint: 'scan files, or drop --checkpoint' });
    const st = await fs.stat(file);
    stats.push([file, st.size, Math.floor(st.mtimeMs)]);
  }
  const bloom = index.bloom.bits;
  return JSON.stringify({
    index: {
      config: index.config,
      samples: index.samples.row.length,
      entries: index.entries.segment.length,
      bloom: xxh32(new Uint8Array(bloom.buffer, bloom.byteOffset, bloom.byteLength), 0, bloom.byteLength, 0),
    },
    files: stats,
    parts: parts.map((p) => [p.file, p.index, p.bytes]),
    settings,
  });
}

export async function openCheckpoint(dir: string, index: ContamIndex, files: string[], parts: CorpusPart[], settings: unknown): Promise<Checkpoint> {
  const print = await fingerprint(index, files, parts, settings);
  const manifest = path.join(dir, 'manifest.json');
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (error) {
    throw new ContamError('WRITE_FAILED', `cannot create the checkpoint folder: ${(error as Error).message}`, { file: dir });
  }
  let existing: string | null = null;
  try {
    existing = await fs.readFile(manifest, 'utf8');
  } catch {
    existing = null;
  }
  if (existing === null) await writeFileAtomic(manifest, print);
  else if (existing !== print) {
    throw new ContamError('BAD_ARGUMENT', 'this checkpoint folder belongs to another scan (other index, corpus files or settings)', {
      file: dir,
      hint: 'remove the folder to start over, or pass another --checkpoint',
    });
  }
  const partFile = (part: number) => path.join(dir, `part-${String(part).padStart(6, '0')}.json`);
  return {
    async load(part) {
      let text: string;
      try {
        text = await fs.readFile(partFile(part), 'utf8');
      } catch {
        return null;
      }
      let saved: SavedPart;
      try {
        saved = JSON.parse(text) as SavedPart;
      } catch {
        throw new ContamError('BAD_ARGUMENT', 'a checkpoint file is damaged', { file: partFile(part), hint: 'remove it; that part will be scanned again' });
      }
      return { documents: saved.documents, bytes: saved.bytes, counters: saved.counters, accumulator: MatchAccumulator.fromJSON(saved.accumulator), docFreq: saved.docFreq, skipped: saved.skipped };
    },
    async save(part, result) {
      const saved: SavedPart = {
        documents: result.documents,
        bytes: result.bytes,
        counters: result.counters,
        accumulator: result.accumulator.toJSON(),
        docFreq: result.docFreq,
        skipped: result.skipped,
      };
      await writeFileAtomic(partFile(part), JSON.stringify(saved));
    },
  };
}

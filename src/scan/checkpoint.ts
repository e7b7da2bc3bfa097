/**
 * Checkpoints for resumable scans: one file per finished corpus part, written
 * atomically (temporary file, then rename), beside a manifest that
 * fingerprints the index, the corpus files (size and modification time), the
 * plan (each part's bytes and first row) and the scan settings. A scan killed
 * at any point and started again with the same arguments loads the finished
 * parts and scans only the rest; because part results merge
 * order-independently, the report is identical to an uninterrupted run's. A
 * checkpoint folder of another scan is refused.
 *
 * Size and modification time miss a file edited in place (same size, mtime
 * set back, or within its resolution), so each saved part also records the
 * SHA-256 of the bytes it was scanned from (its byte range; the whole file for
 * a Parquet row group or Arrow batch, hashed once per file per run), and a
 * reused part is hashed again and refused when they differ. The cost is one
 * more read of each part from the page cache at hashing speed, several times
 * a scan's, when it is saved and when it is reused: much less than scanning
 * it again.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { ContamError } from '../errors.js';
import type { ContamIndex } from '../cidx/contam-index.js';
import { writeFileAtomic } from '../io/atomic.js';
import { xxh32 } from '../text/xxhash32.js';
import type { CorpusPart } from '../types.js';
import { resultFromJSON, resultToJSON, type PartResult, type SerializedPartResult } from './part-result.js';

export interface Checkpoint {
  load(part: number): Promise<PartResult | null>;
  save(part: number, result: PartResult): Promise<void>;
}

/** A checkpoint file: the part's result, with the digest of the bytes it was scanned from. */
interface SavedPart extends SerializedPartResult {
  /** SHA-256 of the bytes the part was scanned from (digestRange). */
  digest?: string;
}

/** A fingerprint of what makes two scans the same scan. */
async function fingerprint(index: ContamIndex, files: string[], parts: CorpusPart[], settings: unknown): Promise<string> {
  const stats = [];
  for (const file of files) {
    if (file === '-') throw new ContamError('BAD_ARGUMENT', 'standard input cannot be checkpointed', { hint: 'scan files, or scan without a checkpoint folder' });
    const st = await fs.stat(file);
    if (st.isFIFO() || st.isCharacterDevice() || st.isSocket())
      throw new ContamError('BAD_ARGUMENT', 'a FIFO or device cannot be checkpointed: it is read only once', { file, hint: 'scan files, or scan without a checkpoint folder' });
    stats.push([file, st.size, Math.floor(st.mtimeMs)]);
  }
  const bloom = index.bloom.bits;
  return JSON.stringify({
    index: {
      config: index.config,
      samples: index.samples.row.length,
      entries: index.entries.count,
      bloom: xxh32(new Uint8Array(bloom.buffer, bloom.byteOffset, bloom.byteLength), 0, bloom.byteLength, 0),
    },
    files: stats,
    parts: parts.map((p) => [p.file, p.index, p.bytes, p.rowStart, p.lineStart ?? null]),
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
      hint: 'remove the folder to start over, or give the scan another checkpoint folder',
    });
  }
  const partFile = (part: number) => path.join(dir, `part-${String(part).padStart(6, '0')}.json`);
  const digests = new Map<string, Promise<string>>();
  const digestOf = (part: CorpusPart) => {
    const range = digestRange(part);
    const key = `${part.file}\0${range.start}\0${range.end}`;
    let digest = digests.get(key);
    if (digest === undefined) {
      digest = hashRange(part.file, range.start, range.end);
      // Byte ranges are hashed once each; whole files are kept for their other parts.
      if (range.wholeFile) digests.set(key, digest);
    }
    return digest;
  };
  return {
    async load(part) {
      let text: string;
      try {
        text = await fs.readFile(partFile(part), 'utf8');
      } catch {
        return null;
      }
      let saved: SavedPart | null = null;
      try {
        saved = JSON.parse(text) as SavedPart;
      } catch {
        // Damaged: refused below.
      }
      const result = resultFromJSON(saved);
      if (!saved || !result) throw new ContamError('BAD_ARGUMENT', 'a checkpoint file is damaged', { file: partFile(part), hint: 'remove it; that part will be scanned again' });
      const planned = parts[part]!;
      if (saved.digest !== (await digestOf(planned))) {
        throw new ContamError('FILE_CHANGED', `the file changed since part ${planned.index} of it was scanned into the checkpoint (same size and time, other bytes)`, {
          file: planned.file,
          hint: `remove the checkpoint folder ${dir} to scan again from the start`,
        });
      }
      return result;
    },
    async save(part, result) {
      const saved: SavedPart = { digest: await digestOf(parts[part]!), ...resultToJSON(result) };
      await writeFileAtomic(partFile(part), JSON.stringify(saved));
    },
  };
}

/** The bytes a part is read from: its range of a cut JSONL file, else the whole file (a row group's chunks are not one range). */
function digestRange(part: CorpusPart): { start: number; end: number; wholeFile: boolean } {
  if (part.byteStart !== undefined) return { start: part.byteStart, end: part.byteStart + part.bytes, wholeFile: false };
  return { start: 0, end: Infinity, wholeFile: true };
}

async function hashRange(file: string, start: number, end: number): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file, { start, end: end === Infinity ? undefined : end - 1, highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  } catch (error) {
    throw new ContamError('FILE_NOT_FOUND', `cannot read the file to check it against the checkpoint: ${(error as Error).message}`, { file, cause: error });
  }
  return hash.digest('hex');
}

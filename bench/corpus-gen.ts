/**
 * Benchmark corpus generator: the real background prose of
 * ../shared/data/corpus/*.jsonl.gz (5,551 documents, ~31 MB as JSONL),
 * repeated with fresh ids until the plain JSONL reaches the target size, then
 * written as the formats asked for: `jsonl`, `jsonl.gz` (node:zlib, level 6),
 * `jsonl.zst` (the zstd CLI, level 3: no zstd encoder ships with the
 * dependencies) and `parquet` (zstd, via DuckDB, row groups of 8,192 rows).
 *
 * Invariant: the same target gives byte-identical JSONL (documents in file
 * order, no randomness), so runs are comparable. Repeats are ~31 MB apart,
 * beyond the gzip and zstd-3 windows, so compression ratios stay realistic.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, gunzipSync } from 'node:zlib';

const DATA = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../shared/data/corpus');

/** True when the `zstd` CLI can be run. */
export function hasZstdCli(): boolean {
  return spawnSync('zstd', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The documents of ../shared/data/corpus/*.jsonl.gz, in file order. */
export function sourceDocuments(): { id: string; text: string; source: string }[] {
  const docs: { id: string; text: string; source: string }[] = [];
  for (const name of readdirSync(DATA)
    .filter((f) => f.endsWith('.jsonl.gz'))
    .sort()) {
    for (const line of gunzipSync(readFileSync(path.join(DATA, name)))
      .toString('utf8')
      .split('\n')) {
      if (line.trim() !== '') docs.push(JSON.parse(line) as { id: string; text: string; source: string });
    }
  }
  return docs;
}

/**
 * Write a corpus of about `targetBytes` (plain JSONL size) into `dir` in each
 * of `formats` (`jsonl`, `jsonl.gz`, `jsonl.zst`, `parquet`), reusing files
 * already there for the same target. Returns the files per format; a format
 * that cannot be made (zstd CLI missing) maps to no files, with a warning.
 */
export async function generateCorpus(dir: string, targetBytes: number, formats: string[]): Promise<Record<string, string[]>> {
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `corpus-${Math.round(targetBytes / 1e6)}mb`);
  const jsonl = `${base}.jsonl`;
  const out: Record<string, string[]> = {};
  if (!existsSync(jsonl)) {
    const docs = sourceDocuments();
    const tmp = `${jsonl}.tmp`;
    const stream = createWriteStream(tmp);
    let written = 0;
    for (let rep = 0; written < targetBytes; rep++) {
      for (const d of docs) {
        const line = `${JSON.stringify({ id: `${d.id}#${rep}`, text: d.text, source: d.source })}\n`;
        written += Buffer.byteLength(line);
        if (!stream.write(line)) await new Promise((resolve) => stream.once('drain', resolve));
        if (written >= targetBytes) break;
      }
    }
    await new Promise((resolve) => stream.end(resolve));
    rmSync(jsonl, { force: true });
    await import('node:fs/promises').then((fs) => fs.rename(tmp, jsonl));
  }
  for (const format of formats) {
    if (format === 'jsonl') out[format] = [jsonl];
    else if (format === 'jsonl.gz') {
      const file = `${jsonl}.gz`;
      if (!existsSync(file)) await pipeline(createReadStream(jsonl), createGzip({ level: 6 }), createWriteStream(file));
      out[format] = [file];
    } else if (format === 'jsonl.zst') {
      const file = `${jsonl}.zst`;
      if (!existsSync(file)) {
        if (!hasZstdCli()) {
          process.stderr.write('warning: the zstd CLI is missing, so no .jsonl.zst corpus was made (apt-get install -y zstd)\n');
          out[format] = [];
          continue;
        }
        const r = spawnSync('zstd', ['-q', '-3', '-f', jsonl, '-o', file], { stdio: 'inherit' });
        if (r.status !== 0) throw new Error(`zstd failed with status ${r.status}`);
      }
      out[format] = [file];
    } else if (format === 'parquet') {
      const file = `${base}.zstd.parquet`;
      if (!existsSync(file)) {
        const { DuckDBInstance } = await import('@duckdb/node-api');
        const db = await DuckDBInstance.create(':memory:');
        const con = await db.connect();
        await con.run('SET preserve_insertion_order = true');
        await con.run(
          `COPY (SELECT id, text, source FROM read_json('${jsonl}', format = 'newline_delimited', columns = {id: 'VARCHAR', text: 'VARCHAR', source: 'VARCHAR'})) TO '${file}' (FORMAT PARQUET, COMPRESSION ZSTD, ROW_GROUP_SIZE 8192)`,
        );
        con.closeSync();
      }
      out[format] = [file];
    } else {
      throw new Error(`unknown bench format '${format}' (jsonl, jsonl.gz, jsonl.zst, parquet)`);
    }
  }
  return out;
}

/** Size on disk of a list of files. */
export function sizeOf(files: string[]): number {
  return files.reduce((sum, f) => sum + statSync(f).size, 0);
}

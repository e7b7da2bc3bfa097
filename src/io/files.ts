/**
 * Corpus inputs to a list of files: plain files, folders (walked recursively),
 * globs (`*`, `?` within a path segment, `**` across segments) and `-` for
 * JSONL on stdin. Node 20 has no fs.glob, hence the small matcher here.
 *
 * Invariant: the result is sorted by path (code-unit order, not locale) with
 * duplicates removed, so the same inputs always give the same parts in the same
 * order and the report is byte-identical from run to run. Folder walks and
 * globs keep only files with a corpus extension and skip hidden entries; a
 * file named explicitly must have a corpus extension or it is an error.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ContamError } from '../errors.js';
import type { Compression, CorpusFormat } from '../types.js';

/** The name standing for JSONL on standard input. */
export const STDIN = '-';

const FORMATS: [suffix: string, format: CorpusFormat, compressible: boolean][] = [
  ['.jsonl', 'jsonl', true],
  ['.ndjson', 'jsonl', true],
  ['.parquet', 'parquet', false],
  ['.arrow', 'arrow', false],
  ['.feather', 'arrow', false],
  ['.ipc', 'arrow', false],
  ['.arrows', 'arrow-stream', false],
];

const KNOWN = 'corpus files are .jsonl/.ndjson (optionally .gz or .zst), .parquet, .arrow/.feather/.ipc (Arrow IPC file) or .arrows (Arrow IPC stream)';

function formatOf(file: string): { format: CorpusFormat; compression: Compression } | null {
  if (file === STDIN) return { format: 'jsonl', compression: null };
  let name = file.toLowerCase();
  let compression: Compression = null;
  if (name.endsWith('.gz')) compression = 'gzip';
  else if (name.endsWith('.zst') || name.endsWith('.zstd')) compression = 'zstd';
  if (compression) name = name.slice(0, name.lastIndexOf('.'));
  for (const [suffix, format, compressible] of FORMATS) {
    if (name.endsWith(suffix) && (compression === null || compressible)) return { format, compression };
  }
  return null;
}

/**
 * The format and compression of a corpus file, from its name.
 *
 * @throws ContamError `UNKNOWN_FORMAT` for any other extension
 */
export function corpusFormatOf(file: string): { format: CorpusFormat; compression: Compression } {
  const found = formatOf(file);
  if (!found) throw new ContamError('UNKNOWN_FORMAT', `cannot tell the format of '${path.basename(file)}' from its extension`, { file, hint: KNOWN });
  return found;
}

/**
 * The error for a file that ends before the byte a part was planned to reach:
 * it was cut short (or rewritten) after planning, while being scanned.
 */
export function endedEarly(file: string, at: number, planned: number): ContamError {
  return new ContamError('FILE_CHANGED', `the file ends at byte ${at}, before byte ${planned}, which it reached when the scan was planned (it was cut short or rewritten during the scan)`, {
    file,
    where: `byte ${at}`,
    hint: 'scan it again once it is complete; with skipBad the scan lists it and goes on',
  });
}

function isStream(stat: { isFIFO(): boolean; isCharacterDevice(): boolean; isSocket(): boolean }): boolean {
  return stat.isFIFO() || stat.isCharacterDevice() || stat.isSocket();
}

/**
 * True for a FIFO, character device or socket named as a corpus input (process
 * substitution, /dev/stdin): it is read once, in order, as JSONL like stdin.
 */
export async function isStreamInput(file: string): Promise<boolean> {
  if (file === STDIN) return true;
  const stat = await fs.stat(file).catch(() => null);
  return stat !== null && isStream(stat);
}

/** True when a file name has a corpus extension. */
export function isCorpusFile(file: string): boolean {
  return formatOf(file) !== null;
}

/**
 * Expand files, folders, globs and `-` into a sorted, de-duplicated list of corpus files.
 *
 * @throws ContamError `FILE_NOT_FOUND` for a missing file, `NO_INPUT` for a
 *   folder or glob with no corpus files (or no inputs at all), `UNKNOWN_FORMAT`
 *   for a named file with another extension
 */
export async function expandCorpusInputs(inputs: string[]): Promise<string[]> {
  if (inputs.length === 0) throw new ContamError('NO_INPUT', 'no corpus given', { hint: 'name corpus files, folders or globs' });
  const found = new Map<string, string>();
  const add = (file: string) => {
    const key = file === STDIN ? STDIN : path.resolve(file);
    if (!found.has(key)) found.set(key, file);
  };
  for (const input of inputs) {
    if (input === STDIN) {
      add(STDIN);
      continue;
    }
    if (hasGlob(input)) {
      const files = await expandGlob(input);
      if (files.length === 0) throw new ContamError('NO_INPUT', `the pattern '${input}' matches no corpus files`, { hint: KNOWN });
      files.forEach(add);
      continue;
    }
    let stat;
    try {
      stat = await fs.stat(input);
    } catch (error) {
      throw new ContamError('FILE_NOT_FOUND', 'no such file or folder', { file: input, cause: error, hint: 'check the corpus path' });
    }
    if (isStream(stat)) {
      // `<(zcat part.jsonl.gz)` is /dev/fd/63: no extension to go by; read as stdin is.
      add(input);
      continue;
    }
    if (stat.isDirectory()) {
      const files: string[] = [];
      await walk(input, files, new Set());
      if (files.length === 0) throw new ContamError('NO_INPUT', 'the folder holds no corpus files', { file: input, hint: KNOWN });
      files.forEach(add);
    } else {
      corpusFormatOf(input);
      add(input);
    }
  }
  return [...found.values()].sort(byCodeUnits);
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function hasGlob(input: string): boolean {
  return /[*?]/.test(input);
}

/** Walk a folder for corpus files, skipping hidden entries and symlink loops. */
async function walk(dir: string, out: string[], visited: Set<string>): Promise<void> {
  let real: string;
  try {
    real = await fs.realpath(dir);
  } catch {
    return;
  }
  if (visited.has(real)) return;
  visited.add(real);
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new ContamError('FILE_NOT_FOUND', `cannot read the folder: ${(error as Error).message}`, { file: dir, cause: error });
  }
  entries.sort((a, b) => byCodeUnits(a.name, b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await fs.stat(full).catch(() => null);
      isDir = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (isDir) await walk(full, out, visited);
    else if (isFile && isCorpusFile(full)) out.push(full);
  }
}

/** Turn one glob segment (`web-*.jsonl`) into a regular expression. */
function segmentRegex(segment: string): RegExp {
  let source = '';
  for (const ch of segment) {
    if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * Expand a glob. The fixed leading segments are the folder to start from;
 * `*` and `?` never match a hidden name unless the segment itself starts with
 * a dot, as in a shell. Matched folders are walked like folders given by name.
 */
async function expandGlob(pattern: string): Promise<string[]> {
  const absolute = path.isAbsolute(pattern);
  const segments = pattern.split(/[\\/]+/).filter((s, i) => s !== '' || (i === 0 && absolute));
  let base = absolute ? path.sep : '';
  let i = absolute ? 1 : 0;
  while (i < segments.length - 1 && !hasGlob(segments[i]!)) {
    base = base === '' ? segments[i]! : path.join(base, segments[i]!);
    i++;
  }
  const out: string[] = [];
  await matchFrom(base === '' ? '.' : base, base, segments.slice(i), out, new Set());
  return out.sort(byCodeUnits);
}

async function matchFrom(dir: string, shown: string, rest: string[], out: string[], visited: Set<string>): Promise<void> {
  const [segment, ...tail] = rest;
  if (segment === undefined) return;
  const join = (name: string) => (shown === '' ? name : path.join(shown, name));
  if (!hasGlob(segment)) {
    const full = join(segment);
    const stat = await fs.stat(path.join(dir, segment)).catch(() => null);
    if (!stat) return;
    if (tail.length === 0) await collect(full, stat.isDirectory(), out);
    else if (stat.isDirectory()) await matchFrom(path.join(dir, segment), full, tail, out, visited);
    return;
  }
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  if (segment === '**') {
    // `**` matches no folder at all, or descends one folder and stays `**`.
    const real = await fs.realpath(dir).catch(() => dir);
    const key = `${real}\0${tail.join('/')}`;
    if (visited.has(key)) return;
    visited.add(key);
    if (tail.length === 0) {
      await walk(dir === '.' ? '.' : dir, out, new Set());
      return;
    }
    await matchFrom(dir, shown, tail, out, visited);
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await fs.stat(full).catch(() => null))?.isDirectory());
      if (isDir) await matchFrom(full, join(entry.name), rest, out, visited);
    }
    return;
  }
  const regex = segmentRegex(segment);
  for (const entry of entries) {
    if (entry.name.startsWith('.') && !segment.startsWith('.')) continue;
    if (!regex.test(entry.name)) continue;
    const full = path.join(dir, entry.name);
    const stat = await fs.stat(full).catch(() => null);
    if (!stat) continue;
    if (tail.length === 0) await collect(join(entry.name), stat.isDirectory(), out);
    else if (stat.isDirectory()) await matchFrom(full, join(entry.name), tail, out, visited);
  }
}

async function collect(file: string, isDirectory: boolean, out: string[]): Promise<void> {
  if (isDirectory) await walk(file, out, new Set());
  else if (isCorpusFile(file)) out.push(file);
}

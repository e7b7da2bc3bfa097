/**
 * The one rule for what an output may be written onto, the same for every
 * command's `-o` (and `--save-index`, checkpoints):
 *
 * - a path that does not exist is created (atomically: temporary file, rename);
 * - an existing regular file is replaced, atomically, keeping its mode;
 * - a symbolic link is followed: its target is written (replaced atomically,
 *   or created when the link dangles), and the link itself stays;
 * - a character device (`/dev/null`) or a FIFO is written through, in order,
 *   never renamed over (a reader of the FIFO gets the data); so is a process's
 *   file descriptor (`/dev/stdout`, `/dev/fd/N`), whatever it is open on;
 * - a folder, a block device or a socket is refused for a file output;
 *   a folder output (`filter`) must be absent or an empty folder, since
 *   replacing a folder would delete files contam did not write;
 * - an output that is one of the command's own inputs (the corpus, the index,
 *   a benchmark, a partial scan) is refused before any work, compared by
 *   device and inode, so another spelling, a symlink or a hard link of the
 *   input counts too.
 *
 * Every refusal is a ContamError `BAD_ARGUMENT` (exit 2, one line).
 */
import { lstatSync, promises as fs, readlinkSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { ContamError } from '../errors.js';
import { expandCorpusInputs } from './files.js';

/** Where a file output really goes. */
export interface OutputTarget {
  /** The path to write: the given one, or a symlink's final target. */
  path: string;
  /** A character device or FIFO: opened and written directly, no temporary file. */
  through: boolean;
  /** The mode of the regular file being replaced, kept by the new one. */
  mode: number | null;
}

function statOrNull(file: string, follow: boolean): Stats | null {
  try {
    return follow ? statSync(file) : lstatSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new ContamError('WRITE_FAILED', `cannot look at the output: ${(error as Error).message}`, { file, cause: error });
  }
}

/**
 * Follow a chain of symlinks to the path they end at, which may not exist (a
 * dangling link); `viaFd` when a hop is a process's file descriptor
 * (/dev/stdout, /dev/fd/N, /proc/self/fd/N), whose target is no path to rename over.
 */
function followLinks(file: string): { path: string; viaFd: boolean } {
  let current = file;
  let viaFd = false;
  for (let hops = 0; hops < 40; hops++) {
    if (/^\/(proc\/[^/]+\/fd|dev\/fd)\//.test(current)) viaFd = true;
    const st = statOrNull(current, false);
    if (!st?.isSymbolicLink()) return { path: current, viaFd };
    current = path.resolve(path.dirname(current), readlinkSync(current));
  }
  throw new ContamError('BAD_ARGUMENT', 'the output is a loop of symbolic links', { file, hint: 'name a file' });
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isFIFO()) return 'a FIFO';
  return 'a file';
}

/**
 * Where a file output at `target` goes, by the rule above (synchronous: it is
 * called where temporary files are made, which signal handlers must see at once).
 *
 * @throws ContamError `BAD_ARGUMENT` for a folder, block device, socket or symlink loop
 */
export function resolveOutputFile(target: string): OutputTarget {
  const { path: real, viaFd } = followLinks(target);
  // stat follows the links itself, /dev/stdout to a pipe too, where a path of the chain does not exist.
  const st = statOrNull(target, true);
  if (st === null) return { path: real, through: false, mode: null };
  // A descriptor the shell opened (`-o /dev/stdout > file`) is written through, not renamed over.
  if (viaFd && !st.isDirectory()) return { path: target, through: true, mode: null };
  if (st.isFile()) return { path: real, through: false, mode: st.mode & 0o7777 };
  if (st.isCharacterDevice() || st.isFIFO()) return { path: target, through: true, mode: null };
  throw new ContamError('BAD_ARGUMENT', `the output is ${kindOf(st)}, where a file is to be written`, {
    file: target,
    hint: st.isDirectory() ? `name a file inside it (${path.join(target, 'report.json')})` : 'name a file',
  });
}

/** Identity of an existing path (following links), or null. */
function identity(file: string): { dev: number; ino: number; real: string; st: Stats } | null {
  let st: Stats;
  try {
    st = statSync(file);
  } catch {
    return null;
  }
  let real = file;
  try {
    real = path.resolve(followLinks(file).path);
  } catch {
    // A loop cannot be an input either; keep the given path.
  }
  return { dev: st.dev, ino: st.ino, real, st };
}

/**
 * Check an output before any work, by the rule above: refuse a folder (or
 * device, FIFO, non-empty folder for a folder output) where it cannot go, and
 * refuse any of the command's `inputs` (files, folders or globs of a corpus).
 * Folders and globs among the inputs are expanded only when the output is an
 * existing regular file that could be one of their files.
 *
 * @throws ContamError `BAD_ARGUMENT`
 */
export async function checkOutput(output: string | undefined, inputs: (string | undefined)[], kind: 'file' | 'folder' = 'file'): Promise<void> {
  if (output === undefined || output === '-') return;
  if (kind === 'file') resolveOutputFile(output);
  else {
    const st = statOrNull(output, true);
    if (st && !st.isDirectory()) {
      throw new ContamError('BAD_ARGUMENT', `the output is ${kindOf(st)}, where a folder is to be written`, { file: output, hint: 'name a folder that does not exist yet, or an empty one' });
    }
    if (st && (await fs.readdir(output)).length > 0) {
      throw new ContamError('BAD_ARGUMENT', 'the output already exists and is not an empty folder', { file: output, hint: 'remove it or choose another output folder' });
    }
  }
  const out = identity(output);
  // A device or FIFO given as both input and output is the user's plumbing; only files can be overwritten.
  if (!out || !(out.st.isFile() || out.st.isDirectory())) return;
  for (const input of inputs) {
    if (input === undefined || input === '-') continue;
    const same = (file: string) => {
      const id = identity(file);
      return id !== null && id.dev === out.dev && id.ino === out.ino;
    };
    if (same(input)) throw isInput(output, input);
    const st = /[*?]/.test(input) ? null : statOrNull(input, true);
    const expand = /[*?]/.test(input) || (st?.isDirectory() && (out.st.nlink > 1 || isInside(out.real, identity(input)!.real)));
    if (!expand || !out.st.isFile()) continue;
    let files: string[];
    try {
      files = await expandCorpusInputs([input]);
    } catch {
      continue;
    }
    const hit = files.find(same);
    if (hit !== undefined) throw isInput(output, hit);
  }
}

function isInside(file: string, folder: string): boolean {
  const rel = path.relative(folder, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function isInput(output: string, input: string): ContamError {
  return new ContamError('BAD_ARGUMENT', `the output is ${output === input ? 'also an input' : `the input ${input}`}; writing it would destroy what is being read`, {
    file: output,
    hint: 'write the output somewhere else',
  });
}

/**
 * Refuse two outputs of one command that are the same file (`check -o X
 * --save-index X`): one would silently replace the other.
 *
 * @throws ContamError `BAD_ARGUMENT`
 */
export function checkOutputsDiffer(outputs: (string | undefined)[]): void {
  const seen = new Map<string, string>();
  for (const output of outputs) {
    if (output === undefined || output === '-') continue;
    const { path: real, through } = resolveOutputFile(output);
    if (through) continue;
    const key = path.resolve(real);
    const other = seen.get(key);
    if (other !== undefined) throw new ContamError('BAD_ARGUMENT', `two outputs name the same file (${other} and ${output})`, { file: output, hint: 'give each output its own path' });
    seen.set(key, output);
  }
}

/**
 * What every command shares: where results go (stdout or `-o FILE`, written
 * atomically), where logs and progress go (stderr, silenced by --quiet), and
 * colour (only on a terminal, never with NO_COLOR).
 */
import { InvalidArgumentError } from 'commander';
import { writeFileAtomic } from '../io/atomic.js';

export interface OutputOptions {
  output?: string;
  json?: boolean;
  quiet?: boolean;
}

/** Write a command's result to `-o FILE` (atomically) or stdout. */
export async function writeResult(text: string | Uint8Array, output?: string): Promise<void> {
  if (output && output !== '-') {
    await writeFileAtomic(output, text);
  } else {
    await new Promise<void>((resolve, reject) => {
      process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
    });
  }
}

/** True when colour may be used on this stream. */
export function colorEnabled(stream: NodeJS.WriteStream = process.stderr): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  readonly quiet: boolean;
}

export function createLogger(quiet = false): Logger {
  return {
    quiet,
    info(message) {
      if (!quiet) process.stderr.write(`${message}\n`);
    },
    warn(message) {
      process.stderr.write(`warning: ${message}\n`);
    },
  };
}

/** Parse an integer option, with a message that says what was expected and what was got. */
export function parseIntegerOption(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected ${name} to be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}, got '${value}'`);
    }
    return n;
  };
}

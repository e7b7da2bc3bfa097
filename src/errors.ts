/**
 * The one error type users see. A ContamError is an expected failure caused by
 * input or environment (a missing file, a malformed line, a wrong index): the
 * CLI prints it as one line and exits 2. Anything else is a bug and keeps its
 * stack.
 */

export type ContamErrorCode =
  | 'FILE_NOT_FOUND'
  | 'NO_INPUT'
  | 'EMPTY_INPUT'
  | 'UNKNOWN_FORMAT'
  | 'BAD_JSON'
  | 'BAD_CSV'
  | 'BAD_PARQUET'
  | 'BAD_ARROW'
  | 'BAD_COMPRESSION'
  | 'BAD_UTF8'
  | 'TOO_LONG'
  | 'FILE_CHANGED'
  | 'MISSING_FIELD'
  | 'MISSING_COLUMN'
  | 'BAD_VALUE'
  | 'BAD_ARGUMENT'
  | 'BAD_INDEX'
  | 'INDEX_MISMATCH'
  | 'BAD_REPORT'
  | 'BAD_RESULTS'
  | 'JOIN_FAILED'
  | 'WRITE_FAILED'
  | 'DISK_FULL'
  | 'INTERRUPTED';

export interface ContamErrorOptions {
  /** What the user can do about it. */
  hint?: string;
  /** The file concerned, as the user named it. */
  file?: string;
  /** 1-based line, 0-based row, or byte offset, already phrased (`line 12`, `row 3`, `byte 4096`). */
  where?: string;
  cause?: unknown;
}

export class ContamError extends Error {
  override readonly name = 'ContamError';
  readonly code: ContamErrorCode;
  readonly hint: string | undefined;
  readonly file: string | undefined;
  readonly where: string | undefined;

  constructor(code: ContamErrorCode, message: string, options: ContamErrorOptions = {}) {
    const place = options.file ? `${options.file}${options.where ? `:${options.where}` : ''}: ` : '';
    super(`${place}${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.file = options.file;
    this.where = options.where;
  }

  /** A plain form that survives postMessage (workers) and JSON (checkpoints). */
  toJSON(): { code: ContamErrorCode; message: string; hint?: string; file?: string; where?: string } {
    return { code: this.code, message: this.message, hint: this.hint, file: this.file, where: this.where };
  }

  static fromJSON(data: { code: ContamErrorCode; message: string; hint?: string; file?: string; where?: string }): ContamError {
    const error = new ContamError(data.code, data.message, { hint: data.hint });
    // The message already names the place; keep the fields for callers that inspect them.
    Object.assign(error, { file: data.file, where: data.where });
    return error;
  }

  /** The single line the CLI prints. */
  toLine(): string {
    return this.hint ? `${this.message} (${this.hint})` : this.message;
  }
}

export function isContamError(error: unknown): error is ContamError {
  return error instanceof ContamError;
}

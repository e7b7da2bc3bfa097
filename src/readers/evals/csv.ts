/**
 * A small RFC 4180 CSV parser for benchmark files (TruthfulQA and the like).
 *
 * Fields are separated by commas, records by LF or CRLF; a field wrapped in
 * double quotes may hold commas, newlines and doubled quotes (`""`). A UTF-8
 * byte order mark before the header is dropped. Invariant: every record has
 * exactly as many fields as the header, so a stray quote or a lost comma is an
 * error naming its line rather than a silently shifted column. Blank lines
 * (outside quotes) are skipped.
 */
import { ContamError } from '../../errors.js';

/** One CSV record with the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A parsed CSV file: the header row and the data records. */
export interface CsvTable {
  header: string[];
  records: CsvRecord[];
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Parse CSV text into records, without interpreting the header.
 *
 * @param text the whole file as a string
 * @param file the file name, for error messages
 * @throws ContamError `BAD_CSV` for an unclosed quote or text after a closing quote
 */
export function parseCsvRecords(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let line = 1;
  while (i < n) {
    const recordLine = line;
    const fields: string[] = [];
    // One record: fields until an unquoted newline or the end of the text.
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        const openLine = line;
        let value = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) {
            throw new ContamError('BAD_CSV', 'a quoted field is never closed', {
              file,
              where: `line ${openLine}`,
              hint: 'every opening double quote needs a closing one; quotes inside a field are written twice ("")',
            });
          }
          line += countNewlines(text, from, q);
          value += text.slice(from, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += '"';
            from = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        fields.push(value);
        const c = text.charCodeAt(i);
        if (i < n && c !== COMMA && c !== LF && !(c === CR && text.charCodeAt(i + 1) === LF)) {
          throw new ContamError('BAD_CSV', 'unexpected text after a closing quote', {
            file,
            where: `line ${line}`,
            hint: 'a quote inside a quoted field must be doubled ("")',
          });
        }
      } else {
        let end = i;
        while (end < n) {
          const c = text.charCodeAt(end);
          if (c === COMMA || c === LF) break;
          if (c === CR && text.charCodeAt(end + 1) === LF) break;
          end++;
        }
        fields.push(text.slice(i, end));
        i = end;
      }
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        i++;
        continue;
      }
      if (c === CR) i += 2;
      else if (c === LF) i += 1;
      if (i <= n && (c === CR || c === LF)) line++;
      break;
    }
    if (fields.length === 1 && fields[0] === '') continue;
    records.push({ line: recordLine, fields });
  }
  return records;
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let p = text.indexOf('\n', from); p >= 0 && p < to; p = text.indexOf('\n', p + 1)) count++;
  return count;
}

/**
 * Parse a CSV file with a header row.
 *
 * @throws ContamError `EMPTY_INPUT` when there is no header, `BAD_CSV` for a
 *   malformed record, a duplicate column name, or a record whose field count
 *   differs from the header's
 */
export function parseCsv(text: string, file: string): CsvTable {
  const records = parseCsvRecords(text, file);
  const first = records.shift();
  if (!first) throw new ContamError('EMPTY_INPUT', 'the file is empty', { file, hint: 'a CSV benchmark needs a header row and at least one record' });
  const header = first.fields;
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new ContamError('BAD_CSV', `the header names column '${name}' twice`, { file, where: `line ${first.line}`, hint: 'rename one of the columns' });
    seen.add(name);
  }
  for (const record of records) {
    if (record.fields.length !== header.length) {
      throw new ContamError('BAD_CSV', `expected ${header.length} fields as in the header, got ${record.fields.length}`, {
        file,
        where: `line ${record.line}`,
        hint: 'fields holding commas or newlines must be wrapped in double quotes',
      });
    }
  }
  return { header, records };
}

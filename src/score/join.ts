/**
 * Joins the records of a results file to the report's samples of one
 * benchmark, in order of preference:
 *
 * 1. by row, when every record has one (lm-evaluation-harness `doc_id` is the
 *    0-based row of the task's document list). A row beyond the benchmark's
 *    sample count is BAD_RESULTS. Where records also carry text, the join is
 *    checked: if fewer than half of the checkable pairs have the sample's
 *    first text segment inside the record's text, the file is for another
 *    benchmark (JOIN_FAILED);
 * 2. by id, when every record has one and at least half of them are ids of
 *    the benchmark's samples;
 * 3. by text: both sides normalized (lowercase, whitespace collapsed); a
 *    record joins a sample whose first segment (ReportSample.text up to the
 *    first "\n") is contained in the record's text. When several are, the
 *    occurrence ending last wins (a prompt ends with the question under
 *    evaluation, after any few-shot examples), then the longest segment, then
 *    the lowest row not yet taken.
 *
 * A record that joins nothing, or a sample already taken, is unjoined and
 * named. Fewer than half of the records joined means the file does not
 * belong to this benchmark: JOIN_FAILED rather than scores on a sliver.
 */
import { ContamError } from '../errors.js';
import type { ReportSample } from '../types.js';
import type { ResultRecord } from '../readers/results/record.js';
import { badResults } from '../readers/results/record.js';

export interface JoinedPair {
  sample: ReportSample;
  record: ResultRecord;
}

export interface JoinResult {
  pairs: JoinedPair[];
  by: 'row' | 'id' | 'text';
  /** Records that joined no sample. */
  unjoined: ResultRecord[];
}

/** Lowercase and collapse whitespace, the normalization both sides of a text join get. */
export function normalizeForJoin(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The sample's first text segment, normalized. */
export function firstSegment(sample: ReportSample): string {
  const cut = sample.text.indexOf('\n');
  return normalizeForJoin(cut < 0 ? sample.text : sample.text.slice(0, cut));
}

/** How a record is named in `unjoined_ids`: its id, else its row, else its place in the file. */
export function recordName(record: ResultRecord): string {
  if (record.id !== null) return record.id;
  if (record.row !== null) return String(record.row);
  return record.where;
}

const KEY = 24;

/** Map each record to the sample whose first segment its text contains (see the header for ties). */
function joinByText(samples: readonly ReportSample[], records: readonly ResultRecord[]): JoinResult {
  // Index first segments by their first KEY characters (or all of them when shorter), grouped by key length,
  // so a record's text is scanned once per distinct key length instead of once per sample.
  const byLength = new Map<number, Map<string, { sample: ReportSample; first: string }[]>>();
  for (const sample of samples) {
    const first = firstSegment(sample);
    if (first === '') continue;
    const key = first.slice(0, KEY);
    let keys = byLength.get(key.length);
    if (!keys) {
      keys = new Map();
      byLength.set(key.length, keys);
    }
    const list = keys.get(key) ?? [];
    list.push({ sample, first });
    keys.set(key, list);
  }
  const taken = new Set<ReportSample>();
  const pairs: JoinedPair[] = [];
  const unjoined: ResultRecord[] = [];
  for (const record of records) {
    const text = normalizeForJoin(record.text);
    let best: { sample: ReportSample; first: string; end: number } | null = null;
    for (const [length, keys] of byLength) {
      for (let pos = 0; pos + length <= text.length; pos += 1) {
        const candidates = keys.get(text.slice(pos, pos + length));
        if (!candidates) continue;
        for (const c of candidates) {
          if (taken.has(c.sample) || !text.startsWith(c.first, pos)) continue;
          const end = pos + c.first.length;
          if (!best || end > best.end || (end === best.end && (c.first.length > best.first.length || (c.first.length === best.first.length && c.sample.row < best.sample.row)))) {
            best = { ...c, end };
          }
        }
      }
    }
    if (best) {
      taken.add(best.sample);
      pairs.push({ sample: best.sample, record });
    } else unjoined.push(record);
  }
  return { pairs, by: 'text', unjoined };
}

/**
 * Join `records` (from `file`) to `samples` of `benchmark`, which has
 * `sampleCount` samples in all.
 *
 * @throws ContamError `BAD_RESULTS` for a row out of range, `JOIN_FAILED`
 *   when the file does not line up with the benchmark
 */
export function joinRecords(file: string, benchmark: string, sampleCount: number, samples: readonly ReportSample[], records: readonly ResultRecord[]): JoinResult {
  let result: JoinResult | null = null;
  if (records.every((r) => r.row !== null)) {
    const byRow = new Map(samples.map((s) => [s.row, s]));
    const pairs: JoinedPair[] = [];
    const unjoined: ResultRecord[] = [];
    let checked = 0;
    let agreed = 0;
    for (const record of records) {
      if (record.row! >= sampleCount) {
        throw badResults(
          file,
          `row ${record.row} is out of range: benchmark '${benchmark}' has ${sampleCount} samples (rows 0 to ${sampleCount - 1})`,
          record.where,
          'are the results for another split or benchmark? name it with --benchmark',
        );
      }
      const sample = byRow.get(record.row!);
      if (!sample) {
        unjoined.push(record);
        continue;
      }
      const first = firstSegment(sample);
      if (record.text !== '' && first !== '') {
        checked += 1;
        if (normalizeForJoin(record.text).includes(first)) agreed += 1;
      }
      pairs.push({ sample, record });
    }
    if (checked > 0 && agreed * 2 < checked) {
      throw new ContamError('JOIN_FAILED', `rows line up with benchmark '${benchmark}' but the texts do not: only ${agreed} of ${checked} results contain their sample's text`, {
        file,
        hint: 'the results are for another benchmark or split; name the right one with --benchmark',
      });
    }
    result = { pairs, by: 'row', unjoined };
  } else if (records.every((r) => r.id !== null)) {
    const byId = new Map(samples.map((s) => [s.id, s]));
    const taken = new Set<ReportSample>();
    const pairs: JoinedPair[] = [];
    const unjoined: ResultRecord[] = [];
    for (const record of records) {
      const sample = byId.get(record.id!);
      if (sample && !taken.has(sample)) {
        taken.add(sample);
        pairs.push({ sample, record });
      } else unjoined.push(record);
    }
    // Ids that do not line up (lighteval's own numbering, say) fall back to the text.
    if (pairs.length * 2 >= records.length || records.every((r) => r.text === '')) result = { pairs, by: 'id', unjoined };
  }
  result ??= joinByText(samples, records);
  if (result.pairs.length === 0 || result.pairs.length * 2 < records.length) {
    throw new ContamError('JOIN_FAILED', `only ${result.pairs.length} of ${records.length} results could be joined to benchmark '${benchmark}' (by ${result.by})`, {
      file,
      hint: 'the results are probably for another benchmark; name the right one with --benchmark',
    });
  }
  return result;
}

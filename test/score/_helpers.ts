/**
 * Builders for the score tests: real rows of the shared benchmark data,
 * hand-built scan reports over them, result files written into a temporary
 * folder, and lighteval-shaped Parquet written by DuckDB.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Report, ReportSample } from '../../src/types.js';

// The shared data sits beside the checkout (../shared/data), wherever the checkout is.
export const DATA = path.resolve(import.meta.dirname, '../../../shared/data');

/** The first `n` rows of a JSONL file of the shared data. */
const lineCache = new Map<string, string[]>();

export function dataRows<T>(relative: string, n: number): T[] {
  let lines = lineCache.get(relative);
  if (!lines) {
    lines = readFileSync(path.join(DATA, relative), 'utf8').split('\n', 200).filter(Boolean);
    lineCache.set(relative, lines);
  }
  return lines.slice(0, n).map((l) => JSON.parse(l) as T);
}

export interface HellaswagRow {
  idx: number;
  activity_label: string;
  ctx: string;
  endings: string[];
  label: number;
}
export interface Gsm8kRow {
  question: string;
  answer: string;
}

export function hellaswag(n: number): HellaswagRow[] {
  return dataRows<HellaswagRow>('hellaswag/val.jsonl', n);
}

export function gsm8k(n: number): Gsm8kRow[] {
  return dataRows<Gsm8kRow>('gsm8k/test.jsonl', n);
}

/** A fresh temporary folder. */
export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'contam-score-'));
}

export function writeJsonl(file: string, lines: unknown[]): string {
  writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return file;
}

export interface SampleSpec {
  row: number;
  id?: string;
  text: string;
  contaminated?: boolean;
  too_short?: boolean;
  leaked?: ReportSample['leaked'];
}

/** A version-1 report with every field a scan writes, over the given samples. */
export function makeReport(benchmarks: { name: string; shape?: string | null; samples: number; specs: SampleSpec[] }[]): Report {
  return {
    version: 1,
    tool: { name: 'contam', version: '0.1.0' },
    config: {
      unit: 'word',
      ngram: 13,
      min_words: 8,
      encoding: null,
      normalization: 'nfkc-casefold-html-punct-v1',
      rule: 'any-ngram',
      min_overlap: null,
      text_column: 'text',
      id_column: 'id',
      max_matches: 10,
      max_doc_freq: null,
      minhash: null,
      index: { format_version: 1, shingles: 0, bloom_bits: 0, bloom_hashes: 0, bloom_fpr: 0 },
    },
    corpus: { files: 1, documents: 1, bytes: 1 },
    skipped: [],
    benchmarks: benchmarks.map((b) => {
      const contaminated = b.specs.filter((s) => s.contaminated && !s.too_short).length;
      const tooShort = b.specs.filter((s) => s.too_short).length;
      return {
        name: b.name,
        path: `${b.name}.jsonl`,
        format: 'jsonl' as const,
        shape: b.shape ?? null,
        fields: [],
        samples: b.samples,
        ngram: 13,
        contaminated,
        too_short: tooShort,
        rate: contaminated / Math.max(1, b.specs.length - tooShort),
      };
    }),
    samples: benchmarks.flatMap((b) =>
      b.specs.map((s) => ({
        benchmark: b.name,
        row: s.row,
        id: s.id ?? String(s.row),
        contaminated: Boolean(s.contaminated && !s.too_short),
        too_short: Boolean(s.too_short),
        shingles: 10,
        overlap: s.contaminated ? 1 : 0,
        longest: 0,
        containment: 0,
        boilerplate_shingles: 0,
        idf_overlap: 0,
        coverage: { fraction: 0, subsets: ['clean' as const] },
        rules: { ngram: { fired: Boolean(s.contaminated), overlap: 0, longest: 0 } },
        documents: s.contaminated ? 1 : 0,
        leaked: s.leaked ?? null,
        text: s.text,
        matches: [],
      })),
    ),
  };
}

/** The text a scan stores for a hellaswag row: ctx, then each ending (the reader's hellaswag shape). */
export function hellaswagText(r: HellaswagRow): string {
  return [r.ctx, ...r.endings].join('\n');
}

export function gsm8kText(r: Gsm8kRow): string {
  return [r.question, r.answer].join('\n');
}

/** Python's len(): code points. Written independently of src/score/metrics.ts. */
export function pyLen(s: string): number {
  return Array.from(s).length;
}

/** numpy-style argmax, independent of the library's. */
export function firstMax(values: number[]): number {
  let best = 0;
  values.forEach((v, i) => {
    if (v > values[best]!) best = i;
  });
  return best;
}

/** Write rows to Parquet through DuckDB, with `columns` giving DuckDB types (structs for lighteval 0.11). */
export async function writeParquet(file: string, rows: unknown[], columns: Record<string, string>): Promise<string> {
  const source = `${file}.source.jsonl`;
  writeJsonl(source, rows);
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run('SET threads = 1; SET preserve_insertion_order = true');
  const spec = Object.entries(columns)
    .map(([k, v]) => `${k}: '${v}'`)
    .join(', ');
  await con.run(`COPY (SELECT * FROM read_json('${source}', format = 'newline_delimited', columns = {${spec}})) TO '${file}' (FORMAT PARQUET)`);
  con.closeSync();
  return file;
}

/** The arithmetic mean, summed in order. */
export function meanOf(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Log-likelihoods for a hellaswag row: each choice costs a rate per character
 * of its ending; on even rows the gold ending is cheaper per character (so it
 * wins acc_norm), on odd rows dearer. Whether it also wins acc depends on the
 * real endings' lengths, which gives a mix of agreeing and disagreeing rows.
 */
export function fakeLogprobs(r: HellaswagRow, row: number): number[] {
  return r.endings.map((e, i) => -pyLen(e) * (i === r.label ? (row % 2 === 0 ? 0.5 : 0.75) : 0.625));
}

/** acc and acc_norm of a hellaswag row under fakeLogprobs, computed here independently of the library. */
export function expectedMc(r: HellaswagRow, row: number): { acc: number; acc_norm: number } {
  const lps = fakeLogprobs(r, row);
  return {
    acc: firstMax(lps) === r.label ? 1 : 0,
    acc_norm: firstMax(lps.map((lp, i) => lp / pyLen(r.endings[i]!))) === r.label ? 1 : 0,
  };
}

/**
 * An lm-evaluation-harness --log_samples line for a hellaswag row. `layout`
 * 'nested' is the early 0.4 form (arguments as pairs, numbers, int target);
 * 'sanitized' the later one (gen_args dict, values as strings, str target).
 */
export function lmEvalHellaswagLine(r: HellaswagRow, row: number, layout: 'nested' | 'sanitized', stored = expectedMc(r, row)): Record<string, unknown> {
  const query = `${r.activity_label}: ${r.ctx}`;
  const lps = fakeLogprobs(r, row);
  const doc = { ind: r.idx, activity_label: r.activity_label, ctx: r.ctx, endings: r.endings, label: String(r.label), query, choices: r.endings, gold: r.label };
  const pairs = r.endings.map((e) => [query, ` ${e}`]);
  const base = { doc_id: row, doc, filter: 'none', metrics: ['acc', 'acc_norm'], doc_hash: 'h', prompt_hash: 'p', target_hash: 't', acc: stored.acc, acc_norm: stored.acc_norm };
  if (layout === 'nested') {
    return { ...base, target: r.label, arguments: pairs, resps: lps.map((lp) => [[lp, false]]), filtered_resps: lps.map((lp) => [lp, false]) };
  }
  const args = Object.fromEntries(pairs.map(([c, x], i) => [`gen_args_${i}`, { arg_0: c, arg_1: x }]));
  return { ...base, target: String(r.label), arguments: args, resps: lps.map((lp) => [[String(lp), 'False']]), filtered_resps: lps.map((lp) => [String(lp), 'False']) };
}

/** Rows of a lighteval 0.11 details file for hellaswag (struct columns doc, model_response, metric). */
export function lightevalHellaswagRows(rows: HellaswagRow[], withId: boolean): unknown[] {
  return rows.map((r, row) => {
    const choices = r.endings.map((e) => ` ${e}`);
    const lps = fakeLogprobs(r, row);
    return {
      doc: { query: `${r.activity_label}: ${r.ctx}`, choices, gold_index: [r.label], id: withId ? String(r.idx) : '', task_name: 'lighteval|hellaswag|0' },
      model_response: { text: [], logprobs: lps, argmax_logits_eq_gold: [] },
      metric: {
        acc: firstMax(lps) === r.label ? 1 : 0,
        acc_norm: firstMax(lps.map((lp, i) => lp / pyLen(choices[i]!))) === r.label ? 1 : 0,
      },
    };
  });
}

export const LIGHTEVAL_COLUMNS = {
  doc: 'STRUCT(query VARCHAR, choices VARCHAR[], gold_index BIGINT[], id VARCHAR, task_name VARCHAR)',
  model_response: 'STRUCT(text VARCHAR[], logprobs DOUBLE[], argmax_logits_eq_gold BOOLEAN[])',
  metric: 'STRUCT(acc DOUBLE, acc_norm DOUBLE)',
};

/** Rows of a legacy (up to 0.10, Open LLM Leaderboard) details file for hellaswag. */
export function legacyHellaswagRows(rows: HellaswagRow[]): unknown[] {
  return rows.map((r, row) => {
    const choices = r.endings.map((e) => ` ${e}`);
    const lps = fakeLogprobs(r, row);
    return {
      example: `${r.activity_label}: ${r.ctx}`,
      full_prompt: `${r.activity_label}: ${r.ctx}`,
      predictions: lps.map((lp) => [lp, 0]),
      choices,
      gold_index: [r.label],
      metrics: {
        acc: firstMax(lps) === r.label ? 1 : 0,
        acc_norm: firstMax(lps.map((lp, i) => lp / pyLen(choices[i]!))) === r.label ? 1 : 0,
      },
    };
  });
}

export const LEGACY_COLUMNS = {
  example: 'VARCHAR',
  full_prompt: 'VARCHAR',
  predictions: 'DOUBLE[][]',
  choices: 'VARCHAR[]',
  gold_index: 'BIGINT[]',
  metrics: 'STRUCT(acc DOUBLE, acc_norm DOUBLE)',
};

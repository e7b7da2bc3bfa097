/**
 * Scanning documents that are already in memory: the per-document loop shared
 * by the file scan, the workers and library users who hold their own texts.
 */
import { DEFAULTS } from '../defaults.js';
import { ContamError } from '../errors.js';
import type { ContamIndex } from '../cidx/contam-index.js';
import { createUnitExtractor, type UnitExtractor } from '../text/units.js';
import type { CorpusColumns, CorpusDocument, Report, VerdictRule } from '../types.js';
import { MatchAccumulator } from './accumulator.js';
import { DocumentScanner } from './document-scanner.js';
import { reportOfResult } from './report-input.js';
import { makeSnippet } from './snippet.js';

export interface ScanOptions {
  /** Corpus columns. @default { text: 'text', id: 'id' } */
  columns?: Partial<CorpusColumns>;
  /** The verdict rule. @default { name: 'graded' } */
  rule?: VerdictRule;
  /** Matching documents listed per sample (all are counted). @default 10 */
  maxMatches?: number;
  /** Documents per reader batch. @default 1024 */
  batchSize?: number;
  /** Called after every batch with the running totals. */
  onProgress?: (progress: ScanProgress) => void;
  signal?: AbortSignal;
  /** Worker threads; 1 scans on this thread. @default the number of cores */
  workers?: number;
  /** Shingles verified in more documents than this cannot convict alone; 0 turns the guard off. @default 10 */
  maxDocFreq?: number;
}

export interface ScanProgress {
  bytesDone: number;
  bytesTotal: number;
  documents: number;
  partsDone: number;
  parts: number;
}

export function resolveColumns(columns: Partial<CorpusColumns> = {}): CorpusColumns {
  return { text: columns.text ?? 'text', id: columns.id ?? 'id' };
}

export function resolveRule(rule?: VerdictRule): VerdictRule {
  const r = rule ?? { name: 'graded', minOverlap: 0 };
  if ((r.name === 'min-overlap' || r.name === 'idf-overlap') && !(r.minOverlap > 0 && r.minOverlap <= 1)) {
    throw new ContamError('BAD_ARGUMENT', `expected the rule's minOverlap to be a number above 0 and at most 1, got ${r.minOverlap}`);
  }
  return r;
}

/** Scans documents one at a time into an accumulator. */
export class CorpusScanner {
  readonly scanner: DocumentScanner;
  readonly accumulator: MatchAccumulator;
  documents = 0;

  constructor(index: ContamIndex, units: UnitExtractor, maxMatches: number) {
    this.scanner = new DocumentScanner(index, units);
    this.accumulator = new MatchAccumulator(maxMatches);
  }

  static async create(index: ContamIndex, maxMatches = 10): Promise<CorpusScanner> {
    return new CorpusScanner(index, await createUnitExtractor(index.config), maxMatches);
  }

  /** Scan one document; `file` is its file's position in the scan's file list. */
  scanDocument(document: CorpusDocument, file: number): void {
    this.documents++;
    const matches = this.scanner.scan(document.text);
    for (const m of matches) {
      const { snippet, start } = makeSnippet(document.text, m.spans);
      this.accumulator.add({
        sample: m.sample,
        file,
        row: document.row,
        docId: document.id,
        shingles: m.shingles,
        containment: m.containment,
        longest: m.longest,
        spans: m.spans,
        sampleSpans: m.sampleSpans,
        snippet,
        snippetStart: start,
        inLabel: m.inLabel,
        inInput: m.inInput,
        entries: m.entries,
        units: m.units,
        evidence: m.evidence,
      });
    }
  }
}

/** Scan in-memory documents (for library users and tests); `file` names are kept in first-seen order. */
export async function scanDocuments(index: ContamIndex, documents: Iterable<CorpusDocument>, options: ScanOptions = {}): Promise<Report> {
  const rule = resolveRule(options.rule);
  const scanner = await CorpusScanner.create(index, options.maxMatches ?? DEFAULTS.maxMatches);
  const files: string[] = [];
  const fileIndex = new Map<string, number>();
  let bytes = 0;
  for (const document of documents) {
    let f = fileIndex.get(document.file);
    if (f === undefined) {
      f = files.length;
      files.push(document.file);
      fileIndex.set(document.file, f);
    }
    bytes += Buffer.byteLength(document.text);
    scanner.scanDocument(document, f);
  }
  const result = { documents: scanner.documents, bytes, counters: scanner.scanner.counters, accumulator: scanner.accumulator, docFreq: scanner.scanner.documentFrequencies(), skipped: [] };
  return reportOfResult(index, result, files, { rule, columns: resolveColumns(options.columns), maxDocFreq: options.maxDocFreq });
}

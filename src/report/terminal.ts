/**
 * The terminal summary of a Report: the corpus and the scan's work in a line
 * each, the rule, one table per run (a row per benchmark:
 * samples, contaminated, too short, rate), then the most contaminated samples
 * with the corpus snippet that convicts them. Rendered from the report alone,
 * so `contam report report.json` prints exactly what the scan printed.
 */
import type { Report, ReportSample } from '../types.js';
import { LONG_RUN } from '../verdict/evidence.js';
import { formatBytes, formatCount, formatRate, formatScanWork } from './format.js';

export interface SummaryOptions {
  /** ANSI colour and bold. @default false */
  color?: boolean;
  /** How many contaminated samples to show. @default 5 */
  top?: number;
  /** Terminal width for snippets. @default 100 */
  width?: number;
}

function table(rows: string[][], rightAligned: boolean[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
}

function ruleText(report: Report): string {
  const c = report.config;
  const unit = c.unit === 'token' ? `${c.encoding} tokens` : 'words';
  const n = c.ngram === 'auto' ? 'n' : String(c.ngram);
  const base =
    c.rule === 'graded'
      ? `graded: verbatim and partial copies convict (most of a sample or its input, a run of ${LONG_RUN}+ informative ${unit}, or 40-50% of its informative ${unit} in one document); template text, quotations, distractors and lone short answers do not`
      : c.rule === 'min-overlap'
        ? `PaLM: at least ${formatRate(c.min_overlap ?? 0)} of a sample's ${n}-grams (${unit}) in one document`
        : c.rule === 'idf-overlap'
          ? `IDF overlap: at least ${formatRate(c.min_overlap ?? 0)} of a sample's ${n}-grams (${unit}) in one document, IDF-weighted`
          : c.rule === 'llama2'
            ? `Llama 2: more than 80% of a sample's ${unit} covered`
            : `GPT-3: any shared ${n}-gram (${unit}), shorter fields matched whole down to ${c.min_words}`;
  const parts = [base];
  if (c.ngram === 'auto') parts.push(`n per benchmark: ${report.benchmarks.map((b) => `${b.name} ${b.ngram}`).join(', ')}`);
  if (c.minhash) parts.push(`or MinHash containment >= ${formatRate(c.minhash.min_containment)} (${c.minhash.shingle}-grams, ${c.minhash.bands}x${c.minhash.rows} bands)`);
  if (c.max_doc_freq !== null && c.rule === 'any-ngram') parts.push(`shingles in more than ${c.max_doc_freq} documents cannot convict alone`);
  return parts.join('; ');
}

const GRADE_ORDER: Record<ReportSample['grade'], number> = { verbatim: 0, partial: 1, incidental: 2, clean: 3, too_short: 4 };

/** The most contaminated samples: strongest grade, then largest share of the sample in one document, then longest run, then benchmark order. */
export function topContaminated(report: Report, n: number): ReportSample[] {
  return report.samples
    .filter((s) => s.contaminated)
    .sort((a, b) => GRADE_ORDER[a.grade] - GRADE_ORDER[b.grade] || (b.verdict?.share ?? 0) - (a.verdict?.share ?? 0) || b.overlap - a.overlap || b.longest - a.longest || 0)
    .slice(0, n);
}

function highlight(text: string, spans: [number, number][], color: boolean): string {
  let out = '';
  let at = 0;
  for (const [s, e0] of spans) {
    const start = Math.max(s, at);
    const e = Math.min(e0, text.length);
    if (e <= start) continue;
    out += text.slice(at, start);
    out += color ? `\x1b[1;33m${text.slice(start, e)}\x1b[0m` : `»${text.slice(start, e)}«`;
    at = e;
  }
  return out + text.slice(at);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}

export function renderSummary(report: Report, options: SummaryOptions = {}): string {
  const color = options.color ?? false;
  const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
  const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[0m` : s);
  const width = options.width ?? 100;
  const lines: string[] = [];
  const corpus = report.corpus;
  lines.push(bold(`contam: ${formatCount(corpus.documents)} documents in ${formatCount(corpus.files)} file${corpus.files === 1 ? '' : 's'} (${formatBytes(corpus.bytes)})`));
  // Reports written before contam recorded the scan's work have no `scan`.
  if (report.scan) lines.push(dim(`scan: ${formatScanWork(report.scan, report.config.unit)}`));
  lines.push(dim(`rule: ${ruleText(report)}`));
  if (report.skipped?.length) {
    lines.push(`skipped (--skip-bad): ${report.skipped.length} bad input${report.skipped.length === 1 ? '' : 's'}, e.g. ${report.skipped[0]!.message}`);
  }
  lines.push('');
  const rows = [['benchmark', 'samples', 'contaminated', 'verbatim', 'partial', 'incidental', 'too short', 'rate']];
  for (const b of report.benchmarks) {
    const g = b.grades;
    rows.push([b.name, formatCount(b.samples), formatCount(b.contaminated), formatCount(g.verbatim), formatCount(g.partial), formatCount(g.incidental), formatCount(b.too_short), formatRate(b.rate)]);
  }
  const rendered = table(rows, [false, true, true, true, true, true, true, true]);
  lines.push(bold(rendered[0]!), ...rendered.slice(1));

  const top = topContaminated(report, options.top ?? 5);
  if (top.length > 0) {
    lines.push('', bold('Most contaminated samples'));
    for (const s of top) {
      lines.push(`  ${s.benchmark} row ${s.row}${s.id !== String(s.row) ? ` (id ${s.id})` : ''}: ${s.grade}, in ${formatCount(s.documents)} document${s.documents === 1 ? '' : 's'}`);
      if (s.verdict) lines.push(`    ${s.verdict.reason}`);
      const m = s.matches[0];
      if (m) {
        lines.push(dim(`    ${m.file} row ${m.row}${m.doc_id !== null ? ` (doc ${m.doc_id})` : ''}`));
        // Show the first matched span with a little context, on one line.
        const first = m.spans[0]!;
        const relStart = first[0] - m.snippet_start;
        const from = Math.max(0, relStart - 40);
        const to = Math.min(m.snippet.length, from + width - 6);
        const spans = m.spans.map(([a, b]) => [Math.max(0, a - m.snippet_start - from), Math.max(0, b - m.snippet_start - from)] as [number, number]);
        const piece = m.snippet.slice(from, to);
        lines.push(`    ${from > 0 ? '…' : ''}${oneLine(highlight(piece, spans, color))}${to < m.snippet.length ? '…' : ''}`);
      }
    }
  } else {
    lines.push('', 'No contaminated samples found.');
  }
  return `${lines.join('\n')}\n`;
}

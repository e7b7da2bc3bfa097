/**
 * The terminal table of a ScoreReport: per benchmark, one row per metric
 * with the score on all samples, the clean and the contaminated subsets (in
 * percent, sizes beside), clean minus all in points with its 95% bootstrap
 * interval, and a `small` flag when a subset is too small for the interval.
 * Below it, how the results were joined, the unjoined ones, and any
 * disagreement between the file's stored metrics and our recomputation.
 * Rendered from the ScoreReport alone, so the JSON and the table never differ.
 */
import type { BenchmarkScores, ScoreReport, SubsetScore } from '../types.js';
import { formatCount } from './format.js';

export interface ScoresTerminalOptions {
  /** ANSI bold and dim. @default false */
  color?: boolean;
  /** How many unjoined ids to list before "and N more". @default 10 */
  listUnjoined?: number;
}

/** A score in percent with one decimal (0.7123 -> "71.2"), "-" when undefined. */
export function formatScore(score: number | null): string {
  return score === null ? '-' : (Math.round(score * 1000) / 10).toFixed(1);
}

/** A difference in percentage points with its sign (-0.0041 -> "-0.4"). */
export function formatPoints(delta: number): string {
  const v = Math.round(delta * 1000) / 10;
  return `${v > 0 ? '+' : v < 0 ? '-' : '±'}${Math.abs(v).toFixed(1)}`;
}

function cell(s: SubsetScore): string {
  return `${formatScore(s.score)} (${formatCount(s.n)})`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) =>
    r
      .map((text, c) => (c === 0 ? text.padEnd(widths[c]!) : text.padStart(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
}

function renderBenchmark(b: BenchmarkScores, options: Required<ScoresTerminalOptions>): string[] {
  const bold = (s: string) => (options.color ? `\x1b[1m${s}\x1b[0m` : s);
  const dim = (s: string) => (options.color ? `\x1b[2m${s}\x1b[0m` : s);
  const split = b.metrics.some((m) => m.input_only !== undefined);
  const header = ['metric', 'all', 'clean', 'contaminated', ...(split ? ['input only', 'input+label'] : []), 'clean-all', '95% CI', ''];
  const rows = [header];
  for (const m of b.metrics) {
    rows.push([
      m.name,
      cell(m.all),
      cell(m.clean),
      cell(m.contaminated),
      ...(split ? [cell(m.input_only ?? { score: null, n: 0 }), cell(m.input_and_label ?? { score: null, n: 0 })] : []),
      m.delta.value === null ? '-' : formatPoints(m.delta.value),
      m.delta.ci95 === null ? '-' : `[${formatPoints(m.delta.ci95[0])}, ${formatPoints(m.delta.ci95[1])}]`,
      m.small_subset ? 'small' : '',
    ]);
  }
  const rendered = table(rows);
  const lines = [bold(`${b.name} (${b.mode}, ${b.results_format}: ${b.results_file})`), bold(rendered[0]!), ...rendered.slice(1)];
  lines.push(dim(`joined ${formatCount(b.joined)} of ${formatCount(b.joined + b.unjoined)} results by ${b.joined_by}`));
  if (b.unjoined > 0) {
    const shown = b.unjoined_ids.slice(0, options.listUnjoined);
    const more = b.unjoined_ids.length - shown.length;
    lines.push(`unjoined (${formatCount(b.unjoined)}): ${shown.join(', ')}${more > 0 ? `, and ${formatCount(more)} more` : ''}`);
  }
  for (const d of b.disagreements) {
    if (d.count > 0) lines.push(`stored '${d.metric}' disagrees with its recomputation on ${formatCount(d.count)} of ${formatCount(d.of)} samples`);
  }
  if (b.metrics.some((m) => m.small_subset)) lines.push(dim(`small: the clean or contaminated subset has fewer than 30 samples; the interval means little`));
  return lines;
}

/** Render a ScoreReport as terminal text (ending with a newline). */
export function renderScores(scores: ScoreReport, options: ScoresTerminalOptions = {}): string {
  const o: Required<ScoresTerminalOptions> = { color: options.color ?? false, listUnjoined: options.listUnjoined ?? 10 };
  const blocks = scores.benchmarks.map((b) => renderBenchmark(b, o).join('\n'));
  const footer = `scores in %, differences in points; 95% CI from ${formatCount(scores.bootstrap_resamples)} bootstrap resamples, seed ${scores.seed}`;
  return `${blocks.join('\n\n')}\n\n${o.color ? `\x1b[2m${footer}\x1b[0m` : footer}\n`;
}

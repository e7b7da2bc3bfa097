/**
 * The HTML report: one self-contained file rendered from a Report (and
 * optionally a ScoreReport) that a browser opens with no network.
 *
 * The summary (what was scanned, the rate chart and table, the score charts
 * and tables) is rendered here as static, escaped HTML and inline SVG, so it
 * shows before any script runs. The samples travel as JSON in a
 * `<script type="application/json">` block with every `<` written as \u003c,
 * so no data can close the block; the inlined client script (html-client.ts)
 * builds the sample table and sample view from it with textContent only.
 *
 * Invariants:
 * - Deterministic: no clock, no randomness, no locale beyond en-US; the same
 *   inputs give byte-identical HTML.
 * - Every figure is the JSON's, formatted by src/report/format.ts, the same
 *   functions the terminal summary uses.
 * - No request leaves the page: no URL appears in it, and a
 *   Content-Security-Policy (default-src 'none', the script and stylesheet
 *   allowed by their SHA-256) would block one if it did.
 */
import { createHash } from 'node:crypto';
import { LONG_RUN } from '../verdict/evidence.js';
import { ContamError } from '../errors.js';
import type { BenchmarkScores, MetricScores, Report, ReportBenchmark, ReportSample, ScoreReport, SubsetScore } from '../types.js';
import { formatBytes, formatCount, formatDelta, formatRate, formatScanWork, formatScore } from './format.js';
import { REPORT_CLIENT_JS } from './html-client.js';
import { REPORT_CSS } from './html-style.js';

/** Options of renderHtmlReport. */
export interface HtmlReportOptions {
  /** The page title and heading. @default 'contam report' */
  title?: string;
  /** Rows of the sample table per page. @default 100 */
  pageSize?: number;
}

/** Verdict codes shared with the client script: index into its VERDICT_NAMES. */
// Grade codes of the page's data, in order of strength (the client's GRADE_NAMES).
const GRADE_CODE: Record<ReportSample['grade'], number> = { clean: 0, incidental: 1, partial: 2, verbatim: 3, too_short: 4 };
/** The verdict filter's value for "every sample the rule convicts". */
const CONTAMINATED = -2;

/** Escapes text for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that can sit inside a `<script>` element: no `<` can start `</script>` or `<!--`. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

function gradeOf(sample: ReportSample): number {
  return GRADE_CODE[sample.grade];
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

// ---------------------------------------------------------------------------
// What was scanned

function stat(label: string, value: string, detail: string, field: string): string {
  return `<div class="stat" data-field="${field}"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div><div class="detail">${escapeHtml(detail)}</div></div>`;
}

function ruleSentence(report: Report): string {
  const c = report.config;
  const unit = c.unit === 'token' ? `${c.encoding ?? ''} tokens` : 'words';
  const n = c.ngram === 'auto' ? 'n' : String(c.ngram);
  if (c.rule === 'graded') {
    return `Rule: graded. A sample is contaminated when a corpus document holds a verbatim copy (most of the sample, or of its input) or a partial one (a contiguous run of ${LONG_RUN} or more informative ${unit}, or a substantial share of them). Overlap a reviewer dismisses is graded incidental and does not count: template text many samples share, a quotation inside a longer sample, a distractor, an answer without its question.`;
  }
  if (c.rule === 'min-overlap') return `Rule: PaLM. A sample is contaminated when at least ${formatRate(c.min_overlap ?? 0)} of its ${n}-grams (${unit}) occur in one corpus document.`;
  if (c.rule === 'idf-overlap')
    return `Rule: IDF overlap. A sample is contaminated when at least ${formatRate(c.min_overlap ?? 0)} of its ${n}-grams (${unit}) occur in one corpus document, each weighted by its IDF over the corpus.`;
  if (c.rule === 'llama2') return `Rule: Llama 2. A sample is contaminated when more than 80% of its ${unit} are covered by matches (gaps of up to 4 bridged).`;
  return `Rule: GPT-3. A sample is contaminated when any of its ${n}-grams (${unit}) occurs in the corpus; fields shorter than n are matched whole down to ${c.min_words} ${unit}.`;
}

function renderScan(report: Report): string {
  const c = report.config;
  const corpus = report.corpus;
  const samples = report.benchmarks.reduce((sum, b) => sum + b.samples, 0);
  const contaminated = report.benchmarks.reduce((sum, b) => sum + b.contaminated, 0);
  const tooShort = report.benchmarks.reduce((sum, b) => sum + b.too_short, 0);
  const stats = [
    stat('Corpus files', formatCount(corpus.files), '', 'files'),
    stat('Documents', formatCount(corpus.documents), '', 'documents'),
    stat('Bytes read', formatBytes(corpus.bytes), `${formatCount(corpus.bytes)} bytes`, 'bytes'),
    stat('Benchmark samples', formatCount(samples), plural(report.benchmarks.length, 'benchmark'), 'samples'),
    stat('Contaminated', formatCount(contaminated), `${formatCount(tooShort)} too short to judge`, 'contaminated'),
  ].join('');
  const ngram = c.ngram === 'auto' ? `auto (${report.benchmarks.map((b) => `${b.name} ${b.ngram}`).join(', ')})` : String(c.ngram);
  const items: [string, string, string][] = [
    [
      'rule',
      'Rule',
      c.rule === 'graded'
        ? 'graded: verbatim and partial copies convict'
        : c.rule === 'min-overlap'
          ? `PaLM (min-overlap), at least ${c.min_overlap ?? ''} of a sample's n-grams in one document`
          : c.rule === 'llama2'
            ? 'Llama 2, over 80% of its units covered'
            : c.rule === 'idf-overlap'
              ? `IDF overlap, at least ${c.min_overlap ?? ''} of a sample's n-grams in one document, IDF-weighted`
              : 'GPT-3 (any-ngram), any shared n-gram convicts',
    ],
    ['unit', 'Unit', c.unit === 'token' ? `token (${c.encoding ?? ''})` : c.unit],
    ['ngram', 'n-gram length', ngram],
    ['min_words', 'Shortest field matched whole', `${c.min_words} ${c.unit}s`],
    ['normalization', 'Normalization', c.normalization],
    ['min_overlap', 'Minimum overlap', c.min_overlap === null ? 'not used' : String(c.min_overlap)],
    ['max_doc_freq', 'Boilerplate guard', c.max_doc_freq === null ? 'off' : `shingles in more than ${formatCount(c.max_doc_freq)} documents cannot convict alone`],
    [
      'minhash',
      'Near duplicates (MinHash)',
      c.minhash === null
        ? 'off'
        : `${c.minhash.shingle}-grams, ${c.minhash.bands} bands × ${c.minhash.rows} rows, Jaccard threshold ${c.minhash.jaccard_threshold}, min containment ${c.minhash.min_containment}`,
    ],
    ['index', 'Index', `format ${c.index.format_version}, ${formatCount(c.index.shingles)} shingles`],
    ['bloom', 'Bloom filter', `${formatCount(c.index.bloom_bits)} bits, ${c.index.bloom_hashes} hashes, false positive rate ${c.index.bloom_fpr}`],
    ['columns', 'Corpus columns', `text “${c.text_column}”, id “${c.id_column}”`],
    ['max_matches', 'Documents listed per sample', `at most ${formatCount(c.max_matches)} (all are counted)`],
  ];
  // Reports written before contam recorded the scan's work have no `scan`.
  if (report.scan) items.push(['work', 'Work done', formatScanWork(report.scan, c.unit)]);
  const dl = items.map(([field, dt, dd]) => `<div data-field="${field}"><dt>${escapeHtml(dt)}</dt><dd>${escapeHtml(dd)}</dd></div>`).join('');
  return `<section id="scan" aria-labelledby="scan-h"><h2 id="scan-h">What was scanned</h2><div class="stats">${stats}</div>
<div class="panel" id="config"><p class="rule">${escapeHtml(ruleSentence(report))}</p><dl class="config">${dl}</dl></div>${renderSkipped(report)}</section>`;
}

/** Shown in full up to this many; a scan of a broken corpus can skip millions of lines. */
const SKIPPED_SHOWN = 100;

function renderSkipped(report: Report): string {
  // Reports written before --skip-bad existed have no `skipped`.
  const skipped = report.skipped ?? [];
  if (skipped.length === 0) return '';
  const rows = skipped
    .slice(0, SKIPPED_SHOWN)
    .map((s) => `<tr><td class="mono">${escapeHtml(s.file)}</td><td>${escapeHtml(s.where ?? 'whole file')}</td><td class="mono">${escapeHtml(s.code)}</td><td>${escapeHtml(s.message)}</td></tr>`)
    .join('');
  const more = skipped.length > SKIPPED_SHOWN ? `<p class="note">and ${formatCount(skipped.length - SKIPPED_SHOWN)} more in the JSON report.</p>` : '';
  return `<div class="panel" id="skipped"><h3>${escapeHtml(`Skipped input: ${plural(skipped.length, 'bad document or part', 'bad documents or parts')} (--skip-bad)`)}</h3>
<div class="table-scroll"><table><thead><tr><th>File</th><th>Where</th><th>Code</th><th>Message</th></tr></thead><tbody>${rows}</tbody></table></div>${more}</div>`;
}

// ---------------------------------------------------------------------------
// Contamination by benchmark

/** Width of the charts' viewBox: the panel's inner width on a laptop, so SVG text stays at CSS size. */
const CHART_WIDTH = 1080;

/** Axis ends and tick steps that read as round numbers (5%, 10%, 25%...). */
const RATE_SCALES: [number, number][] = [
  [0.01, 0.002],
  [0.02, 0.005],
  [0.05, 0.01],
  [0.1, 0.02],
  [0.2, 0.05],
  [0.25, 0.05],
  [0.5, 0.1],
  [1, 0.2],
];
const DELTA_SCALES: [number, number][] = [
  [0.01, 0.005],
  [0.02, 0.01],
  [0.05, 0.025],
  [0.1, 0.05],
  [0.2, 0.1],
  [0.5, 0.25],
  [1, 0.5],
];

/** The smallest scale whose end holds `value`. */
function niceScale(value: number, scales: [number, number][]): [number, number] {
  return scales.find(([end]) => end >= value - 1e-12) ?? scales[scales.length - 1]!;
}

function axisPoints(value: number): string {
  const points = Number((value * 100).toFixed(1));
  return points > 0 ? `+${points}` : String(points);
}

function axisPercent(value: number): string {
  return `${Number((value * 100).toFixed(1))}%`;
}

function rateChart(benchmarks: ReportBenchmark[]): string {
  const width = CHART_WIDTH;
  const labelWidth = 160;
  const plotWidth = 620;
  const rowHeight = 32;
  const top = 8;
  const [max, step] = niceScale(Math.max(0, ...benchmarks.map((b) => b.rate)), RATE_SCALES);
  const height = top + benchmarks.length * rowHeight + 26;
  const x = (rate: number) => labelWidth + (Math.min(rate, max) / max) * plotWidth;
  const parts: string[] = [];
  for (let t = 0; t * step <= max + 1e-9; t++) {
    const value = t * step;
    const gx = x(value).toFixed(1);
    parts.push(`<line class="grid" x1="${gx}" x2="${gx}" y1="${top}" y2="${height - 22}"/><text class="axis" x="${gx}" y="${height - 6}" text-anchor="middle">${axisPercent(value)}</text>`);
  }
  benchmarks.forEach((b, r) => {
    const y = top + r * rowHeight;
    const judged = b.samples - b.too_short;
    const barEnd = x(b.rate);
    const label = `${formatRate(b.rate)} · ${formatCount(b.contaminated)} of ${formatCount(judged)} judged`;
    parts.push(
      `<g data-benchmark="${escapeHtml(b.name)}"><title>${escapeHtml(`${b.name}: ${label}`)}</title>` +
        `<text x="${labelWidth - 12}" y="${y + 19}" text-anchor="end">${escapeHtml(b.name)}</text>` +
        `<rect class="track" x="${labelWidth}" y="${y + 6}" width="${plotWidth}" height="18" rx="3"/>` +
        `<rect class="bar" x="${labelWidth}" y="${y + 6}" width="${(barEnd - labelWidth).toFixed(1)}" height="18" rx="3"/>` +
        `<text class="value" data-field="label" x="${labelWidth + plotWidth + 12}" y="${y + 19}">${escapeHtml(label)}</text></g>`,
    );
  });
  return `<svg class="chart" id="rate-chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="Contamination rate per benchmark">${parts.join('')}</svg>`;
}

function renderBenchmarks(report: Report): string {
  const rows = report.benchmarks
    .map(
      (b) =>
        `<tr data-benchmark="${escapeHtml(b.name)}"><td data-field="name">${escapeHtml(b.name)}</td>` +
        `<td class="n" data-field="samples">${formatCount(b.samples)}</td>` +
        `<td class="n" data-field="contaminated">${formatCount(b.contaminated)}</td>` +
        `<td class="n" data-field="too_short">${formatCount(b.too_short)}</td>` +
        `<td class="n" data-field="rate">${formatRate(b.rate)}</td>` +
        `<td class="n" data-field="ngram">${b.ngram}</td>` +
        `<td data-field="fields">${escapeHtml(b.fields.join(', '))}</td>` +
        `<td data-field="path"><span class="mono">${escapeHtml(b.path)}</span><span class="sub">${escapeHtml(b.format)}${b.shape === null ? '' : `, ${escapeHtml(b.shape)}`}</span></td></tr>`,
    )
    .join('');
  const body =
    report.benchmarks.length === 0
      ? '<p class="note">The report holds no benchmark.</p>'
      : `${rateChart(report.benchmarks)}<div class="table-scroll"><table id="benchmark-table"><thead><tr><th>Benchmark</th><th class="n">Samples</th><th class="n">Contaminated</th><th class="n">Too short</th><th class="n">Rate</th><th class="n">n</th><th>Fields</th><th>File</th></tr></thead><tbody>${rows}</tbody></table></div>
<p class="note">Rate = contaminated / (samples − too short): samples too short to judge are neither clean nor contaminated.</p>`;
  return `<section id="benchmarks" aria-labelledby="benchmarks-h"><h2 id="benchmarks-h">Contamination by benchmark</h2><div class="panel">${body}</div></section>`;
}

// ---------------------------------------------------------------------------
// Scores

function subsetCell(subset: SubsetScore | undefined, field: string): string {
  if (subset === undefined) return `<td class="n" data-field="${field}">–</td>`;
  const ci = subset.ci95 ? `<span class="sub" data-part="ci95">[${formatScore(subset.ci95[0])}, ${formatScore(subset.ci95[1])}]</span>` : '';
  return `<td class="n" data-field="${field}"><span data-part="score">${formatScore(subset.score)}</span><span class="sub" data-part="n">n=${formatCount(subset.n)}</span>${ci}</td>`;
}

function intervalText(ci: [number, number] | null): string {
  return ci === null ? '–' : `[${formatDelta(ci[0])}, ${formatDelta(ci[1])}]`;
}

function scoreChart(bench: BenchmarkScores): string {
  const width = CHART_WIDTH;
  const labelWidth = 150;
  const scoreX0 = labelWidth;
  const scoreWidth = 480;
  const deltaX0 = scoreX0 + scoreWidth + 70;
  const deltaWidth = width - deltaX0 - 20;
  const top = 26;
  const rowHeight = 34;
  const metrics = bench.metrics;
  const plotBottom = top + metrics.length * rowHeight;
  const height = plotBottom + 24;
  const extent = Math.max(0, ...metrics.flatMap((m) => [m.delta.value ?? 0, ...(m.delta.ci95 ?? [])].map(Math.abs)));
  const [dmax, dstep] = niceScale(extent, DELTA_SCALES);
  const sx = (score: number) => scoreX0 + Math.min(1, Math.max(0, score)) * scoreWidth;
  const dx = (delta: number) => deltaX0 + ((Math.min(dmax, Math.max(-dmax, delta)) + dmax) / (2 * dmax)) * deltaWidth;
  const parts: string[] = [`<text class="head" x="${scoreX0}" y="12">Score (all, clean, contaminated)</text>`, `<text class="head" x="${deltaX0}" y="12">Clean − all, 95% interval (points)</text>`];
  for (let t = 0; t <= 4; t++) {
    const gx = sx(t / 4).toFixed(1);
    parts.push(`<line class="grid" x1="${gx}" x2="${gx}" y1="${top}" y2="${plotBottom}"/><text class="axis" x="${gx}" y="${height - 6}" text-anchor="middle">${t * 25}</text>`);
  }
  for (let t = -Math.round(dmax / dstep); t <= Math.round(dmax / dstep); t++) {
    const gx = dx(t * dstep).toFixed(1);
    parts.push(
      `<line class="${t === 0 ? 'zero' : 'grid'}" x1="${gx}" x2="${gx}" y1="${top}" y2="${plotBottom}"/><text class="axis" x="${gx}" y="${height - 6}" text-anchor="middle">${axisPoints(t * dstep)}</text>`,
    );
  }
  metrics.forEach((m, r) => {
    const cy = top + r * rowHeight + rowHeight / 2;
    parts.push(`<g data-metric="${escapeHtml(m.name)}"><text x="${labelWidth - 14}" y="${cy + 4.5}" text-anchor="end">${escapeHtml(m.name)}</text>`);
    parts.push(`<line class="grid" x1="${scoreX0}" x2="${scoreX0 + scoreWidth}" y1="${cy}" y2="${cy}"/>`);
    const dots: [string, SubsetScore, number][] = [
      ['all', m.all, 0],
      ['clean', m.clean, -7],
      ['contaminated', m.contaminated, 7],
    ];
    for (const [name, subset, offset] of dots) {
      if (subset.score === null) continue;
      if (subset.ci95) parts.push(`<line class="whisker whisker-${name}" x1="${sx(subset.ci95[0]).toFixed(1)}" x2="${sx(subset.ci95[1]).toFixed(1)}" y1="${cy + offset}" y2="${cy + offset}"/>`);
      parts.push(
        `<circle class="dot-${name}" cx="${sx(subset.score).toFixed(1)}" cy="${cy + offset}" r="5.5"><title>${escapeHtml(`${name}: ${formatScore(subset.score)} (n=${formatCount(subset.n)})`)}</title></circle>`,
      );
    }
    if (m.delta.ci95 !== null) {
      parts.push(`<line class="whisker" x1="${dx(m.delta.ci95[0]).toFixed(1)}" x2="${dx(m.delta.ci95[1]).toFixed(1)}" y1="${cy}" y2="${cy}"/>`);
    }
    if (m.delta.value !== null) {
      parts.push(
        `<circle class="dot-delta" cx="${dx(m.delta.value).toFixed(1)}" cy="${cy}" r="5"><title>${escapeHtml(`clean − all: ${formatDelta(m.delta.value)} ${intervalText(m.delta.ci95)}`)}</title></circle>`,
      );
    } else {
      parts.push(`<text class="axis" x="${deltaX0 + deltaWidth / 2}" y="${cy + 4}" text-anchor="middle">no contrast: a subset is empty</text>`);
    }
    parts.push('</g>');
  });
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(`Scores of ${bench.name} on all, clean and contaminated samples`)}">${parts.join('')}</svg>`;
}

function scoreTable(bench: BenchmarkScores): string {
  const leaked = bench.metrics.some((m) => m.input_only !== undefined || m.input_and_label !== undefined);
  const head = `<th>Metric</th><th class="n">All</th><th class="n">Clean</th><th class="n">Contaminated</th>${leaked ? '<th class="n">Input only</th><th class="n">Input and label</th>' : ''}<th class="n">Clean − all</th><th class="n">95% interval</th><th></th>`;
  const rows = bench.metrics
    .map(
      (m: MetricScores) =>
        `<tr data-metric="${escapeHtml(m.name)}"><td data-field="name">${escapeHtml(m.name)}</td>${subsetCell(m.all, 'all')}${subsetCell(m.clean, 'clean')}${subsetCell(m.contaminated, 'contaminated')}` +
        (leaked ? `${subsetCell(m.input_only, 'input_only')}${subsetCell(m.input_and_label, 'input_and_label')}` : '') +
        `<td class="n" data-field="delta">${formatDelta(m.delta.value)}</td><td class="n" data-field="ci95">${intervalText(m.delta.ci95)}</td>` +
        `<td>${m.small_subset ? '<span class="flag" title="A subset is too small for the interval to mean much">small subset</span>' : ''}</td></tr>`,
    )
    .join('');
  return `<div class="table-scroll"><table class="score-table"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

function renderScores(scores: ScoreReport): string {
  const panels = scores.benchmarks.map((bench) => {
    const meta = `${bench.mode} · ${plural(bench.joined, 'result')} joined by ${bench.joined_by}${bench.unjoined > 0 ? ` · ${formatCount(bench.unjoined)} not joined` : ''}`;
    const notes: string[] = [];
    if (bench.unjoined > 0) {
      const shown = bench.unjoined_ids.slice(0, 10);
      notes.push(`Results not joined to a sample: ${shown.join(', ')}${bench.unjoined_ids.length > shown.length ? `, and ${formatCount(bench.unjoined_ids.length - shown.length)} more` : ''}.`);
    }
    for (const d of bench.disagreements) {
      if (d.count > 0) notes.push(`${d.metric}: ${formatCount(d.count)} of ${formatCount(d.of)} stored values disagree with the recomputation.`);
    }
    const body =
      bench.metrics.length === 0
        ? '<p class="note">No metric was computed.</p>'
        : `<div class="legend"><span class="all">all</span><span class="clean">clean</span><span class="contaminated">contaminated</span><span class="delta">clean − all, with its 95% bootstrap interval</span></div>${scoreChart(bench)}${scoreTable(bench)}`;
    return `<div class="panel" data-benchmark="${escapeHtml(bench.name)}"><div class="score-head"><h3>${escapeHtml(bench.name)}</h3><span class="meta">${escapeHtml(meta)}</span></div>${body}${notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('')}</div>`;
  });
  return `<section id="scores" aria-labelledby="scores-h"><h2 id="scores-h">Scores on clean and contaminated samples</h2>${panels.join('')}
<p class="note">Scores in points (0–100). The interval is a seeded bootstrap (${formatCount(scores.bootstrap_resamples)} resamples, seed ${scores.seed}) of clean minus all.</p></section>`;
}

// ---------------------------------------------------------------------------
// Samples

function renderSamplesSection(report: Report): string {
  const benchOptions = report.benchmarks.map((b, i) => `<option value="${i}">${escapeHtml(b.name)}</option>`).join('');
  return `<section id="samples" aria-labelledby="samples-h"><h2 id="samples-h">Samples</h2><div class="panel">
<div class="controls">
<label>Benchmark<select id="filter-benchmark"><option value="-1">All benchmarks</option>${benchOptions}</select></label>
<label>Verdict<select id="filter-verdict"><option value="-1">All verdicts</option><option value="${CONTAMINATED}">contaminated</option><option value="${GRADE_CODE.verbatim}">verbatim</option><option value="${GRADE_CODE.partial}">partial</option><option value="${GRADE_CODE.incidental}">incidental</option><option value="${GRADE_CODE.clean}">clean</option><option value="${GRADE_CODE.too_short}">too short</option></select></label>
<label class="grow">Search text and id<input type="search" id="filter-search" placeholder="Words from a sample, or an id" autocomplete="off" spellcheck="false"></label>
</div>
<div class="table-scroll"><table id="sample-table"><colgroup><col class="c-bench"><col class="c-row"><col class="c-id"><col class="c-verdict"><col class="c-overlap"><col class="c-longest"><col class="c-docs"><col class="c-text"></colgroup>
<thead><tr><th>Benchmark</th><th class="n">Row</th><th>Id</th><th>Verdict</th><th class="n" aria-sort="descending"><button type="button" class="sort" id="sort-overlap" title="Sort by grade, then overlap">Grade, overlap ↓</button></th><th class="n" title="Longest run of the sample's ${report.config.unit}s found contiguous in one document">Longest</th><th class="n" title="Documents with a verified match">Docs</th><th>Text</th></tr></thead>
<tbody id="sample-rows"><tr><td class="empty" colspan="8">Loading ${formatCount(report.samples.length)} samples…</td></tr></tbody></table></div>
<div class="pager"><span class="status" id="sample-status"></span><div class="buttons"><span class="status" id="page-label"></span><button type="button" id="page-prev">Previous</button><button type="button" id="page-next">Next</button></div></div>
<p class="note">The verdict column shows each sample's grade, marked when the rule counts it as contaminated. Overlap is the largest fraction of a sample's shingles found in one document. Click a sample to see why, beside the corpus text it was found in.</p>
</div></section>`;
}

const DIALOG = `<dialog id="sample-dialog" aria-labelledby="detail-title"><div class="dialog-head"><div><h3 id="detail-title"></h3><div class="facts"><span id="detail-verdict"></span> <span id="detail-facts"></span></div></div><button type="button" id="detail-close">Close</button></div>
<div class="dialog-body" id="detail-body"><div><p class="pane-title" id="detail-sample-title">Sample text</p><pre class="text-block" id="detail-sample"></pre></div><div><p class="pane-title">Corpus documents</p><div id="detail-matches"></div></div></div></dialog>`;

function sampleFacts(report: Report, s: ReportSample): string {
  const unit = report.config.unit;
  const facts = [
    ...(s.verdict ? [s.verdict.reason] : []),
    `overlap ${formatRate(s.overlap)}`,
    `longest run ${formatCount(s.longest)} ${unit}s`,
    plural(s.documents, 'document'),
    `coverage ${formatRate(s.coverage.fraction)}`,
    `idf overlap ${formatRate(s.idf_overlap)}`,
  ];
  if (s.containment > 0) facts.push(`containment ${formatRate(s.containment)}`);
  if (s.boilerplate_shingles > 0) facts.push(`${plural(s.boilerplate_shingles, 'boilerplate shingle')} (cannot convict alone)`);
  if (s.leaked !== null) facts.push(`leaked: ${s.leaked}`);
  return facts.join(' · ');
}

/** The client's data: columns rather than records, and file names interned, to keep 100k samples small. */
function clientData(report: Report, pageSize: number): unknown {
  const benchIndex = new Map(report.benchmarks.map((b, i) => [b.name, i]));
  const files: string[] = [];
  const fileIndex = new Map<string, number>();
  const internFile = (file: string) => {
    let i = fileIndex.get(file);
    if (i === undefined) {
      i = files.length;
      files.push(file);
      fileIndex.set(file, i);
    }
    return i;
  };
  const n = report.samples.length;
  const samples = {
    bench: new Array<number>(n),
    row: new Array<number>(n),
    id: new Array<string>(n),
    verdict: new Array<number>(n),
    contaminated: new Array<number>(n),
    overlap: new Array<number>(n),
    overlapText: new Array<string>(n),
    longest: new Array<number>(n),
    documents: new Array<number>(n),
    text: new Array<string>(n),
  };
  const details: unknown[] = [];
  report.samples.forEach((s, i) => {
    const b = benchIndex.get(s.benchmark);
    if (b === undefined) {
      throw new ContamError('BAD_REPORT', `sample ${s.benchmark} row ${s.row} names a benchmark the report does not list`, { hint: 'the report is inconsistent; rerun the scan' });
    }
    samples.bench[i] = b;
    samples.row[i] = s.row;
    samples.id[i] = s.id;
    samples.verdict[i] = gradeOf(s);
    samples.contaminated[i] = s.contaminated ? 1 : 0;
    samples.overlap[i] = s.overlap;
    samples.overlapText[i] = formatRate(s.overlap);
    samples.longest[i] = s.longest;
    samples.documents[i] = s.documents;
    samples.text[i] = s.text;
    if (s.matches.length > 0) {
      details.push({
        i,
        facts: sampleFacts(report, s),
        matches: s.matches.map((m) => ({
          file: internFile(m.file),
          row: m.row,
          doc_id: m.doc_id,
          facts: [
            `${m.grade} copy, ${plural(m.covered, 'informative word')}`,
            plural(m.shingles, 'shingle'),
            `rules: ${m.rules.join(', ')}`,
            ...(m.containment === null ? [] : [`containment ${formatRate(m.containment)}`]),
          ].join(' · '),
          spans: m.spans,
          snippet: m.snippet,
          snippet_start: m.snippet_start,
          sample_spans: m.sample_spans,
        })),
      });
    }
  });
  return { benchmarks: report.benchmarks.map((b) => b.name), files, unit: report.config.unit, pageSize, samples, details };
}

// ---------------------------------------------------------------------------

/**
 * Renders a Report (and, when given, the ScoreReport computed from it) as one
 * self-contained HTML page: no request leaves it, and the same inputs give
 * byte-identical output.
 *
 * @example
 * writeFileSync('report.html', renderHtmlReport(report, scores, { title: 'GSM8K in my-corpus' }));
 * @throws ContamError `BAD_ARGUMENT` for a page size that is not a positive integer,
 *   `BAD_REPORT` for a sample naming a benchmark the report does not list.
 */
export function renderHtmlReport(report: Report, scores: ScoreReport | null = null, options: HtmlReportOptions = {}): string {
  const title = options.title ?? 'contam report';
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new ContamError('BAD_ARGUMENT', `Expected \`pageSize\` to be an integer from 1 and up, got \`${String(pageSize)}\``);
  }
  const data = scriptSafeJson(clientData(report, pageSize));
  const csp = `default-src 'none'; script-src 'sha256-${sha256(REPORT_CLIENT_JS)}'; style-src 'sha256-${sha256(REPORT_CSS)}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const subtitle = `contam ${report.tool.version} · report format ${report.version} · ${plural(report.samples.length, 'sample')} in ${plural(report.benchmarks.length, 'benchmark')}${scores === null ? '' : ` · scores for ${plural(scores.benchmarks.length, 'benchmark')}`}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="generator" content="contam ${escapeHtml(report.tool.version)}">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header class="top"><div class="wrap"><h1>${escapeHtml(title)}</h1><p class="sub">${escapeHtml(subtitle)}</p></div></header>
<main class="wrap">
${renderScan(report)}
${renderBenchmarks(report)}
${scores === null ? '' : renderScores(scores)}
${renderSamplesSection(report)}
<footer>Made by contam ${escapeHtml(report.tool.version)}. This page is self-contained: it loads nothing from the network.</footer>
</main>
${DIALOG}
<script type="application/json" id="contam-data">${data}</script>
<script>${REPORT_CLIENT_JS}</script>
</body>
</html>
`;
}

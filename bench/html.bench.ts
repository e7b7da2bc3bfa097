/**
 * The HTML report with many samples: renders a synthetic report of N samples
 * (default 100,000) over real GSM8K text, a tenth of them contaminated with a
 * corpus snippet each, and prints the file size, the render time (beside
 * JSON.stringify of the same report, the floor for any page that embeds it),
 * then, in headless Chromium, first paint and first contentful paint, when
 * the sample table became usable, and how long a filter, a first and a
 * second search, a sort toggle and opening a sample take to the next frame.
 *
 *   node --import=tsx bench/html.bench.ts [samples=100000]
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { renderHtmlReport } from '../src/report/html.js';
import type { Report, ReportSample } from '../src/types.js';
import { SHARED_DATA } from './shared-data.js';

// A flag (as `npm run bench -- --mb 100` hands every bench) is not a count.
const N = Number(process.argv[2]?.startsWith('--') ? 100_000 : (process.argv[2] ?? 100_000));
const CHROMIUM = '/usr/bin/chromium';
const outDir = path.resolve(import.meta.dirname, 'out');

function syntheticReport(n: number): Report {
  const rows = readFileSync(`${SHARED_DATA}/gsm8k/test.jsonl`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { question: string; answer: string });
  const prose = readFileSync(`${SHARED_DATA}/squad/dev-v1.1.contexts.jsonl`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { context: string }).context);
  const names = ['gsm8k', 'mmlu', 'hellaswag', 'truthfulqa'];
  const perBench = Math.ceil(n / names.length);
  const counts = names.map(() => ({ samples: 0, contaminated: 0, tooShort: 0 }));
  const samples: ReportSample[] = [];
  for (let b = 0; b < names.length; b++) {
    for (let row = 0; row < perBench && samples.length < n; row++) {
      const i = samples.length;
      const r = rows[i % rows.length]!;
      const text = `${r.question}\n${r.answer}`;
      const tooShort = i % 50 === 7;
      const contaminated = !tooShort && i % 10 === 3;
      const overlap = contaminated ? ((i * 7919) % 1000) / 1000 || 0.5 : 0;
      const before = prose[i % prose.length]!.slice(0, 200);
      const docText = `${before}\n${r.question}\n${prose[(i + 1) % prose.length]!.slice(0, 200)}`;
      const spanStart = before.length + 1;
      const words = r.question.split(/\s+/).length;
      samples.push({
        benchmark: names[b]!,
        row,
        id: `${names[b]}/${row}`,
        contaminated,
        too_short: tooShort,
        shingles: Math.max(1, text.split(/\s+/).length - 12),
        overlap,
        longest: contaminated ? words : 0,
        containment: 0,
        boilerplate_shingles: 0,
        idf_overlap: overlap,
        coverage: { fraction: overlap, subsets: overlap < 0.2 ? ['clean', 'not-dirty'] : ['not-clean', overlap > 0.8 ? 'dirty' : 'not-dirty'] },
        rules: { ngram: { fired: contaminated, overlap, longest: contaminated ? words : 0 } },
        documents: contaminated ? 1 : 0,
        leaked: contaminated ? 'input' : null,
        text,
        matches: contaminated
          ? [
              {
                file: `corpus/part-${String(i % 64).padStart(2, '0')}.jsonl.gz`,
                row: i * 13,
                doc_id: `doc-${i}`,
                shingles: Math.max(1, words - 12),
                spans: [[spanStart + 100, spanStart + 100 + r.question.length]],
                snippet: docText,
                snippet_start: 100,
                rules: ['ngram'],
                containment: null,
                sample_spans: [[0, r.question.length]],
              },
            ]
          : [],
      });
      counts[b]!.samples++;
      if (tooShort) counts[b]!.tooShort++;
      if (contaminated) counts[b]!.contaminated++;
    }
  }
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
      max_doc_freq: 10,
      minhash: null,
      index: { format_version: 1, shingles: n * 20, bloom_bits: 1 << 24, bloom_hashes: 14, bloom_fpr: 0.0001 },
    },
    corpus: { files: 64, documents: 12_000_000, bytes: 48_318_382_080 },
    skipped: [],
    benchmarks: names.map((name, b) => {
      const c = counts[b]!;
      const judged = c.samples - c.tooShort;
      return {
        name,
        path: `evals/${name}.jsonl`,
        format: 'jsonl' as const,
        shape: name,
        fields: ['question', 'answer:label'],
        samples: c.samples,
        ngram: 13,
        contaminated: c.contaminated,
        too_short: c.tooShort,
        rate: judged === 0 ? 0 : Math.round((c.contaminated / judged) * 1e6) / 1e6,
      };
    }),
    samples,
  };
}

const ms = (t: number) => `${t.toFixed(1)} ms`;

const report = syntheticReport(N);
const jsonStart = performance.now();
const json = JSON.stringify(report);
const jsonMs = performance.now() - jsonStart;
const renders: number[] = [];
let html = '';
for (let run = 0; run < 3; run++) {
  const t0 = performance.now();
  html = renderHtmlReport(report);
  renders.push(performance.now() - t0);
}
mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, `report-${N}.html`);
writeFileSync(file, html);
const renderMs = [...renders].sort((a, b) => a - b)[1]!;
console.log(`samples               ${N.toLocaleString('en-US')} (${report.samples.filter((s) => s.contaminated).length.toLocaleString('en-US')} contaminated)`);
console.log(`HTML file             ${(statSync(file).size / 1e6).toFixed(1)} MB (report JSON ${(Buffer.byteLength(json) / 1e6).toFixed(1)} MB)`);
console.log(`render                ${ms(renderMs)} median of 3 (JSON.stringify baseline ${ms(jsonMs)}, ratio ${(renderMs / jsonMs).toFixed(2)})`);
console.log(`peak RSS              ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);

if (!existsSync(CHROMIUM)) {
  console.log(`CHROMIUM MISSING at ${CHROMIUM}: browser timings not measured (apt-get install -y chromium)`);
  process.exit(1);
}
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const t0 = performance.now();
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
  const wall = performance.now() - t0;
  const timings = await page.evaluate(() => {
    const paint = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return { fp: paint['first-paint'] ?? NaN, fcp: paint['first-contentful-paint'] ?? NaN, load: nav.loadEventEnd, ready: performance.getEntriesByName('contam-ready')[0]?.startTime ?? NaN };
  });
  console.log(`first paint           ${ms(timings.fp)}`);
  console.log(`first contentful paint ${ms(timings.fcp)}`);
  console.log(`load event            ${ms(timings.load)}`);
  console.log(`table usable          ${ms(timings.ready)} (page open to ready, seen from Node: ${ms(wall)})`);

  // Time from the event to the next frame after it, measured inside the page. The page
  // function is a string: tsx would inject helper calls into a compiled one.
  const toNextFrame = (action: string) =>
    page.evaluate(`(async () => {
      const what = ${JSON.stringify(action)};
      const t = performance.now();
      if (what === 'filter') {
        const select = document.getElementById('filter-verdict');
        select.value = '1';
        select.dispatchEvent(new Event('change'));
      } else if (what.startsWith('search:')) {
        const input = document.getElementById('filter-search');
        input.value = what.slice(7);
        input.dispatchEvent(new Event('input'));
      } else if (what === 'sort') document.getElementById('sort-overlap').click();
      else if (what === 'open') document.querySelector('#sample-rows tr[data-i]').click();
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      return performance.now() - t;
    })()`) as Promise<number>;
  console.log(`filter (contaminated) ${ms(await toNextFrame('filter'))} -> ${await page.locator('#sample-status').textContent()}`);
  console.log(`first search          ${ms(await toNextFrame('search:janet'))} (lower-cases the texts once) -> ${await page.locator('#sample-status').textContent()}`);
  console.log(`second search         ${ms(await toNextFrame('search:ducks lay'))} -> ${await page.locator('#sample-status').textContent()}`);
  console.log(`sort toggle           ${ms(await toNextFrame('sort'))}`);
  console.log(`open a sample         ${ms(await toNextFrame('open'))}`);
  console.log(`rows in the DOM       ${await page.locator('#sample-rows tr').count()}`);
  if (errors.length > 0) {
    console.log(`PAGE ERRORS: ${errors.join(' | ')}`);
    process.exitCode = 1;
  }
} finally {
  await browser.close();
}

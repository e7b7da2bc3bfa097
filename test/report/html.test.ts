/**
 * The HTML report, rendered from a hand-built report over real benchmark text
 * (test/helpers/report-fixture.ts) and driven in Debian's headless Chromium:
 * the figures on the page are the JSON's, filters, search, sort and pages give
 * exact row counts, a sample opens with the same words marked on both sides,
 * data holding markup stays text, and the page neither logs an error nor makes
 * a request. Browser tests fail (never skip) when /usr/bin/chromium is missing.
 */
import test, { type ExecutionContext } from 'ava';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { isContamError } from '../../src/errors.js';
import { formatCount, formatDelta, formatRate, formatScore } from '../../src/report/format.js';
import { renderHtmlReport, type HtmlReportOptions } from '../../src/report/html.js';
import { fixtureReport } from '../helpers/report-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url);
const { report, scores } = fixtureReport();
const tempDir = mkdtempSync(join(tmpdir(), 'contam-html-'));

let browserPromise: Promise<Browser> | undefined;
function browser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: the HTML report tests need it (apt-get install -y chromium; .ci/run installs it)`);
  }
  browserPromise ??= chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return browserPromise;
}

test.after.always(async () => {
  if (browserPromise) await (await browserPromise).close();
  rmSync(tempDir, { recursive: true, force: true });
});

/**
 * Opens the rendered report from a file:// URL, runs `body`, then checks that
 * the console saw no error and that the file itself was the only request.
 */
async function withPage(t: ExecutionContext, name: string, options: HtmlReportOptions & { dark?: boolean }, body: (page: Page) => Promise<void>): Promise<void> {
  const file = join(tempDir, `${name}.html`);
  writeFileSync(file, renderHtmlReport(report, scores, options));
  const url = pathToFileURL(file).href;
  const page = await (await browser()).newPage({ viewport: { width: 1366, height: 860 }, colorScheme: options.dark ? 'dark' : 'light' });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  try {
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    await body(page);
    t.deepEqual(errors, []);
    t.deepEqual(requests, [url]);
  } finally {
    await page.close();
  }
}

const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();
const status = (page: Page) => page.locator('#sample-status').textContent();
const rowKeys = (page: Page) => page.locator('#sample-rows tr').evaluateAll((rows) => rows.map((r) => `${r.children[0]!.textContent}/${r.children[1]!.textContent}`));

test('rates, counts and scores round as the terminal summary does', (t) => {
  t.is(formatRate(0.1875), '18.8%');
  t.is(formatRate(0.166667), '16.7%');
  t.is(formatRate(0.25), '25.0%');
  t.is(formatScore(0.5625), '56.3');
  t.is(formatScore(null), '–');
  t.is(formatDelta(-0.024038), '-2.4');
  t.is(formatDelta(0.043269), '+4.3');
  t.is(formatDelta(-0.0004), '0.0');
  t.is(formatDelta(-0.0125), '-1.3');
  t.is(formatDelta(0.0125), '+1.3');
});

test('the same report renders to byte-identical HTML', (t) => {
  const again = fixtureReport();
  t.is(renderHtmlReport(report, scores, { title: 'GSM8K in my corpus' }), renderHtmlReport(again.report, again.scores, { title: 'GSM8K in my corpus' }));
});

test('data holding </script> or markup cannot close the JSON block or add elements', (t) => {
  const html = renderHtmlReport(report, scores, { title: '</title><script>alert(1)</script>' });
  // Two script elements (data and client), each closed once; the title is escaped.
  t.is(html.split('<script').length - 1, 2);
  t.is(html.split('</script').length - 1, 2);
  t.true(html.includes('<title>&#60;/title&#62;&#60;script&#62;alert(1)&#60;/script&#62;</title>'));
  const open = '<script type="application/json" id="contam-data">';
  const json = html.slice(html.indexOf(open) + open.length, html.indexOf('</script>'));
  const data = JSON.parse(json) as { samples: { text: string[] }; details: { matches: { snippet: string }[] }[] };
  t.is(data.samples.text[17], report.samples[17]!.text);
  t.true(data.details.some((d) => d.matches.some((m) => m.snippet.includes('</script><script>window.__pwned = 1</script>'))));
});

test('a page size that is not a positive integer is rejected with BAD_ARGUMENT', (t) => {
  const error = t.throws(() => renderHtmlReport(report, null, { pageSize: 0 }));
  t.true(isContamError(error));
  t.is((error as { code?: string }).code, 'BAD_ARGUMENT');
  t.is(error?.message, 'Expected `pageSize` to be an integer from 1 and up, got `0`');
});

test('the page shows the JSON report figures per benchmark, the scan and the scores', async (t) => {
  await withPage(t, 'figures', {}, async (page) => {
    t.deepEqual(await texts(page, '#benchmark-table tbody tr [data-field="name"]'), ['gsm8k', 'mmlu', 'truthfulqa']);
    t.deepEqual(await texts(page, '#benchmark-table tbody tr [data-field="rate"]'), ['18.8%', '25.0%', '16.7%']);
    t.deepEqual(await texts(page, '#rate-chart [data-field="label"]'), ['18.8% · 3 of 16 judged', '25.0% · 3 of 12 judged', '16.7% · 1 of 6 judged']);
    for (const b of report.benchmarks) {
      const row = page.locator(`#benchmark-table tr[data-benchmark="${b.name}"]`);
      t.is(await row.locator('[data-field="samples"]').textContent(), formatCount(b.samples));
      t.is(await row.locator('[data-field="contaminated"]').textContent(), formatCount(b.contaminated));
      t.is(await row.locator('[data-field="too_short"]').textContent(), formatCount(b.too_short));
      t.is(await row.locator('[data-field="rate"]').textContent(), formatRate(b.rate));
      t.is(await row.locator('[data-field="ngram"]').textContent(), String(b.ngram));
    }
    t.is(await page.locator('.stat[data-field="files"] .value').textContent(), '2');
    t.is(await page.locator('.stat[data-field="documents"] .value').textContent(), '4,134');
    t.is(await page.locator('.stat[data-field="bytes"] .detail').textContent(), '5,283,729 bytes');
    t.is(await page.locator('#config [data-field="bloom"] dd').textContent(), '65,536 bits, 14 hashes, false positive rate 0.000262636');
    t.is(await page.locator('#config [data-field="normalization"] dd').textContent(), 'nfkc-casefold-html-punct-v1');
    t.deepEqual(await texts(page, '#skipped tbody td'), ['corpus/wiki-00.jsonl.gz', 'line 2071', 'BAD_JSON', 'corpus/wiki-00.jsonl.gz:line 2071: Unexpected end of JSON input']);

    const gsm = page.locator('#scores [data-benchmark="gsm8k"] tr[data-metric="exact_match"]');
    t.deepEqual(await gsm.locator('td[data-field]').allTextContents(), ['exact_match', '56.3n=16', '53.8n=13', '66.7n=3', '50.0n=2', '100.0n=1', '-2.4', '[-9.1, +4.3]']);
    const mmlu = page.locator('#scores [data-benchmark="mmlu"] tbody tr');
    t.deepEqual(await mmlu.evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('[data-part="score"], [data-field="delta"], [data-field="ci95"]')).map((c) => c.textContent))), [
      ['41.7', '33.3', '66.7', '-8.3', '[-19.4, +2.8]'],
      ['50.0', '44.4', '66.7', '-5.6', '[-16.7, +5.6]'],
    ]);
    for (const m of scores.benchmarks[1]!.metrics) {
      const cells = await page.locator(`#scores [data-benchmark="mmlu"] tr[data-metric="${m.name}"] [data-part="score"]`).allTextContents();
      t.deepEqual(cells, [formatScore(m.all.score), formatScore(m.clean.score), formatScore(m.contaminated.score)]);
    }
    t.is(await page.locator('#scores [data-benchmark="mmlu"] .note').textContent(), 'acc: 2 of 12 stored values disagree with the recomputation.');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: new URL('report.png', ARTIFACTS).pathname, fullPage: true });
  });
});

test('filtering by benchmark and verdict and searching text and id give the expected rows', async (t) => {
  await withPage(t, 'filters', {}, async (page) => {
    t.is(await page.locator('#sample-rows tr').count(), 38);
    t.is(await status(page), 'Showing 1–38 of 38 samples');
    await page.selectOption('#filter-benchmark', { label: 'mmlu' });
    t.is(await page.locator('#sample-rows tr').count(), 12);
    t.is(await status(page), 'Showing 1–12 of 12 matching samples (of 38)');
    await page.selectOption('#filter-verdict', { label: 'contaminated' });
    t.deepEqual(await rowKeys(page), ['mmlu/5', 'mmlu/1', 'mmlu/10']);
    await page.selectOption('#filter-benchmark', { label: 'All benchmarks' });
    t.is(await page.locator('#sample-rows tr').count(), 7);
    await page.selectOption('#filter-verdict', { label: 'verbatim' });
    t.deepEqual(await rowKeys(page), ['truthfulqa/7', 'gsm8k/3']);
    await page.selectOption('#filter-verdict', { label: 'partial' });
    t.deepEqual(await rowKeys(page), ['gsm8k/0', 'mmlu/5', 'mmlu/1', 'gsm8k/9', 'mmlu/10']);
    await page.selectOption('#filter-benchmark', { label: 'truthfulqa' });
    await page.selectOption('#filter-verdict', { label: 'too short' });
    t.deepEqual(await rowKeys(page), ['truthfulqa/1', 'truthfulqa/2', 'truthfulqa/5', 'truthfulqa/8']);
    await page.selectOption('#filter-verdict', { label: 'clean' });
    t.is(await page.locator('#sample-rows tr').count(), 5);

    await page.selectOption('#filter-benchmark', { label: 'All benchmarks' });
    await page.selectOption('#filter-verdict', { label: 'All verdicts' });
    await page.fill('#filter-search', 'DUCKS');
    t.deepEqual(await rowKeys(page), ['gsm8k/0']);
    await page.fill('#filter-search', 'index of <p>');
    t.deepEqual(await rowKeys(page), ['mmlu/1']);
    t.is(await page.locator('#sample-rows tr td:last-child').textContent(), 'Let p = (1, 2, 5, 4)(2, 3) in S_5 . Find the index of <p> in S_5. 8 2 24 120');
    await page.fill('#filter-search', 'abstract_algebra/1');
    t.deepEqual(await rowKeys(page), ['mmlu/1', 'mmlu/10', 'mmlu/11']);
    await page.selectOption('#filter-verdict', { label: 'clean' });
    t.deepEqual(await rowKeys(page), ['mmlu/11']);
    await page.fill('#filter-search', 'no sample says this');
    t.is(await status(page), 'No samples of 38');
    t.deepEqual(await texts(page, '#sample-rows td'), ['No sample matches these filters.']);
  });
});

test('the table is sorted by grade, then overlap, descending until toggled, and paged', async (t) => {
  await withPage(t, 'paging', { pageSize: 10 }, async (page) => {
    t.deepEqual((await rowKeys(page)).slice(0, 4), ['truthfulqa/7', 'gsm8k/3', 'gsm8k/0', 'mmlu/5']);
    t.deepEqual(await texts(page, '#sample-rows tr:nth-child(-n+3) td:nth-child(5)'), ['100.0%', '92.9%', '62.0%']);
    t.is(await page.locator('#sample-rows tr').count(), 10);
    t.is(await page.locator('#page-label').textContent(), 'Page 1 of 4');
    t.true(await page.locator('#page-prev').isDisabled());
    for (let i = 0; i < 3; i++) await page.click('#page-next');
    t.is(await status(page), 'Showing 31–38 of 38 samples');
    t.is(await page.locator('#sample-rows tr').count(), 8);
    t.true(await page.locator('#page-next').isDisabled());
    await page.click('#sort-overlap');
    t.is(await page.locator('#sort-overlap').textContent(), 'Grade, overlap ↑');
    t.is(await page.locator('th[aria-sort]').getAttribute('aria-sort'), 'ascending');
    t.is(await status(page), 'Showing 1–10 of 38 samples');
    // Too short below clean; ties keep report order; the convicted samples come last.
    t.deepEqual((await rowKeys(page)).slice(0, 6), ['truthfulqa/1', 'truthfulqa/2', 'truthfulqa/5', 'truthfulqa/8', 'gsm8k/1', 'gsm8k/2']);
    for (let i = 0; i < 3; i++) await page.click('#page-next');
    t.deepEqual(await rowKeys(page), ['truthfulqa/9', 'mmlu/10', 'gsm8k/9', 'mmlu/1', 'mmlu/5', 'gsm8k/0', 'gsm8k/3', 'truthfulqa/7']);
    await page.selectOption('#filter-verdict', { label: 'contaminated' });
    t.is(await status(page), 'Showing 1–7 of 7 matching samples (of 38)');
  });
});

test('opening a contaminated sample marks the same words in the sample and in each snippet', async (t) => {
  await withPage(t, 'sample', {}, async (page) => {
    const question = 'James decides to run 3 sprints 3 times a week.  He runs 60 meters each sprint.  How many total meters does he run a week?';
    await page.click('#sample-rows tr[data-i="3"]');
    t.true(await page.locator('#sample-dialog').isVisible());
    t.is(await page.locator('#detail-title').textContent(), 'gsm8k · row 3');
    t.is(await page.locator('#detail-verdict').textContent(), 'verbatim (contaminated)');
    t.is((await page.locator('#detail-facts').textContent())?.split(' · ')[0], 'verbatim: 93% of the sample in one document');
    t.deepEqual(await texts(page, '#detail-sample mark'), [question, 'So he runs 9*60=<<9*60=540>>540 meters']);
    // The snippet ends 12 characters into the second span: its mark is clipped there.
    t.deepEqual(await texts(page, '#detail-matches .match .snippet mark'), [question, 'So he runs 9']);
    t.is(await page.locator('#detail-matches .match .where').textContent(), 'corpus/wiki-00.jsonl.gz · row 42 · doc squad/00_002verbatim copy, 30 informative words · 14 shingles · rules: ngram');
    t.is(await page.locator('#detail-sample').textContent(), report.samples[3]!.text);
    await page.screenshot({ path: new URL('report-sample.png', ARTIFACTS).pathname });
    await page.keyboard.press('Escape');
    t.false(await page.locator('#sample-dialog').isVisible());

    const janet = 'Janet’s ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins for her friends every day with four.';
    await page.click('#sample-rows tr[data-i="0"]');
    t.deepEqual(await texts(page, '#detail-matches .match .snippet mark'), [janet, janet]);
    t.deepEqual(await texts(page, '#detail-matches .match .where b'), ['corpus/wiki-00.jsonl.gz', 'corpus/wiki-01.parquet']);
    t.deepEqual(await texts(page, '#detail-sample mark'), [janet]);
    await page.click('#detail-matches .match[data-k="1"] .snippet');
    t.is(await page.locator('#detail-sample-title').textContent(), 'Sample text, words found in match 2 highlighted');
    t.deepEqual(await texts(page, '#detail-sample mark'), [janet]);
    await page.click('#detail-close');

    await page.selectOption('#filter-verdict', { label: 'clean' });
    await page.click('#sample-rows tr[data-i="1"]');
    t.is(await page.locator('#detail-verdict').textContent(), 'clean');
    t.is(await page.locator('#sample-dialog mark').count(), 0);
    t.is(await page.locator('#detail-matches').textContent(), 'No corpus document shares a verified shingle with this sample.');
  });
});

test('markup and </script> in a sample and its snippet stay text in the sample view', async (t) => {
  await withPage(t, 'markup', { dark: true }, async (page) => {
    await page.click('#sample-rows tr[data-i="17"]');
    const question = 'Let p = (1, 2, 5, 4)(2, 3) in S_5 . Find the index of <p> in S_5.';
    t.deepEqual(await texts(page, '#detail-sample mark'), [question]);
    t.deepEqual(await texts(page, '#detail-matches .snippet mark'), [question]);
    t.true((await page.locator('#detail-matches .snippet').textContent())!.includes('</div></script><script>window.__pwned = 1</script><img src="https://example.com/x.png">'));
    t.is(await page.locator('#sample-dialog img, #sample-dialog script, #sample-dialog p p, #sample-dialog div.q').count(), 0);
    t.is(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: new URL('report-dark.png', ARTIFACTS).pathname });
  });
});

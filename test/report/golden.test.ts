/**
 * Golden files: what the demo (`npm run demo`: `contam check` of the fixture
 * benchmarks against fixtures/corpus) writes, byte for byte, so that any
 * change to the report shows as a diff of test/golden/:
 *
 * - report.json: the JSON report (`-o report.json`);
 * - summary.txt: the terminal summary, NO_COLOR, at the default width;
 * - html-data.json: the data block the HTML report embeds (`contam report --html`);
 * - html-scan.html: the HTML report's "What was scanned" section.
 *
 * They run the built CLI (dist/), as `npm test` builds it. After a change
 * that means to change the report, rewrite them and review the diff:
 *
 *   npm run build && UPDATE_GOLDEN=1 npx ava test/report/golden.test.ts
 *
 * Nothing is masked: the report holds no absolute path, time or date (the
 * demo names its files relative to the checkout), so the bytes are the
 * same on every machine; a version bump changes `tool.version` here on purpose.
 */
import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contam, root } from '../cli/run-contam.js';

const golden = path.join(root, 'test/golden');
const update = process.env.UPDATE_GOLDEN === '1';
const demo = ['check', '--eval', 'fixtures/evals/gsm8k.jsonl', '--eval', 'fixtures/evals/mmlu.jsonl', '--eval', 'fixtures/evals/truthfulqa.csv', '--corpus', 'fixtures/corpus'];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-golden-'));

function between(text: string, start: string, end: string): string {
  const a = text.indexOf(start);
  const b = text.indexOf(end, a + start.length);
  if (a < 0 || b < 0) throw new Error(`no ${start}…${end} in the HTML`);
  return text.slice(a, b + end.length);
}

/** Compare `actual` with the golden file `name` byte for byte, or rewrite it under UPDATE_GOLDEN=1. */
function matchesGolden(t: { is: (a: unknown, b: unknown, m?: string) => void; pass: () => void }, name: string, actual: string): void {
  const file = path.join(golden, name);
  if (update) {
    writeFileSync(file, actual);
    t.pass();
    return;
  }
  t.is(actual, readFileSync(file, 'utf8'), `${name} differs from test/golden/ (see the header to rewrite it)`);
}

// One scan for all four files: the summary is what the demo prints beside -o.
const run = (async () => {
  const report = path.join(tmp, 'report.json');
  const scan = await contam([...demo, '-o', report]);
  const html = path.join(tmp, 'report.html');
  const page = await contam(['report', report, '--html', html]);
  return { scan, page, report: readFileSync(report, 'utf8'), html: page.code === 0 ? readFileSync(html, 'utf8') : '' };
})();

test('the demo report.json is the golden one', async (t) => {
  const { scan, report } = await run;
  t.is(scan.code, 0, scan.stderr);
  matchesGolden(t, 'report.json', report);
});

test('the demo terminal summary is the golden one', async (t) => {
  const { scan } = await run;
  matchesGolden(t, 'summary.txt', scan.stdout);
});

test("the HTML report's data and scan section are the golden ones", async (t) => {
  const { page, html } = await run;
  t.is(page.code, 0, page.stderr);
  const data = between(html, '<script type="application/json" id="contam-data">', '</script>');
  matchesGolden(t, 'html-data.json', `${data.slice(data.indexOf('>') + 1, -'</script>'.length)}\n`);
  matchesGolden(t, 'html-scan.html', `${between(html, '<section id="scan"', '</section>')}\n`);
});

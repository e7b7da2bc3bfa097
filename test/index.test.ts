/**
 * The public API: the exact list of what `contam` exports (anything added or
 * removed is a decision, made here), `contam/internal` keeping every building
 * block bench/ may use, and the README's Library example, run against the
 * built package (`contam` resolves to dist/ through package.json's exports)
 * with its printed output compared to the one the README shows.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import * as api from '../src/index.js';
import * as internal from '../src/internal.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');

test('contam exports exactly the public API', (t) => {
  t.deepEqual(Object.keys(api).sort(), [
    'ContamError',
    'DEFAULTS',
    'VERSION',
    'buildPortrait',
    'check',
    'describeIndex',
    'filterCorpus',
    'filterEvals',
    'indexBenchmarks',
    'isContamError',
    'mergeShards',
    'parseEvalArgument',
    'queryPortrait',
    'readIndexFile',
    'readReport',
    'readScores',
    'renderHtmlReport',
    'renderScores',
    'renderSummary',
    'scan',
    'scanShard',
    'scoreResults',
    'serializeReport',
    'submitSlurmJobs',
    'writeIndexFile',
    'writeSlurmJobs',
  ]);
});

test('contam/internal holds the public API and the building blocks behind it', (t) => {
  const names = new Set(Object.keys(internal));
  t.deepEqual(
    Object.keys(api).filter((name) => !names.has(name)),
    [],
  );
  for (const name of ['mulberry32', 'shellQuote', 'WordBuffer', 'scanPart', 'DocumentScanner', 'readShards']) t.true(names.has(name), name);
  const exports = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { exports: Record<string, { default: string }> }).exports;
  t.deepEqual(Object.fromEntries(Object.entries(exports).map(([k, v]) => [k, v.default])), { '.': './dist/src/index.js', './internal': './dist/src/internal.js' });
});

/** The body of the first fenced block of `lang` after `heading` in README.md. */
function readmeBlock(heading: string, lang: string): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(`\n${heading}\n`));
  const m = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(section);
  if (!m) throw new Error(`no ${lang} block under ${heading}`);
  return m[1]!;
}

test("the README's Library example runs against the built package and prints what the README shows", async (t) => {
  // Inside the checkout, so that `contam` resolves to this package (a self-reference through its exports).
  const dir = mkdtempSync(path.join(root, 'test', '.readme-'));
  try {
    writeFileSync(path.join(dir, 'example.mts'), readmeBlock('## Library', 'ts'));
    writeFileSync(path.join(dir, 'resolve.mjs'), "console.log(import.meta.resolve('contam'));\n");
    const resolved = await run(process.execPath, [path.join(dir, 'resolve.mjs')], { cwd: root });
    t.is(resolved.stdout.trim(), pathToFileURL(path.join(root, 'dist/src/index.js')).href);
    const { stdout } = await run(process.execPath, ['--import=tsx', path.join(dir, 'example.mts')], { cwd: root });
    t.is(stdout, readmeBlock('## Library', 'text'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * `npm run bench`: every benchmark in turn (each prints its own figures), each
 * handed the same flags, which each reads its own of: `--mb`, `--web-mb`,
 * `--baseline-mb`, `--runs` (scan), `--read-mb` (read), `--sizes`,
 * `--skip-index-1m`, `--index-minutes` (index). About 20 minutes on 2 cores.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

// Each bench with arguments of its own, before the ones given to all.
const benches: [string, string[]][] = [
  ['scan.bench.ts', []],
  ['hotpath.bench.ts', []],
  ['hotpath.bench.ts', ['--web']],
  ['read.bench.ts', []],
  ['index.bench.ts', []],
  ['portrait.bench.ts', []],
  ['html.bench.ts', []],
];
// A bench that fails is named at the end; the others still run.
const failed: string[] = [];
for (const [bench, own] of benches) {
  const file = path.join(import.meta.dirname, bench);
  if (!existsSync(file)) continue;
  const name = [bench, ...own].join(' ');
  console.log(`\n== ${name}`);
  try {
    execFileSync(process.execPath, ['--import=tsx', file, ...own, ...process.argv.slice(2)], { stdio: 'inherit' });
  } catch {
    failed.push(name);
  }
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exitCode = 1;
}

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
for (const [bench, own] of benches) {
  const file = path.join(import.meta.dirname, bench);
  if (!existsSync(file)) continue;
  console.log(`\n== ${[bench, ...own].join(' ')}`);
  execFileSync(process.execPath, ['--import=tsx', file, ...own, ...process.argv.slice(2)], { stdio: 'inherit' });
}

/**
 * `npm run bench`: every benchmark in turn (each prints its own figures), each
 * handed the same flags, which each reads its own of: `--mb`, `--web-mb`,
 * `--baseline-mb`, `--runs` (scan), `--read-mb` (read), `--sizes`,
 * `--skip-index-1m`, `--index-minutes` (index). About 20 minutes on 2 cores.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const benches = ['scan.bench.ts', 'hotpath.bench.ts', 'read.bench.ts', 'index.bench.ts', 'portrait.bench.ts', 'html.bench.ts'];
for (const bench of benches) {
  const file = path.join(import.meta.dirname, bench);
  if (!existsSync(file)) continue;
  console.log(`\n== ${bench}`);
  execFileSync(process.execPath, ['--import=tsx', file, ...process.argv.slice(2)], { stdio: 'inherit' });
}

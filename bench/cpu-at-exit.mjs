/**
 * Preloaded into a measured process (`node --import=<this file's URL> ...`):
 * at exit it writes the process's CPU time, user and sys of all its threads
 * since it started, to stderr as one line `cpu-at-exit {"user":s,"system":s}`.
 * On a shared machine wall time measures the neighbours as much as the
 * process; CPU time much less. Parsed by cpuOfChild in scan.bench.ts.
 */
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const c = process.cpuUsage();
  writeSync(2, `\ncpu-at-exit ${JSON.stringify({ user: c.user / 1e6, system: c.system / 1e6 })}\n`);
});

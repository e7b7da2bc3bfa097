/**
 * Preloaded into a child process (`node --import ./bench/peak-rss.mjs ...`) to
 * write its peak RSS in MB to the file named by $PEAK_RSS_FILE as it exits,
 * whatever exits it (the CLI calls process.exit). VmHWM, not getrusage's
 * maxRSS, which survives exec and would report the parent's.
 */
import { readFileSync, writeFileSync } from 'node:fs';

process.on('exit', () => {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  if (process.env.PEAK_RSS_FILE && hwm) writeFileSync(process.env.PEAK_RSS_FILE, String(Math.round(Number(hwm[1]) / 1024)));
});

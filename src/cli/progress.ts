/**
 * Progress on stderr: a redrawn bar on a terminal; a plain line every few
 * seconds otherwise (logs, CI); nothing with --quiet. Shows the bytes of
 * the corpus files read so far, as stored on disk (compressed bytes for
 * `.gz`, `.zst` and Parquet, not text), in MiB like the report's header,
 * documents done, the rate in MiB on disk per second, and the ETA from the
 * total size of the corpus files.
 */
import type { ScanProgress } from '../scan/corpus-scanner.js';
import { formatCount } from '../report/format.js';

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`;
}

const MIB = 1024 * 1024;

export class ProgressReporter {
  private readonly started = Date.now();
  private last = Date.now();
  private drawn = false;
  private readonly stream: NodeJS.WriteStream;
  private readonly enabled: boolean;
  private readonly tty: boolean;
  private readonly interval: number;

  constructor(options: { quiet?: boolean; stream?: NodeJS.WriteStream; intervalMs?: number } = {}) {
    this.stream = options.stream ?? process.stderr;
    this.enabled = !options.quiet;
    this.tty = Boolean(this.stream.isTTY);
    this.interval = options.intervalMs ?? (this.tty ? 200 : 5000);
  }

  /** The progress line for `p` at `elapsedMs`. */
  static line(p: ScanProgress, elapsedMs: number): string {
    const mb = p.bytesDone / MIB;
    const total = p.bytesTotal / MIB;
    const seconds = elapsedMs / 1000;
    const rate = seconds > 0 ? mb / seconds : 0;
    const eta = rate > 0 ? (total - mb) / rate : Infinity;
    const pct = p.bytesTotal > 0 ? Math.min(100, (100 * p.bytesDone) / p.bytesTotal) : 100;
    return `${pct.toFixed(0).padStart(3)}% ${mb.toFixed(1)}/${total.toFixed(1)} MiB on disk · ${formatCount(p.documents)} docs · ${rate.toFixed(1)} MiB/s · ETA ${clock(eta)}`;
  }

  update(p: ScanProgress): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < this.interval) return;
    this.last = now;
    const text = ProgressReporter.line(p, now - this.started);
    if (this.tty) {
      const width = Math.max(10, 30);
      const filled = p.bytesTotal > 0 ? Math.round((width * p.bytesDone) / p.bytesTotal) : width;
      this.stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}\x1b[K`);
      this.drawn = true;
    } else {
      this.stream.write(`scan: ${text}\n`);
    }
  }

  /** Clear the bar and print a closing line. */
  finish(p: ScanProgress): void {
    if (!this.enabled) return;
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.stream.write(`scan: done, ${ProgressReporter.line(p, Date.now() - this.started).replace(/ · ETA.*$/, '')} in ${clock((Date.now() - this.started) / 1000)}\n`);
  }
}

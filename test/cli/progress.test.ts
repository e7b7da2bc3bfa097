import test from 'ava';
import { ProgressReporter } from '../../src/cli/progress.js';

test('progress counts MiB of the files on disk, as the report header does, and says so', (t) => {
  const p = { bytesDone: 3 * 1024 * 1024, bytesTotal: 12 * 1024 * 1024, documents: 1500, partsDone: 1, parts: 4 };
  // 3 MiB in 2 s: 1.5 MiB/s, 9 MiB to go: 6 s.
  t.is(ProgressReporter.line(p, 2000), ' 25% 3.0/12.0 MiB on disk · 1,500 docs · 1.5 MiB/s · ETA 0:06');
});

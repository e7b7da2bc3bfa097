/**
 * Seeded bootstrap interval for the difference "clean mean - all mean".
 *
 * Resampling scheme (stratified): each resample draws, with replacement and
 * independently, n_clean values from the clean subset, n_contaminated from the
 * contaminated subset and n_other from the samples in neither (too short to
 * judge). The resampled "all" is the union of the three, so its mean is the
 * size-weighted mean of the three resampled subsets; the statistic is the
 * resampled clean mean minus that. The subset sizes stay fixed, as they are
 * fixed by the scan, not by chance. The 95% interval is the 2.5th and 97.5th
 * percentiles of the resampled differences (linear interpolation between
 * order statistics, numpy's default).
 *
 * Invariant: the output depends only on the values, their order and the seed;
 * the PRNG is mulberry32, a 32-bit generator small enough to restate here.
 */

/** mulberry32: a 32-bit seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The q-quantile (0..1) of ascending `sorted`, interpolating linearly between order statistics. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function resampledSum(values: readonly number[], random: () => number): number {
  let sum = 0;
  const n = values.length;
  for (let i = 0; i < n; i += 1) sum += values[Math.floor(random() * n)]!;
  return sum;
}

/**
 * 95% percentile-bootstrap interval of the mean of `values`; null with fewer
 * than two values, where resampling can only repeat the one value.
 */
export function bootstrapMeanInterval(values: readonly number[], options: { resamples?: number; seed?: number } = {}): [number, number] | null {
  if (values.length < 2) return null;
  const resamples = options.resamples ?? 1000;
  const random = mulberry32(options.seed ?? 0);
  const means: number[] = new Array(resamples);
  for (let r = 0; r < resamples; r += 1) means[r] = resampledSum(values, random) / values.length;
  means.sort((a, b) => a - b);
  return [quantile(means, 0.025), quantile(means, 0.975)];
}

/**
 * 95% bootstrap interval of (clean mean - all mean), where all = clean ∪
 * contaminated ∪ other. Returns null when either clean or contaminated is
 * empty: with nothing to contrast, an interval would say nothing.
 *
 * @param resamples number of bootstrap resamples. @default 1000
 * @param seed PRNG seed. @default 0
 */
export function bootstrapDeltaInterval(
  clean: readonly number[],
  contaminated: readonly number[],
  other: readonly number[] = [],
  options: { resamples?: number; seed?: number } = {},
): [number, number] | null {
  if (clean.length === 0 || contaminated.length === 0) return null;
  const resamples = options.resamples ?? 1000;
  const random = mulberry32(options.seed ?? 0);
  const total = clean.length + contaminated.length + other.length;
  const deltas: number[] = new Array(resamples);
  for (let r = 0; r < resamples; r += 1) {
    const c = resampledSum(clean, random);
    const x = resampledSum(contaminated, random);
    const o = other.length > 0 ? resampledSum(other, random) : 0;
    deltas[r] = c / clean.length - (c + x + o) / total;
  }
  deltas.sort((a, b) => a - b);
  return [quantile(deltas, 0.025), quantile(deltas, 0.975)];
}

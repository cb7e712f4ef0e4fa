// Summary statistics and the warm-up-then-measure loop every workload uses.

export interface Summary {
  median: number;
  min: number;
  max: number;
  p99: number;
  count: number;
}

/** Value at quantile q (0..1) of sorted values, nearest-rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length === 0 ? Number.NaN
    : sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return {
    median,
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
    p99: quantile(sorted, 0.99),
    count: sorted.length,
  };
}

export interface RepeatOptions {
  warmup: number;
  runs: number;
}

/** Runs `once` warm-up times unmeasured, then `runs` times; returns each run's samples. */
export async function repeat<T>(options: RepeatOptions, once: (run: number) => Promise<T> | T): Promise<T[]> {
  for (let i = 0; i < options.warmup; i += 1) await once(-1 - i);
  const samples: T[] = [];
  for (let i = 0; i < options.runs; i += 1) samples.push(await once(i));
  return samples;
}

/** Least-squares slope of y over x (NaN with fewer than two distinct x). */
export function slope(points: ReadonlyArray<readonly [x: number, y: number]>): number {
  const count = points.length;
  if (count < 2) return Number.NaN;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / count;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / count;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

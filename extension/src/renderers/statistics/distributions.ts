/**
 * Distributions over buckets: STANDARD histograms re-bucketed onto common edges (the overlaid
 * charts) and normalised. Drift is measured by the protocol's distances (see features.ts).
 */
import type { Histogram } from '@tsfx/protocol';

/** Equal-width edges spanning the given STANDARD histograms. */
export function commonEdges(histograms: readonly Pick<Histogram, 'buckets'>[]): number[] {
  const buckets = histograms.flatMap((hh) => hh.buckets);
  const finite = buckets
    .flatMap((b) => [b.lowValue, b.highValue])
    .filter((v) => Number.isFinite(v));
  if (finite.length === 0) return [];
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const n = Math.max(1, ...histograms.map((hh) => hh.buckets.length));
  if (hi === lo) return [lo, hi];
  return Array.from({ length: n + 1 }, (_, i) => (i === n ? hi : lo + ((hi - lo) * i) / n));
}

/**
 * Redistributes a histogram's counts onto `edges`, assuming values spread evenly within a
 * bucket (a zero-width bucket goes wholly to the bucket holding its value).
 */
export function rebin(histogram: Pick<Histogram, 'buckets'>, edges: readonly number[]): number[] {
  const n = edges.length - 1;
  const out = new Array<number>(Math.max(0, n)).fill(0);
  if (n <= 0) {
    return out;
  }
  const first = edges[0]!;
  const last = edges[n]!;
  const indexOf = (v: number): number => {
    if (v <= first) return 0;
    if (v >= last) return n - 1;
    let i = 0;
    while (i < n - 1 && v >= edges[i + 1]!) i++;
    return i;
  };
  for (const b of histogram.buckets) {
    const c = b.sampleCount;
    if (!(c > 0) || !Number.isFinite(b.lowValue) || !Number.isFinite(b.highValue)) continue;
    const width = b.highValue - b.lowValue;
    if (width <= 0) {
      out[indexOf(b.lowValue)]! += c;
      continue;
    }
    for (let i = 0; i < n; i++) {
      const overlap = Math.min(b.highValue, edges[i + 1]!) - Math.max(b.lowValue, edges[i]!);
      if (overlap > 0) out[i]! += (c * overlap) / width;
    }
  }
  return out;
}

/** Counts as shares of their total (all zeros when the total is not positive). */
export function normalise(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return total > 0 ? counts.map((c) => c / total) : counts.map(() => 0);
}

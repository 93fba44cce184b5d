/**
 * The slices of values behind a feature's chart, as Facets' "show raw data" lists them and a
 * click on a bar selects one: the STANDARD histogram's buckets (re-bucketed onto the common edges
 * the chart draws) of a numeric feature, every value of a categorical one, with each visible
 * dataset's count and share.
 */
import { categoricalSeries } from './categoricalCharts.js';
import type { ChartOptions } from './chartFrame.js';
import type { FeatureModel } from './features.js';
import { bucketRange, standardSeries } from './numericCharts.js';

export interface Slice {
  /** What identifies it in the chart: the bucket index, or the value. */
  key: string;
  /** How it reads: `[lo, hi)`, or the value (`(empty)` for the empty string). */
  label: string;
  /** Per visible dataset (ChartOptions.visible order): its count, and its share of the dataset. */
  counts: { d: number; count: number; share: number }[];
}

/** The slices of `feature`'s values in the datasets `o` shows, in chart order. */
export function slicesOf(feature: FeatureModel, o: ChartOptions): Slice[] {
  if (feature.kind === 'numeric') {
    const found = standardSeries(feature, { ...o, percent: false });
    if (!found) return [];
    const { edges, series } = found;
    const totals = series.map((x) => x.counts.reduce((a, b) => a + b, 0));
    return edges.slice(0, -1).map((_, i) => ({
      key: String(i),
      label: bucketRange(edges, i, feature.format),
      counts: series.map((x, k) => {
        const count = x.counts[i] ?? 0;
        return { d: x.d, count, share: totals[k]! > 0 ? count / totals[k]! : 0 };
      }),
    }));
  }
  const series = categoricalSeries(feature, o);
  const labels: string[] = [];
  const seen = new Set<string>();
  for (const x of series)
    for (const [label] of x.ranked)
      if (!seen.has(label)) {
        seen.add(label);
        labels.push(label);
      }
  return labels.map((label) => ({
    key: label,
    label: label === '' ? '(empty)' : label,
    counts: series.map((x) => {
      const count = x.counts.get(label) ?? 0;
      return { d: x.d, count, share: x.total > 0 ? count / x.total : 0 };
    }),
  }));
}

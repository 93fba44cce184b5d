import type { HistogramJson, HistogramBucket } from '@tsfx/protocol';
import { toInt64 } from '@tsfx/protocol';

/**
 * HistogramJson shapes as TFDV defines them.
 *
 * - QUANTILES: k buckets between consecutive k-quantiles, each holding 1/k of the values. Where
 *   several buckets end at the same value (a point mass, e.g. many zeros), they share their mass
 *   evenly, as TFDV's quantiles_util does.
 * - STANDARD: k equal-width buckets over [finite min, finite max] (one bucket when min = max),
 *   plus a [-inf, -inf] bucket first and an [inf, inf] bucket last when there are infinities.
 *   tsfx counts the values in each bucket exactly (TFDV interpolates them from quantiles).
 */

/**
 * @param boundaries the k + 1 quantile boundaries (min, …, max), sorted.
 * @param total the number of values the quantiles are over.
 */
export function quantilesHistogram(
  boundaries: readonly number[],
  total: number,
  numNan: number,
): HistogramJson {
  const k = boundaries.length - 1;
  const buckets: HistogramBucket[] = [];
  for (let i = 0; i < k; i++) {
    buckets.push({ lowValue: boundaries[i], highValue: boundaries[i + 1], sampleCount: total / k });
  }
  // Buckets that end at the same value share the mass of their run evenly.
  let start = 0;
  while (start < buckets.length) {
    let end = start + 1;
    while (end < buckets.length && buckets[end].highValue === buckets[start].highValue) end++;
    if (end - start > 1) {
      const share =
        buckets.slice(start, end).reduce((s, b) => s + b.sampleCount, 0) / (end - start);
      for (let j = start; j < end; j++) buckets[j].sampleCount = share;
    }
    start = end;
  }
  return withNan({ buckets, type: 'QUANTILES' }, numNan);
}

export interface StandardHistogramInput {
  finiteMin: number | null;
  finiteMax: number | null;
  numBuckets: number;
  /** Exact count per bucket index (0 … numBuckets - 1, or 0 when min = max). */
  counts: ReadonlyMap<number, number>;
  numPosInf: number;
  numNegInf: number;
  numNan: number;
}

/** The bucket edges of the STANDARD histogram: numBuckets + 1 evenly spaced values. */
export function standardEdges(finiteMin: number, finiteMax: number, numBuckets: number): number[] {
  if (finiteMin === finiteMax) return [finiteMin, finiteMax];
  const width = (finiteMax - finiteMin) / numBuckets;
  const edges: number[] = [];
  for (let i = 0; i <= numBuckets; i++)
    edges.push(i === numBuckets ? finiteMax : finiteMin + i * width);
  return edges;
}

export function standardHistogram(input: StandardHistogramInput): HistogramJson {
  const buckets: HistogramBucket[] = [];
  if (input.numNegInf > 0)
    buckets.push({ lowValue: -Infinity, highValue: -Infinity, sampleCount: input.numNegInf });
  if (input.finiteMin !== null && input.finiteMax !== null) {
    const edges = standardEdges(input.finiteMin, input.finiteMax, input.numBuckets);
    for (let i = 0; i + 1 < edges.length; i++) {
      buckets.push({
        lowValue: edges[i],
        highValue: edges[i + 1],
        sampleCount: input.counts.get(i) ?? 0,
      });
    }
  }
  if (input.numPosInf > 0)
    buckets.push({ lowValue: Infinity, highValue: Infinity, sampleCount: input.numPosInf });
  return withNan({ buckets, type: 'STANDARD' }, input.numNan);
}

/**
 * The quantiles histogram of the number of values per present example. Every CSV or Parquet
 * feature holds exactly one value where present, so all buckets are [1, 1].
 */
export function univalentNumValuesHistogram(
  numNonMissing: number,
  numBuckets: number,
): HistogramJson {
  const buckets: HistogramBucket[] = [];
  for (let i = 0; i < numBuckets; i++)
    buckets.push({ lowValue: 1, highValue: 1, sampleCount: numNonMissing / numBuckets });
  return { buckets, type: 'QUANTILES' };
}

function withNan(histogram: HistogramJson, numNan: number): HistogramJson {
  return numNan > 0 ? { numNan: toInt64(numNan), ...histogram } : histogram;
}

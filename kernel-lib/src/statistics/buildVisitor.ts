import { FeatureVisitor, type FeatureColumn } from './featureType';
import { univalentNumValuesHistogram } from './histograms';
import {
  buildNumericStatistics,
  countsEachValue,
  quantilesFromCounts,
  standardBucketOf,
  type NumericScan,
} from './numeric';
import type { ResolvedStatsOptions } from './options';
import type { CommonStatisticsJson, FeatureNameStatisticsJson } from '@tsfx/protocol';
import { toInt64 } from '@tsfx/protocol';
import { buildStringStatistics, type StringFrequencies, type StringScan } from './string';

/**
 * What the second scan returns per feature: its groups, (key, count) most frequent first (all of
 * them for STANDARD buckets and value counts), and of a string feature its present values and
 * their total UTF-8 bytes.
 */
export type FeatureGroups = StringFrequencies & StringScan;

export interface BuildContext {
  numExamples: number;
  options: ResolvedStatsOptions;
  quantilePoints: readonly number[];
  numeric: ReadonlyMap<number, NumericScan>;
  groups: ReadonlyMap<number, FeatureGroups>;
}

/** Operation: the `FeatureNameStatistics` of a feature from both scans' results. */
export class BuildStatsVisitor extends FeatureVisitor<
  FeatureNameStatisticsJson,
  [context: BuildContext]
> {
  visitInt(column: FeatureColumn, context: BuildContext): FeatureNameStatisticsJson {
    return this.numeric(column, context, true);
  }
  visitFloat(column: FeatureColumn, context: BuildContext): FeatureNameStatisticsJson {
    return this.numeric(column, context, false);
  }
  visitString(column: FeatureColumn, context: BuildContext): FeatureNameStatisticsJson {
    const groups = context.groups.get(column.index) ?? {
      unique: 0,
      top: [],
      numValues: 0,
      totalBytes: 0,
    };
    return {
      name: column.name,
      type: 'STRING',
      stringStats: buildStringStatistics({
        scan: groups,
        commonStats: commonStatistics(groups.numValues, context),
        frequencies: groups,
        numTopValues: context.options.numTopValues,
        numRankHistogramBuckets: context.options.numRankHistogramBuckets,
      }),
    };
  }

  private numeric(
    column: FeatureColumn,
    context: BuildContext,
    isInt: boolean,
  ): FeatureNameStatisticsJson {
    let scan = context.numeric.get(column.index);
    if (!scan) throw new Error(`no first-scan statistics for feature ${column.name}`);
    const groups = context.groups.get(column.index)?.top ?? [];
    const buckets = new Map<number, number>();
    const { numHistogramBuckets } = context.options;
    if (countsEachValue(scan)) {
      // Every value's count: bucket counts, and quantiles exact rather than from a sample.
      const counts = groups.map((g) => ({ value: Number(g.value), count: g.count }));
      for (const { value, count } of counts) {
        const bucket = standardBucketOf(value, scan, numHistogramBuckets);
        buckets.set(bucket, (buckets.get(bucket) ?? 0) + count);
      }
      scan = { ...scan, quantiles: quantilesFromCounts(counts, context.quantilePoints) };
    } else {
      for (const { value, count } of groups) buckets.set(Number(value), count);
    }
    return {
      name: column.name,
      type: isInt ? 'INT' : 'FLOAT',
      numStats: buildNumericStatistics({
        isInt,
        scan,
        commonStats: commonStatistics(scan.numValues, context),
        points: context.quantilePoints,
        bucketCounts: buckets,
        numHistogramBuckets,
        numQuantilesHistogramBuckets: context.options.numQuantilesHistogramBuckets,
      }),
    };
  }
}

/** Presence and valency: every present value is a single value (CSV cells, Parquet scalars). */
function commonStatistics(numNonMissing: number, context: BuildContext): CommonStatisticsJson {
  const present = numNonMissing > 0;
  const common: CommonStatisticsJson = {
    numNonMissing: toInt64(numNonMissing),
    numMissing: toInt64(context.numExamples - numNonMissing),
    minNumValues: toInt64(present ? 1 : 0),
    maxNumValues: toInt64(present ? 1 : 0),
    avgNumValues: present ? 1 : 0,
    totNumValues: toInt64(numNonMissing),
  };
  if (present)
    common.numValuesHistogram = univalentNumValuesHistogram(
      numNonMissing,
      context.options.numValuesHistogramBuckets,
    );
  return common;
}

import type { CommonStatisticsJson, StringStatisticsJson } from '@tsfx/protocol';
import { toInt64 } from '@tsfx/protocol';

/**
 * String statistics: the second scan's grouping key (the value itself: exact frequencies, unique
 * count, top values and rank histogram, and from the same groups the present count and the total
 * UTF-8 byte length, TFDV's `avg_length`) and the `StringStatistics` built from it. Values are
 * read as text (`s<i>`).
 */

export interface StringScan {
  numValues: number;
  totalBytes: number;
}

export interface ValueCount {
  value: string;
  count: number;
}

/** What the second scan returns for a string feature. */
export interface StringFrequencies {
  unique: number;
  /** Most frequent values first; ties broken by the larger value first (TFDV's order). */
  top: ValueCount[];
}

export function stringBucketSql(index: number): string {
  return `s${index}`;
}

export interface StringBuildInput {
  scan: StringScan;
  commonStats: CommonStatisticsJson;
  frequencies: StringFrequencies;
  numTopValues: number;
  numRankHistogramBuckets: number;
}

export function buildStringStatistics(input: StringBuildInput): StringStatisticsJson {
  const { top } = input.frequencies;
  return {
    commonStats: input.commonStats,
    unique: toInt64(input.frequencies.unique),
    topValues: top
      .slice(0, input.numTopValues)
      .map((v) => ({ value: v.value, frequency: v.count })),
    avgLength: input.scan.numValues > 0 ? input.scan.totalBytes / input.scan.numValues : 0,
    rankHistogram: {
      buckets: top.slice(0, input.numRankHistogramBuckets).map((v, rank) => ({
        lowRank: toInt64(rank),
        highRank: toInt64(rank),
        label: v.value,
        sampleCount: v.count,
      })),
    },
  };
}

import type { DuckDBValue } from '@duckdb/node-api';
import type { CommonStatistics, StringStatistics } from './proto';
import { toInt64 } from './proto';
import { count } from './sql';

/**
 * String statistics: SQL for the first scan (present values and their total UTF-8 byte length,
 * TFDV's `avg_length`), the second scan's grouping key (the value itself: exact frequencies,
 * unique count, top values and rank histogram) and the `StringStatistics` built from both.
 * Values are read as text (`s<i>`).
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

export function stringScanSql(index: number): string[] {
  const s = `s${index}`;
  return [`count(${s}) AS ns${index}`, `sum(strlen(${s})) AS len${index}`];
}

/**
 * Counts for deciding a CSV column's type (TFX's CSV decoder): for a column read as text, how
 * many of its values parse as a number (all of them: it is numeric after all).
 */
export function csvCastableSql(index: number): string {
  return `count(TRY_CAST(s${index} AS DOUBLE)) AS cast${index}`;
}

/**
 * For a column that may be INT (read as text and value): present texts, and how many values
 * are not int64 literals (TFX's decoder uses int(); "5.0" and "1e3" are not ints).
 */
export function csvIntLiteralSql(index: number): string[] {
  const s = `s${index}`;
  return [
    `count(${s}) AS ns${index}`,
    `count_if(${s} IS NOT NULL AND (NOT regexp_full_match(${s}, '\\s*[+-]?[0-9]+\\s*') OR TRY_CAST(${s} AS BIGINT) IS NULL)) AS badi${index}`,
  ];
}

export function readStringScan(row: Record<string, DuckDBValue>, index: number): StringScan {
  return { numValues: count(row[`ns${index}`]), totalBytes: count(row[`len${index}`]) };
}

export function stringBucketSql(index: number): string {
  return `s${index}`;
}

export interface StringBuildInput {
  scan: StringScan;
  commonStats: CommonStatistics;
  frequencies: StringFrequencies;
  numTopValues: number;
  numRankHistogramBuckets: number;
}

export function buildStringStatistics(input: StringBuildInput): StringStatistics {
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

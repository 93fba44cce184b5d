/**
 * TFDV's `DatasetFeatureStatisticsList` (tensorflow_metadata/proto/v0/statistics.proto) in its
 * proto3 JSON form: lowerCamelCase field names, 64-bit integers as decimal strings, enums by
 * name. Only the fields tsfx produces or reads are declared; every name is the proto's own.
 */

/** `FeatureNameStatistics.Type`. tsfx produces INT, FLOAT and STRING (the TFX CSV decoder's types). */
export type StatsFeatureType = 'INT' | 'FLOAT' | 'STRING' | 'BYTES' | 'STRUCT';

/** A `uint64` / `int64` field: proto3 JSON writes it as a decimal string. */
export type Int64String = string;

export interface HistogramBucket {
  lowValue: number;
  highValue: number;
  sampleCount: number;
}

export type HistogramType = 'STANDARD' | 'QUANTILES';

export interface Histogram {
  numNan?: Int64String;
  numUndefined?: Int64String;
  buckets: HistogramBucket[];
  type: HistogramType;
  name?: string;
}

export interface RankHistogramBucket {
  lowRank: Int64String;
  highRank: Int64String;
  label: string;
  sampleCount: number;
}

export interface RankHistogram {
  buckets: RankHistogramBucket[];
  name?: string;
}

export interface CommonStatistics {
  numNonMissing: Int64String;
  numMissing: Int64String;
  minNumValues: Int64String;
  maxNumValues: Int64String;
  avgNumValues: number;
  totNumValues: Int64String;
  numValuesHistogram?: Histogram;
}

export interface NumericStatistics {
  commonStats: CommonStatistics;
  mean?: number;
  stdDev?: number;
  numZeros?: Int64String;
  min?: number;
  median?: number;
  max?: number;
  histograms: Histogram[];
}

export interface FreqAndValue {
  value: string;
  frequency: number;
}

export interface StringStatistics {
  commonStats: CommonStatistics;
  unique: Int64String;
  topValues: FreqAndValue[];
  avgLength: number;
  rankHistogram: RankHistogram;
}

export interface FeatureNameStatistics {
  name: string;
  type: StatsFeatureType;
  numStats?: NumericStatistics;
  stringStats?: StringStatistics;
}

export interface DatasetFeatureStatistics {
  name: string;
  numExamples: Int64String;
  features: FeatureNameStatistics[];
}

export interface DatasetFeatureStatisticsList {
  datasets: DatasetFeatureStatistics[];
}

/** Reads a proto3 JSON 64-bit integer (a string, or a number from lenient writers). */
export function int64(value: Int64String | number | undefined): number {
  if (value === undefined) return 0;
  return typeof value === 'number' ? value : Number(value);
}

/** Writes a count as a proto3 JSON 64-bit integer. */
export function toInt64(value: number | bigint): Int64String {
  return typeof value === 'bigint' ? value.toString() : String(Math.round(value));
}

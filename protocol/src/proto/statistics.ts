/**
 * TFDV's `DatasetFeatureStatisticsList` (tensorflow_metadata/proto/v0/statistics.proto) in its
 * proto3 JSON form: lowerCamelCase field names, 64-bit integers as decimal strings, enums by
 * name, fields at their default value omitted. Only the fields tsfx produces or reads are
 * declared; every name is the proto's own.
 *
 * Each message has one schema. Its input type (`…Json`) is the JSON as any proto3 writer may
 * write it; its output type is the message as read: omitted scalars at their proto3 default
 * (0, "0", "", the first enum value, an empty list) and non-finite doubles as numbers.
 */
import * as v from 'valibot';
import {
  doubleField,
  int64Field,
  optionalFields,
  oneOf,
  repeated,
  str,
  withDefault,
} from '../check';

const count = () => withDefault(int64Field(), '0');
const real = () => withDefault(doubleField(), 0);

/** `FeatureNameStatistics.Type`. tsfx produces INT, FLOAT and STRING (the TFX CSV decoder's types). */
export const STATS_FEATURE_TYPES = ['INT', 'FLOAT', 'STRING', 'BYTES', 'STRUCT'] as const;
export type StatsFeatureType = (typeof STATS_FEATURE_TYPES)[number];

export const HISTOGRAM_TYPES = ['STANDARD', 'QUANTILES'] as const;
export type HistogramType = (typeof HISTOGRAM_TYPES)[number];

/** A `uint64` / `int64` field: proto3 JSON writes it as a decimal string. */
export type Int64String = string;

export const HistogramBucketSchema = optionalFields({
  lowValue: real(),
  highValue: real(),
  sampleCount: real(),
});

export const HistogramSchema = optionalFields({
  numNan: count(),
  numUndefined: count(),
  buckets: repeated(HistogramBucketSchema),
  type: withDefault(oneOf(HISTOGRAM_TYPES), 'STANDARD'),
  name: v.optional(str()),
});

export const RankHistogramBucketSchema = optionalFields({
  lowRank: count(),
  highRank: count(),
  label: withDefault(str(), ''),
  sampleCount: real(),
});

export const RankHistogramSchema = optionalFields({
  buckets: repeated(RankHistogramBucketSchema),
  name: v.optional(str()),
});

export const CommonStatisticsSchema = optionalFields({
  numNonMissing: count(),
  numMissing: count(),
  minNumValues: count(),
  maxNumValues: count(),
  avgNumValues: real(),
  totNumValues: count(),
  numValuesHistogram: v.optional(HistogramSchema),
});

export const NumericStatisticsSchema = optionalFields({
  commonStats: withDefault(CommonStatisticsSchema, () => ({})),
  mean: real(),
  stdDev: real(),
  numZeros: count(),
  min: real(),
  median: real(),
  max: real(),
  histograms: repeated(HistogramSchema),
});

export const FreqAndValueSchema = optionalFields({
  value: withDefault(str(), ''),
  frequency: real(),
});

export const StringStatisticsSchema = optionalFields({
  commonStats: withDefault(CommonStatisticsSchema, () => ({})),
  unique: count(),
  topValues: repeated(FreqAndValueSchema),
  avgLength: real(),
  rankHistogram: withDefault(RankHistogramSchema, () => ({})),
});

/** Newer TFDV writes a feature's `path` instead of its `name`; both read as `name`. */
export const FeatureNameStatisticsSchema = v.pipe(
  optionalFields({
    name: v.optional(str()),
    path: v.optional(optionalFields({ step: repeated(str()) })),
    type: withDefault(oneOf(STATS_FEATURE_TYPES), 'INT'),
    numStats: v.optional(NumericStatisticsSchema),
    stringStats: v.optional(StringStatisticsSchema),
  }),
  v.transform(({ name, path, ...rest }) => ({ name: name ?? path?.step.join('.') ?? '', ...rest })),
);

export const DatasetFeatureStatisticsSchema = optionalFields({
  name: withDefault(str(), ''),
  numExamples: count(),
  features: repeated(FeatureNameStatisticsSchema),
});

export const DatasetFeatureStatisticsListSchema = optionalFields({
  datasets: repeated(DatasetFeatureStatisticsSchema),
});

export type HistogramBucket = v.InferOutput<typeof HistogramBucketSchema>;
export type Histogram = v.InferOutput<typeof HistogramSchema>;
export type HistogramJson = v.InferInput<typeof HistogramSchema>;
export type RankHistogramBucket = v.InferOutput<typeof RankHistogramBucketSchema>;
export type RankHistogram = v.InferOutput<typeof RankHistogramSchema>;
export type CommonStatistics = v.InferOutput<typeof CommonStatisticsSchema>;
export type CommonStatisticsJson = v.InferInput<typeof CommonStatisticsSchema>;
export type NumericStatistics = v.InferOutput<typeof NumericStatisticsSchema>;
export type NumericStatisticsJson = v.InferInput<typeof NumericStatisticsSchema>;
export type FreqAndValue = v.InferOutput<typeof FreqAndValueSchema>;
export type StringStatistics = v.InferOutput<typeof StringStatisticsSchema>;
export type StringStatisticsJson = v.InferInput<typeof StringStatisticsSchema>;
export type FeatureNameStatistics = v.InferOutput<typeof FeatureNameStatisticsSchema>;
export type FeatureNameStatisticsJson = v.InferInput<typeof FeatureNameStatisticsSchema>;
export type DatasetFeatureStatistics = v.InferOutput<typeof DatasetFeatureStatisticsSchema>;
export type DatasetFeatureStatisticsJson = v.InferInput<typeof DatasetFeatureStatisticsSchema>;
export type DatasetFeatureStatisticsList = v.InferOutput<typeof DatasetFeatureStatisticsListSchema>;
export type DatasetFeatureStatisticsListJson = v.InferInput<
  typeof DatasetFeatureStatisticsListSchema
>;

/** Reads a proto3 JSON 64-bit integer (a string, or a number from lenient writers). */
export function int64(value: Int64String | number | undefined): number {
  if (value === undefined) return 0;
  return typeof value === 'number' ? value : Number(value);
}

/** Writes a count as a proto3 JSON 64-bit integer. */
export function toInt64(value: number | bigint): Int64String {
  return typeof value === 'bigint' ? value.toString() : String(Math.round(value));
}

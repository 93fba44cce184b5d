/** Options of statistics generation; defaults are TFDV's `StatsOptions` defaults. */
export interface StatsOptions {
  /** Features to leave out, by name. */
  excludedFeatures?: readonly string[];
  /** Share of the examples to compute statistics over, in (0, 1]; deterministic per row. */
  sampleRate?: number;
  /** Most frequent values kept in `topValues` (TFDV: 20). */
  numTopValues?: number;
  /** Buckets of the rank histogram of string features (TFDV: 1000). */
  numRankHistogramBuckets?: number;
  /** Buckets of the STANDARD histogram (TFDV: 10). */
  numHistogramBuckets?: number;
  /** Buckets of the QUANTILES histogram (TFDV: 10). */
  numQuantilesHistogramBuckets?: number;
  /** Buckets of `numValuesHistogram` (TFDV: 10). */
  numValuesHistogramBuckets?: number;
  /** `DatasetFeatureStatistics.name` (TFX names it after the split; default ''). */
  datasetName?: string;
  /** DuckDB memory limit, e.g. '256MB'. */
  memoryLimit?: string;
}

export type ResolvedStatsOptions = Required<Omit<StatsOptions, 'sampleRate' | 'memoryLimit'>> &
  Pick<StatsOptions, 'sampleRate' | 'memoryLimit'>;

export function resolveOptions(options: StatsOptions = {}): ResolvedStatsOptions {
  const positive = (name: string, value: number | undefined, fallback: number): number => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v < 1)
      throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
    return v;
  };
  if (options.sampleRate !== undefined && !(options.sampleRate > 0 && options.sampleRate <= 1)) {
    throw new RangeError(`sampleRate must be in (0, 1], got ${options.sampleRate}`);
  }
  return {
    excludedFeatures: options.excludedFeatures ?? [],
    sampleRate: options.sampleRate,
    numTopValues: positive('numTopValues', options.numTopValues, 20),
    numRankHistogramBuckets: positive(
      'numRankHistogramBuckets',
      options.numRankHistogramBuckets,
      1000,
    ),
    numHistogramBuckets: positive('numHistogramBuckets', options.numHistogramBuckets, 10),
    numQuantilesHistogramBuckets: positive(
      'numQuantilesHistogramBuckets',
      options.numQuantilesHistogramBuckets,
      10,
    ),
    numValuesHistogramBuckets: positive(
      'numValuesHistogramBuckets',
      options.numValuesHistogramBuckets,
      10,
    ),
    datasetName: options.datasetName ?? '',
    memoryLimit: options.memoryLimit,
  };
}

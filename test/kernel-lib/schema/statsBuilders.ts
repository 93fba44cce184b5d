import {
  check,
  FeatureNameStatisticsSchema,
  type DatasetFeatureStatistics,
  type FeatureNameStatistics,
  type FeatureNameStatisticsJson,
} from '@tsfx/protocol';

/**
 * Hand-built statistics (independent of the statistics generator), written as proto3 JSON and
 * read through the protocol's schema (absent fields at their default), as a reader would.
 */
const read = (json: FeatureNameStatisticsJson): FeatureNameStatistics =>
  check(FeatureNameStatisticsSchema, json, 'feature');

export function common(present: number, missing: number, minValues = 1, maxValues = 1) {
  return {
    numNonMissing: String(present),
    numMissing: String(missing),
    minNumValues: String(present > 0 ? minValues : 0),
    maxNumValues: String(present > 0 ? maxValues : 0),
    avgNumValues: present > 0 ? 1 : 0,
    totNumValues: String(present),
  };
}
function numericFeature(
  type: 'INT' | 'FLOAT',
  name: string,
  min: number,
  max: number,
  present: number,
  missing: number,
): FeatureNameStatistics {
  return read({
    name,
    type,
    numStats: { commonStats: common(present, missing), min, max, histograms: [] },
  });
}
export function intFeature(
  name: string,
  min: number,
  max: number,
  present = 10,
  missing = 0,
): FeatureNameStatistics {
  return numericFeature('INT', name, min, max, present, missing);
}
export function floatFeature(
  name: string,
  min: number,
  max: number,
  present = 10,
  missing = 0,
): FeatureNameStatistics {
  return numericFeature('FLOAT', name, min, max, present, missing);
}
export function stringFeature(
  name: string,
  counts: Record<string, number>,
  missing = 0,
): FeatureNameStatistics {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  const present = entries.reduce((s, [, c]) => s + c, 0);
  return read({
    name,
    type: 'STRING',
    stringStats: {
      commonStats: common(present, missing),
      unique: String(entries.length),
      topValues: entries.slice(0, 20).map(([value, frequency]) => ({ value, frequency })),
      avgLength: 1,
      rankHistogram: {
        buckets: entries.map(([label, sampleCount], i) => ({
          lowRank: String(i),
          highRank: String(i),
          label,
          sampleCount,
        })),
      },
    },
  });
}
export function dataset(
  numExamples: number,
  ...features: FeatureNameStatistics[]
): DatasetFeatureStatistics {
  return { name: '', numExamples: String(numExamples), features };
}

/** Any feature's statistics written out as proto3 JSON, read as a reader would. */
export function feature(json: FeatureNameStatisticsJson): FeatureNameStatistics {
  return read(json);
}

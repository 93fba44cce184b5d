/**
 * Checks the statistics payload the kernel sends and returns it typed (throws PayloadError with
 * the path of the first problem).
 */
import type {
  CommonStatistics,
  DatasetFeatureStatistics,
  FeatureNameStatistics,
  Histogram,
  HistogramBucket,
  NumericStatistics,
  StatisticsPayload,
  StatsFeatureType,
  StringStatistics,
} from '../../payloads.js';
import { array, oneOf, PayloadError, record, string } from '../../validate.js';
import type { JsonRecord } from '../../validate.js';
import { parseArtifact } from '../../artifact.js';

// Proto3 JSON omits fields at their default value (0, "", empty list, first enum value), so
// absent scalars read as their default; present ones must have the right type.

const STATS_TYPES: readonly StatsFeatureType[] = ['INT', 'FLOAT', 'STRING', 'BYTES', 'STRUCT'];

function int64(v: unknown, path: string): string {
  if (v === undefined) return '0';
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  throw new PayloadError(path, 'a 64-bit integer', v);
}

/** A proto3 JSON double: a number, or "NaN", "Infinity", "-Infinity". */
function double(v: unknown, path: string): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  throw new PayloadError(path, 'a number', v);
}

function optRecord(v: unknown, path: string): JsonRecord | undefined {
  return v === undefined ? undefined : record(v, path);
}

function list(v: unknown, path: string): readonly unknown[] {
  return v === undefined ? [] : array(v, path);
}

function parseHistogram(v: unknown, path: string): Histogram {
  const r = record(v, path);
  const histogram: Histogram = {
    numNan: int64(r['numNan'], `${path}.numNan`),
    numUndefined: int64(r['numUndefined'], `${path}.numUndefined`),
    buckets: list(r['buckets'], `${path}.buckets`).map((b, i): HistogramBucket => {
      const bp = `${path}.buckets[${i}]`;
      const bucket = record(b, bp);
      return {
        lowValue: double(bucket['lowValue'], `${bp}.lowValue`),
        highValue: double(bucket['highValue'], `${bp}.highValue`),
        sampleCount: double(bucket['sampleCount'], `${bp}.sampleCount`),
      };
    }),
    type:
      r['type'] === undefined
        ? 'STANDARD'
        : oneOf(['STANDARD', 'QUANTILES'] as const)(r['type'], `${path}.type`),
  };
  if (r['name'] !== undefined) histogram.name = string(r['name'], `${path}.name`);
  return histogram;
}

function parseCommon(v: unknown, path: string): CommonStatistics {
  const r = record(v ?? {}, path);
  const common: CommonStatistics = {
    numNonMissing: int64(r['numNonMissing'], `${path}.numNonMissing`),
    numMissing: int64(r['numMissing'], `${path}.numMissing`),
    minNumValues: int64(r['minNumValues'], `${path}.minNumValues`),
    maxNumValues: int64(r['maxNumValues'], `${path}.maxNumValues`),
    avgNumValues: double(r['avgNumValues'], `${path}.avgNumValues`),
    totNumValues: int64(r['totNumValues'], `${path}.totNumValues`),
  };
  if (r['numValuesHistogram'] !== undefined)
    common.numValuesHistogram = parseHistogram(
      r['numValuesHistogram'],
      `${path}.numValuesHistogram`,
    );
  return common;
}

function parseNumStats(v: unknown, path: string): NumericStatistics {
  const r = record(v, path);
  return {
    commonStats: parseCommon(r['commonStats'], `${path}.commonStats`),
    mean: double(r['mean'], `${path}.mean`),
    stdDev: double(r['stdDev'], `${path}.stdDev`),
    numZeros: int64(r['numZeros'], `${path}.numZeros`),
    min: double(r['min'], `${path}.min`),
    median: double(r['median'], `${path}.median`),
    max: double(r['max'], `${path}.max`),
    histograms: list(r['histograms'], `${path}.histograms`).map((hv, i) =>
      parseHistogram(hv, `${path}.histograms[${i}]`),
    ),
  };
}

function parseStringStats(v: unknown, path: string): StringStatistics {
  const r = record(v, path);
  const rank = optRecord(r['rankHistogram'], `${path}.rankHistogram`) ?? {};
  return {
    commonStats: parseCommon(r['commonStats'], `${path}.commonStats`),
    unique: int64(r['unique'], `${path}.unique`),
    topValues: list(r['topValues'], `${path}.topValues`).map((t, i) => {
      const tp = `${path}.topValues[${i}]`;
      const top = record(t, tp);
      return {
        value: top['value'] === undefined ? '' : string(top['value'], `${tp}.value`),
        frequency: double(top['frequency'], `${tp}.frequency`),
      };
    }),
    avgLength: double(r['avgLength'], `${path}.avgLength`),
    rankHistogram: {
      buckets: list(rank['buckets'], `${path}.rankHistogram.buckets`).map((b, i) => {
        const bp = `${path}.rankHistogram.buckets[${i}]`;
        const bucket = record(b, bp);
        return {
          lowRank: int64(bucket['lowRank'], `${bp}.lowRank`),
          highRank: int64(bucket['highRank'], `${bp}.highRank`),
          label: bucket['label'] === undefined ? '' : string(bucket['label'], `${bp}.label`),
          sampleCount: double(bucket['sampleCount'], `${bp}.sampleCount`),
        };
      }),
    },
  };
}

function featureName(r: JsonRecord, path: string): string {
  if (r['name'] !== undefined) return string(r['name'], `${path}.name`);
  // Newer TFDV writes a path instead of a name.
  const p = record(r['path'], `${path}.name`);
  return array(p['step'], `${path}.path.step`)
    .map((step, i) => string(step, `${path}.path.step[${i}]`))
    .join('.');
}

function parseFeature(v: unknown, path: string): FeatureNameStatistics {
  const r = record(v, path);
  const feature: FeatureNameStatistics = {
    name: featureName(r, path),
    type: r['type'] === undefined ? 'INT' : oneOf(STATS_TYPES)(r['type'], `${path}.type`),
  };
  if (r['numStats'] !== undefined)
    feature.numStats = parseNumStats(r['numStats'], `${path}.numStats`);
  if (r['stringStats'] !== undefined)
    feature.stringStats = parseStringStats(r['stringStats'], `${path}.stringStats`);
  return feature;
}

export function parseStatistics(data: unknown): StatisticsPayload {
  const r = record(data, 'payload');
  if (r['kind'] !== 'statistics') throw new PayloadError('payload.kind', '"statistics"', r['kind']);
  const artifacts = array(r['artifacts'], 'payload.artifacts').map((a, i) =>
    parseArtifact(a, `payload.artifacts[${i}]`),
  );
  const datasets = array(r['datasets'], 'payload.datasets').map(
    (d, i): DatasetFeatureStatistics => {
      const p = `payload.datasets[${i}]`;
      const ds = record(d, p);
      return {
        name: string(ds['name'], `${p}.name`),
        numExamples: int64(ds['numExamples'], `${p}.numExamples`),
        features: list(ds['features'], `${p}.features`).map((f, j) =>
          parseFeature(f, `${p}.features[${j}]`),
        ),
      };
    },
  );
  return { kind: 'statistics', artifacts, datasets };
}

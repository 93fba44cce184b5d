import type {
  DatasetFeatureStatistics,
  DatasetFeatureStatisticsList,
  FeatureNameStatistics,
} from '@tsfx/protocol';
import { int64 } from '@tsfx/protocol';
import { parseFloat32, parseInt64, stringValues } from '../schema/domains';
import { schemaFeatureType } from '../schema/infer';
import {
  isDeprecated,
  type Feature,
  type FeatureComparator,
  type Schema,
  type StringDomain,
} from '@tsfx/protocol';
import { MESSAGES, MULTIPLE_ERRORS, sixDigits } from './messages';
import {
  byteCompare,
  jensenShannonDivergence,
  lInftyDistance,
  stringValuesWithCounts,
} from '@tsfx/protocol';
import type {
  AnomalyInfo,
  Anomalies,
  DriftSkewInfo,
  Measurement,
  Reason,
  Severity,
} from '@tsfx/protocol';

/**
 * TFDV's `validate_statistics`: checks one dataset's statistics against a schema, feature by
 * feature, in the C++ validator's order (presence of the column, value counts, shape, presence
 * fraction/count, data type, domain, unique constraints, then the drift and skew comparators
 * against `previous` and `serving` statistics). Every anomaly is an ERROR unless overridden.
 * Messages live in ./messages.ts.
 */
export interface ValidateOptions {
  /** Statistics of the previous span: the drift comparators compare against them. */
  previous?: DatasetFeatureStatisticsList | DatasetFeatureStatistics;
  /** Statistics of serving data (or another split): the skew comparators compare against them. */
  serving?: DatasetFeatureStatisticsList | DatasetFeatureStatistics;
  /** Validation environment (features not in it are not required). */
  environment?: string;
  /** Severity per anomaly type instead of ERROR. */
  severityOverrides?: Partial<Record<Reason['type'], Severity>>;
}

export function validateStatistics(
  statistics: DatasetFeatureStatisticsList | DatasetFeatureStatistics,
  schema: Schema,
  options: ValidateOptions = {},
): Anomalies {
  const dataset = firstDataset(statistics);
  if (int64(dataset.numExamples) === 0)
    return { baseline: schema, anomalyInfo: {}, dataMissing: true };
  const previous = options.previous ? firstDataset(options.previous) : undefined;
  const serving = options.serving ? firstDataset(options.serving) : undefined;
  const anomalyInfo: Record<string, AnomalyInfo> = {};
  const driftSkewInfo: DriftSkewInfo[] = [];
  const severityOf = (reasons: Reason[]): Severity =>
    reasons.reduce<Severity>(
      (max, r) => maxSeverity(max, options.severityOverrides?.[r.type] ?? 'ERROR'),
      'UNKNOWN',
    );
  // An anomaly whose reasons are all overridden to UNKNOWN is no problem (TFDV's is_problem).
  const report = (name: string, reasons: Reason[]): void => {
    const severity = severityOf(reasons);
    if (severity !== 'UNKNOWN') anomalyInfo[name] = anomalyInfoOf(name, reasons, severity);
  };

  const byName = new Map(schema.feature.map((f) => [f.name, f]));
  const domains = new Map((schema.stringDomain ?? []).map((d) => [d.name ?? '', d]));
  const present = new Set<string>();
  for (const stats of dataset.features) {
    present.add(stats.name);
    const feature = byName.get(stats.name);
    if (!feature) {
      report(stats.name, [MESSAGES.newColumn()]);
      continue;
    }
    if (isDeprecated(feature)) continue;
    const context: FeatureContext = {
      numExamples: int64(dataset.numExamples),
      environment: options.environment,
      schema,
      domains,
      previous: previous ? featureStats(previous, stats.name) : undefined,
      hasPrevious: previous !== undefined,
      serving: serving ? featureStats(serving, stats.name) : undefined,
      hasServing: serving !== undefined,
    };
    const { reasons, measurements } = checkFeature(stats, feature, context);
    report(stats.name, reasons);
    if (measurements.drift.length > 0 || measurements.skew.length > 0) {
      const info: DriftSkewInfo = { path: { step: [stats.name] } };
      if (measurements.drift.length > 0) info.driftMeasurements = measurements.drift;
      if (measurements.skew.length > 0) info.skewMeasurements = measurements.skew;
      driftSkewInfo.push(info);
    }
  }
  for (const feature of schema.feature) {
    if (!present.has(feature.name) && isExistenceRequired(feature, schema, options.environment)) {
      report(feature.name, [MESSAGES.missingColumn()]);
    }
  }
  const result: Anomalies = { baseline: schema, anomalyNameFormat: 'SERIALIZED_PATH', anomalyInfo };
  const datasetReasons = checkDataset(dataset, schema);
  // TFDV's dataset anomalies are ERRORs whatever the overrides say (DatasetSchemaAnomaly::Update).
  if (datasetReasons.length > 0)
    result.datasetAnomalyInfo = anomalyInfoOf(null, datasetReasons, 'ERROR');
  if (driftSkewInfo.length > 0) result.driftSkewInfo = driftSkewInfo;
  return result;
}

/** True when the anomalies hold any problem (feature or dataset level, or missing data). */
export function hasAnomalies(anomalies: Anomalies): boolean {
  return (
    Object.keys(anomalies.anomalyInfo).length > 0 ||
    anomalies.datasetAnomalyInfo !== undefined ||
    anomalies.dataMissing === true
  );
}

function firstDataset(
  s: DatasetFeatureStatisticsList | DatasetFeatureStatistics,
): DatasetFeatureStatistics {
  const dataset = 'datasets' in s ? s.datasets[0] : s;
  if (!dataset) throw new Error('the statistics have no dataset');
  return dataset;
}

function featureStats(
  dataset: DatasetFeatureStatistics,
  name: string,
): FeatureNameStatistics | undefined {
  return dataset.features.find((f) => f.name === name);
}

interface FeatureContext {
  numExamples: number;
  environment?: string;
  schema: Schema;
  domains: Map<string, StringDomain>;
  previous?: FeatureNameStatistics;
  hasPrevious: boolean;
  serving?: FeatureNameStatistics;
  hasServing: boolean;
}

interface FeatureResult {
  reasons: Reason[];
  measurements: { drift: Measurement[]; skew: Measurement[] };
}

function commonOf(stats: FeatureNameStatistics) {
  const s = stats.numStats ?? stats.stringStats;
  return {
    present: int64(s?.commonStats.numNonMissing),
    missing: int64(s?.commonStats.numMissing),
    minValues: int64(s?.commonStats.minNumValues),
    maxValues: int64(s?.commonStats.maxNumValues),
    totValues: int64(s?.commonStats.totNumValues),
  };
}

function checkFeature(
  stats: FeatureNameStatistics,
  feature: Feature,
  context: FeatureContext,
): FeatureResult {
  const reasons: Reason[] = [];
  const measurements = { drift: [] as Measurement[], skew: [] as Measurement[] };
  const common = commonOf(stats);
  if (common.present === 0) {
    if (isExistenceRequired(feature, context.schema, context.environment))
      reasons.push(MESSAGES.notPresent());
    return { reasons, measurements };
  }
  // Value counts.
  if (feature.valueCount) {
    if (feature.valueCount.min !== undefined && common.minValues < int64(feature.valueCount.min))
      reasons.push(MESSAGES.lowNumberValues());
    if (feature.valueCount.max !== undefined && common.maxValues > int64(feature.valueCount.max))
      reasons.push(MESSAGES.highNumberValues());
  }
  // Shape.
  if (feature.shape) {
    const expected = feature.shape.dim.reduce((p, d) => p * int64(d.size), 1);
    const fixed =
      common.minValues === common.maxValues && common.minValues !== 0 ? common.minValues : -1;
    if (fixed <= 0 || common.missing !== 0) reasons.push(MESSAGES.shapeNotFixed());
    else if (fixed !== expected) reasons.push(MESSAGES.shapeMismatch(fixed));
  }
  // Presence.
  if (feature.presence) {
    const { minCount, minFraction } = feature.presence;
    if (minCount !== undefined && common.present < int64(minCount))
      reasons.push(MESSAGES.lowNumberPresent(int64(minCount), common.present));
    if (minFraction !== undefined && context.numExamples > 0) {
      let expected = minFraction;
      const fraction = common.missing === 0 ? 1 : common.present / context.numExamples;
      if (fraction < expected) {
        // TFDV prints the fractions as C floats.
        reasons.push(MESSAGES.lowFractionPresent(Math.fround(expected), fraction));
        expected = fraction;
      }
      if (expected === 1 && common.missing !== 0)
        reasons.push(MESSAGES.expectedEverywhere(common.missing));
    }
  }
  // Type.
  const dataType = schemaFeatureType(stats);
  if (feature.type !== undefined && dataType !== feature.type)
    reasons.push(MESSAGES.unexpectedDataType(feature.type, stats.type));
  // Domain.
  reasons.push(...checkDomain(stats, feature, context));
  // Unique values.
  if (feature.uniqueConstraints) {
    if (!stats.stringStats) reasons.push(MESSAGES.noUnique());
    else {
      const unique = int64(stats.stringStats.unique);
      const { min, max } = feature.uniqueConstraints;
      if (unique < int64(min)) reasons.push(MESSAGES.lowUnique(int64(min), unique));
      if (unique > int64(max)) reasons.push(MESSAGES.highUnique(int64(max), unique));
    }
  }
  // Comparators: drift against the previous span, skew against serving data.
  const comparisons = [
    {
      comparator: feature.driftComparator,
      control: context.previous,
      hasControl: context.hasPrevious,
      names: ['current', 'previous'],
      into: measurements.drift,
    },
    {
      comparator: feature.skewComparator,
      control: context.serving,
      hasControl: context.hasServing,
      names: ['training', 'serving'],
      into: measurements.skew,
    },
  ] as const;
  for (const c of comparisons) {
    if (!c.comparator || !hasThreshold(c.comparator)) continue;
    const [treatment, control] = c.names;
    if (!c.control) {
      if (c.hasControl) reasons.push(MESSAGES.controlDataMissing(control));
      continue;
    }
    const linf = c.comparator.infinityNorm?.threshold;
    if (linf !== undefined) {
      const d = lInftyDistance(stats, c.control);
      c.into.push({ type: 'L_INFTY', value: d.distance, threshold: linf });
      if (d.distance > linf)
        reasons.push(MESSAGES.linftyHigh(treatment, control, d.distance, linf, d.value));
    }
    const jsd = c.comparator.jensenShannonDivergence;
    if (jsd?.threshold !== undefined) {
      const divergence = jensenShannonDivergence(stats, c.control, jsd.source?.type);
      if (divergence !== null) {
        c.into.push({
          type: 'JENSEN_SHANNON_DIVERGENCE',
          value: divergence,
          threshold: jsd.threshold,
        });
        if (divergence > jsd.threshold)
          reasons.push(MESSAGES.jsdHigh(treatment, control, divergence, jsd.threshold));
      }
    }
  }
  return { reasons, measurements };
}

function hasThreshold(c: FeatureComparator): boolean {
  return (
    c.infinityNorm?.threshold !== undefined || c.jensenShannonDivergence?.threshold !== undefined
  );
}

function checkDomain(
  stats: FeatureNameStatistics,
  feature: Feature,
  context: FeatureContext,
): Reason[] {
  if (feature.domain !== undefined) {
    const domain = context.domains.get(feature.domain);
    return domain ? checkStringDomain(stats, feature, domain) : [];
  }
  if (feature.stringDomain) return checkStringDomain(stats, feature, feature.stringDomain);
  if (feature.intDomain) return checkIntDomain(stats, feature);
  if (feature.floatDomain) return checkFloatDomain(stats, feature);
  if (feature.boolDomain) return checkBoolDomain(stats, feature);
  return [];
}

function checkStringDomain(
  stats: FeatureNameStatistics,
  feature: Feature,
  domain: StringDomain,
): Reason[] {
  const valid = new Set(domain.value);
  const missing = [...stringValuesWithCounts(stats)]
    .filter(([v]) => !valid.has(v))
    .map(([value, count]) => ({ value, count }));
  if (missing.length === 0) return [];
  const total = commonOf(stats).totValues;
  const missingCount = missing.reduce((s, m) => s + m.count, 0);
  const mass = feature.distributionConstraints?.minDomainMass;
  const maxOffDomain = mass === undefined ? 0 : 1 - mass;
  if (missingCount / total > maxOffDomain || maxOffDomain === 0)
    return [MESSAGES.unexpectedStringValues(missing, total)];
  return [];
}

function checkIntDomain(stats: FeatureNameStatistics, feature: Feature): Reason[] {
  const domain = feature.intDomain!;
  let min: bigint;
  let max: bigint;
  if (stats.type === 'INT' && stats.numStats) {
    min = BigInt(Math.round(stats.numStats.min ?? 0));
    max = BigInt(Math.round(stats.numStats.max ?? 0));
  } else if (stats.type === 'STRING') {
    const values = stringValues(stats);
    if (values.length === 0) return [];
    const parsed: bigint[] = [];
    for (const v of values) {
      const n = parseInt64(v);
      // TFDV asks the statistics' type (a string statistic is BYTES), not the schema's.
      if (n === null) return [MESSAGES.intNotIntString(v)];
      parsed.push(n);
    }
    min = parsed.reduce((a, b) => (b < a ? b : a));
    max = parsed.reduce((a, b) => (b > a ? b : a));
  } else {
    return [];
  }
  const reasons: Reason[] = [];
  if (domain.min !== undefined && BigInt(domain.min) > min) reasons.push(MESSAGES.intSmall(min));
  if (domain.max !== undefined && BigInt(domain.max) < max) reasons.push(MESSAGES.intBig(max));
  return reasons;
}

function checkFloatDomain(stats: FeatureNameStatistics, feature: Feature): Reason[] {
  const domain = feature.floatDomain!;
  const reasons: Reason[] = [];
  const strings = stats.type === 'STRING' ? stringValues(stats) : [];
  if (domain.disallowNan) {
    const hasNan =
      stats.type === 'FLOAT'
        ? (stats.numStats?.histograms ?? []).some((h) => int64(h.numNan) > 0)
        : strings.some((v) => Number.isNaN(parseFloat32(v)));
    if (hasNan) reasons.push(MESSAGES.floatHasNan());
  }
  const interval = floatInterval(stats, strings);
  if (interval === null) return reasons;
  if (typeof interval === 'string') return [...reasons, MESSAGES.floatNotFloatString(interval)];
  const { lo, hi } = interval;
  if (domain.min !== undefined && lo < Math.fround(domain.min))
    reasons.push(MESSAGES.floatSmall(lo, Math.fround(domain.min)));
  if (domain.max !== undefined && hi > Math.fround(domain.max))
    reasons.push(MESSAGES.floatBig(hi, Math.fround(domain.max)));
  if (domain.disallowInf && (Math.abs(lo) === Infinity || Math.abs(hi) === Infinity))
    reasons.push(MESSAGES.floatHasInf());
  return reasons;
}

/**
 * TFDV's GetFloatInterval: the range as C floats, from the numeric statistics or from the string
 * values (in byte order; a NaN string takes no part in the range unless it comes first, as in the
 * C++ comparisons); the first string that is not a float; or null when there is nothing to check.
 */
function floatInterval(
  stats: FeatureNameStatistics,
  strings: readonly string[],
): { lo: number; hi: number } | string | null {
  if (stats.type === 'FLOAT' && stats.numStats)
    return { lo: Math.fround(stats.numStats.min ?? 0), hi: Math.fround(stats.numStats.max ?? 0) };
  if (stats.type !== 'STRING') return null;
  let interval: { lo: number; hi: number } | null = null;
  for (const v of strings) {
    const n = parseFloat32(v);
    if (n === null) return v;
    if (!interval) interval = { lo: n, hi: n };
    if (interval.lo > n) interval.lo = n;
    if (interval.hi < n) interval.hi = n;
  }
  return interval;
}

function checkBoolDomain(stats: FeatureNameStatistics, feature: Feature): Reason[] {
  const n = stats.numStats;
  if (stats.type === 'INT' && n) {
    if ((n.min ?? 0) < 0) return [MESSAGES.boolSmallInt(n.min ?? 0)];
    if ((n.max ?? 0) > 1) return [MESSAGES.boolBigInt(n.max ?? 0)];
    return [];
  }
  if (stats.type === 'FLOAT' && n) return checkBoolFloats(n);
  if (stats.type === 'STRING') {
    const domain = feature.boolDomain!;
    const valid = [domain.trueValue, domain.falseValue].filter((v): v is string => v !== undefined);
    const validSorted = [...new Set(valid)].sort(byteCompare);
    for (const value of stringValues(stats)) {
      if (!valid.includes(value)) return [MESSAGES.boolUnexpectedString(value, validSorted)];
    }
  }
  return [];
}

/**
 * A FLOAT feature with a bool domain: its min and max must be 0 or 1, and its histograms may hold
 * no NaN, no bucket wholly below 0 or above 1, and (quantiles) no bucket strictly inside (0, 1).
 */
function checkBoolFloats(n: NonNullable<FeatureNameStatistics['numStats']>): Reason[] {
  const min = n.min ?? 0;
  const max = n.max ?? 0;
  if (min !== 0 && min !== 1) return [MESSAGES.boolUnexpectedFloat(sixDigits(min))];
  if (max !== 0 && max !== 1) return [MESSAGES.boolUnexpectedFloat(sixDigits(max))];
  for (const histogram of n.histograms) {
    if (int64(histogram.numNan) > 0) return [MESSAGES.boolUnexpectedFloat('NaN')];
    for (const b of histogram.buckets) {
      if (b.sampleCount <= 0) continue;
      if (b.highValue < 0) return [MESSAGES.boolFloatsOutside('< 0')];
      if (b.lowValue > 1) return [MESSAGES.boolFloatsOutside('> 1')];
      if (histogram.type === 'QUANTILES' && b.highValue < 1 && b.lowValue > 0)
        return [MESSAGES.boolFloatsBetween()];
    }
  }
  return [];
}

function checkDataset(dataset: DatasetFeatureStatistics, schema: Schema): Reason[] {
  const constraints = schema.datasetConstraints;
  if (!constraints) return [];
  const n = int64(dataset.numExamples);
  const reasons: Reason[] = [];
  if (constraints.minExamplesCount !== undefined && n < int64(constraints.minExamplesCount))
    reasons.push(MESSAGES.lowNumExamples(n));
  if (constraints.maxExamplesCount !== undefined && n > int64(constraints.maxExamplesCount))
    reasons.push(MESSAGES.highNumExamples(n));
  return reasons;
}

/** TFDV's IsExistenceRequired. */
function isExistenceRequired(
  feature: Feature,
  schema: Schema,
  environment: string | undefined,
): boolean {
  if (isDeprecated(feature)) return false;
  if (int64(feature.presence?.minCount) <= 0 && (feature.presence?.minFraction ?? 0) <= 0)
    return false;
  if (environment === undefined) return true;
  if (feature.inEnvironment?.includes(environment)) return true;
  if (feature.notInEnvironment?.includes(environment)) return false;
  return schema.defaultEnvironment?.includes(environment) ?? false;
}

const SEVERITY_RANK: Record<Severity, number> = { UNKNOWN: 0, WARNING: 1, ERROR: 2 };

function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

/** TFDV's GetAnomalyInfo: new-column reasons collapse to one; several reasons unify. */
function anomalyInfoOf(name: string | null, reasons: Reason[], severity: Severity): AnomalyInfo {
  const filtered = reasons.every((r) => r.type === 'SCHEMA_NEW_COLUMN')
    ? reasons.slice(0, 1)
    : reasons;
  let description = '';
  let shortDescription = '';
  for (const r of filtered) {
    if (description === '') {
      description = r.description;
      shortDescription = r.shortDescription;
    } else if (r.description !== '') {
      description = `${description} ${r.description}`;
      shortDescription = MULTIPLE_ERRORS;
    }
  }
  const info: AnomalyInfo = { severity, description, shortDescription, reason: filtered };
  return name === null ? info : { path: { step: [name] }, ...info };
}

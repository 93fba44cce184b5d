/**
 * Model validation with TFMA's threshold semantics (metrics_validator.py), checked on every slice:
 *
 * - `valueThreshold {lowerBound, upperBound}`: the candidate's value must lie in
 *   [lowerBound, upperBound], both inclusive (an unset bound is infinite).
 * - `changeThreshold {absolute, relative, direction}` on diff = candidate − baseline:
 *   HIGHER_IS_BETTER passes when diff >= absolute and diff / baseline >= relative;
 *   LOWER_IS_BETTER when diff <= absolute and diff / baseline <= relative (a baseline of 0 makes
 *   the ratio NaN, which fails). Without a baseline, change thresholds are skipped: the result is
 *   a rubber stamp.
 *
 * A NaN value (e.g. AUC of a one-class slice) fails any threshold on it, as in TFMA. A
 * metric's `perSliceThresholds` are checked only on the slices of their specs.
 */
import {
  evalConfigThresholds,
  type EvalConfig,
  type MetricThreshold,
  type MetricThresholdJson,
  type SlicingSpec,
  type ValidationFailureJson,
} from '@tsfx/protocol';
import { TsfxError } from '../errors';
import { BINARY_METRIC_NAMES, METRIC_CLASS_NAMES, type BinaryMetricName } from './metrics';

export interface ConfiguredThreshold {
  metric: BinaryMetricName;
  threshold: MetricThreshold;
  /** Where it was configured, for messages: `metricsSpecs[0].thresholds.auc`. */
  source: string;
  /** A per-slice threshold's specs: it is checked on their slices only (else on every slice). */
  slicingSpecs?: SlicingSpec[];
}

/**
 * The thresholds of an EvalConfig, as protocol lists them (`metricsSpecs[].thresholds` by metric
 * name, `metricsSpecs[].metrics[]` by TFMA class name), or a refusal naming the field of an
 * unknown metric or class, or of an invalid threshold.
 */
export function configuredThresholds(
  config: EvalConfig,
  root = 'evalConfig',
): ConfiguredThreshold[] {
  config.metricsSpecs.forEach((spec, s) =>
    spec.metrics.forEach(({ className }, m) => {
      if (!Object.hasOwn(METRIC_CLASS_NAMES, className)) {
        throw new TsfxError(
          `${root}.metricsSpecs[${s}].metrics[${m}].className: no metric class "${className}" (the classes are ${Object.keys(METRIC_CLASS_NAMES).join(', ')})`,
        );
      }
    }),
  );
  const known = new Set<string>(BINARY_METRIC_NAMES);
  return evalConfigThresholds(config, root).map(({ metric, threshold, source, slicingSpecs }) => {
    if (!known.has(metric)) {
      throw new TsfxError(
        `${source}: no metric "${metric}" (the metrics are ${BINARY_METRIC_NAMES.join(', ')})`,
      );
    }
    if (slicingSpecs?.length === 0) {
      const where = source.replace(/\.threshold$/, '.slicingSpecs');
      throw new TsfxError(`${where}: give the slices this threshold is for`);
    }
    checkThreshold(threshold, source);
    const perSlice = slicingSpecs ? { slicingSpecs } : {};
    return { metric: metric as BinaryMetricName, threshold, source, ...perSlice };
  });
}

function checkThreshold(threshold: MetricThreshold, source: string): void {
  const value = threshold.valueThreshold;
  if (value && value.lowerBound !== undefined && value.upperBound !== undefined) {
    if (value.lowerBound > value.upperBound) {
      throw new TsfxError(`${source}.valueThreshold: lowerBound is above upperBound`);
    }
  }
  const change = threshold.changeThreshold;
  if (change) {
    if (change.direction === 'UNKNOWN') {
      throw new TsfxError(
        `${source}.changeThreshold.direction: HIGHER_IS_BETTER or LOWER_IS_BETTER is required`,
      );
    }
    if (change.absolute === undefined && change.relative === undefined) {
      throw new TsfxError(`${source}.changeThreshold: absolute or relative is required`);
    }
  }
  if (!value && !change) {
    throw new TsfxError(`${source}: valueThreshold or changeThreshold is required`);
  }
}

/** Does a value pass a value threshold? (Both bounds inclusive.) */
export function passesValueThreshold(
  value: number,
  threshold: NonNullable<MetricThreshold['valueThreshold']>,
): boolean {
  const lower = threshold.lowerBound ?? -Infinity;
  const upper = threshold.upperBound ?? Infinity;
  return value >= lower && value <= upper;
}

/** Does a change (candidate − baseline) pass a change threshold? */
export function passesChangeThreshold(
  diff: number,
  baseline: number,
  threshold: NonNullable<MetricThreshold['changeThreshold']>,
): boolean {
  const higher = threshold.direction === 'HIGHER_IS_BETTER';
  const ok = (x: number, bound: number) => (higher ? x >= bound : x <= bound);
  if (threshold.absolute !== undefined && !ok(diff, threshold.absolute)) return false;
  if (threshold.relative !== undefined) {
    // TFMA: a baseline of (nearly) zero gives a NaN ratio, which passes no bound.
    const ratio = Math.abs(baseline) < 1e-9 ? NaN : diff / baseline;
    if (!ok(ratio, threshold.relative)) return false;
  }
  return true;
}

/** The metrics of one slice a validation reads. */
export interface SliceMetricsForValidation {
  name: string;
  candidate: Record<BinaryMetricName, number>;
  baseline?: Record<BinaryMetricName, number>;
}

/** The failures of one slice (empty when every threshold passes). */
export function validateSlice(
  slice: SliceMetricsForValidation,
  thresholds: readonly ConfiguredThreshold[],
  modelNames: { candidate?: string },
): ValidationFailureJson[] {
  const failures: ValidationFailureJson[] = [];
  const fmt = (x: number) => (Number.isNaN(x) ? 'NaN' : String(Number(x.toPrecision(6))));
  for (const { metric, threshold } of thresholds) {
    const value = slice.candidate[metric];
    const modelName = modelNames.candidate ? { modelName: modelNames.candidate } : {};
    const valueThreshold = threshold.valueThreshold;
    if (valueThreshold && !passesValueThreshold(value, valueThreshold)) {
      const bounds = `[${valueThreshold.lowerBound ?? '-inf'}, ${valueThreshold.upperBound ?? 'inf'}]`;
      failures.push({
        metricKey: { name: metric, ...modelName },
        metricThreshold: { valueThreshold: thresholdJson(threshold).valueThreshold },
        metricValue: { doubleValue: protoDouble(value) },
        message: `${metric} ${fmt(value)} on slice ${slice.name} is outside ${bounds}`,
      });
    }
    const change = threshold.changeThreshold;
    if (change && slice.baseline) {
      const base = slice.baseline[metric];
      const diff = value - base;
      if (!passesChangeThreshold(diff, base, change)) {
        const parts = [
          change.absolute !== undefined ? `absolute ${change.absolute}` : '',
          change.relative !== undefined ? `relative ${change.relative}` : '',
        ].filter(Boolean);
        failures.push({
          metricKey: { name: metric, ...modelName, isDiff: true },
          metricThreshold: { changeThreshold: thresholdJson(threshold).changeThreshold },
          metricValue: { doubleValue: protoDouble(diff) },
          message: `${metric} changed by ${fmt(diff)} (candidate ${fmt(value)} − baseline ${fmt(base)}) on slice ${slice.name}: fails the ${change.direction} change threshold (${parts.join(', ')})`,
        });
      }
    }
  }
  return failures;
}

function thresholdJson(threshold: MetricThreshold): MetricThresholdJson {
  return threshold;
}

/** A double as proto3 JSON writes it: non-finite values as "NaN", "Infinity", "-Infinity". */
export function protoDouble(x: number): number | 'NaN' | 'Infinity' | '-Infinity' {
  if (Number.isFinite(x)) return x;
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

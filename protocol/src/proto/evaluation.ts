/**
 * TensorFlow Model Analysis's messages in proto3 JSON form (tensorflow_model_analysis/proto:
 * config.proto, metrics_for_slice.proto, validation_result.proto): the EvalConfig an Evaluator is
 * given, and the MetricsForSlice, PlotsForSlice and ValidationResult it writes. Field names are
 * the protos' own, in lowerCamelCase; wrapper types (DoubleValue, BoolValue, Int32Value) are their
 * plain JSON values; `bytes` values are base64, as proto3 JSON writes them.
 *
 * The EvalConfig schemas refuse fields they do not know (a misspelt or unsupported field is an
 * error naming its path, not silently ignored); the result schemas read leniently, as the
 * statistics schemas do. Each schema's input type is `…Json` (as written), its output the message
 * as read (defaults filled in).
 */
import * as v from 'valibot';
import {
  bool,
  dict,
  doubleField,
  finiteNumber,
  int64Field,
  oneOf,
  optionalFields,
  repeated,
  str,
  strictFields,
  withDefault,
} from '../check';

// ---- EvalConfig (config.proto) ----------------------------------------------------------------

export const METRIC_DIRECTIONS = ['UNKNOWN', 'LOWER_IS_BETTER', 'HIGHER_IS_BETTER'] as const;
export type MetricDirection = (typeof METRIC_DIRECTIONS)[number];

const bound = () => v.optional(finiteNumber());

/** Fails when the value is outside [lowerBound, upperBound], both inclusive (unset: infinite). */
export const GenericValueThresholdSchema = strictFields({
  lowerBound: bound(),
  upperBound: bound(),
});

/**
 * On the diff candidate − baseline: HIGHER_IS_BETTER passes when diff >= absolute (and
 * diff / baseline >= relative), LOWER_IS_BETTER when diff <= absolute (and diff / baseline <=
 * relative).
 */
export const GenericChangeThresholdSchema = strictFields({
  absolute: bound(),
  relative: bound(),
  direction: withDefault(oneOf(METRIC_DIRECTIONS), 'UNKNOWN'),
});

export const MetricThresholdSchema = strictFields({
  valueThreshold: v.optional(GenericValueThresholdSchema),
  changeThreshold: v.optional(GenericChangeThresholdSchema),
});

export const ModelSpecSchema = strictFields({
  name: withDefault(str(), ''),
  signatureName: v.optional(str()),
  /** A raw column of the examples, or an output of the model's transform graph. */
  labelKey: v.optional(str()),
  preprocessingFunctionNames: repeated(str()),
  isBaseline: withDefault(bool(), false),
});

/** `{}` is the overall slice; `featureKeys` slice by every value (several keys cross). */
export const SlicingSpecSchema = strictFields({
  featureKeys: repeated(str()),
  featureValues: withDefault(dict(str()), () => ({})),
});

/** TFMA's PerSliceMetricThreshold: a threshold checked only on the slices of these specs. */
export const PerSliceMetricThresholdSchema = strictFields({
  slicingSpecs: repeated(SlicingSpecSchema),
  threshold: MetricThresholdSchema,
});

/**
 * A metric by TFMA class name (`AUC`, `BinaryAccuracy`, …) with an optional threshold on every
 * slice and thresholds on chosen slices (`perSliceThresholds`).
 */
export const MetricConfigSchema = strictFields({
  className: str(),
  module: v.optional(str()),
  config: v.optional(str()),
  threshold: v.optional(MetricThresholdSchema),
  perSliceThresholds: repeated(PerSliceMetricThresholdSchema),
});

export const MetricsSpecSchema = strictFields({
  metrics: repeated(MetricConfigSchema),
  modelNames: repeated(str()),
  /** Thresholds by metric name (`auc`, `binary_accuracy`, …), checked on every slice. */
  thresholds: withDefault(dict(MetricThresholdSchema), () => ({})),
});

export const EvalOptionsSchema = strictFields({
  includeDefaultMetrics: v.optional(bool()),
  computeConfidenceIntervals: withDefault(bool(), false),
  /** Slices (never the overall slice) with fewer examples are written without metrics. */
  minSliceSize: v.optional(
    v.pipe(v.number('a whole number'), v.safeInteger('a whole number'), v.minValue(0, '>= 0')),
  ),
});

export const EvalConfigSchema = strictFields({
  modelSpecs: repeated(ModelSpecSchema),
  slicingSpecs: repeated(SlicingSpecSchema),
  metricsSpecs: repeated(MetricsSpecSchema),
  options: withDefault(EvalOptionsSchema, () => ({})),
});

export type GenericValueThreshold = v.InferOutput<typeof GenericValueThresholdSchema>;
export type GenericChangeThreshold = v.InferOutput<typeof GenericChangeThresholdSchema>;
export type MetricThreshold = v.InferOutput<typeof MetricThresholdSchema>;
export type MetricThresholdJson = v.InferInput<typeof MetricThresholdSchema>;
export type ModelSpec = v.InferOutput<typeof ModelSpecSchema>;
export type SlicingSpec = v.InferOutput<typeof SlicingSpecSchema>;
export type SlicingSpecJson = v.InferInput<typeof SlicingSpecSchema>;
export type MetricConfig = v.InferOutput<typeof MetricConfigSchema>;
export type MetricsSpec = v.InferOutput<typeof MetricsSpecSchema>;
export type EvalOptions = v.InferOutput<typeof EvalOptionsSchema>;
export type EvalConfig = v.InferOutput<typeof EvalConfigSchema>;
export type EvalConfigJson = v.InferInput<typeof EvalConfigSchema>;

// ---- MetricsForSlice, PlotsForSlice (metrics_for_slice.proto) --------------------------------

const real = () => withDefault(doubleField(), 0);

/** One column of a slice key: its value is an int64, a float or UTF-8 bytes (base64 in JSON). */
export const SingleSliceKeySchema = optionalFields({
  column: withDefault(str(), ''),
  int64Value: v.optional(int64Field()),
  floatValue: v.optional(doubleField()),
  bytesValue: v.optional(str()),
});

/** The overall slice has no single slice keys; columns are sorted by name. */
export const SliceKeySchema = optionalFields({
  singleSliceKeys: repeated(SingleSliceKeySchema),
});

export const MetricKeySchema = optionalFields({
  name: withDefault(str(), ''),
  /** `candidate` or `baseline` when a baseline is evaluated; absent with one model. */
  modelName: v.optional(str()),
  outputName: v.optional(str()),
  /** The metric is candidate − baseline. */
  isDiff: withDefault(bool(), false),
  exampleWeighted: v.optional(bool()),
});

export const MetricValueSchema = optionalFields({
  doubleValue: v.optional(doubleField()),
  /** Instead of a value: why there is none (a slice under `minSliceSize`). */
  debugMessage: v.optional(str()),
});

/** A Poisson-bootstrap interval: 95% t-interval around the replicates' mean. */
export const ConfidenceIntervalSchema = optionalFields({
  lowerBound: v.optional(MetricValueSchema),
  upperBound: v.optional(MetricValueSchema),
  standardError: v.optional(MetricValueSchema),
  degreesOfFreedom: v.optional(int64Field()),
});

export const MetricKeyAndValueSchema = optionalFields({
  key: withDefault(MetricKeySchema, () => ({})),
  value: withDefault(MetricValueSchema, () => ({})),
  confidenceInterval: v.optional(ConfidenceIntervalSchema),
});

export const MetricsForSliceSchema = optionalFields({
  sliceKey: withDefault(SliceKeySchema, () => ({})),
  metricKeysAndValues: repeated(MetricKeyAndValueSchema),
  /** TFMA's deprecated map: only `__ERROR__` (a suppressed slice's message) is written there. */
  metrics: v.optional(dict(MetricValueSchema)),
});

export const ConfusionMatrixAtThresholdSchema = optionalFields({
  threshold: real(),
  falseNegatives: real(),
  trueNegatives: real(),
  falsePositives: real(),
  truePositives: real(),
  precision: real(),
  recall: real(),
  falsePositiveRate: real(),
  f1: real(),
  accuracy: real(),
});

export const ConfusionMatrixAtThresholdsSchema = optionalFields({
  matrices: repeated(ConfusionMatrixAtThresholdSchema),
});

export const CalibrationHistogramBucketSchema = optionalFields({
  lowerThresholdInclusive: real(),
  upperThresholdExclusive: real(),
  numWeightedExamples: real(),
  totalWeightedLabel: real(),
  totalWeightedRefinedPrediction: real(),
});

export const CalibrationHistogramBucketsSchema = optionalFields({
  buckets: repeated(CalibrationHistogramBucketSchema),
});

export const PlotDataSchema = optionalFields({
  /** The calibration plot (and prediction distribution). */
  calibrationHistogramBuckets: v.optional(CalibrationHistogramBucketsSchema),
  /** The confusion matrix plot; its rows are the ROC and precision-recall curves. */
  confusionMatrixAtThresholds: v.optional(ConfusionMatrixAtThresholdsSchema),
  debugMessage: v.optional(str()),
});

export const PlotKeySchema = optionalFields({
  name: v.optional(str()),
  modelName: v.optional(str()),
  outputName: v.optional(str()),
});

export const PlotKeyAndValueSchema = optionalFields({
  key: withDefault(PlotKeySchema, () => ({})),
  value: withDefault(PlotDataSchema, () => ({})),
});

export const PlotsForSliceSchema = optionalFields({
  sliceKey: withDefault(SliceKeySchema, () => ({})),
  plotKeysAndValues: repeated(PlotKeyAndValueSchema),
  plots: v.optional(dict(PlotDataSchema)),
});

export type SingleSliceKey = v.InferOutput<typeof SingleSliceKeySchema>;
export type SingleSliceKeyJson = v.InferInput<typeof SingleSliceKeySchema>;
export type SliceKey = v.InferOutput<typeof SliceKeySchema>;
export type SliceKeyJson = v.InferInput<typeof SliceKeySchema>;
export type MetricKey = v.InferOutput<typeof MetricKeySchema>;
export type MetricKeyJson = v.InferInput<typeof MetricKeySchema>;
export type MetricValueJson = v.InferInput<typeof MetricValueSchema>;
export type ConfidenceIntervalJson = v.InferInput<typeof ConfidenceIntervalSchema>;
export type MetricKeyAndValue = v.InferOutput<typeof MetricKeyAndValueSchema>;
export type MetricKeyAndValueJson = v.InferInput<typeof MetricKeyAndValueSchema>;
export type MetricsForSlice = v.InferOutput<typeof MetricsForSliceSchema>;
export type MetricsForSliceJson = v.InferInput<typeof MetricsForSliceSchema>;
export type ConfusionMatrixAtThreshold = v.InferOutput<typeof ConfusionMatrixAtThresholdSchema>;
export type ConfusionMatrixAtThresholdJson = v.InferInput<typeof ConfusionMatrixAtThresholdSchema>;
export type CalibrationHistogramBucket = v.InferOutput<typeof CalibrationHistogramBucketSchema>;
export type CalibrationHistogramBucketJson = v.InferInput<typeof CalibrationHistogramBucketSchema>;
export type PlotData = v.InferOutput<typeof PlotDataSchema>;
export type PlotDataJson = v.InferInput<typeof PlotDataSchema>;
export type PlotKeyAndValueJson = v.InferInput<typeof PlotKeyAndValueSchema>;
export type PlotsForSlice = v.InferOutput<typeof PlotsForSliceSchema>;
export type PlotsForSliceJson = v.InferInput<typeof PlotsForSliceSchema>;

// ---- ValidationResult (validation_result.proto) -----------------------------------------------

/** Lenient readers of thresholds (as written by TFMA or tsfx). */
const ThresholdReadSchema = optionalFields({
  valueThreshold: v.optional(
    optionalFields({
      lowerBound: v.optional(doubleField()),
      upperBound: v.optional(doubleField()),
    }),
  ),
  changeThreshold: v.optional(
    optionalFields({
      absolute: v.optional(doubleField()),
      relative: v.optional(doubleField()),
      direction: withDefault(str(), 'UNKNOWN'),
    }),
  ),
});

export const ValidationFailureSchema = optionalFields({
  metricKey: withDefault(MetricKeySchema, () => ({})),
  metricThreshold: withDefault(ThresholdReadSchema, () => ({})),
  metricValue: v.optional(MetricValueSchema),
  message: withDefault(str(), ''),
});

export const MetricsValidationForSliceSchema = optionalFields({
  sliceKey: withDefault(SliceKeySchema, () => ({})),
  failures: repeated(ValidationFailureSchema),
});

const SlicingSpecReadSchema = optionalFields({
  featureKeys: repeated(str()),
  featureValues: withDefault(dict(str()), () => ({})),
});

export const SlicingDetailsSchema = optionalFields({
  slicingSpec: withDefault(SlicingSpecReadSchema, () => ({})),
  numMatchingSlices: withDefault(finiteNumber(), 0),
});

export const ValidationResultSchema = optionalFields({
  validationOk: withDefault(bool(), false),
  /** No threshold was configured: the model is not validated (and not blessed). */
  missingThresholds: withDefault(bool(), false),
  metricValidationsPerSlice: repeated(MetricsValidationForSliceSchema),
  missingSlices: repeated(SlicingSpecReadSchema),
  validationDetails: withDefault(
    optionalFields({ slicingDetails: repeated(SlicingDetailsSchema) }),
    () => ({}),
  ),
  /** No baseline: change thresholds were skipped, value thresholds still checked. */
  rubberStamp: withDefault(bool(), false),
});

export type ValidationFailure = v.InferOutput<typeof ValidationFailureSchema>;
export type ValidationFailureJson = v.InferInput<typeof ValidationFailureSchema>;
export type MetricsValidationForSlice = v.InferOutput<typeof MetricsValidationForSliceSchema>;
export type MetricsValidationForSliceJson = v.InferInput<typeof MetricsValidationForSliceSchema>;
export type SlicingDetailsJson = v.InferInput<typeof SlicingDetailsSchema>;
export type ValidationResult = v.InferOutput<typeof ValidationResultSchema>;
export type ValidationResultJson = v.InferInput<typeof ValidationResultSchema>;

// ---- files -----------------------------------------------------------------------------------

/** The files of a ModelEvaluation artifact (the Evaluator's `evaluation` output). */
export const METRICS_FILE = 'metrics.jsonl';
export const PLOTS_FILE = 'plots.jsonl';
export const VALIDATIONS_FILE = 'validations.json';
export const EVAL_CONFIG_FILE = 'eval_config.json';
/** The marker file a ModelBlessing holds, as TFX's. */
export const BLESSED_FILE = 'BLESSED';
export const NOT_BLESSED_FILE = 'NOT_BLESSED';

// ---- slice keys as text -----------------------------------------------------------------------

// Both Node and browsers have these; protocol/ compiles without the DOM's type library.
declare function atob(base64: string): string;
declare class TextDecoder {
  decode(bytes: Uint8Array): string;
}

/** A slice key column's value: a number (int64, float) or text (bytes decoded as UTF-8). */
export function singleSliceKeyValue(key: SingleSliceKey): number | string {
  if (key.int64Value !== undefined) return Number(key.int64Value);
  if (key.floatValue !== undefined) return key.floatValue;
  if (key.bytesValue !== undefined) {
    const binary = atob(key.bytesValue);
    const bytes = Uint8Array.from(binary, (c: string) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  }
  return '';
}

/**
 * TFMA's name of a slice (`stringify_slice_key`): `Overall`, `trip_start_hour:3`, and for
 * several columns `trip_start_day_X_trip_start_hour:1_X_3`.
 */
export function sliceKeyName(key: SliceKey): string {
  const keys = key.singleSliceKeys;
  if (keys.length === 0) return 'Overall';
  return `${keys.map((k) => k.column).join('_X_')}:${keys.map((k) => String(singleSliceKeyValue(k))).join('_X_')}`;
}

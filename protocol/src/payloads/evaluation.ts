/**
 * The payloads of model analysis: a ModelEvaluation (TFMA's slicing browser: metrics per slice,
 * candidate against baseline, thresholds, plots), the evaluation history of a pipeline (TFMA's
 * `render_time_series`), a ModelBlessing and a PushedModel. Values are the files' own (the
 * Evaluator's metrics.jsonl, plots.jsonl, validations.json, eval_config.json); a metric the file
 * holds as NaN or ±Infinity (AUC of a one-class slice) is null here, as JSON has no NaN.
 */
import * as v from 'valibot';
import { bool, finiteNumber, list, literal, obj, oneOf, str } from '../check';
import { METRIC_DIRECTIONS } from '../proto/evaluation';
import { ArtifactRefSchema } from './artifact';

/** A metric's value; null where the file says NaN or an infinity (undefined for the slice). */
const metricValue = () => v.nullable(finiteNumber());

const columnValue = () => v.union([str(), finiteNumber()], 'a string or a number');

/** A model an artifact names: its store id (null when unknown) and its uri. */
export const ModelRefSchema = obj({ id: v.nullable(finiteNumber()), uri: str() });

/** One metric of one slice: the candidate's value, the baseline's and the diff (with a baseline). */
export const SliceMetricSchema = obj({
  name: str(),
  candidate: metricValue(),
  baseline: metricValue(),
  /** candidate − baseline, as the Evaluator wrote it (`isDiff`). */
  diff: metricValue(),
  /** The candidate's 95% bootstrap interval, when confidence intervals were computed. */
  interval: v.nullable(obj({ lower: metricValue(), upper: metricValue() })),
});

export const EvaluationSliceSchema = obj({
  /** TFMA's name of the slice (`Overall`, `trip_start_hour:3`). */
  name: str(),
  /** The name of its slicing: `Overall`, or its columns joined by `_X_`. */
  slicing: str(),
  /** The slice key's columns and values (empty for the overall slice). */
  columns: list(str()),
  values: list(columnValue()),
  /** The candidate's `example_count`; null for a suppressed slice (TFMA writes no count). */
  exampleCount: v.nullable(finiteNumber()),
  /** Why the slice has no metrics (under `minSliceSize`), else null. */
  suppressed: v.nullable(str()),
  metrics: list(SliceMetricSchema),
});

/** A threshold of the EvalConfig on a metric, checked on every slice. */
export const EvaluationThresholdSchema = obj({
  metric: str(),
  value: v.nullable(
    obj({ lowerBound: v.nullable(finiteNumber()), upperBound: v.nullable(finiteNumber()) }),
  ),
  change: v.nullable(
    obj({
      absolute: v.nullable(finiteNumber()),
      relative: v.nullable(finiteNumber()),
      direction: oneOf(METRIC_DIRECTIONS),
    }),
  ),
});

/** A failure of validations.json: the slice, the metric (a diff for a change threshold), why. */
export const EvaluationFailureSchema = obj({
  slice: str(),
  metric: str(),
  /** A change threshold failed (the value is candidate − baseline). */
  isDiff: bool(),
  value: metricValue(),
  message: str(),
});

/**
 * One model's plots of one slice, columnar: the confusion matrices at each threshold (its rows
 * are the ROC and precision-recall curves) and the calibration buckets (bounds null where
 * infinite).
 */
export const SlicePlotsSchema = obj({
  slice: str(),
  /** `candidate`, `baseline`, or '' with one model. */
  model: str(),
  confusion: obj({
    thresholds: list(finiteNumber()),
    truePositives: list(finiteNumber()),
    falsePositives: list(finiteNumber()),
    trueNegatives: list(finiteNumber()),
    falseNegatives: list(finiteNumber()),
    /** Null where the file says NaN (e.g. precision with no predicted positive). */
    precision: list(v.nullable(finiteNumber())),
    recall: list(v.nullable(finiteNumber())),
    falsePositiveRate: list(v.nullable(finiteNumber())),
  }),
  calibration: obj({
    lower: list(v.nullable(finiteNumber())),
    upper: list(v.nullable(finiteNumber())),
    examples: list(finiteNumber()),
    labels: list(finiteNumber()),
    predictions: list(finiteNumber()),
  }),
});

export const EvaluationPayloadSchema = obj({
  kind: literal('evaluation'),
  artifact: ArtifactRefSchema,
  /** The models of eval_config.json's `modelLocations`. */
  candidate: v.nullable(str()),
  baseline: v.nullable(str()),
  /** Metric names in the files' order. */
  metricNames: list(str()),
  /** The slicings, in the files' order (the overall slice first). */
  slicings: list(obj({ name: str(), columns: list(str()), slices: finiteNumber() })),
  slices: list(EvaluationSliceSchema),
  thresholds: list(EvaluationThresholdSchema),
  validation: obj({
    ok: bool(),
    /** No baseline: change thresholds were skipped. */
    rubberStamp: bool(),
    /** No threshold configured: not validated. */
    missingThresholds: bool(),
    failures: list(EvaluationFailureSchema),
  }),
  /**
   * Plots of the overall slice and of whole slicings, in order, while they fit in the payload's
   * budget of slices; the slicings left out (plots.jsonl has them) are named here.
   */
  plots: list(SlicePlotsSchema),
  plotsOmitted: list(obj({ slicing: str(), slices: finiteNumber() })),
});

/** One evaluation in a pipeline's history: its overall metrics (the candidate's). */
export const EvaluationHistoryEntrySchema = obj({
  artifact: ArtifactRefSchema,
  model: v.nullable(ModelRefSchema),
  /** Milliseconds since the Unix epoch (the artifact's creation). */
  createdAt: finiteNumber(),
  /** validations.json's `validationOk`. */
  blessed: bool(),
  metrics: list(obj({ name: str(), value: metricValue() })),
});

/** A metric across model versions, oldest first, as TFMA's `render_time_series`. */
export const EvaluationHistoryPayloadSchema = obj({
  kind: literal('evaluation-history'),
  pipeline: v.nullable(str()),
  slice: str(),
  metricNames: list(str()),
  evaluations: list(EvaluationHistoryEntrySchema),
});

/** A ModelBlessing: the verdict, the models compared and the thresholds that failed. */
export const BlessingPayloadSchema = obj({
  kind: literal('blessing'),
  artifact: ArtifactRefSchema,
  blessed: bool(),
  model: v.nullable(ModelRefSchema),
  baseline: v.nullable(ModelRefSchema),
  /** The ModelEvaluation written with it, when the store has it. */
  evaluation: v.nullable(ArtifactRefSchema),
  rubberStamp: bool(),
  missingThresholds: bool(),
  failures: list(EvaluationFailureSchema),
});

/** A PushedModel: pushed or not, where, which version, from which model. */
export const PushedModelPayloadSchema = obj({
  kind: literal('pushed-model'),
  artifact: ArtifactRefSchema,
  pushed: bool(),
  destination: v.nullable(str()),
  version: v.nullable(str()),
  model: v.nullable(ModelRefSchema),
  blessing: v.nullable(ArtifactRefSchema),
});

export type ModelRef = v.InferOutput<typeof ModelRefSchema>;
export type SliceMetric = v.InferOutput<typeof SliceMetricSchema>;
export type EvaluationSlice = v.InferOutput<typeof EvaluationSliceSchema>;
export type EvaluationThreshold = v.InferOutput<typeof EvaluationThresholdSchema>;
export type EvaluationFailure = v.InferOutput<typeof EvaluationFailureSchema>;
export type SlicePlots = v.InferOutput<typeof SlicePlotsSchema>;
export type EvaluationPayload = v.InferOutput<typeof EvaluationPayloadSchema>;
export type EvaluationHistoryEntry = v.InferOutput<typeof EvaluationHistoryEntrySchema>;
export type EvaluationHistoryPayload = v.InferOutput<typeof EvaluationHistoryPayloadSchema>;
export type BlessingPayload = v.InferOutput<typeof BlessingPayloadSchema>;
export type PushedModelPayload = v.InferOutput<typeof PushedModelPayloadSchema>;

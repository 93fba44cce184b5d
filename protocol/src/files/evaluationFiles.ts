/**
 * A ModelEvaluation's files (TFMA's metrics.jsonl, plots.jsonl, validations.json and the
 * eval_config.json EvalRun) → the evaluation payload: what `show(evaluation)` sends from the
 * kernel and what the file browser opens in JupyterLab, built once here from the files' texts.
 */
import * as v from 'valibot';
import { check, dict, optionalFields, PayloadError, str, withDefault } from '../check';
import type {
  EvaluationFailure,
  EvaluationPayload,
  EvaluationSlice,
  EvaluationThreshold,
  SlicePlots,
} from '../payloads/evaluation';
import {
  EvalConfigSchema,
  MetricsForSliceSchema,
  PlotsForSliceSchema,
  singleSliceKeyValue,
  sliceKeyName,
  ValidationResultSchema,
  type EvalConfig,
  type MetricKeyAndValue,
  type MetricsForSlice,
  type MetricThreshold,
  type PlotsForSlice,
  type ValidationResult,
} from '../proto/evaluation';
import { FileFormatError, parseJsonText } from './protoJson';

/** At most this many slices' plots go in a payload (whole slicings, the overall slice first). */
export const MAX_PLOT_SLICES = 32;

/** The binary classification metrics under TFMA's names, in the order they are computed. */
export const BINARY_METRIC_NAMES = [
  'example_count',
  'weighted_example_count',
  'binary_accuracy',
  'auc',
  'auc_precision_recall',
  'precision',
  'recall',
  'mean_label',
  'mean_prediction',
  'calibration',
  'loss',
] as const;
export type BinaryMetricName = (typeof BINARY_METRIC_NAMES)[number];

/** TFMA's metric class names (MetricConfig.className) for the metrics above. */
export const METRIC_CLASS_NAMES: Record<string, BinaryMetricName> = {
  ExampleCount: 'example_count',
  WeightedExampleCount: 'weighted_example_count',
  BinaryAccuracy: 'binary_accuracy',
  AUC: 'auc',
  AUCPrecisionRecall: 'auc_precision_recall',
  Precision: 'precision',
  Recall: 'recall',
  MeanLabel: 'mean_label',
  MeanPrediction: 'mean_prediction',
  Calibration: 'calibration',
  BinaryCrossentropy: 'loss',
};

/** TFMA's EvalRun as the Evaluator writes eval_config.json (what the view reads of it). */
export const EvalRunSchema = optionalFields({
  evalConfig: v.optional(EvalConfigSchema),
  modelLocations: withDefault(dict(str()), () => ({})),
});

export interface EvaluationFiles {
  metrics: MetricsForSlice[];
  plots: PlotsForSlice[];
  validation: ValidationResult | null;
  evalRun: v.InferOutput<typeof EvalRunSchema> | null;
}

/** One file's text and where it is (for messages). */
export interface FileText {
  path: string;
  text: string;
}

/** JSON text checked against a schema; refused as FileFormatError naming `where` (path:line). */
function checked<S extends v.GenericSchema>(
  text: string,
  where: string,
  schema: S,
  what: string,
): v.InferOutput<S> {
  try {
    return check(schema, parseJsonText(text, where, what), what, where);
  } catch (error) {
    if (error instanceof PayloadError)
      throw new FileFormatError(where, `${where}: ${error.message}`);
    throw error;
  }
}

/** One checked message per non-blank line; a bad line is refused as `<path>:<line>: …`. */
function jsonLines<S extends v.GenericSchema>(
  file: FileText,
  schema: S,
  what: string,
): v.InferOutput<S>[] {
  return file.text
    .split('\n')
    .flatMap((line, i) =>
      line.trim() === '' ? [] : [checked(line, `${file.path}:${i + 1}`, schema, what)],
    );
}

/** The files of a ModelEvaluation from their texts; all but metrics.jsonl may be missing. */
export function parseEvaluationFiles(texts: {
  metrics: FileText;
  plots: FileText | null;
  validations: FileText | null;
  evalConfig: FileText | null;
}): EvaluationFiles {
  return {
    metrics: jsonLines(texts.metrics, MetricsForSliceSchema, 'MetricsForSlice'),
    plots: texts.plots ? jsonLines(texts.plots, PlotsForSliceSchema, 'PlotsForSlice') : [],
    validation: texts.validations
      ? checked(
          texts.validations.text,
          texts.validations.path,
          ValidationResultSchema,
          'ValidationResult',
        )
      : null,
    evalRun: texts.evalConfig
      ? checked(texts.evalConfig.text, texts.evalConfig.path, EvalRunSchema, 'EvalRun')
      : null,
  };
}

/** A threshold of an EvalConfig, where it was configured. */
export interface EvalConfigThreshold {
  /** The metric's name (a class name mapped to it; an unknown class name as it is). */
  metric: string;
  /** The metric's class name, for a threshold configured under `metrics[]`. */
  className: string | null;
  threshold: MetricThreshold;
  /** Where it was configured, for messages: `evalConfig.metricsSpecs[0].thresholds["auc"]`. */
  source: string;
  /** A per-slice threshold's specs: it is checked on their slices only (else on every slice). */
  slicingSpecs?: EvalConfig['metricsSpecs'][number]['metrics'][number]['perSliceThresholds'][number]['slicingSpecs'];
}

/**
 * Every threshold of an EvalConfig in order: per metrics spec, `thresholds` by metric name, then
 * per `metrics[]` entry (by TFMA class name) its `threshold` and its `perSliceThresholds`.
 */
export function evalConfigThresholds(
  config: EvalConfig,
  root = 'evalConfig',
): EvalConfigThreshold[] {
  const out: EvalConfigThreshold[] = [];
  config.metricsSpecs.forEach((spec, s) => {
    for (const [name, threshold] of Object.entries(spec.thresholds)) {
      const source = `${root}.metricsSpecs[${s}].thresholds[${JSON.stringify(name)}]`;
      out.push({ metric: name, className: null, threshold, source });
    }
    spec.metrics.forEach((m, k) => {
      const source = `${root}.metricsSpecs[${s}].metrics[${k}]`;
      const metric = METRIC_CLASS_NAMES[m.className] ?? m.className;
      const className = m.className;
      if (m.threshold) {
        out.push({ metric, className, threshold: m.threshold, source: `${source}.threshold` });
      }
      m.perSliceThresholds.forEach(({ slicingSpecs, threshold }, p) => {
        const where = `${source}.perSliceThresholds[${p}].threshold`;
        out.push({ metric, className, threshold, source: where, slicingSpecs });
      });
    });
  });
  return out;
}

/** JSON has no NaN or infinity: a value the file holds as one of them is null. */
const finite = (x: number | undefined): number | null =>
  x !== undefined && Number.isFinite(x) ? x : null;

const slicingOf = (columns: readonly string[]): string =>
  columns.length === 0 ? 'Overall' : columns.join('_X_');

/** The candidate's name: the model of the diffs (with a baseline), else every model's. */
function candidateName(metrics: readonly MetricsForSlice[]): string | undefined {
  for (const m of metrics) {
    const diff = m.metricKeysAndValues.find((e) => e.key.isDiff);
    if (diff) return diff.key.modelName;
  }
  return undefined;
}

function sliceOf(
  m: MetricsForSlice,
  candidate: string | undefined,
  hasBaseline: boolean,
): EvaluationSlice {
  const keys = m.sliceKey.singleSliceKeys;
  const columns = keys.map((k) => k.column);
  const byName = new Map<string, EvaluationSlice['metrics'][number]>();
  const entry = (name: string) => {
    let e = byName.get(name);
    if (!e) {
      e = { name, candidate: null, baseline: null, diff: null, interval: null };
      byName.set(name, e);
    }
    return e;
  };
  for (const kv of m.metricKeysAndValues as MetricKeyAndValue[]) {
    const e = entry(kv.key.name);
    const value = finite(kv.value.doubleValue);
    if (kv.key.isDiff) e.diff = value;
    else if (hasBaseline && kv.key.modelName !== candidate) e.baseline = value;
    else {
      e.candidate = value;
      const ci = kv.confidenceInterval;
      if (ci) {
        e.interval = {
          lower: finite(ci.lowerBound?.doubleValue),
          upper: finite(ci.upperBound?.doubleValue),
        };
      }
    }
  }
  const metrics = [...byName.values()];
  return {
    name: sliceKeyName(m.sliceKey),
    slicing: slicingOf(columns),
    columns,
    values: keys.map(singleSliceKeyValue),
    exampleCount: metrics.find((e) => e.name === 'example_count')?.candidate ?? null,
    suppressed:
      m.metricKeysAndValues.length === 0 ? (m.metrics?.__ERROR__?.debugMessage ?? null) : null,
    metrics,
  };
}

function thresholdsOf(files: EvaluationFiles): EvaluationThreshold[] {
  const config = files.evalRun?.evalConfig;
  if (!config) return [];
  return evalConfigThresholds(config, 'eval_config.json evalConfig').map(
    ({ metric, threshold }) => ({
      metric,
      value: threshold.valueThreshold
        ? {
            lowerBound: finite(threshold.valueThreshold.lowerBound),
            upperBound: finite(threshold.valueThreshold.upperBound),
          }
        : null,
      change: threshold.changeThreshold
        ? {
            absolute: finite(threshold.changeThreshold.absolute),
            relative: finite(threshold.changeThreshold.relative),
            direction: threshold.changeThreshold.direction,
          }
        : null,
    }),
  );
}

/** validations.json's failures, one per slice and metric. */
export function validationFailures(validation: ValidationResult | null): EvaluationFailure[] {
  return (validation?.metricValidationsPerSlice ?? []).flatMap((s) =>
    s.failures.map((f) => ({
      slice: sliceKeyName(s.sliceKey),
      metric: f.metricKey.name,
      isDiff: f.metricKey.isDiff,
      value: finite(f.metricValue?.doubleValue),
      message: f.message,
    })),
  );
}

function plotsOf(line: PlotsForSlice): SlicePlots[] {
  const slice = sliceKeyName(line.sliceKey);
  return line.plotKeysAndValues.map(({ key, value }) => {
    const matrices = value.confusionMatrixAtThresholds?.matrices ?? [];
    const buckets = value.calibrationHistogramBuckets?.buckets ?? [];
    return {
      slice,
      model: key.modelName ?? '',
      confusion: {
        thresholds: matrices.map((m) => m.threshold),
        truePositives: matrices.map((m) => m.truePositives),
        falsePositives: matrices.map((m) => m.falsePositives),
        trueNegatives: matrices.map((m) => m.trueNegatives),
        falseNegatives: matrices.map((m) => m.falseNegatives),
        precision: matrices.map((m) => finite(m.precision)),
        recall: matrices.map((m) => finite(m.recall)),
        falsePositiveRate: matrices.map((m) => finite(m.falsePositiveRate)),
      },
      calibration: {
        lower: buckets.map((b) => finite(b.lowerThresholdInclusive)),
        upper: buckets.map((b) => finite(b.upperThresholdExclusive)),
        examples: buckets.map((b) => b.numWeightedExamples),
        labels: buckets.map((b) => b.totalWeightedLabel),
        predictions: buckets.map((b) => b.totalWeightedRefinedPrediction),
      },
    };
  });
}

/**
 * The plots the payload carries: the overall slice's, then whole slicings in the files' order
 * while their slices fit in MAX_PLOT_SLICES; the slicings left out are named.
 */
function boundedPlots(
  lines: readonly PlotsForSlice[],
  slicings: EvaluationPayload['slicings'],
): Pick<EvaluationPayload, 'plots' | 'plotsOmitted'> {
  const kept = new Set<string>();
  const plotsOmitted: EvaluationPayload['plotsOmitted'] = [];
  let budget = MAX_PLOT_SLICES;
  for (const s of slicings) {
    if (s.name === 'Overall' || s.slices <= budget) {
      kept.add(s.name);
      budget -= s.slices;
    } else {
      plotsOmitted.push({ slicing: s.name, slices: s.slices });
    }
  }
  const plots = lines
    .filter((l) => kept.has(slicingOf(l.sliceKey.singleSliceKeys.map((k) => k.column))))
    .flatMap(plotsOf);
  return { plots, plotsOmitted };
}

/** The evaluation payload of a ModelEvaluation's files. */
export function evaluationPayloadOf(
  files: EvaluationFiles,
  artifact: EvaluationPayload['artifact'],
): EvaluationPayload {
  const candidate = candidateName(files.metrics);
  const locations = files.evalRun?.modelLocations ?? {};
  const hasBaseline = 'baseline' in locations || candidate !== undefined;
  const slices = files.metrics.map((m) => sliceOf(m, candidate, hasBaseline));
  const metricNames = [...new Set(slices.flatMap((s) => s.metrics.map((m) => m.name)))];
  const slicings: EvaluationPayload['slicings'] = [];
  for (const s of slices) {
    const known = slicings.find((x) => x.name === s.slicing);
    if (known) known.slices++;
    else slicings.push({ name: s.slicing, columns: s.columns, slices: 1 });
  }
  const validation = files.validation;
  return {
    kind: 'evaluation',
    artifact,
    candidate: locations.candidate ?? locations[''] ?? null,
    baseline: locations.baseline ?? null,
    metricNames,
    slicings,
    slices,
    thresholds: thresholdsOf(files),
    validation: {
      ok: validation?.validationOk ?? false,
      rubberStamp: validation?.rubberStamp ?? false,
      missingThresholds: validation?.missingThresholds ?? validation === null,
      failures: validationFailures(validation),
    },
    ...boundedPlots(files.plots, slicings),
  };
}

/**
 * `show(evaluation)`: a ModelEvaluation's files (metrics.jsonl, plots.jsonl, validations.json,
 * eval_config.json) as the evaluation payload, with HTML and text fallbacks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import {
  check,
  dict,
  EVAL_CONFIG_FILE,
  EvalConfigSchema,
  FileFormatError,
  METRICS_FILE,
  MetricsForSliceSchema,
  optionalFields,
  parseJsonText,
  PayloadError,
  PLOTS_FILE,
  PlotsForSliceSchema,
  singleSliceKeyValue,
  sliceKeyName,
  str,
  VALIDATIONS_FILE,
  ValidationResultSchema,
  withDefault,
  type EvaluationFailure,
  type EvaluationPayload,
  type EvaluationSlice,
  type EvaluationThreshold,
  type MetricKeyAndValue,
  type MetricsForSlice,
  type PlotsForSlice,
  type SlicePlots,
  type ValidationResult,
} from '@tsfx/protocol';
import { TsfxError } from '../errors';
import { configuredThresholds } from '../evaluation/thresholds';
import type { ArtifactRecord } from '../metadata/types';
import { artifactRef } from './examplesView';
import { escapeHtml, htmlTable } from './html';

/** At most this many slices' plots go in a payload (whole slicings, the overall slice first). */
export const MAX_PLOT_SLICES = 32;

/** TFMA's EvalRun as the Evaluator writes eval_config.json (what the view reads of it). */
const EvalRunSchema = optionalFields({
  evalConfig: v.optional(EvalConfigSchema),
  modelLocations: withDefault(dict(str()), () => ({})),
});

export interface EvaluationFiles {
  metrics: MetricsForSlice[];
  plots: PlotsForSlice[];
  validation: ValidationResult | null;
  evalRun: v.InferOutput<typeof EvalRunSchema> | null;
}

/** A file's text, or a refusal naming it. */
function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new TsfxError(`${path}: cannot read (${(error as Error).message})`);
  }
}

/** One checked message per non-blank line; a bad line is refused as `<path>:<line>: …`. */
function readJsonLines<S extends v.GenericSchema>(
  path: string,
  schema: S,
  what: string,
): v.InferOutput<S>[] {
  return readText(path)
    .split('\n')
    .flatMap((line, i) =>
      line.trim() === '' ? [] : [checked(line, `${path}:${i + 1}`, schema, what)],
    );
}

function readJson<S extends v.GenericSchema>(
  path: string,
  schema: S,
  what: string,
): v.InferOutput<S> {
  return checked(readText(path), path, schema, what);
}

function checked<S extends v.GenericSchema>(
  text: string,
  where: string,
  schema: S,
  what: string,
): v.InferOutput<S> {
  try {
    return check(schema, parseJsonText(text, where, what), what, where);
  } catch (error) {
    if (error instanceof FileFormatError) throw new TsfxError(error.message);
    if (error instanceof PayloadError) throw new TsfxError(`${where}: ${error.message}`);
    throw error;
  }
}

/** The files of a ModelEvaluation artifact; validations.json and eval_config.json are optional. */
export function readEvaluationFiles(uri: string): EvaluationFiles {
  const optional = <T>(name: string, read: (path: string) => T): T | null =>
    existsSync(join(uri, name)) ? read(join(uri, name)) : null;
  return {
    metrics: readJsonLines(join(uri, METRICS_FILE), MetricsForSliceSchema, 'MetricsForSlice'),
    plots:
      optional(PLOTS_FILE, (p) => readJsonLines(p, PlotsForSliceSchema, 'PlotsForSlice')) ?? [],
    validation: optional(VALIDATIONS_FILE, (p) =>
      readJson(p, ValidationResultSchema, 'ValidationResult'),
    ),
    evalRun: optional(EVAL_CONFIG_FILE, (p) => readJson(p, EvalRunSchema, 'EvalRun')),
  };
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
  return configuredThresholds(config, 'eval_config.json evalConfig').map(
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

export function evaluationPayload(
  artifact: ArtifactRecord,
  producer: string | null,
): EvaluationPayload {
  return evaluationPayloadOf(readEvaluationFiles(artifact.uri), artifactRef(artifact, producer));
}

const fmt = (x: number | null): string => (x === null ? 'NaN' : String(Number(x.toPrecision(4))));

/** The validation verdict in words. */
export function verdictText(validation: EvaluationPayload['validation']): string {
  if (validation.missingThresholds) return 'not validated (no thresholds)';
  const n = validation.failures.length;
  const stamp = validation.rubberStamp ? ', no baseline: change thresholds skipped' : '';
  return validation.ok
    ? `validation OK${stamp}`
    : `validation FAILED (${n} failure${n === 1 ? '' : 's'})${stamp}`;
}

export function evaluationText(payload: EvaluationPayload): string {
  const overall = payload.slices.find((s) => s.slicing === 'Overall');
  const show = ['example_count', 'auc', 'binary_accuracy', 'loss'];
  const metrics = (overall?.metrics ?? [])
    .filter((m) => show.includes(m.name))
    .map((m) => `${m.name} ${fmt(m.candidate)}`)
    .join(', ');
  return `ModelEvaluation ${payload.artifact.id ?? ''} at ${payload.artifact.uri}: ${payload.slices.length} slices (${payload.slicings.map((s) => s.name).join(', ')}); ${verdictText(payload.validation)}; Overall ${metrics}`;
}

/** At most this many slices in the HTML fallback's table (the notebook file stays small). */
const HTML_SLICES = 40;
const HTML_METRICS = ['example_count', 'auc', 'binary_accuracy', 'precision', 'recall', 'loss'];

/** The static fallback: the verdict, the failures, and a table of the slices' main metrics. */
export function evaluationHtml(payload: EvaluationPayload): string {
  const withBaseline = payload.baseline !== null;
  const cell = (m: EvaluationSlice['metrics'][number] | undefined) =>
    !m
      ? null
      : withBaseline && m.diff !== null
        ? `${fmt(m.candidate)} (${m.diff >= 0 ? '+' : ''}${fmt(m.diff)})`
        : fmt(m.candidate);
  const rows = payload.slices
    .slice(0, HTML_SLICES)
    .map((s) => [
      s.name,
      ...HTML_METRICS.map((name) =>
        s.suppressed ? null : cell(s.metrics.find((m) => m.name === name)),
      ),
    ]);
  const more =
    payload.slices.length > HTML_SLICES
      ? `<div style="color:#777">… and ${payload.slices.length - HTML_SLICES} more slices</div>`
      : '';
  const failures = payload.validation.failures
    .map((f) => `<li style="color:#c62828">${escapeHtml(f.message)}</li>`)
    .join('');
  const colour = payload.validation.ok ? '#2e7d32' : '#c62828';
  return `<div class="tsfx-evaluation" style="font-family:sans-serif;font-size:12px">
<div><b>ModelEvaluation</b> <code>${escapeHtml(payload.artifact.uri)}</code></div>
<div style="color:${colour};font-weight:bold">${escapeHtml(verdictText(payload.validation))}</div>
${failures ? `<ul>${failures}</ul>` : ''}
${htmlTable(['slice', ...HTML_METRICS], rows, { caption: withBaseline ? 'candidate (diff against the baseline)' : undefined })}
${more}
</div>`;
}

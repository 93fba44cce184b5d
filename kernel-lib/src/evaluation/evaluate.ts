/**
 * Evaluation of one or two models (candidate, optional baseline) on raw examples, as TFMA's
 * ExtractEvaluateAndWriteResults does it: each example is scored through the model's serving
 * bundle (the transform graph the model was trained with, then the model), assigned to the
 * slices of every slicing spec, and every binary metric and plot is computed per slice, then
 * validated against the config's thresholds.
 *
 * Examples stream from Parquet in batches, scored in one worker thread a core over consecutive
 * runs of the rows (parallelScoring.ts; scoring.ts is what each thread does); what is kept per
 * example is compact and exact: its prediction per model (float32), its label (uint8) and its
 * slice id per slicing spec (int32), 4 to 20 bytes an example. Metrics are exact (no threshold discretisation): the predictions are sorted
 * once per model (a radix sort), and each spec's slices take their rows from that order (a stable
 * partition), so every slice is one linear pass.
 */
import type {
  ConfidenceIntervalJson,
  EvalConfig,
  MetricKeyAndValueJson,
  MetricsForSliceJson,
  MetricsValidationForSliceJson,
  PlotsForSliceJson,
  SlicingSpec,
  ValidationResultJson,
  ValueType,
} from '@tsfx/protocol';
import { TsfxError } from '../errors';
import { availableParallelism } from 'node:os';
import { compileColumnTransform, valuesOfColumns, type TypedColumns } from '../transform/columns';
import { parquetColumns } from '../transform/rows';
import { parquetRowCounts, readParquetColumnChunks, splitRows } from './columnChunks';
import { BATCH_ROWS, scoreInWorkers, type ScoreJob } from './parallelScoring';
import { ExampleScorer, type Scores, type ScoringPlan } from './scoring';
import { columnScorer, type ServingBundle } from '../trainer/servingBundle';
import {
  BINARY_METRIC_NAMES,
  binaryMetricsOfSorted,
  calibrationBuckets,
  confusionMatricesOfSorted,
  confusionMatrixThresholds,
  sortByPrediction,
  type BinaryMetricName,
  type BinaryMetricValues,
} from './metrics';
import { poissonWeights, tInterval, BOOTSTRAP_SAMPLES } from './bootstrap';
import {
  compareSliceKeys,
  isOverall,
  sliceKeyJson,
  sliceName,
  sliceOfSpec,
  specFeatures,
  type Slice,
} from './slicing';
import {
  configuredThresholds,
  protoDouble,
  validateSlice,
  type ConfiguredThreshold,
} from './thresholds';

/** Plot resolution (TFMA's defaults are 1,000 thresholds and 1,000 buckets; JSON lines stay small). */
export const CONFUSION_MATRIX_THRESHOLDS = 100;
export const CALIBRATION_BUCKETS = 100;

/** The message TFMA gives a slice under `minSliceSize` (slicer_lib.FilterOutSlices). */
export function smallSliceMessage(minSliceSize: number): string {
  return `Example count for this slice key is lower than the minimum required value: ${minSliceSize}. No data is aggregated for this slice.`;
}

export const CANDIDATE = 'candidate';
export const BASELINE = 'baseline';

/** An EvalConfig with TFMA's defaults applied: the overall slice when no spec is given. */
export interface ResolvedEvalConfig {
  config: EvalConfig;
  labelKey: string;
  slicingSpecs: SlicingSpec[];
  thresholds: ConfiguredThreshold[];
  minSliceSize: number;
}

/** Checks an EvalConfig's meaning (its shape is checked by the protocol schema). */
export function resolveEvalConfig(config: EvalConfig, root = 'evalConfig'): ResolvedEvalConfig {
  const candidates = config.modelSpecs
    .map((spec, i) => ({ spec, i }))
    .filter(({ spec }) => !spec.isBaseline);
  if (candidates.length !== 1) {
    throw new TsfxError(
      `${root}.modelSpecs: one model spec (the candidate) with a labelKey is required`,
    );
  }
  const { spec, i } = candidates[0];
  if (!spec.labelKey) throw new TsfxError(`${root}.modelSpecs[${i}].labelKey is required`);
  config.slicingSpecs.forEach((s, k) => {
    for (const key of s.featureKeys) {
      if (key in s.featureValues) {
        throw new TsfxError(
          `${root}.slicingSpecs[${k}]: ${key} is in both featureKeys and featureValues`,
        );
      }
    }
    if (new Set(s.featureKeys).size !== s.featureKeys.length) {
      throw new TsfxError(`${root}.slicingSpecs[${k}].featureKeys: a key is repeated`);
    }
  });
  return {
    config,
    labelKey: spec.labelKey,
    slicingSpecs:
      config.slicingSpecs.length > 0
        ? config.slicingSpecs
        : [{ featureKeys: [], featureValues: {} }],
    thresholds: configuredThresholds(config, root),
    minSliceSize: config.options.minSliceSize ?? 0,
  };
}

export interface EvaluateOptions {
  /** Parquet files of raw examples. */
  files: readonly string[];
  config: ResolvedEvalConfig;
  candidate: ServingBundle;
  baseline?: ServingBundle;
  log?: (message: string) => void;
  signal?: AbortSignal;
  /** Seed of the Poisson bootstrap (confidence intervals). */
  seed?: number;
  /**
   * Threads scoring the examples (default: one a core, when there are 50,000 examples a thread);
   * given, that many (at most one an example).
   */
  threads?: number;
}

export interface EvaluationResult {
  numExamples: number;
  numSlices: number;
  metrics: MetricsForSliceJson[];
  plots: PlotsForSliceJson[];
  validation: ValidationResultJson;
  /**
   * Seconds reading and scoring examples, and computing metrics, plots and validations: wall
   * time, and CPU time of the process (every thread) in each phase.
   */
  timings: {
    scoreSeconds: number;
    metricSeconds: number;
    scoreCpuSeconds: number;
    metricCpuSeconds: number;
  };
}

interface EvaluatedModel {
  name: string;
  bundle: ServingBundle;
}

/** Examples a worker thread must have to be worth its start. */
const MIN_ROWS_PER_THREAD = 50_000;

export async function evaluate(options: EvaluateOptions): Promise<EvaluationResult> {
  const started = process.hrtime.bigint();
  const startedCpu = process.cpuUsage();
  const { config, candidate, baseline } = options;
  const log = options.log ?? (() => {});
  const models: EvaluatedModel[] = [
    { name: baseline ? CANDIDATE : '', bundle: candidate },
    ...(baseline ? [{ name: BASELINE, bundle: baseline }] : []),
  ];
  const plan = await planColumns(options.files, config, candidate, models);
  const { scores, slices } = await scoreExamples(options, plan, models);
  if (scores.numExamples === 0) throw new TsfxError(`no examples in ${options.files.join(', ')}`);
  const scored = process.hrtime.bigint();
  const scoredCpu = process.cpuUsage();
  log(`${scores.numExamples} examples scored by ${models.length} model(s)`);

  const result = computeSliceMetrics({
    labels: scores.labels,
    predictions: scores.predictions,
    modelNames: models.map((m) => m.name),
    specs: config.slicingSpecs.map((spec, s) => ({ spec, slices: slices[s] })),
    sliceIds: scores.sliceIds,
    config,
    seed: options.seed ?? 0,
    signal: options.signal,
  });
  const done = process.hrtime.bigint();
  const cpuSeconds = (from: NodeJS.CpuUsage, to: NodeJS.CpuUsage) =>
    (to.user - from.user + to.system - from.system) / 1e6;
  return {
    numExamples: scores.numExamples,
    ...result,
    timings: {
      scoreSeconds: Number(scored - started) / 1e9,
      metricSeconds: Number(done - scored) / 1e9,
      scoreCpuSeconds: cpuSeconds(startedCpu, scoredCpu),
      metricCpuSeconds: cpuSeconds(scoredCpu, process.cpuUsage()),
    },
  };
}

/**
 * Every example's label, predictions and slices: in worker threads when there are enough rows
 * and every model has a plain-JavaScript forward pass (parallelScoring.ts), else in this thread.
 */
async function scoreExamples(
  options: EvaluateOptions,
  plan: ColumnPlan,
  models: EvaluatedModel[],
): Promise<{ scores: Scores; slices: Slice[][] }> {
  const threads = options.threads ?? availableParallelism();
  if (threads > 1 && models.every((m) => m.bundle.forward)) {
    const counts = await parquetRowCounts(options.files);
    const total = counts.reduce((a, b) => a + b, 0);
    const parts =
      options.threads !== undefined
        ? Math.min(threads, total)
        : Math.min(threads, Math.floor(total / MIN_ROWS_PER_THREAD));
    if (parts > 1) {
      const runs = splitRows(options.files, counts, parts);
      let firstExample = 0;
      const jobs = runs.map((ranges): ScoreJob => {
        const job: ScoreJob = {
          ranges,
          firstExample,
          files: [...options.files],
          rawColumns: plan.rawColumns,
          labelKey: plan.labelKey,
          derivedGraph: plan.derived ? options.candidate.graph : null,
          derivedNames: [...plan.derivedNames],
          sliceFeatures: plan.sliceFeatures,
          slicingSpecs: plan.slicingSpecs,
          types: plan.types,
          models: models.map(({ name, bundle }) => ({
            name,
            graph: bundle.graph,
            spec: bundle.manifest.featureSpec,
            plan: bundle.forward!.plan,
          })),
        };
        firstExample += ranges.reduce((n, r) => n + r.to - r.from, 0);
        return job;
      });
      return scoreInWorkers(jobs, options.signal);
    }
  }
  const scorer = new ExampleScorer(
    plan,
    models.map(({ name, bundle }) => ({
      name,
      // The forward pass over typed columns, as in the threads (the bundle's own columns path
      // gives the same values from arrays of values).
      predictColumns: bundle.forward
        ? columnScorer(bundle.graph, bundle.manifest.featureSpec, bundle.forward.predict)
        : (columns: TypedColumns, numRows: number) =>
            bundle.predictColumns(valuesOfColumns(columns), numRows),
    })),
  );
  for await (const chunk of readParquetColumnChunks(options.files, plan.rawColumns, BATCH_ROWS)) {
    if (options.signal?.aborted) throw new TsfxError('interrupted');
    scorer.add(chunk);
  }
  return { scores: scorer.scores(), slices: scorer.slicers.map((s) => s.slices) };
}

interface ColumnPlan extends ScoringPlan {
  /** The raw columns to read. */
  rawColumns: string[];
}

async function planColumns(
  files: readonly string[],
  config: ResolvedEvalConfig,
  candidate: ServingBundle,
  models: EvaluatedModel[],
): Promise<ColumnPlan> {
  const present = new Map((await parquetColumns(files)).map((c) => [c.name, c.type]));
  const graph = candidate.graph;
  const outputs = new Map(graph.graph.outputs.map((o) => [o.name, o.type]));
  const sliceFeatures = [...new Set(config.slicingSpecs.flatMap(specFeatures))];
  const derivedNames = new Set<string>();
  const raw = new Set<string>();
  const types: Record<string, ValueType> = {};
  for (const name of [config.labelKey, ...sliceFeatures]) {
    const output = outputs.get(name);
    if (output) {
      derivedNames.add(name);
      types[name] = output;
    } else if (present.has(name)) {
      raw.add(name);
      types[name] = present.get(name)!;
    } else {
      const what = name === config.labelKey ? 'labelKey' : 'slicing feature';
      throw new TsfxError(
        `${what} ${name} is neither a column of the examples (${files[0]}) nor an output of the model's transform graph`,
      );
    }
  }
  const derived = derivedNames.size > 0 ? compileColumnTransform(graph, [...derivedNames]) : null;
  for (const name of derived?.requiredFeatures ?? []) raw.add(name);
  for (const model of models) {
    for (const feature of model.bundle.manifest.rawFeatures) raw.add(feature.name);
  }
  const missing = [...raw].filter((name) => !present.has(name));
  if (missing.length > 0) {
    throw new TsfxError(`${files[0]}: no column ${missing.join(', ')} (the model reads it)`);
  }
  return {
    rawColumns: [...raw],
    labelKey: config.labelKey,
    derived,
    derivedNames,
    sliceFeatures,
    slicingSpecs: config.slicingSpecs,
    types,
  };
}

// ---- metrics per slice -------------------------------------------------------------------------

interface SliceInputs {
  labels: Uint8Array;
  predictions: Float32Array[];
  modelNames: string[];
  /** Per slicing spec, its slices (ids in `sliceIds`). */
  specs: { spec: SlicingSpec; slices: Slice[] }[];
  sliceIds: Int32Array[];
  config: ResolvedEvalConfig;
  seed: number;
  signal?: AbortSignal;
}

interface SliceResult {
  slice: Slice;
  suppressed: boolean;
  values: BinaryMetricValues[];
  /** Per model, per bootstrap replicate. */
  samples: BinaryMetricValues[][] | null;
  plots: PlotsForSliceJson['plotKeysAndValues'];
}

function computeSliceMetrics(
  inputs: SliceInputs,
): Omit<EvaluationResult, 'numExamples' | 'timings'> {
  const { labels, predictions, modelNames, specs, sliceIds, config } = inputs;
  const n = labels.length;
  const orders = predictions.map((p) => sortByPrediction(p));
  const withIntervals = config.config.options.computeConfidenceIntervals;
  const weights = withIntervals ? poissonWeights(n, BOOTSTRAP_SAMPLES, inputs.seed) : null;
  // Per model, the examples' labels, predictions and weights in that model's order: every pass
  // over a slice then reads forwards through memory (positions in this order, ascending).
  const inOrder = orders.map((order, m) => ({
    labels: permute(labels, order, new Uint8Array(n)),
    predictions: permute(predictions[m], order, new Float32Array(n)),
    weights: weights?.map((w) => permute(w, order, new Uint8Array(n))) ?? null,
  }));
  const thresholds = confusionMatrixThresholds(CONFUSION_MATRIX_THRESHOLDS);
  const results: SliceResult[] = [];
  specs.forEach((slicer, s) => {
    if (inputs.signal?.aborted) throw new TsfxError('interrupted');
    const ids = sliceIds[s];
    const starts = new Int32Array(slicer.slices.length + 1);
    slicer.slices.forEach((slice, k) => (starts[k + 1] = slice.count));
    for (let k = 0; k < slicer.slices.length; k++) starts[k + 1] += starts[k];
    // Each model's positions (in its order) of every slice's examples, ascending.
    const grouped = orders.map((order) => {
      const next = starts.slice(0, -1);
      const out = new Int32Array(starts[slicer.slices.length]);
      for (let j = 0; j < n; j++) {
        const id = ids[order[j]];
        if (id >= 0) out[next[id]++] = j;
      }
      return out;
    });
    const sorted = slicer.slices
      .map((slice, id) => ({ slice, id }))
      .sort((a, b) => compareSliceKeys(a.slice.key, b.slice.key));
    for (const { slice, id } of sorted) {
      const suppressed = !isOverall(slicer.spec) && slice.count < config.minSliceSize;
      const rowsOf = (m: number) => grouped[m].subarray(starts[id], starts[id + 1]);
      const result: SliceResult = { slice, suppressed, values: [], samples: null, plots: [] };
      if (!suppressed) {
        result.values = inOrder.map((o, m) =>
          binaryMetricsOfSorted(o.labels, o.predictions, rowsOf(m)),
        );
        if (weights) {
          result.samples = inOrder.map((o, m) =>
            o.weights!.map((w) => binaryMetricsOfSorted(o.labels, o.predictions, rowsOf(m), w)),
          );
        }
        result.plots = inOrder.map(({ labels, predictions: p }, m) => ({
          key: modelNames[m] ? { modelName: modelNames[m] } : {},
          value: {
            calibrationHistogramBuckets: {
              buckets: calibrationBuckets(labels, p, rowsOf(m), CALIBRATION_BUCKETS).map((b) => ({
                ...b,
                lowerThresholdInclusive: protoDouble(b.lowerThresholdInclusive),
                upperThresholdExclusive: protoDouble(b.upperThresholdExclusive),
              })),
            },
            confusionMatrixAtThresholds: {
              matrices: confusionMatricesOfSorted(labels, p, rowsOf(m), thresholds).map((row) => ({
                ...row,
                falsePositiveRate: protoDouble(row.falsePositiveRate),
                f1: protoDouble(row.f1),
              })),
            },
          },
        }));
      }
      results.push(result);
    }
  });
  return assemble(results, modelNames, config);
}

/** out[j] = values[order[j]]. */
function permute<T extends Uint8Array | Float32Array>(
  values: ArrayLike<number>,
  order: Int32Array,
  out: T,
): T {
  for (let j = 0; j < order.length; j++) out[j] = values[order[j]];
  return out;
}

function assemble(
  results: SliceResult[],
  modelNames: string[],
  config: ResolvedEvalConfig,
): Omit<EvaluationResult, 'numExamples' | 'timings'> {
  const metrics: MetricsForSliceJson[] = [];
  const plots: PlotsForSliceJson[] = [];
  const perSlice: MetricsValidationForSliceJson[] = [];
  let validated = 0;
  const hasBaseline = modelNames.length > 1;
  for (const result of results) {
    const sliceKey = sliceKeyJson(result.slice.key);
    if (result.suppressed) {
      const debugMessage = smallSliceMessage(config.minSliceSize);
      metrics.push({ sliceKey, metrics: { __ERROR__: { debugMessage } } });
      plots.push({ sliceKey, plots: { __ERROR__: { debugMessage } } });
      continue;
    }
    metrics.push({ sliceKey, metricKeysAndValues: metricEntries(result, modelNames) });
    plots.push({ sliceKey, plotKeysAndValues: result.plots });
    if (config.thresholds.length > 0) {
      validated++;
      const failures = validateSlice(
        {
          name: sliceName(result.slice.key),
          candidate: result.values[0],
          baseline: hasBaseline ? result.values[1] : undefined,
        },
        config.thresholds.filter(
          (t) =>
            !t.slicingSpecs || t.slicingSpecs.some((spec) => sliceOfSpec(result.slice.key, spec)),
        ),
        { candidate: modelNames[0] || undefined },
      );
      if (failures.length > 0) perSlice.push({ sliceKey, failures });
    }
  }
  const missingThresholds = config.thresholds.length === 0;
  const validation: ValidationResultJson = {
    validationOk: !missingThresholds && perSlice.length === 0,
    ...(missingThresholds ? { missingThresholds: true } : {}),
    metricValidationsPerSlice: perSlice,
    validationDetails: missingThresholds
      ? {}
      : { slicingDetails: [{ slicingSpec: {}, numMatchingSlices: validated }] },
    ...(hasBaseline ? {} : { rubberStamp: true }),
  };
  return { numSlices: results.length, metrics, plots, validation };
}

/** Metrics without a confidence interval (TFMA: counts are not sampled quantities). */
const NO_INTERVAL = new Set<BinaryMetricName>(['example_count', 'weighted_example_count']);

/** Keys sorted as TFMA sorts MetricKeys: by name, then model name, the diff last. */
function metricEntries(result: SliceResult, modelNames: string[]): MetricKeyAndValueJson[] {
  const entries: MetricKeyAndValueJson[] = [];
  const names = [...BINARY_METRIC_NAMES].sort();
  const models = modelNames
    .map((name, m) => ({ name, m }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const metric of names) {
    const interval = (samples: number[] | null) =>
      samples && !NO_INTERVAL.has(metric) ? { confidenceInterval: intervalJson(samples) } : {};
    for (const { name, m } of models) {
      entries.push({
        key: name ? { name: metric, modelName: name } : { name: metric },
        value: { doubleValue: protoDouble(result.values[m][metric]) },
        ...interval(result.samples?.[m].map((v) => v[metric]) ?? null),
      });
    }
    if (modelNames.length > 1) {
      const diff = result.values[0][metric] - result.values[1][metric];
      const diffSamples = result.samples
        ? result.samples[0].map((v, r) => v[metric] - result.samples![1][r][metric])
        : null;
      entries.push({
        key: { name: metric, modelName: modelNames[0], isDiff: true },
        value: { doubleValue: protoDouble(diff) },
        ...interval(diffSamples),
      });
    }
  }
  return entries;
}

function intervalJson(samples: number[]): ConfidenceIntervalJson {
  const { lower, upper, standardError, degreesOfFreedom } = tInterval(samples);
  return {
    lowerBound: { doubleValue: protoDouble(lower) },
    upperBound: { doubleValue: protoDouble(upper) },
    standardError: { doubleValue: protoDouble(standardError) },
    degreesOfFreedom: String(degreesOfFreedom),
  };
}

/**
 * The Chicago Taxi pipeline: will a rider tip more than 20% of the fare?
 *
 * Run it with `npx tsfx run notebooks/dags/taxi_pipeline.ts` (options: --data-root,
 * --pipeline-root, --metadata, --no-cache), or import `createPipeline` from a notebook. It is
 * also the scheduler's DAG `chicago_taxi` (its options below): `npx tsfx scheduler`, then
 * `npx tsfx dags unpause chicago_taxi` and `npx tsfx dags trigger chicago_taxi`.
 */
import { join, resolve } from 'node:path';
import {
  CsvExampleGen,
  Evaluator,
  ExampleValidator,
  Pipeline,
  Pusher,
  Resolver,
  SchemaGen,
  StatisticsGen,
  Trainer,
  Transform,
  type EvalConfigJson,
  type DagOptions,
} from 'tsfx';

export const PIPELINE_NAME = 'chicago_taxi';

/** The repository root: this file is notebooks/dags/taxi_pipeline.ts. */
const REPO_ROOT = resolve(__dirname, '..', '..');

export interface TaxiPipelineParams {
  /** Folder of the taxi CSV files; default `data/chicago_taxi`. */
  dataRoot?: string;
  /** Where artifacts go; default `.tsfx/pipelines/chicago_taxi`. */
  pipelineRoot?: string;
  /** Metadata store; default `.tsfx/metadata.sqlite`. */
  metadataPath?: string;
  /**
   * Where the Pusher puts blessed models for `tsfx serve`; default
   * `.tsfx/serving_model/chicago_taxi`, or `<pipelineRoot>/serving_model` when a pipeline root is
   * given.
   */
  servingModelDir?: string;
  enableCache?: boolean;
  /** Training batches (of 512); a run's config may lower it for a quick run. */
  trainSteps?: number;
}

/** The module file with `preprocessingFn` (Transform) and `runFn` (Trainer). */
export const MODULE_FILE = join(__dirname, 'taxi_utils.ts');
/**
 * Training batches (of 256): about five passes over the sample's 10k training rows (the eval AUC
 * peaks there; more passes overfit).
 */
export const TRAIN_STEPS = 200;

/**
 * TFX's taxi EvalConfig (TFMA): the label is the module file's `tips_xf`; metrics overall and by
 * hour of the day. The model is blessed when its binary accuracy is at least 0.6 on every slice,
 * its overall AUC at least 0.9, and (once a Resolver gives a baseline: the latest blessed model)
 * its binary accuracy no worse than the baseline's on every slice. Slices of fewer than 10 eval examples would not
 * be reported, so not validated (every hour of the sample's eval split has more).
 */
export const TAXI_EVAL_CONFIG: EvalConfigJson = {
  modelSpecs: [
    {
      signatureName: 'serving_default',
      labelKey: 'tips_xf',
      preprocessingFunctionNames: ['transform_features'],
    },
  ],
  slicingSpecs: [{}, { featureKeys: ['trip_start_hour'] }],
  metricsSpecs: [
    {
      metrics: [
        { className: 'ExampleCount' },
        {
          className: 'BinaryAccuracy',
          threshold: {
            valueThreshold: { lowerBound: 0.6 },
            changeThreshold: { direction: 'HIGHER_IS_BETTER', absolute: -1e-10 },
          },
        },
        {
          // Overall only: an hour of ~50 eval trips (5 a.m.) scores an AUC of about 0.85.
          className: 'AUC',
          perSliceThresholds: [
            { slicingSpecs: [{}], threshold: { valueThreshold: { lowerBound: 0.9 } } },
          ],
        },
      ],
    },
  ],
  options: { minSliceSize: 10 },
};

export const DEFAULTS = {
  dataRoot: join(REPO_ROOT, 'data', 'chicago_taxi'),
  pipelineRoot: join(REPO_ROOT, '.tsfx', 'pipelines', PIPELINE_NAME),
  metadataPath: join(REPO_ROOT, '.tsfx', 'metadata.sqlite'),
  servingModelDir: join(REPO_ROOT, '.tsfx', 'serving_model', PIPELINE_NAME),
};

/**
 * The DAG, as the workshop's Airflow DAG: run on demand only (TFX's taxi DAG has no schedule),
 * paused when the scheduler first sees it (Airflow's default), one run at a time.
 */
export const dag: DagOptions = {
  dagId: PIPELINE_NAME,
  description: 'Chicago Taxi: will a rider tip more than 20% of the fare?',
  schedule: null,
  startDate: '2019-01-01',
  catchup: false,
  maxActiveRuns: 1,
  isPausedUponCreation: true,
  params: { trainSteps: TRAIN_STEPS },
  defaultArgs: { retries: 1, retryDelay: { seconds: 30 } },
  tags: ['taxi', 'workshop'],
};

export function createPipeline(params: TaxiPipelineParams = {}): Pipeline {
  const pipelineRoot = params.pipelineRoot ?? DEFAULTS.pipelineRoot;
  // Part 1: ingest, then understand the data (statistics, an inferred schema, anomalies).
  const exampleGen = new CsvExampleGen({ inputBase: params.dataRoot ?? DEFAULTS.dataRoot });
  const statisticsGen = new StatisticsGen({ examples: exampleGen.outputs.examples });
  const schemaGen = new SchemaGen({
    statistics: statisticsGen.outputs.statistics,
    inferFeatureShape: false,
  });
  const exampleValidator = new ExampleValidator({
    statistics: statisticsGen.outputs.statistics,
    schema: schemaGen.outputs.schema,
  });
  // Part 2: feature engineering, with analyzers over the training split.
  const transform = new Transform({
    examples: exampleGen.outputs.examples,
    schema: schemaGen.outputs.schema,
    moduleFile: MODULE_FILE,
  });
  // Part 3: train the wide & deep model (rows streamed from Parquet through a shuffle buffer),
  // validated at each epoch's end on the first 20,480 eval rows; the whole split is the Evaluator's.
  const trainer = new Trainer({
    examples: transform.outputs.transformed_examples,
    transformGraph: transform.outputs.transform_graph,
    schema: schemaGen.outputs.schema,
    moduleFile: MODULE_FILE,
    trainArgs: { numSteps: params.trainSteps ?? TRAIN_STEPS },
    evalArgs: { numSteps: 0 },
  });
  // Part 4: the latest blessed model of earlier runs (none on a first run) is the baseline; the
  // new model is evaluated on the raw eval split, sliced, and blessed when its thresholds pass.
  const modelResolver = new Resolver({
    strategy: 'latestBlessedModel',
    model: 'Model',
    modelBlessing: 'ModelBlessing',
  }).withId('latest_blessed_model_resolver');
  const evaluator = new Evaluator({
    examples: exampleGen.outputs.examples,
    model: trainer.outputs.model,
    baselineModel: modelResolver.outputs.model,
    evalConfig: TAXI_EVAL_CONFIG,
  });
  // Part 5: a blessed model goes where `tsfx serve` looks for it.
  const pusher = new Pusher({
    model: trainer.outputs.model,
    modelBlessing: evaluator.outputs.blessing,
    pushDestination: {
      filesystem: {
        baseDirectory:
          params.servingModelDir ??
          (params.pipelineRoot ? join(pipelineRoot, 'serving_model') : DEFAULTS.servingModelDir),
      },
    },
  });
  return new Pipeline({
    name: PIPELINE_NAME,
    pipelineRoot,
    // A given pipeline root keeps its own store unless a store is named too.
    metadataPath: params.metadataPath ?? (params.pipelineRoot ? undefined : DEFAULTS.metadataPath),
    enableCache: params.enableCache ?? true,
    components: [
      exampleGen,
      statisticsGen,
      schemaGen,
      exampleValidator,
      transform,
      trainer,
      modelResolver,
      evaluator,
      pusher,
    ],
  });
}

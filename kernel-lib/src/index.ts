export * from '@tsfx/protocol';
export { ARTIFACT_TYPES, type ArtifactType, isArtifactType } from './artifacts/artifactTypes';
export { splitNames, splitUri } from './artifacts/splits';
export {
  CsvExampleGen,
  DEFAULT_SPLITS,
  type SplitSpec,
  type CsvExampleGenParameters,
} from './components/CsvExampleGen';
export { StatisticsGen, type StatisticsGenParameters } from './components/StatisticsGen';
export { SchemaGen, type SchemaGenParameters } from './components/SchemaGen';
export { ImportSchemaGen, type ImportSchemaGenParameters } from './components/ImportSchemaGen';
export {
  readSchemaFile,
  readStatisticsFile,
  readAnomaliesFile,
  readProtoJsonFile,
} from './artifacts/protoJsonFiles';
export { ExampleValidator, type ExampleValidatorParameters } from './components/ExampleValidator';
export {
  STATISTICS_FILE,
  SCHEMA_FILE,
  ANOMALIES_FILE,
  readSplitStatistics,
  readSplitAnomalies,
  splitFile,
} from './artifacts/splitFiles';
export {
  generateStatistics,
  generateStatisticsJson,
  type StatsInput,
  type StatsOptions,
} from './statistics';
export type * from '@tsfx/protocol';
export { inferSchema, type InferSchemaOptions } from './schema';
export type * from '@tsfx/protocol';
export { validateStatistics, hasAnomalies, type ValidateOptions } from './validation';
export type * from '@tsfx/protocol';
export { scanCsv, type CsvScanHandler, type CsvScanResult } from './csv/scanCsv';
export { TsfxError, InputError, PipelineDefinitionError, SkipComponent } from './errors';
export type { DagOptions, Interval } from './scheduler/dagOptions';
export { splitParquetFiles, readSplitSamples } from './examples/parquetExamples';
export { MetadataStore } from './metadata/MetadataStore';
export type * from './metadata/types';
export { Channel } from './pipeline/Channel';
export {
  Component,
  type ExecutorContext,
  type OutputArtifact,
  type Parameters,
  type ParameterValue,
  type ProgressUpdate,
} from './pipeline/Component';
export { Pipeline, type PipelineOptions } from './pipeline/Pipeline';
export {
  runComponent,
  recoverInterruptedExecutions,
  cancelRunningExecutions,
  artifactUri,
  newRunId,
  type ExecutionResult,
  type RunTarget,
} from './orchestration/runComponent';
export { resolveInputs } from './orchestration/resolveInputs';
export { runContextName } from './orchestration/runTarget';
export {
  recordRunIr,
  readPipelineIrFile,
  storedRunIr,
  runIrPath,
  PIPELINE_IR_PROPERTY,
} from './orchestration/pipelineIr';
export { livenessSocket, socketIsAlive } from './orchestration/liveness';
export { silentReporter, type ProgressReporter } from './orchestration/progress';
export {
  runPipeline,
  type PipelineRunResult,
  type RunPipelineOptions,
} from './orchestration/runPipeline';
export { TSFX_VERSION } from './version';
export {
  InteractiveContext,
  type InteractiveContextOptions,
  type VisualizeStatisticsOptions,
  type ShowArguments,
} from './interactive/InteractiveContext';
export { registerArtifactViewer, artifactViewer, type ArtifactViewer } from './display/viewers';
export {
  lineReporter,
  terminalReporter,
  progressText,
  progressBar,
  type TerminalStream,
} from './display/progress';
export { notebookReporter } from './display/notebookProgress';
export { displayBundle, artifactBundle, type MimeBundle } from './display/sendDisplay';
export { examplesPayload, examplesHtml } from './display/examplesView';
export { lineagePayload, lineageHtml } from './display/lineageView';
export { statisticsPayload, schemaPayload, anomaliesPayload } from './display/dataPayloads';
export { statisticsHtml, statisticsText } from './display/statisticsView';
export { schemaHtml, schemaText } from './display/schemaView';
export { anomaliesHtml, anomaliesText } from './display/anomaliesView';
export { escapeHtml, htmlTable } from './display/html';
export {
  Transform,
  type TransformParameters,
  PRE_TRANSFORM_STATS_DIR,
  POST_TRANSFORM_STATS_DIR,
} from './components/Transform';
export { Trainer, type TrainerParameters } from './components/Trainer';
export { Pusher, type PusherParameters, type PushDestination } from './components/Pusher';
export {
  pushToFilesystem,
  PUSH_TEMP_PREFIX,
  type PushOptions,
  type PushResult,
} from './serving/push';
export {
  checkBlessing,
  describeValidationFailures,
  type BlessingVerdict,
} from './serving/blessing';
export { listVersions, parseVersionPolicy, type VersionPolicy } from './serving/versions';
export {
  startModelServer,
  isLoopback,
  VERSION_HEADER,
  type ModelServer,
  type ModelServerOptions,
} from './serving/httpServer';
export { Evaluator, parseEvalConfig, type EvaluatorParameters } from './components/Evaluator';
export {
  evaluate,
  resolveEvalConfig,
  smallSliceMessage,
  type EvaluateOptions,
  type EvaluationResult,
  type ResolvedEvalConfig,
} from './evaluation/evaluate';
export {
  BINARY_METRIC_NAMES,
  binaryMetricValues,
  binaryMetricsOfSorted,
  sortByPrediction,
  confusionMatricesOfSorted,
  confusionMatrixThresholds,
  calibrationBuckets,
  type BinaryMetricName,
  type BinaryMetricValues,
} from './evaluation/metrics';
export { passesValueThreshold, passesChangeThreshold } from './evaluation/thresholds';
export { sliceName, sliceKeyJson } from './evaluation/slicing';
export {
  applyTransform,
  compileTransform,
  checkGraph,
  type TransformGraph,
  type LoadedTransformGraph,
  type GraphNode,
  type GraphOutput,
  type NodeOp,
  type RawRow,
  type TransformedRow,
  type TransformFn,
  type Value,
} from './transform/graph';
export {
  Column,
  Tft,
  tracePreprocessingFn,
  type Inputs,
  type Outputs,
  type PreprocessingFn,
  type VocabularyOptions,
} from './transform/tft';
export { analyzeGraph, type RowSource } from './transform/analyze';
export { buildTransformGraph, transformParquet } from './transform/run';
export {
  saveTransformGraph,
  loadTransformGraph,
  TRANSFORM_GRAPH_FILE,
  VOCABULARIES_DIR,
} from './transform/io';
export { fnv1a32, hashBucket } from './transform/hash';
export { readParquetRows, readAllParquetRows, writeParquetRows, toValue } from './transform/rows';
export { loadTf, tfjsNodeAvailable, type Tf, type BackendChoice } from './trainer/backend';
export {
  featureSpec,
  encodeFeatures,
  readExamples,
  rowsToColumns,
  specColumns,
  type FeatureSpec,
  type EncodedFeatures,
  type ExampleColumns,
} from './trainer/features';
export {
  parquetBatches,
  readExampleSample,
  inMemoryBatches,
  parquetRowCount,
  validationRows,
  DEFAULT_VALIDATION_ROWS,
  type ExampleBatches,
  type ParquetBatchesOptions,
} from './trainer/dataset';
export {
  fitBinaryClassifier,
  predictProbabilities,
  modelInputs,
  type FitOptions,
  type FitResult,
} from './trainer/fit';
export { rocAuc, accuracy, logLoss, binaryMetrics, type BinaryMetrics } from './trainer/metrics';
export {
  EventLog,
  EVENTS_FILE,
  formatMetric,
  type TrainingEvent,
  type Metrics,
} from './trainer/events';
export type { FnArgs, RunFn } from './trainer/fnArgs';
export {
  saveServingBundle,
  loadServingBundle,
  saveLayersModel,
  loadLayersModel,
  servingDir,
  SERVING_MODEL_DIR,
  SERVING_FILE,
  type ServingBundle,
  type ServingManifest,
} from './trainer/servingBundle';
export { trainingPayload, trainingHtml, trainingText } from './display/trainingView';
// ---- Resolver (latest blessed model, latest artifact) ----
export { Resolver, type ResolverOptions, type ResolverParameters } from './components/Resolver';
export {
  resolveWithStrategy,
  RESOLVER_STRATEGIES,
  type ResolverStrategy,
} from './orchestration/resolverStrategies';
// ---- what a pipeline run elsewhere produced, for a notebook ----
export {
  latestArtifacts,
  type LatestArtifacts,
  type StoredArtifact,
} from './interactive/latestArtifacts';

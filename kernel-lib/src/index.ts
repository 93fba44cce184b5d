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
export {
  ImportSchemaGen,
  readSchemaFile,
  type ImportSchemaGenParameters,
} from './components/ImportSchemaGen';
export { ExampleValidator, type ExampleValidatorParameters } from './components/ExampleValidator';
export {
  STATISTICS_FILE,
  SCHEMA_FILE,
  ANOMALIES_FILE,
  readSplitJson,
} from './artifacts/splitFiles';
export { generateStatistics, type StatsInput, type StatsOptions } from './statistics';
export type * from './statistics/proto';
export { inferSchema, type InferSchemaOptions } from './schema';
export type * from './schema/proto';
export { validateStatistics, hasAnomalies, type ValidateOptions } from './validation';
export type * from './validation/proto';
export { scanCsv, type CsvScanHandler, type CsvScanResult } from './csv/scanCsv';
export { ColumnTypeInference, inferValueRank } from './csv/inferColumnTypes';
export * from './display/payloads';
export { TsfxError, InputError, PipelineDefinitionError } from './errors';
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
export {
  runPipeline,
  type PipelineRunResult,
  type RunPipelineOptions,
} from './orchestration/runPipeline';
export { TSFX_VERSION } from './version';
export {
  InteractiveContext,
  registerArtifactViewer,
  type ArtifactViewer,
  type InteractiveContextOptions,
} from './interactive/InteractiveContext';
export { displayBundle, artifactBundle, type MimeBundle } from './display/sendDisplay';
export { examplesPayload, examplesHtml } from './display/examplesView';
export { lineagePayload, lineageHtml } from './display/lineageView';
export { statisticsPayload, schemaPayload, anomaliesPayload } from './display/dataPayloads';
export { statisticsHtml, statisticsText } from './display/statisticsView';
export { schemaHtml, schemaText } from './display/schemaView';
export { anomaliesHtml, anomaliesText } from './display/anomaliesView';
export { escapeHtml, htmlTable } from './display/html';

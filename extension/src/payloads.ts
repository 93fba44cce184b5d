/**
 * The payload types the renderers receive. They are defined once, in kernel-lib
 * (kernel-lib/src/display/payloads.ts); this module only re-exports them as types.
 */
export type {
  ArtifactRef,
  CellValue,
  ExamplesPayload,
  LineageNode,
  LineageNodeKind,
  LineagePayload,
  StatisticsPayload,
  SchemaPayload,
  AnomaliesPayload,
  ScalarPoint,
  TrainingPayload,
} from '../../kernel-lib/src/display/payloads.js';
export type {
  CommonStatistics,
  DatasetFeatureStatistics,
  FeatureNameStatistics,
  Histogram,
  HistogramBucket,
  NumericStatistics,
  RankHistogram,
  StatsFeatureType,
  StringStatistics,
} from '../../kernel-lib/src/statistics/proto.js';
export type {
  Feature as SchemaFeature,
  LifecycleStage,
  Schema,
  SchemaFeatureType,
  StringDomain,
} from '../../kernel-lib/src/schema/proto.js';
export type {
  AnomalyInfo,
  Anomalies,
  DriftSkewInfo,
  Measurement,
  MeasurementType,
  Reason,
  Severity,
} from '../../kernel-lib/src/validation/proto.js';

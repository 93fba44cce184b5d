/**
 * The JSON payloads tsfx sends to notebooks, one per artifact kind. Each is sent under its own
 * MIME type (see `MIME_TYPES`) next to a `text/html` fallback. The JupyterLab extension imports
 * these types, so this file is the single definition of what a renderer receives.
 */

import type { DatasetFeatureStatistics } from '../statistics/proto';
import type { Schema } from '../schema/proto';
import type { Anomalies } from '../validation/proto';
import type { ValueType } from '@tsfx/protocol';

/** A cell value as it is shown: numbers, strings, or null for a missing value. */
export type CellValue = number | string | null;

export interface ArtifactRef {
  id: number;
  type: string;
  uri: string;
  /** Component id of the producer, e.g. `CsvExampleGen`. */
  producer: string | null;
}

export interface ExamplesPayload {
  kind: 'examples';
  artifact: ArtifactRef;
  columns: { name: string; type: ValueType }[];
  splits: {
    name: string;
    numRows: number;
    /** The first rows of the split, in file order; each row has one value per column. */
    sampleRows: CellValue[][];
  }[];
}

export type LineageNodeKind = 'artifact' | 'execution';

export interface LineageNode {
  /** `a<id>` for artifacts, `e<id>` for executions. */
  id: string;
  kind: LineageNodeKind;
  /** Artifact type name (`Examples`) or component id (`CsvExampleGen`). */
  label: string;
  /** Artifact state (`LIVE`, …) or execution state (`COMPLETE`, `CACHED`, `FAILED`, …). */
  state: string;
  /** True for executions that reused cached outputs. */
  cached: boolean;
  properties: Record<string, string | number | boolean | null>;
}

export interface LineagePayload {
  kind: 'lineage';
  /** Node id of the artifact the graph was asked for. */
  focus: string;
  nodes: LineageNode[];
  /** `input`: artifact -> execution that read it; `output`: execution -> artifact it wrote. */
  edges: { source: string; target: string; kind: 'input' | 'output' }[];
}

/**
 * Statistics of one or several datasets (the splits of an ExampleStatistics artifact, or
 * statistics put side by side to compare them, e.g. train vs eval). Each dataset is TFDV's
 * `DatasetFeatureStatistics` proto3 JSON; `name` is the split (or a label the caller gave).
 */
export interface StatisticsPayload {
  kind: 'statistics';
  /** The artifacts the datasets come from (one, or several when comparing). */
  artifacts: ArtifactRef[];
  datasets: DatasetFeatureStatistics[];
}

/** A Schema artifact: TFDV's `Schema` proto3 JSON. */
export interface SchemaPayload {
  kind: 'schema';
  artifact: ArtifactRef;
  schema: Schema;
}

/** An ExampleAnomalies artifact: TFDV's `Anomalies` proto3 JSON per split. */
export interface AnomaliesPayload {
  kind: 'anomalies';
  artifact: ArtifactRef;
  splits: { name: string; anomalies: Anomalies }[];
}

/** One scalar of a training curve, as TensorBoard records it. */
export interface ScalarPoint {
  step: number;
  /** Seconds since the Unix epoch. */
  wallTime: number;
  value: number;
}

/**
 * A training run's curves (a ModelRun artifact, or a Trainer while it runs), shaped like
 * TensorBoard's scalars: runs (`train` per batch, `train_epoch` and `validation` per epoch), each
 * with one series per metric (`loss`, `accuracy`, `auc`).
 */
export interface TrainingPayload {
  kind: 'training';
  artifact: ArtifactRef | null;
  status: 'running' | 'done' | 'failed';
  backend: string | null;
  progress: {
    step: number;
    numSteps: number;
    epoch: number;
    examplesPerSecond: number | null;
  };
  runs: { name: string; series: { tag: string; points: ScalarPoint[] }[] }[];
}

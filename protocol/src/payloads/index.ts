import type * as v from 'valibot';
import { check } from '../check';
import { AnomaliesPayloadSchema } from './anomalies';
import { ExamplesPayloadSchema } from './examples';
import { checkLineageEdges, LineagePayloadSchema } from './lineage';
import { SchemaPayloadSchema } from './schema';
import { StatisticsPayloadSchema } from './statistics';
import { TrainingPayloadSchema } from './training';
import { ModelPayloadSchema } from './model';
import { TransformGraphPayloadSchema } from './transformGraph';
import {
  BlessingPayloadSchema,
  EvaluationHistoryPayloadSchema,
  EvaluationPayloadSchema,
  PushedModelPayloadSchema,
} from './evaluation';

export * from './artifact';
export * from './examples';
export * from './statistics';
export * from './schema';
export * from './anomalies';
export * from './lineage';
export * from './training';
export * from './trainingComparison';
export * from './model';
export * from './transformGraph';
export * from './evaluation';

/** The payload schema of every kind that has a view. */
export const PAYLOAD_SCHEMAS = {
  examples: ExamplesPayloadSchema,
  statistics: StatisticsPayloadSchema,
  schema: SchemaPayloadSchema,
  anomalies: AnomaliesPayloadSchema,
  lineage: LineagePayloadSchema,
  training: TrainingPayloadSchema,
  model: ModelPayloadSchema,
  transformGraph: TransformGraphPayloadSchema,
  evaluation: EvaluationPayloadSchema,
  'evaluation-history': EvaluationHistoryPayloadSchema,
  blessing: BlessingPayloadSchema,
  'pushed-model': PushedModelPayloadSchema,
} as const;

export type ViewKind = keyof typeof PAYLOAD_SCHEMAS;
export type PayloadMap = { [K in ViewKind]: v.InferOutput<(typeof PAYLOAD_SCHEMAS)[K]> };

/** Checks a payload of `kind` and returns it typed (defaults filled in); throws PayloadError. */
export function parsePayload<K extends ViewKind>(kind: K, data: unknown): PayloadMap[K] {
  const payload = check(PAYLOAD_SCHEMAS[kind], data) as PayloadMap[K];
  return kind === 'lineage'
    ? (checkLineageEdges(payload as PayloadMap['lineage']) as PayloadMap[K])
    : payload;
}

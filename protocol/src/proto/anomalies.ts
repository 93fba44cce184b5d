/**
 * TFDV's `Anomalies` (tensorflow_metadata/proto/v0/anomalies.proto) in proto3 JSON form, with the
 * reason types tsfx reports. A reader accepts any reason type (newer TFDV versions add types).
 */
import * as v from 'valibot';
import {
  bool,
  dict,
  finiteNumber,
  list,
  obj,
  optionalFields,
  oneOf,
  repeated,
  str,
  withDefault,
} from '../check';
import { SchemaSchema } from './schema';

export const SEVERITIES = ['UNKNOWN', 'WARNING', 'ERROR'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** `AnomalyInfo.Type` values tsfx reports. */
export const ANOMALY_TYPES = [
  'MULTIPLE_REASONS',
  'BOOL_TYPE_BIG_INT',
  'BOOL_TYPE_SMALL_INT',
  'BOOL_TYPE_UNEXPECTED_STRING',
  'BOOL_TYPE_UNEXPECTED_FLOAT',
  'ENUM_TYPE_UNEXPECTED_STRING_VALUES',
  'FEATURE_TYPE_HIGH_NUMBER_VALUES',
  'FEATURE_TYPE_LOW_FRACTION_PRESENT',
  'FEATURE_TYPE_LOW_NUMBER_PRESENT',
  'FEATURE_TYPE_LOW_NUMBER_VALUES',
  'FEATURE_TYPE_NOT_PRESENT',
  'FEATURE_TYPE_HIGH_UNIQUE',
  'FEATURE_TYPE_LOW_UNIQUE',
  'FEATURE_TYPE_NO_UNIQUE',
  'FLOAT_TYPE_BIG_FLOAT',
  'FLOAT_TYPE_SMALL_FLOAT',
  'FLOAT_TYPE_STRING_NOT_FLOAT',
  'FLOAT_TYPE_HAS_NAN',
  'FLOAT_TYPE_HAS_INF',
  'INT_TYPE_BIG_INT',
  'INT_TYPE_SMALL_INT',
  'INT_TYPE_NOT_INT_STRING',
  'SCHEMA_MISSING_COLUMN',
  'SCHEMA_NEW_COLUMN',
  'COMPARATOR_CONTROL_DATA_MISSING',
  'COMPARATOR_L_INFTY_HIGH',
  'COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH',
  'DATASET_LOW_NUM_EXAMPLES',
  'DATASET_HIGH_NUM_EXAMPLES',
  'DOMAIN_INVALID_FOR_TYPE',
  'INVALID_FEATURE_SHAPE',
  'UNEXPECTED_DATA_TYPE',
] as const;
export type AnomalyType = (typeof ANOMALY_TYPES)[number];

export const MEASUREMENT_TYPES = ['L_INFTY', 'JENSEN_SHANNON_DIVERGENCE'] as const;
export type MeasurementType = (typeof MEASUREMENT_TYPES)[number];

const text = () => withDefault(str(), '');
const PathSchema = optionalFields({ step: repeated(str()) });

export const ReasonSchema = optionalFields({
  type: text(),
  shortDescription: text(),
  description: text(),
});

export const AnomalyInfoSchema = optionalFields({
  path: v.optional(PathSchema),
  severity: withDefault(oneOf(SEVERITIES), 'UNKNOWN'),
  description: text(),
  shortDescription: text(),
  reason: repeated(ReasonSchema),
});

export const MeasurementSchema = obj({
  type: oneOf(MEASUREMENT_TYPES),
  value: withDefault(finiteNumber(), 0),
  threshold: withDefault(finiteNumber(), 0),
});

export const DriftSkewInfoSchema = optionalFields({
  path: withDefault(PathSchema, () => ({})),
  driftMeasurements: v.optional(list(MeasurementSchema)),
  skewMeasurements: v.optional(list(MeasurementSchema)),
});

export const AnomaliesSchema = optionalFields({
  baseline: withDefault(SchemaSchema, () => ({})),
  anomalyNameFormat: v.optional(oneOf(['UNKNOWN', 'SERIALIZED_PATH'])),
  anomalyInfo: withDefault(dict(AnomalyInfoSchema), () => ({})),
  datasetAnomalyInfo: v.optional(AnomalyInfoSchema),
  dataMissing: v.optional(bool()),
  driftSkewInfo: v.optional(list(DriftSkewInfoSchema)),
});

/** A reason as tsfx writes it: one of the types it reports. */
export type Reason = v.InferOutput<typeof ReasonSchema> & { type: AnomalyType | string };
export type AnomalyInfo = v.InferOutput<typeof AnomalyInfoSchema>;
export type Measurement = v.InferOutput<typeof MeasurementSchema>;
export type DriftSkewInfo = v.InferOutput<typeof DriftSkewInfoSchema>;
export type Anomalies = v.InferOutput<typeof AnomaliesSchema>;
export type AnomaliesJson = v.InferInput<typeof AnomaliesSchema>;

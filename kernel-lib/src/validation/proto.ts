import type { Schema } from '../schema/proto';

/**
 * TFDV's `Anomalies` (tensorflow_metadata/proto/v0/anomalies.proto) in proto JSON form.
 */

export type Severity = 'UNKNOWN' | 'WARNING' | 'ERROR';

/** `AnomalyInfo.Type` values tsfx reports. */
export type AnomalyType =
  | 'MULTIPLE_REASONS'
  | 'BOOL_TYPE_BIG_INT'
  | 'BOOL_TYPE_SMALL_INT'
  | 'BOOL_TYPE_UNEXPECTED_STRING'
  | 'BOOL_TYPE_UNEXPECTED_FLOAT'
  | 'ENUM_TYPE_UNEXPECTED_STRING_VALUES'
  | 'FEATURE_TYPE_HIGH_NUMBER_VALUES'
  | 'FEATURE_TYPE_LOW_FRACTION_PRESENT'
  | 'FEATURE_TYPE_LOW_NUMBER_PRESENT'
  | 'FEATURE_TYPE_LOW_NUMBER_VALUES'
  | 'FEATURE_TYPE_NOT_PRESENT'
  | 'FEATURE_TYPE_HIGH_UNIQUE'
  | 'FEATURE_TYPE_LOW_UNIQUE'
  | 'FEATURE_TYPE_NO_UNIQUE'
  | 'FLOAT_TYPE_BIG_FLOAT'
  | 'FLOAT_TYPE_SMALL_FLOAT'
  | 'FLOAT_TYPE_STRING_NOT_FLOAT'
  | 'FLOAT_TYPE_HAS_NAN'
  | 'FLOAT_TYPE_HAS_INF'
  | 'INT_TYPE_BIG_INT'
  | 'INT_TYPE_SMALL_INT'
  | 'INT_TYPE_NOT_INT_STRING'
  | 'SCHEMA_MISSING_COLUMN'
  | 'SCHEMA_NEW_COLUMN'
  | 'COMPARATOR_CONTROL_DATA_MISSING'
  | 'COMPARATOR_L_INFTY_HIGH'
  | 'COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH'
  | 'DATASET_LOW_NUM_EXAMPLES'
  | 'DATASET_HIGH_NUM_EXAMPLES'
  | 'DOMAIN_INVALID_FOR_TYPE'
  | 'INVALID_FEATURE_SHAPE'
  | 'UNEXPECTED_DATA_TYPE';

export interface Reason {
  type: AnomalyType;
  shortDescription: string;
  description: string;
}

export interface AnomalyInfo {
  path?: { step: string[] };
  severity: Severity;
  description: string;
  shortDescription: string;
  reason: Reason[];
}

export type MeasurementType = 'L_INFTY' | 'JENSEN_SHANNON_DIVERGENCE';

export interface Measurement {
  type: MeasurementType;
  value: number;
  threshold: number;
}

export interface DriftSkewInfo {
  path: { step: string[] };
  driftMeasurements?: Measurement[];
  skewMeasurements?: Measurement[];
}

export interface Anomalies {
  baseline: Schema;
  anomalyNameFormat?: 'SERIALIZED_PATH';
  anomalyInfo: Record<string, AnomalyInfo>;
  datasetAnomalyInfo?: AnomalyInfo;
  dataMissing?: boolean;
  driftSkewInfo?: DriftSkewInfo[];
}

/**
 * TFDV's `Schema` (tensorflow_metadata/proto/v0/schema.proto) in proto JSON form: lowerCamelCase
 * names, 64-bit integers as decimal strings, enums by name. Only the fields tsfx reads or writes.
 */

/** `FeatureType` of the schema (strings are BYTES). */
export type SchemaFeatureType = 'TYPE_UNKNOWN' | 'BYTES' | 'INT' | 'FLOAT' | 'STRUCT';

export type LifecycleStage =
  | 'UNKNOWN_STAGE'
  | 'PLANNED'
  | 'ALPHA'
  | 'BETA'
  | 'PRODUCTION'
  | 'DEPRECATED'
  | 'DEBUG_ONLY'
  | 'DISABLED'
  | 'VALIDATION_DERIVED';

export interface FeaturePresence {
  minFraction?: number;
  minCount?: string;
}

export interface ValueCount {
  min?: string;
  max?: string;
}

export interface FixedShape {
  dim: { size: string; name?: string }[];
}

export interface IntDomain {
  name?: string;
  min?: string;
  max?: string;
  isCategorical?: boolean;
}

export interface FloatDomain {
  name?: string;
  min?: number;
  max?: number;
  disallowNan?: boolean;
  disallowInf?: boolean;
}

export interface StringDomain {
  name?: string;
  value: string[];
}

export interface BoolDomain {
  name?: string;
  trueValue?: string;
  falseValue?: string;
}

export interface FeatureComparator {
  infinityNorm?: { threshold?: number };
  jensenShannonDivergence?: {
    threshold?: number;
    source?: { type?: 'DEFAULT' | 'QUANTILES' | 'STANDARD' };
  };
}

export interface Feature {
  name: string;
  type?: SchemaFeatureType;
  presence?: FeaturePresence;
  valueCount?: ValueCount;
  shape?: FixedShape;
  /** Name of a top-level `stringDomain`. */
  domain?: string;
  intDomain?: IntDomain;
  floatDomain?: FloatDomain;
  stringDomain?: StringDomain;
  boolDomain?: BoolDomain;
  distributionConstraints?: { minDomainMass?: number };
  uniqueConstraints?: { min?: string; max?: string };
  skewComparator?: FeatureComparator;
  driftComparator?: FeatureComparator;
  lifecycleStage?: LifecycleStage;
  inEnvironment?: string[];
  notInEnvironment?: string[];
  deprecated?: boolean;
}

export interface DatasetConstraints {
  minExamplesCount?: string;
  maxExamplesCount?: string;
}

export interface Schema {
  feature: Feature[];
  stringDomain?: StringDomain[];
  defaultEnvironment?: string[];
  datasetConstraints?: DatasetConstraints;
}

/** Lifecycle stages in which a feature is not checked (TFDV's LifecycleStageIsDeprecated). */
export function isDeprecated(feature: Feature): boolean {
  if (feature.deprecated) return true;
  const stage = feature.lifecycleStage;
  return (
    stage === 'PLANNED' ||
    stage === 'ALPHA' ||
    stage === 'DEPRECATED' ||
    stage === 'DEBUG_ONLY' ||
    stage === 'DISABLED'
  );
}

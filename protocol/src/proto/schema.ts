/**
 * TFDV's `Schema` (tensorflow_metadata/proto/v0/schema.proto) in proto3 JSON form: lowerCamelCase
 * names, 64-bit integers as decimal strings, enums by name. Only the fields tsfx reads or writes.
 * Absent optional messages stay absent (their presence means something, e.g. a domain); absent
 * lists read as empty.
 */
import * as v from 'valibot';
import {
  bool,
  finiteNumber,
  int64Field,
  list,
  obj,
  optionalFields,
  oneOf,
  repeated,
  str,
  withDefault,
} from '../check';

/** `FeatureType` of the schema (strings are BYTES). */
export const SCHEMA_FEATURE_TYPES = ['TYPE_UNKNOWN', 'BYTES', 'INT', 'FLOAT', 'STRUCT'] as const;
export type SchemaFeatureType = (typeof SCHEMA_FEATURE_TYPES)[number];

export const LIFECYCLE_STAGES = [
  'UNKNOWN_STAGE',
  'PLANNED',
  'ALPHA',
  'BETA',
  'PRODUCTION',
  'DEPRECATED',
  'DEBUG_ONLY',
  'DISABLED',
  'VALIDATION_DERIVED',
] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const JENSEN_SHANNON_SOURCES = ['DEFAULT', 'QUANTILES', 'STANDARD'] as const;

/** `TimeDomain.IntegerTimeFormat`: the unit of an INT feature holding Unix times. */
export const INTEGER_TIME_FORMATS = [
  'FORMAT_UNKNOWN',
  'UNIX_DAYS',
  'UNIX_SECONDS',
  'UNIX_MILLISECONDS',
  'UNIX_MICROSECONDS',
  'UNIX_NANOSECONDS',
] as const;
export type IntegerTimeFormat = (typeof INTEGER_TIME_FORMATS)[number];

/** `TimeDomain`: the feature holds times, as text in `stringFormat` (strptime) or Unix times. */
export const TimeDomainSchema = optionalFields({
  stringFormat: v.optional(str()),
  integerFormat: v.optional(oneOf(INTEGER_TIME_FORMATS)),
});

export const StringDomainSchema = optionalFields({
  name: v.optional(str()),
  value: repeated(str()),
});

const FeatureComparatorSchema = optionalFields({
  infinityNorm: v.optional(optionalFields({ threshold: v.optional(finiteNumber()) })),
  jensenShannonDivergence: v.optional(
    optionalFields({
      threshold: v.optional(finiteNumber()),
      source: v.optional(optionalFields({ type: v.optional(oneOf(JENSEN_SHANNON_SOURCES)) })),
    }),
  ),
});

const Int64 = () => v.optional(int64Field());

export const FeatureSchema = obj({
  name: str(),
  type: v.optional(oneOf(SCHEMA_FEATURE_TYPES)),
  presence: v.optional(
    optionalFields({ minFraction: v.optional(finiteNumber()), minCount: Int64() }),
  ),
  valueCount: v.optional(optionalFields({ min: Int64(), max: Int64() })),
  shape: v.optional(
    optionalFields({
      dim: repeated(
        optionalFields({ size: withDefault(int64Field(), '0'), name: v.optional(str()) }),
      ),
    }),
  ),
  /** Name of a top-level `stringDomain`. */
  domain: v.optional(str()),
  intDomain: v.optional(
    optionalFields({
      name: v.optional(str()),
      min: Int64(),
      max: Int64(),
      isCategorical: v.optional(bool()),
    }),
  ),
  floatDomain: v.optional(
    optionalFields({
      name: v.optional(str()),
      min: v.optional(finiteNumber()),
      max: v.optional(finiteNumber()),
      disallowNan: v.optional(bool()),
      disallowInf: v.optional(bool()),
    }),
  ),
  stringDomain: v.optional(StringDomainSchema),
  boolDomain: v.optional(
    optionalFields({
      name: v.optional(str()),
      trueValue: v.optional(str()),
      falseValue: v.optional(str()),
    }),
  ),
  timeDomain: v.optional(TimeDomainSchema),
  distributionConstraints: v.optional(
    optionalFields({ minDomainMass: v.optional(finiteNumber()) }),
  ),
  uniqueConstraints: v.optional(optionalFields({ min: Int64(), max: Int64() })),
  skewComparator: v.optional(FeatureComparatorSchema),
  driftComparator: v.optional(FeatureComparatorSchema),
  lifecycleStage: v.optional(oneOf(LIFECYCLE_STAGES)),
  inEnvironment: v.optional(list(str())),
  notInEnvironment: v.optional(list(str())),
  deprecated: v.optional(bool()),
});

export const SchemaSchema = optionalFields({
  feature: repeated(FeatureSchema),
  stringDomain: v.optional(list(StringDomainSchema)),
  defaultEnvironment: v.optional(list(str())),
  datasetConstraints: v.optional(
    optionalFields({ minExamplesCount: Int64(), maxExamplesCount: Int64() }),
  ),
});

export type StringDomain = v.InferOutput<typeof StringDomainSchema>;
export type FeatureComparator = v.InferOutput<typeof FeatureComparatorSchema>;
export type Feature = v.InferOutput<typeof FeatureSchema>;
export type FeaturePresence = NonNullable<Feature['presence']>;
export type ValueCount = NonNullable<Feature['valueCount']>;
export type FixedShape = NonNullable<Feature['shape']>;
export type IntDomain = NonNullable<Feature['intDomain']>;
export type FloatDomain = NonNullable<Feature['floatDomain']>;
export type TimeDomain = NonNullable<Feature['timeDomain']>;
export type BoolDomain = NonNullable<Feature['boolDomain']>;
export type DatasetConstraints = NonNullable<Schema['datasetConstraints']>;
export type Schema = v.InferOutput<typeof SchemaSchema>;
export type SchemaJson = v.InferInput<typeof SchemaSchema>;

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

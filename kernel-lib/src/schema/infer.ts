import type {
  DatasetFeatureStatistics,
  DatasetFeatureStatisticsList,
  FeatureNameStatistics,
} from '@tsfx/protocol';
import { int64 } from '@tsfx/protocol';
import {
  BOOL_FALSE_VALUES,
  BOOL_TRUE_VALUES,
  isBoolDomainCandidate,
  isIntDomainCandidate,
  isStringDomainCandidate,
  stringValues,
} from './domains';
import type { BoolDomain, Feature, Schema, SchemaFeatureType, StringDomain } from '@tsfx/protocol';

/**
 * TFDV's schema inference (`tfdv.infer_schema`, i.e. the C++ Schema::Updater::CreateColumn for
 * every feature of the statistics), rule by rule:
 *
 * - type: INT → INT, FLOAT → FLOAT, STRING / BYTES → BYTES.
 * - presence: `minCount` 1 when the feature is present anywhere (else 0); `minFraction` 1 when
 *   it is never missing.
 * - shape: with `inferFeatureShape`, a feature never missing with a fixed number of values n
 *   gets `shape { dim { size: n } }`; otherwise `valueCount` {min = max = n} when the count is
 *   fixed, {min: 1} when it varies.
 * - domain, first rule that applies: BYTES statistics → none; bool candidate (INT with min ≥ 0
 *   and max = 1, or at most two strings from TRUE/true/SET/set/1/"" and FALSE/false/CLEAR/
 *   clear/0) → `boolDomain`; strings that all are int64 literals → empty `intDomain`; at most
 *   `maxStringDomainSize` distinct strings → a top-level `stringDomain` named after the feature
 *   (values in byte order) that the feature points to with `domain`; else none.
 */
export interface InferSchemaOptions {
  /** TFDV's `infer_feature_shape` (default true, as in TFX's SchemaGen). */
  inferFeatureShape?: boolean;
  /** TFDV's `max_string_domain_size` (default 100). */
  maxStringDomainSize?: number;
}

export function inferSchema(
  statistics: DatasetFeatureStatisticsList | DatasetFeatureStatistics,
  options: InferSchemaOptions = {},
): Schema {
  const dataset = 'datasets' in statistics ? statistics.datasets[0] : statistics;
  if (!dataset) throw new Error('the statistics have no dataset to infer a schema from');
  const inferShape = options.inferFeatureShape ?? true;
  const enumThreshold = options.maxStringDomainSize ?? 100;
  const schema: Schema = { feature: [] };
  const domains: StringDomain[] = [];
  for (const stats of dataset.features) {
    // TFDV drops features without common statistics before inferring.
    if (!stats.numStats && !stats.stringStats) continue;
    schema.feature.push(createFeature(stats, inferShape, enumThreshold, domains));
  }
  if (domains.length > 0) schema.stringDomain = domains;
  return schema;
}

export function schemaFeatureType(stats: FeatureNameStatistics): SchemaFeatureType {
  switch (stats.type) {
    case 'INT':
      return 'INT';
    case 'FLOAT':
      return 'FLOAT';
    case 'STRING':
    case 'BYTES':
      return 'BYTES';
    case 'STRUCT':
      return 'STRUCT';
    default:
      return 'TYPE_UNKNOWN';
  }
}

function createFeature(
  stats: FeatureNameStatistics,
  inferShape: boolean,
  enumThreshold: number,
  domains: StringDomain[],
): Feature {
  const common = (stats.numStats ?? stats.stringStats)!.commonStats;
  const feature: Feature = { name: stats.name, type: schemaFeatureType(stats) };
  const present = int64(common.numNonMissing);
  const missing = int64(common.numMissing);
  const minValues = int64(common.minNumValues);
  const maxValues = int64(common.maxNumValues);
  feature.presence = { minCount: present < 1 ? '0' : '1' };
  if (present > 0) {
    if (missing === 0) feature.presence = { minFraction: 1, minCount: '1' };
    if (inferShape && missing === 0 && minValues === maxValues && minValues > 0) {
      feature.shape = { dim: [{ size: String(minValues) }] };
    } else if (minValues > 0) {
      feature.valueCount =
        minValues === maxValues ? { min: String(minValues), max: String(maxValues) } : { min: '1' };
    }
  }
  if (stats.type === 'BYTES') return feature;
  if (isBoolDomainCandidate(stats)) {
    feature.boolDomain = boolDomainFromStats(stats);
  } else if (isIntDomainCandidate(stats)) {
    feature.intDomain = {};
  } else if (isStringDomainCandidate(stats, enumThreshold)) {
    const domain: StringDomain = {
      name: uniqueDomainName(stats.name, domains),
      value: stringValues(stats),
    };
    domains.push(domain);
    feature.domain = domain.name;
  }
  return feature;
}

function boolDomainFromStats(stats: FeatureNameStatistics): BoolDomain {
  if (stats.type !== 'STRING') return {};
  const values = stringValues(stats);
  const domain: BoolDomain = {};
  const t = values.find((v) => BOOL_TRUE_VALUES.has(v));
  const f = values.find((v) => BOOL_FALSE_VALUES.has(v));
  if (t !== undefined) domain.trueValue = t;
  if (f !== undefined) domain.falseValue = f;
  return domain;
}

/** TFDV's GetNewStringDomain: the feature's name, or name2, name3, … when taken. */
function uniqueDomainName(candidate: string, domains: readonly StringDomain[]): string {
  const names = new Set(domains.map((d) => d.name));
  let name = candidate;
  for (let i = 2; names.has(name); i++) name = `${candidate}${i}`;
  return name;
}

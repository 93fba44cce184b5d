/**
 * What a schema asks of each feature beyond its type, presence, valency and domain, worded once
 * for the static fallback and the JupyterLab view: its checks (drift and skew comparators, domain
 * mass, unique counts), its notes (lifecycle stage, environments), and the schema-wide lines
 * (dataset size, default environments).
 */
import { formatNumber } from './format';
import type { Feature, FeatureComparator, Schema } from './proto/schema';

/** `[min, max]` with open ends; '' when neither is set. */
export function range(min: string | undefined, max: string | undefined): string {
  if (min === undefined && max === undefined) return '';
  return `[${min ?? '-∞'}, ${max ?? '∞'}]`;
}

function comparatorChecks(name: string, comparator: FeatureComparator | undefined): string[] {
  if (!comparator) return [];
  const out: string[] = [];
  const linf = comparator.infinityNorm?.threshold;
  if (linf !== undefined) out.push(`${name} L-infinity ≤ ${formatNumber(linf)}`);
  const jsd = comparator.jensenShannonDivergence?.threshold;
  if (jsd !== undefined) out.push(`${name} Jensen-Shannon ≤ ${formatNumber(jsd)}`);
  return out;
}

/** The feature's checks: drift and skew comparators, domain mass, unique values. */
export function featureChecks(feature: Feature): string[] {
  const checks = [
    ...comparatorChecks('drift', feature.driftComparator),
    ...comparatorChecks('skew', feature.skewComparator),
  ];
  const mass = feature.distributionConstraints?.minDomainMass;
  if (mass !== undefined) checks.push(`domain mass ≥ ${formatNumber(mass)}`);
  const unique = feature.uniqueConstraints;
  if (unique && (unique.min !== undefined || unique.max !== undefined)) {
    checks.push(`unique values in ${range(unique.min, unique.max)}`);
  }
  return checks;
}

/** Lifecycle stage and environments, as notes under the feature name. */
export function featureNotes(feature: Feature): string[] {
  const notes: string[] = [];
  if (feature.deprecated) notes.push('deprecated');
  if (feature.lifecycleStage && feature.lifecycleStage !== 'UNKNOWN_STAGE') {
    notes.push(feature.lifecycleStage.toLowerCase().replace(/_/g, ' '));
  }
  if (feature.inEnvironment?.length) notes.push(`in ${feature.inEnvironment.join(', ')}`);
  if (feature.notInEnvironment?.length) {
    notes.push(`not in ${feature.notInEnvironment.join(', ')}`);
  }
  return notes;
}

/** The schema-wide lines: the dataset's size bounds, the default environments. */
export function schemaLines(schema: Schema): string[] {
  const lines: string[] = [];
  const c = schema.datasetConstraints;
  if (c && (c.minExamplesCount !== undefined || c.maxExamplesCount !== undefined)) {
    lines.push(`Dataset: examples in ${range(c.minExamplesCount, c.maxExamplesCount)}`);
  }
  if (schema.defaultEnvironment?.length) {
    lines.push(`Default environments: ${schema.defaultEnvironment.join(', ')}`);
  }
  return lines;
}

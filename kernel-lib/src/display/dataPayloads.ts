import { join } from 'node:path';
import { readSchemaFile } from '../artifacts/protoJsonFiles';
import { readSplitAnomalies, readSplitStatistics, SCHEMA_FILE } from '../artifacts/splitFiles';
import { splitNames } from '../artifacts/splits';
import type { ArtifactRecord } from '../metadata/types';
import { TsfxError } from '../errors';
import { artifactRef } from './examplesView';
import {
  schemaTimeFormats,
  statisticsPayloadOf,
  featureSelected,
  type FeatureSelection,
  type AnomaliesPayload,
  type SchemaPayload,
  type StatisticsPayload,
  type TimeFormats,
} from '@tsfx/protocol';

/** An artifact with the id of the component that produced it. */
export interface ProducedArtifact {
  artifact: ArtifactRecord;
  producer: string | null;
}

/** An ExampleStatistics artifact to show: all its splits or one, under a name of the caller's. */
export interface StatisticsSource extends ProducedArtifact {
  /** Only this split (TFDV compares one dataset with another); every split without it. */
  split?: string;
  /** The name its datasets go by (TFDV's `lhs_name` / `rhs_name`). */
  name?: string;
}

/**
 * The statistics payload of one or several ExampleStatistics artifacts: every split of each (or
 * the one asked for), as datasets named after the split or the caller's name, with the features
 * `selection` keeps and the Unix time formats of a schema (`timeFormats`). A split, or a listed
 * feature, that does not exist is an error naming it.
 */
export function statisticsPayload(
  items: StatisticsSource[],
  selection: FeatureSelection = {},
  timeFormats?: TimeFormats,
): StatisticsPayload {
  const payload = statisticsPayloadOf(
    items.map(({ artifact, producer, split, name }) => {
      const splits = splitNames(artifact);
      if (split !== undefined && !splits.includes(split))
        throw new TsfxError(
          `split: ExampleStatistics ${artifact.id} has no split "${split}" (it has ${splits.join(', ')})`,
        );
      return {
        artifact: artifactRef(artifact, producer),
        name,
        splits: (split === undefined ? splits : [split]).map((s) => ({
          split: s,
          statistics: readSplitStatistics(artifact, s),
        })),
      };
    }),
  );
  const known = new Set(payload.datasets.flatMap((d) => d.features.map((f) => f.name)));
  for (const field of ['allowlistFeatures', 'denylistFeatures'] as const) {
    const unknown = (selection[field] ?? []).filter((name) => !known.has(name));
    if (unknown.length > 0)
      throw new TsfxError(`${field}: no feature named ${unknown.map((n) => `"${n}"`).join(', ')}`);
  }
  const datasets = payload.datasets.map((d) => ({
    ...d,
    features: d.features.filter((f) => featureSelected(f.name, selection)),
  }));
  const timed = timeFormats && Object.keys(timeFormats).length > 0 ? { timeFormats } : {};
  return { ...payload, datasets, ...timed };
}

/** The Unix time formats a Schema artifact's time domains give its INT features. */
export function timeFormatsOf(artifact: ArtifactRecord): TimeFormats {
  if (artifact.type !== 'Schema')
    throw new TsfxError(`schema: expected a Schema artifact, not ${artifact.type}`);
  return schemaTimeFormats(readSchemaFile(join(artifact.uri, SCHEMA_FILE)));
}

export function schemaPayload({ artifact, producer }: ProducedArtifact): SchemaPayload {
  const schema = readSchemaFile(join(artifact.uri, SCHEMA_FILE));
  return { kind: 'schema', artifact: artifactRef(artifact, producer), schema };
}

export function anomaliesPayload({ artifact, producer }: ProducedArtifact): AnomaliesPayload {
  return {
    kind: 'anomalies',
    artifact: artifactRef(artifact, producer),
    splits: splitNames(artifact).map((name) => ({
      name,
      anomalies: readSplitAnomalies(artifact, name),
    })),
  };
}

import { join } from 'node:path';
import { readSchemaFile } from '../artifacts/protoJsonFiles';
import { readSplitAnomalies, readSplitStatistics, SCHEMA_FILE } from '../artifacts/splitFiles';
import { splitNames } from '../artifacts/splits';
import type { ArtifactRecord } from '../metadata/types';
import { artifactRef } from './examplesView';
import {
  statisticsPayloadOf,
  type AnomaliesPayload,
  type SchemaPayload,
  type StatisticsPayload,
} from '@tsfx/protocol';

/** An artifact with the id of the component that produced it. */
export interface ProducedArtifact {
  artifact: ArtifactRecord;
  producer: string | null;
}

/**
 * The statistics payload of one or several ExampleStatistics artifacts: every split of each, as
 * datasets named after the split (prefixed by the artifact id when several artifacts are compared).
 */
export function statisticsPayload(items: ProducedArtifact[]): StatisticsPayload {
  return statisticsPayloadOf(
    items.map(({ artifact, producer }) => ({
      artifact: artifactRef(artifact, producer),
      splits: splitNames(artifact).map((split) => ({
        split,
        statistics: readSplitStatistics(artifact, split),
      })),
    })),
  );
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

import { join } from 'node:path';
import { readSchemaFile } from '../artifacts/protoJsonFiles';
import { readSplitAnomalies, readSplitStatistics, SCHEMA_FILE } from '../artifacts/splitFiles';
import { splitNames } from '../artifacts/splits';
import type { ArtifactRecord } from '../metadata/types';
import { artifactRef } from './examplesView';
import type { AnomaliesPayload, SchemaPayload, StatisticsPayload } from '@tsfx/protocol';

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
  const several = items.length > 1;
  const datasets = items.flatMap(({ artifact }) =>
    splitNames(artifact).flatMap((split) =>
      readSplitStatistics(artifact, split).datasets.map((dataset) => ({
        ...dataset,
        name: several ? `#${artifact.id} ${split}` : split,
      })),
    ),
  );
  return {
    kind: 'statistics',
    artifacts: items.map((i) => artifactRef(i.artifact, i.producer)),
    datasets,
  };
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

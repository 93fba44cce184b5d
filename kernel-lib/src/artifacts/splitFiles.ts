import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TsfxError } from '../errors';
import { splitNames, splitUri } from './splits';
import type { ArtifactRecord } from '../metadata/types';
import {
  ANOMALIES_FILE,
  STATISTICS_FILE,
  type Anomalies,
  type DatasetFeatureStatisticsList,
} from '@tsfx/protocol';
import { readAnomaliesFile, readStatisticsFile, writeJsonFile } from './protoJsonFiles';

/**
 * Per-split JSON files of an artifact (`<uri>/Split-<name>/<file>`), the layout TFX uses for
 * statistics (FeatureStats) and anomalies (SchemaDiff).
 */
export function writeSplitJson(uri: string, split: string, file: string, value: unknown): void {
  const dir = splitUri(uri, split);
  mkdirSync(dir, { recursive: true });
  writeJsonFile(join(dir, file), value);
}

/** The path of an artifact's per-split file: `<uri>/Split-<name>/<file>`. */
export function splitFile(
  artifact: Pick<ArtifactRecord, 'uri'>,
  split: string,
  file: string,
): string {
  return join(splitUri(artifact.uri, split), file);
}

/** A split's statistics (FeatureStats.json), checked. */
export function readSplitStatistics(
  artifact: Pick<ArtifactRecord, 'uri'>,
  split: string,
): DatasetFeatureStatisticsList {
  return readStatisticsFile(splitFile(artifact, split, STATISTICS_FILE));
}

/** A split's anomalies (SchemaDiff.json), checked. */
export function readSplitAnomalies(
  artifact: Pick<ArtifactRecord, 'uri'>,
  split: string,
): Anomalies {
  return readAnomaliesFile(splitFile(artifact, split, ANOMALIES_FILE));
}

/** The artifact's splits less the excluded ones, in the artifact's order. */
export function includedSplits(
  artifact: Pick<ArtifactRecord, 'properties'>,
  exclude: readonly string[],
): string[] {
  const all = splitNames(artifact);
  for (const name of exclude) {
    if (!all.includes(name))
      throw new TsfxError(`cannot exclude split "${name}": the splits are ${all.join(', ')}`);
  }
  return all.filter((name) => !exclude.includes(name));
}

// The file names are TFX's layout, defined once in @tsfx/protocol (files/layout.ts).
export { STATISTICS_FILE, ANOMALIES_FILE, SCHEMA_FILE } from '@tsfx/protocol';

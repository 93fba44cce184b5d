import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TsfxError } from '../errors';
import { splitNames, splitUri } from './splits';
import type { ArtifactRecord } from '../metadata/types';
import { writeJsonFile } from './protoJsonFiles';

/**
 * Per-split JSON files of an artifact (`<uri>/Split-<name>/<file>`), the layout TFX uses for
 * statistics (FeatureStats) and anomalies (SchemaDiff).
 */
export function writeSplitJson(uri: string, split: string, file: string, value: unknown): void {
  const dir = splitUri(uri, split);
  mkdirSync(dir, { recursive: true });
  writeJsonFile(join(dir, file), value);
}

export function readSplitJson<T>(
  artifact: Pick<ArtifactRecord, 'uri'>,
  split: string,
  file: string,
): T {
  const path = join(splitUri(artifact.uri, split), file);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new TsfxError(`cannot read ${path}: ${(error as Error).message}`);
  }
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

export const STATISTICS_FILE = 'FeatureStats.json';
export const ANOMALIES_FILE = 'SchemaDiff.json';
export const SCHEMA_FILE = 'schema.json';

import { join } from 'node:path';
import { SPLIT_PREFIX } from '@tsfx/protocol';
import { TsfxError } from '../errors';
import type { ArtifactRecord } from '../metadata/types';

/** TFX keeps an Examples artifact's split names as a JSON list in its `split_names` property. */
export function splitNames(artifact: Pick<ArtifactRecord, 'properties'>): string[] {
  const raw = artifact.properties.split_names;
  if (typeof raw !== 'string') return [];
  const parsed: unknown = JSON.parse(raw);
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

/** The folder that holds one split of a split artifact: `<uri>/Split-<name>`. */
export function splitUri(uri: string, split: string): string {
  return join(uri, `${SPLIT_PREFIX}${split}`);
}

/**
 * Refuses a component parameter (`parameter`, e.g. `analyzeSplit`) naming a split that the input
 * artifact (`what`, e.g. `examples`) does not have.
 */
export function requireSplit(
  artifact: Pick<ArtifactRecord, 'properties'>,
  split: string,
  parameter: string,
  what: string,
): void {
  if (!splitNames(artifact).includes(split)) {
    throw new TsfxError(`${parameter} "${split}" is not a split of the ${what}`);
  }
}

import { readFileSync, writeFileSync } from 'node:fs';
import { TsfxError } from '../errors';
import type { Schema } from '../schema/proto';
import type { DatasetFeatureStatisticsList } from '../statistics/proto';

/** The text of every JSON file tsfx writes: one-space indents and a final newline. */
export function jsonFileText(value: unknown): string {
  return `${JSON.stringify(value, null, 1)}\n`;
}

/** Writes `value` as a JSON file (artifacts: schema, statistics, anomalies, graphs, manifests). */
export function writeJsonFile(path: string, value: unknown): void {
  writeFileSync(path, jsonFileText(value));
}

/** Reads a JSON file and checks its shape, naming the file in one line when it is not `what`. */
function readJsonFile<T>(
  path: string,
  what: string,
  expected: string,
  isValid: (value: T) => boolean,
): T {
  let parsed: T;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new TsfxError(`${path}: not a ${what} JSON file (${(error as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || !isValid(parsed)) {
    throw new TsfxError(`${path}: not a TFDV ${what} (expected ${expected})`);
  }
  return parsed;
}

/** A TFDV Schema (proto3 JSON). */
export function readSchemaFile(path: string): Schema {
  return readJsonFile<Schema>(path, 'schema', 'an object with a "feature" list', (s) =>
    Array.isArray(s.feature),
  );
}

/** TFDV statistics (`DatasetFeatureStatisticsList` proto3 JSON) with at least one dataset. */
export function readStatisticsFile(path: string): DatasetFeatureStatisticsList {
  return readJsonFile<DatasetFeatureStatisticsList>(
    path,
    'statistics',
    'a "datasets" list',
    (s) => Array.isArray(s.datasets) && s.datasets.length > 0,
  );
}

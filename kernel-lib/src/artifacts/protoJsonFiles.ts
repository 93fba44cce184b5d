import { readFileSync, writeFileSync } from 'node:fs';
import { TsfxError } from '../errors';
import {
  AnomaliesSchema,
  check,
  DatasetFeatureStatisticsListSchema,
  PayloadError,
  SchemaSchema,
  type Anomalies,
  type DatasetFeatureStatisticsList,
  type Schema,
} from '@tsfx/protocol';
import type * as v from 'valibot';

/** The text of every JSON file tsfx writes: one-space indents and a final newline. */
export function jsonFileText(value: unknown): string {
  return `${JSON.stringify(value, null, 1)}\n`;
}

/** Writes `value` as a JSON file (artifacts: schema, statistics, anomalies, graphs, manifests). */
export function writeJsonFile(path: string, value: unknown): void {
  writeFileSync(path, jsonFileText(value));
}

/** Writes values as JSON lines: one compact JSON value per line (TFMA's metrics and plots). */
export function writeJsonLinesFile(path: string, values: readonly unknown[]): void {
  writeFileSync(path, values.map((value) => `${JSON.stringify(value)}\n`).join(''));
}

/**
 * Reads a proto3 JSON file and checks it against its protocol schema; a file that is not JSON, or
 * not the message, is refused in one line naming the file and the first wrong field.
 */
export function readProtoJsonFile<S extends v.GenericSchema>(
  path: string,
  schema: S,
  what: string,
  required?: { field: string; expected: string },
): v.InferOutput<S> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TsfxError(`${path}: not a ${what} JSON file (${(error as Error).message})`);
  }
  // Every field may be omitted in proto3 JSON, so any object would pass: a file must at least
  // hold the message's main list to be taken for it (a statistics file is not a schema).
  const record = parsed as Record<string, unknown> | null;
  if (required && !(typeof record === 'object' && Array.isArray(record?.[required.field]))) {
    throw new TsfxError(`${path}: not a TFDV ${what} (expected ${required.expected})`);
  }
  try {
    return check(schema, parsed, what);
  } catch (error) {
    if (!(error instanceof PayloadError)) throw error;
    throw new TsfxError(`${path}: not a TFDV ${what} (${error.message.replace(/^[^:]*: /, '')})`);
  }
}

/** A TFDV Schema (proto3 JSON). */
export function readSchemaFile(path: string): Schema {
  return readProtoJsonFile(path, SchemaSchema, 'schema', {
    field: 'feature',
    expected: 'an object with a "feature" list',
  });
}

/** TFDV statistics (`DatasetFeatureStatisticsList` proto3 JSON) with at least one dataset. */
export function readStatisticsFile(path: string): DatasetFeatureStatisticsList {
  const statistics = readProtoJsonFile(path, DatasetFeatureStatisticsListSchema, 'statistics', {
    field: 'datasets',
    expected: 'a "datasets" list',
  });
  if (statistics.datasets.length === 0)
    throw new TsfxError(`${path}: not a TFDV statistics (expected a "datasets" list)`);
  return statistics;
}

/** TFDV anomalies (`Anomalies` proto3 JSON). */
export function readAnomaliesFile(path: string): Anomalies {
  return readProtoJsonFile(path, AnomaliesSchema, 'anomalies');
}

import { readFileSync, writeFileSync } from 'node:fs';
import { TsfxError } from '../errors';
import {
  checkProtoJson,
  FileFormatError,
  parseAnomaliesFile,
  parseJsonText,
  parseSchemaFile,
  parseStatisticsFile,
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
 * not the message, is refused in one line naming the file and the first wrong field (the rules
 * are @tsfx/protocol's, which the extension reads artifact files with).
 */
export function readProtoJsonFile<S extends v.GenericSchema>(
  path: string,
  schema: S,
  what: string,
  required?: { field: string; expected: string },
): v.InferOutput<S> {
  return refusing(() =>
    checkProtoJson(parseJsonText(readText(path), path, what), schema, path, what, required),
  );
}

/** A TFDV Schema (proto3 JSON). */
export function readSchemaFile(path: string): Schema {
  return refusing(() => parseSchemaFile(readText(path), path));
}

/** TFDV statistics (`DatasetFeatureStatisticsList` proto3 JSON) with at least one dataset. */
export function readStatisticsFile(path: string): DatasetFeatureStatisticsList {
  return refusing(() => parseStatisticsFile(readText(path), path));
}

/** TFDV anomalies (`Anomalies` proto3 JSON). */
export function readAnomaliesFile(path: string): Anomalies {
  return refusing(() => parseAnomaliesFile(readText(path), path));
}

const readText = (path: string): string => readFileSync(path, 'utf8');

/** The protocol's refusal of a file, as the kernel's error (one line, no stack for users). */
function refusing<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof FileFormatError) throw new TsfxError(error.message);
    throw error;
  }
}

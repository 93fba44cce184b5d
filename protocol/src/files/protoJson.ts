/**
 * Reading the proto3-JSON files tsfx writes (TFDV statistics, schema, anomalies) from their text:
 * parsed, then checked against the protocol's schema. A file that is not JSON, or not the message,
 * is refused in one line naming the file (and the line and column, or the field, of the problem).
 */
import * as jsonc from 'jsonc-parser';
import type * as v from 'valibot';
import { check, PayloadError } from '../check';
import { AnomaliesSchema, type Anomalies } from '../proto/anomalies';
import { SchemaSchema, type Schema } from '../proto/schema';
import {
  DatasetFeatureStatisticsListSchema,
  type DatasetFeatureStatisticsList,
} from '../proto/statistics';

/** A file tsfx cannot read, with a one-line message that starts with its path. */
export class FileFormatError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'FileFormatError';
  }
}

/** `line:col` (1-based) of a character offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/**
 * Where JSON.parse failed in `text`, and its words. JSON.parse names the position only for some
 * errors (`Unexpected token` says none), so jsonc-parser's scanner finds the first error's offset.
 */
export function locateJsonError(
  text: string,
  error: unknown,
): { line: number; column: number | null; reason: string } {
  if (text.trim() === '') return { line: 1, column: 1, reason: 'the file is empty' };
  const reason = error instanceof Error ? error.message : String(error);
  const errors: jsonc.ParseError[] = [];
  jsonc.parse(text, errors, { disallowComments: true, allowTrailingComma: false });
  const position = /at position (\d+)/.exec(reason);
  const offset = errors[0]?.offset ?? (position ? Number(position[1]) : null);
  if (offset === null) return { line: 1, column: null, reason };
  return { ...lineColumn(text, offset), reason };
}

/**
 * Parses JSON text; a syntax error is thrown as `<path>:<line>:<col>: not a <what> JSON file
 * (<the parser's words>)`.
 */
export function parseJsonText(text: string, path: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const { line, column, reason } = locateJsonError(text, error);
    const where = column === null ? '' : `:${line}:${column}`;
    throw new FileFormatError(path, `${path}${where}: not a ${what} JSON file (${reason})`);
  }
}

/** Checks parsed JSON against a message's schema; the error names the file and the field. */
export function checkProtoJson<S extends v.GenericSchema>(
  parsed: unknown,
  schema: S,
  path: string,
  what: string,
  required?: { field: string; expected: string },
): v.InferOutput<S> {
  // Every field may be omitted in proto3 JSON, so any object would pass: a file must at least
  // hold the message's main list to be taken for it (a statistics file is not a schema).
  const record = parsed as Record<string, unknown> | null;
  if (required && !(typeof record === 'object' && Array.isArray(record?.[required.field]))) {
    throw new FileFormatError(path, `${path}: not a TFDV ${what} (expected ${required.expected})`);
  }
  try {
    return check(schema, parsed, what);
  } catch (error) {
    if (!(error instanceof PayloadError)) throw error;
    throw new FileFormatError(
      path,
      `${path}: not a TFDV ${what} (${error.message.replace(/^[^:]*: /, '')})`,
    );
  }
}

/** A TFDV Schema file's text (proto3 JSON), checked. */
export function parseSchemaFile(text: string, path: string): Schema {
  return checkProtoJson(parseJsonText(text, path, 'schema'), SchemaSchema, path, 'schema', {
    field: 'feature',
    expected: 'an object with a "feature" list',
  });
}

/** A TFDV statistics file's text (`DatasetFeatureStatisticsList`), with at least one dataset. */
export function parseStatisticsFile(text: string, path: string): DatasetFeatureStatisticsList {
  const required = { field: 'datasets', expected: 'a "datasets" list' };
  const parsed = parseJsonText(text, path, 'statistics');
  const statistics = checkProtoJson(
    parsed,
    DatasetFeatureStatisticsListSchema,
    path,
    'statistics',
    required,
  );
  if (statistics.datasets.length === 0)
    throw new FileFormatError(
      path,
      `${path}: not a TFDV statistics (expected ${required.expected})`,
    );
  return statistics;
}

/** A TFDV anomalies file's text (`Anomalies`), checked. */
export function parseAnomaliesFile(text: string, path: string): Anomalies {
  return checkProtoJson(parseJsonText(text, path, 'anomalies'), AnomaliesSchema, path, 'anomalies');
}

import type { ValueType } from '@tsfx/protocol';
import type { RawRow, Value } from '../transform/graph';

/**
 * TF Serving's REST request bodies, read against a model's raw features: `instances` (row
 * format) or `inputs` (columnar) for `:predict`, `examples` (+ `context`) for `:classify` and
 * `:regress`. Errors carry TF Serving's status codes and, where TF Serving has one, its message.
 *
 * One difference, from what a pushed tsfx model is (raw tf.Example features, not tensors): a
 * feature absent from an instance, `null`, or an empty list is a missing value (as an absent
 * feature of a tf.Example is), which the transform graph fills in as it did in training.
 */

/** TF Serving's error codes, with the HTTP status its REST server maps each one to. */
export const HTTP_STATUS = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;
export type ErrorCode = keyof typeof HTTP_STATUS;

export class ServingError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServingError';
  }
  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
}

const invalid = (message: string) => new ServingError('INVALID_ARGUMENT', message);

export interface RawFeature {
  name: string;
  type: ValueType;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** TensorFlow's name of the dtype a raw feature is served as. */
export function dtypeName(type: ValueType): string {
  return type === 'INT' ? 'int64' : type === 'FLOAT' ? 'float' : 'string';
}

const PREVIEW_CHARS = 200;

/**
 * A JSON value for an error message, cut short after PREVIEW_CHARS: an error must not echo a
 * whole request, nor walk all of a huge or deeply nested one to show its start.
 */
function preview(value: Json | undefined): string {
  let text = '';
  const write = (v: Json | undefined, depth: number): void => {
    if (text.length > PREVIEW_CHARS) return;
    if (depth > 20) text += '…';
    else if (Array.isArray(v)) {
      text += '[';
      v.forEach((item, i) => {
        if (text.length > PREVIEW_CHARS) return;
        if (i > 0) text += ',';
        write(item, depth + 1);
      });
      text += ']';
    } else if (v !== null && typeof v === 'object') {
      text += '{';
      Object.entries(v).forEach(([key, item], i) => {
        if (text.length > PREVIEW_CHARS) return;
        text += `${i > 0 ? ',' : ''}${JSON.stringify(key)}:`;
        write(item, depth + 1);
      });
      text += '}';
    } else text += JSON.stringify(v) ?? 'undefined';
  };
  write(value, 0);
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}

function jsonType(value: Json): string {
  if (value === null) return 'Null';
  if (Array.isArray(value)) return 'Array';
  const type = typeof value;
  return type === 'boolean' ? (value ? 'True' : 'False') : type[0].toUpperCase() + type.slice(1);
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request body as a JSON object (TF Serving's parse errors). */
export function parseBody(text: string): JsonObject {
  if (text.trim() === '') throw invalid('JSON Parse error: The document is empty');
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch (error) {
    throw invalid(`JSON Parse error: ${(error as Error).message}`);
  }
  if (!isObject(doc)) throw invalid(`JSON Value: ${preview(doc)} Is not object`);
  return doc;
}

/** The optional `signature_name`: '' when absent. */
export function signatureName(doc: JsonObject): string {
  const name = doc.signature_name;
  if (name === undefined) return '';
  if (typeof name !== 'string') {
    throw invalid(
      `JSON Value: ${preview(doc)} not formatted correctly. 'signature_name' key must be a string value.`,
    );
  }
  return name;
}

/** One feature value, checked against the feature's type. */
function featureValue(value: Json, feature: RawFeature): Value {
  if (Array.isArray(value)) {
    // A tf.Example feature is a list; the model reads at most one value of each.
    if (value.length === 0) return null;
    if (value.length > 1) {
      throw invalid(
        `JSON Value: ${preview(value)} has ${value.length} values; the model reads one value of ${feature.name} per instance`,
      );
    }
    return featureValue(value[0], feature);
  }
  if (value === null) return null;
  if (feature.type === 'STRING') {
    if (typeof value === 'string') return value;
    if (isObject(value) && Object.keys(value).length === 1 && typeof value.b64 === 'string') {
      return Buffer.from(value.b64, 'base64').toString('utf8');
    }
  } else if (typeof value === 'number') {
    if (feature.type === 'FLOAT' || Number.isSafeInteger(value)) return value;
  }
  throw invalid(
    `JSON Value: ${preview(value)} Type: ${jsonType(value)} is not of expected type: ${dtypeName(feature.type)}`,
  );
}

/** A row with every raw feature the model reads (missing ones null) from a JSON object. */
function objectRow(
  object: JsonObject,
  features: ReadonlyMap<string, RawFeature>,
  where: (key: string) => string,
): RawRow {
  const row: RawRow = {};
  for (const name of features.keys()) row[name] = null;
  for (const [key, value] of Object.entries(object)) {
    const feature = features.get(key);
    try {
      if (!feature) throw invalid(`JSON object: does not have named input: ${key}`);
      row[key] = featureValue(value, feature);
    } catch (error) {
      throw invalid(`${where(key)} Error: ${(error as Error).message}`);
    }
  }
  return row;
}

export function featureMap(features: readonly RawFeature[]): Map<string, RawFeature> {
  return new Map(features.map((f) => [f.name, f]));
}

export interface PredictInput {
  /** `instances` → answered as `predictions`; `inputs` → answered as `outputs`. */
  format: 'row' | 'columnar';
  rows: RawRow[];
}

/** The rows of a `:predict` body. */
export function predictRows(
  doc: JsonObject,
  features: ReadonlyMap<string, RawFeature>,
): PredictInput {
  const instances = doc.instances;
  const inputs = doc.inputs;
  if (instances !== undefined && inputs !== undefined) {
    throw invalid(
      `JSON Value: ${preview(doc)} Not formatted correctly expecting only one of 'inputs' or 'instances' keys to exist`,
    );
  }
  if (instances !== undefined) return { format: 'row', rows: instanceRows(doc, features) };
  if (inputs !== undefined) return { format: 'columnar', rows: columnarRows(inputs, features) };
  throw invalid("Missing 'inputs' or 'instances' key");
}

function instanceRows(doc: JsonObject, features: ReadonlyMap<string, RawFeature>): RawRow[] {
  const instances = doc.instances;
  if (!Array.isArray(instances)) {
    throw invalid(`JSON Value: ${preview(doc)} Expecting 'instances' to be an list/array`);
  }
  if (instances.length === 0)
    throw invalid(`JSON Value: ${preview(doc)} No values in 'instances' array`);
  const only = features.size === 1 ? [...features.values()][0] : null;
  return instances.map((instance, i) => {
    if (isObject(instance) && !(only && 'b64' in instance)) {
      return objectRow(
        instance,
        features,
        (key) => `Failed to process element: ${i} key: ${key} of 'instances' list.`,
      );
    }
    if (!only) {
      throw invalid(
        i === 0
          ? 'instances is a plain list, but expecting list of objects as multiple input tensors required as per tensorinfo_map'
          : `Expecting object but got list at item ${i} of input list`,
      );
    }
    try {
      return { [only.name]: featureValue(instance, only) };
    } catch (error) {
      throw invalid(
        `Failed to process element: ${i} of 'instances' list. Error: ${(error as Error).message}`,
      );
    }
  });
}

function columnarRows(inputs: Json, features: ReadonlyMap<string, RawFeature>): RawRow[] {
  const only = features.size === 1 ? [...features.values()][0] : null;
  let columns: JsonObject;
  if (isObject(inputs) && !(only && 'b64' in inputs)) columns = inputs;
  else if (only) columns = { [only.name]: inputs };
  else {
    throw invalid(
      'inputs is a plain value/list, but expecting an object as multiple input tensors required as per tensorinfo_map',
    );
  }
  const names = Object.keys(columns);
  if (names.length === 0) throw invalid("'inputs' names no input: it needs at least one");
  let count: number | null = null;
  let first = '';
  for (const name of names) {
    if (!features.has(name)) throw invalid(`JSON object: does not have named input: ${name}`);
    const values = columns[name];
    if (!Array.isArray(values)) {
      throw invalid(
        `JSON Value: ${preview(values)} of input ${name} must be a list, one value per instance`,
      );
    }
    if (count === null) [count, first] = [values.length, name];
    else if (values.length !== count) {
      throw invalid(
        `Expecting ${count} values per input (as ${first} has) but ${name} has ${values.length}`,
      );
    }
  }
  const rows: RawRow[] = [];
  for (let i = 0; i < (count ?? 0); i++) {
    const row: RawRow = {};
    for (const name of features.keys()) row[name] = null;
    for (const name of names) {
      const feature = features.get(name)!;
      try {
        row[name] = featureValue((columns[name] as Json[])[i], feature);
      } catch (error) {
        throw invalid(
          `Failed to process input: ${name} item: ${i}. Error: ${(error as Error).message}`,
        );
      }
    }
    rows.push(row);
  }
  return rows;
}

/** The rows of a `:classify` or `:regress` body: `examples`, each with the shared `context`. */
export function exampleRows(
  doc: JsonObject,
  features: ReadonlyMap<string, RawFeature>,
  method: 'classify' | 'regress',
): RawRow[] {
  const context = doc.context;
  if (context !== undefined && !isObject(context)) {
    throw invalid(`Example must be JSON object but got JSON ${jsonType(context)}`);
  }
  const shared = context
    ? objectRow(context, features, (key) => `Failed to process context key: ${key}.`)
    : null;
  const examples = doc.examples;
  if (examples === undefined) {
    throw invalid(
      `JSON Value: ${preview(doc)} When method is ${method}, key 'examples' is expected and was not found`,
    );
  }
  if (!Array.isArray(examples)) {
    throw invalid(`JSON Value: ${preview(doc)} Expecting 'examples' value to be an list/array`);
  }
  if (examples.length === 0)
    throw invalid(`JSON Value: ${preview(doc)} 'examples' value is an empty array`);
  return examples.map((example, i) => {
    if (!isObject(example)) {
      throw invalid(`Example must be JSON object but got JSON ${jsonType(example)}`);
    }
    const row = objectRow(
      example,
      features,
      (key) => `Failed to process example: ${i} key: ${key}.`,
    );
    if (!shared) return row;
    for (const key of Object.keys(context as JsonObject)) {
      if (key in example) {
        throw invalid(
          `Feature ${key} is in both 'context' and example ${i}: it may be in only one`,
        );
      }
      row[key] = shared[key];
    }
    return row;
  });
}

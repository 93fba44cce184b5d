import * as v from 'valibot';

/**
 * Checking JSON against a schema, with one-line errors that name the path of the first problem:
 * `tsfx payload: payload.datasets[0].numExamples should be a 64-bit integer, got "x"`.
 *
 * Every schema built with the constructors below carries what it expects as its message, so the
 * error says it in words. The constructors are the only way schemas here are built.
 */

export class PayloadError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
    actual: unknown,
    what = 'tsfx payload',
  ) {
    super(`${what}: ${path} should be ${expected}, got ${describe(actual)}`);
    this.name = 'PayloadError';
  }
}

/** A value as the error message shows it: its kind, or a short quoted string. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  return typeof value;
}

// ---- schema constructors (each with its expectation as its message) ---------------------------

export const str = (): v.StringSchema<string> => v.string('a string');

export const bool = (): v.BooleanSchema<string> => v.boolean('a boolean');

export const finiteNumber = () =>
  v.pipe(v.number('a finite number'), v.finite<number, string>('a finite number'));

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  v.picklist(values, `one of ${values.join(', ')}`);

export const literal = <const T extends string>(value: T) =>
  v.literal(value, JSON.stringify(value));

const isRecord = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const allOptional = (entries: v.ObjectEntries): boolean =>
  Object.values(entries).every((e) => e.type === 'optional');

/** An object with at least one required key (so an array, lacking it, is refused). */
export const obj = <const E extends v.ObjectEntries>(entries: E) => {
  if (allOptional(entries)) throw new Error('obj() needs a required key: use optionalFields()');
  return v.object(entries, 'an object');
};

/**
 * A reader of proto field names: proto3 JSON parsers accept a field under its proto name
 * (`metric_key`, what Python's `preserving_proto_field_name` writes) as well as its lowerCamelCase
 * JSON name (`metricKey`). Only the schema's own fields are renamed, so map keys (feature names)
 * are left alone; the lowerCamelCase spelling wins when both are present.
 */
function protoFieldNames(entries: v.ObjectEntries): (value: object) => object {
  const aliases = new Map<string, string>();
  for (const name of Object.keys(entries)) {
    const protoName = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (protoName !== name) aliases.set(protoName, name);
  }
  if (aliases.size === 0) return (value) => value;
  return (value) => {
    let renamed: Record<string, unknown> | null = null;
    for (const key of Object.keys(value)) {
      const name = aliases.get(key);
      if (name === undefined || name in value) continue;
      renamed ??= { ...value };
      renamed[name] = renamed[key];
      delete renamed[key];
    }
    return renamed ?? value;
  };
}

/**
 * An object whose keys are all optional, its fields read under their proto names too. Valibot's
 * `object` would take an array for it, so an array is refused first (with the same message);
 * otherwise it is `v.object`.
 */
export const optionalFields = <const E extends v.ObjectEntries>(
  entries: E,
): v.ObjectSchema<E, 'an object'> => {
  const object = v.object(entries, 'an object');
  const record = v.custom(isRecord, 'an object');
  const readNames = protoFieldNames(entries);
  return {
    ...object,
    '~run'(dataset, config) {
      if (Array.isArray(dataset.value))
        return record['~run'](dataset, config) as ReturnType<(typeof object)['~run']>;
      if (isRecord(dataset.value)) dataset.value = readNames(dataset.value as object);
      return object['~run'](dataset, config);
    },
  };
};

/**
 * An object of optional fields that refuses any other key (configuration a person writes, where a
 * misspelt field must not be ignored): `config.slicingSpec should be one of the fields …`.
 */
export const strictFields = <const E extends v.ObjectEntries>(entries: E) => {
  const known = `one of the fields ${Object.keys(entries).join(', ')}`;
  const object = v.strictObject(entries, (issue) =>
    issue.kind === 'schema' && issue.expected === 'never' ? known : 'an object',
  );
  const record = v.custom(isRecord, 'an object');
  return {
    ...object,
    '~run'(dataset, config) {
      if (Array.isArray(dataset.value))
        return record['~run'](dataset, config) as ReturnType<(typeof object)['~run']>;
      return object['~run'](dataset, config);
    },
  } as typeof object;
};

export const list = <const S extends v.GenericSchema>(item: S) => v.array(item, 'an array');

export const dict = <const S extends v.GenericSchema>(value: S) =>
  v.record(v.string(), value, 'an object');

/** A JSON scalar: string, number, boolean or null. */
export const scalar = () =>
  v.union([v.string(), v.number(), v.boolean(), v.null()], 'a string, number, boolean or null');

// ---- proto3 JSON scalars ----------------------------------------------------------------------

/**
 * A proto3 JSON 64-bit integer: a decimal string (what proto3 JSON writes), or a safe integer
 * number (what lenient writers write); read as its decimal string.
 */
const INT64 = 'a 64-bit integer';
export const int64Field = () =>
  v.union(
    [
      v.pipe(v.string(), v.regex(/^-?\d+$/, INT64)),
      v.pipe(
        v.number(),
        v.safeInteger(INT64),
        v.transform((n) => String(n)),
      ),
    ],
    INT64,
  );

/** A proto3 JSON double: a number, or `"NaN"`, `"Infinity"`, `"-Infinity"` (read as numbers). */
export const doubleField = () =>
  v.union(
    [
      // Any number, NaN included (valibot's number() refuses NaN): a message read once is valid.
      v.custom<number>((n) => typeof n === 'number'),
      v.pipe(
        v.picklist(['NaN', 'Infinity', '-Infinity']),
        v.transform((s) => Number(s)),
      ),
    ],
    'a number',
  );

/** A field proto3 JSON may omit: absent reads as `fallback` (its default value). */
export const withDefault = v.optional;

/** A repeated field: absent reads as an empty list. */
export const repeated = <const S extends v.GenericSchema>(item: S) =>
  v.optional(list(item), emptyList);

const emptyList = (): never[] => [];

// ---- checking ---------------------------------------------------------------------------------

/**
 * Checks `data` against `schema` and returns the schema's output (defaults filled in), or throws
 * a PayloadError naming the first problem's path under `root`.
 */
export function check<S extends v.GenericSchema>(
  schema: S,
  data: unknown,
  root = 'payload',
  what?: string,
): v.InferOutput<S> {
  const result = v.safeParse(schema, data, { abortEarly: true });
  if (result.success) return result.output;
  const issue = result.issues[0];
  const { path, expected } = locate(schema, issue, root);
  throw new PayloadError(path, expected, issue.input, what);
}

type AnySchema = v.GenericSchema & {
  readonly message?: unknown;
  readonly pipe?: readonly AnySchema[];
  readonly entries?: Record<string, AnySchema>;
  readonly item?: AnySchema;
  readonly value?: AnySchema;
  readonly wrapped?: AnySchema;
};

/** Object keys print as `.key`, record keys as `["key"]`, array indices as `[i]`. */
function locate(
  root: v.GenericSchema,
  issue: v.BaseIssue<unknown>,
  rootName: string,
): { path: string; expected: string } {
  let schema: AnySchema | undefined = root as AnySchema;
  let path = rootName;
  for (const item of issue.path ?? []) {
    schema = unwrap(schema);
    const key = item.key;
    if (schema?.type === 'array') {
      path += `[${String(key)}]`;
      schema = schema.item;
    } else if (schema?.type === 'record') {
      path += `[${JSON.stringify(key)}]`;
      schema = schema.value;
    } else {
      path += `.${String(key)}`;
      schema = schema?.entries?.[String(key)];
    }
  }
  // A missing key is reported with its parent object's message: ask the key's own schema.
  const own = issue.type === 'object' && issue.input === undefined ? unwrap(schema) : undefined;
  const message = own?.message ?? issue.message;
  return { path, expected: typeof message === 'string' ? message : (issue.expected ?? 'valid') };
}

/**
 * The schema that holds the entries, item or value (and the message) of `schema`: through
 * optional wrappers and pipes (`v.pipe(first, …)` keeps its schemas in `.pipe`; the last one
 * checks the shape).
 */
function unwrap(schema: AnySchema | undefined): AnySchema | undefined {
  let s = schema;
  while (s && !s.entries && !s.item && !s.value) {
    const next: AnySchema | undefined =
      s.wrapped ?? s.pipe?.filter((p) => p.kind === 'schema' && p !== s).at(-1);
    if (!next) break;
    s = next;
  }
  return s;
}

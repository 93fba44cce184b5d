import type { AnomalyType, Reason } from '@tsfx/protocol';

/**
 * Every anomaly text tsfx reports, worded exactly as TFDV's C++ validator words it
 * (schema_anomalies.cc, schema.cc, feature_util.cc and the *_domain_util.cc files), so reports
 * read the same as TFDV's and tools matching on them keep working.
 */

const reason = (type: AnomalyType, shortDescription: string, description: string): Reason => ({
  type,
  shortDescription,
  description,
});

/** absl::SixDigits: `%.6g`. */
export function sixDigits(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return '0';
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  const rounded = Number(value.toPrecision(6));
  const e = Math.floor(Math.log10(Math.abs(rounded)));
  if (Math.max(exponent, e) < -4 || Math.max(exponent, e) >= 6) {
    const [mantissa, exp] = rounded.toExponential(5).split('e');
    const m = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
    const n = Number(exp);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const fixed = rounded.toPrecision(6);
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

/** printf `%f`. */
function sixDecimals(value: number): string {
  return value.toFixed(6);
}

/** absl::Utf8SafeCEscape, for values quoted in messages. */
export function cEscape(text: string): string {
  const named: Record<string, string> = {
    '\\': '\\\\',
    '"': '\\"',
    "'": "\\'",
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
  };
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (named[c] !== undefined) out += named[c];
    else if (code < 0x20 || code === 0x7f) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += c;
  }
  return out;
}

/** TFDV's PercentageAsString. */
export function percentage(count: number, total: number | null): string {
  if (total === null || total === 0) return '?';
  const percent = (100 * count) / total;
  return percent < 1 ? '<1%' : `~${Math.floor(percent)}%`;
}

export const MULTIPLE_ERRORS = 'Multiple errors';

export const MESSAGES = {
  newColumn: () =>
    reason('SCHEMA_NEW_COLUMN', 'New column', 'New column (column in data but not in schema)'),
  missingColumn: () =>
    reason('SCHEMA_MISSING_COLUMN', 'Column dropped', 'Column is completely missing'),
  notPresent: () =>
    reason(
      'FEATURE_TYPE_NOT_PRESENT',
      'Column dropped',
      'The feature was not present in any examples.',
    ),
  lowNumberPresent: (expected: number, actual: number) =>
    reason(
      'FEATURE_TYPE_LOW_NUMBER_PRESENT',
      'Column dropped',
      `The feature was present in fewer examples than expected: minimum count = ${expected}, actual = ${actual}`,
    ),
  lowFractionPresent: (expected: number, actual: number) =>
    reason(
      'FEATURE_TYPE_LOW_FRACTION_PRESENT',
      'Column dropped',
      `The feature was present in fewer examples than expected: minimum fraction = ${sixDecimals(expected)}, actual = ${sixDecimals(actual)}`,
    ),
  expectedEverywhere: (missing: number) =>
    reason(
      'FEATURE_TYPE_LOW_FRACTION_PRESENT',
      'Column dropped',
      `The feature was expected everywhere, but was missing in ${sixDigits(missing)} examples.`,
    ),
  lowNumberValues: () =>
    reason(
      'FEATURE_TYPE_LOW_NUMBER_VALUES',
      'Missing values',
      'Some examples have fewer values than expected.',
    ),
  highNumberValues: () =>
    reason(
      'FEATURE_TYPE_HIGH_NUMBER_VALUES',
      'Superfluous values',
      'Some examples have more values than expected.',
    ),
  shapeNotFixed: () =>
    reason(
      'INVALID_FEATURE_SHAPE',
      'Feature shape dropped',
      "The feature has a shape, but it's not always present (if the feature is nested, then it should always be present at each nested level) or its value lengths vary.",
    ),
  shapeMismatch: (actual: number) =>
    reason(
      'INVALID_FEATURE_SHAPE',
      'Feature shape dropped',
      `The feature has fixed value length ${actual} but it's not compatible with the specified shape.`,
    ),
  unexpectedDataType: (schemaType: string, dataType: string) =>
    reason(
      'UNEXPECTED_DATA_TYPE',
      'Unexpected data type',
      `Expected data of type: ${schemaType} but got ${dataType}`,
    ),
  unexpectedStringValues: (missing: readonly { value: string; count: number }[], total: number) =>
    reason(
      'ENUM_TYPE_UNEXPECTED_STRING_VALUES',
      'Unexpected string values',
      `Examples contain values missing from the schema: ${missing
        .map((m) => `${cEscape(m.value)} (${percentage(m.count, total)})`)
        .join(', ')}. `,
    ),
  boolSmallInt: (min: number) =>
    reason(
      'BOOL_TYPE_SMALL_INT',
      'Non-boolean values',
      `Integers (such as ${sixDigits(min)}) not in {0, 1}: converting to an integer.`,
    ),
  boolBigInt: (max: number) =>
    reason(
      'BOOL_TYPE_BIG_INT',
      'Non-boolean values',
      `Integers (such as ${sixDigits(max)}) not in {0, 1}: converting to an integer.`,
    ),
  /** `value` as TFDV prints it: six significant digits, or `NaN`. */
  boolUnexpectedFloat: (value: string) =>
    reason(
      'BOOL_TYPE_UNEXPECTED_FLOAT',
      'Non-boolean values',
      `Floats (such as ${value}) not in {0, 1}: converting to float_domain.`,
    ),
  boolFloatsOutside: (side: '< 0' | '> 1') =>
    reason(
      'BOOL_TYPE_UNEXPECTED_FLOAT',
      'Non-boolean values',
      `Float values ${side} not in {0, 1}: converting to float_domain.`,
    ),
  boolFloatsBetween: () =>
    reason(
      'BOOL_TYPE_UNEXPECTED_FLOAT',
      'Non-boolean values',
      'Float values falling between 0 and 1: converting to float_domain.',
    ),
  boolUnexpectedString: (value: string, valid: readonly string[]) =>
    reason(
      'BOOL_TYPE_UNEXPECTED_STRING',
      'Non-boolean values',
      `Saw unexpected value "${value}" instead of ${valid.length === 0 ? '{}' : `{"${valid.join('", "')}"}`}.`,
    ),
  intSmall: (min: bigint | number) =>
    reason('INT_TYPE_SMALL_INT', 'Out-of-range values', `Unexpectedly small value: ${min}.`),
  intBig: (max: bigint | number) =>
    reason('INT_TYPE_BIG_INT', 'Out-of-range values', `Unexpectedly large value: ${max}.`),
  intNotIntString: (example: string) =>
    reason(
      'INT_TYPE_NOT_INT_STRING',
      'Invalid values',
      `String values that were not ints were found, such as "${example}".`,
    ),
  floatHasNan: () =>
    reason('FLOAT_TYPE_HAS_NAN', 'Invalid values', 'Float feature has NaN values.'),
  floatHasInf: () =>
    reason('FLOAT_TYPE_HAS_INF', 'Invalid values', 'Float feature has Inf values.'),
  floatSmall: (actual: number, bound: number) =>
    reason(
      'FLOAT_TYPE_SMALL_FLOAT',
      'Out-of-range values',
      `Unexpectedly low values: ${sixDigits(actual)}<${sixDigits(bound)}(upto six significant digits)`,
    ),
  floatBig: (actual: number, bound: number) =>
    reason(
      'FLOAT_TYPE_BIG_FLOAT',
      'Out-of-range values',
      `Unexpectedly high value: ${sixDigits(actual)}>${sixDigits(bound)}(upto six significant digits)`,
    ),
  floatNotFloatString: (example: string) =>
    reason(
      'FLOAT_TYPE_STRING_NOT_FLOAT',
      'Invalid values',
      `String values that were not floats were found, such as "${example}".`,
    ),
  lowUnique: (min: number, actual: number) =>
    reason(
      'FEATURE_TYPE_LOW_UNIQUE',
      'Low number of unique values',
      `Expected at least ${min} unique values but found only ${actual}.`,
    ),
  highUnique: (max: number, actual: number) =>
    reason(
      'FEATURE_TYPE_HIGH_UNIQUE',
      'High number of unique values',
      `Expected no more than ${max} unique values but found ${actual}.`,
    ),
  noUnique: () =>
    reason(
      'FEATURE_TYPE_NO_UNIQUE',
      'No unique values',
      'UniqueConstraints specified for the feature, but unique values were not counted (i.e., feature is not string or categorical).',
    ),
  controlDataMissing: (control: string) =>
    reason(
      'COMPARATOR_CONTROL_DATA_MISSING',
      `${control} data missing`,
      `${control} data is missing.`,
    ),
  linftyHigh: (
    treatment: string,
    control: string,
    distance: number,
    threshold: number,
    value: string,
  ) =>
    reason(
      'COMPARATOR_L_INFTY_HIGH',
      `High Linfty distance between ${treatment} and ${control}`,
      `The Linfty distance between ${treatment} and ${control} is ${sixDigits(distance)} (up to six significant digits), above the threshold ${sixDigits(threshold)}. The feature value with maximum difference is: ${value}`,
    ),
  jsdHigh: (treatment: string, control: string, divergence: number, threshold: number) =>
    reason(
      'COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH',
      `High approximate Jensen-Shannon divergence between ${treatment} and ${control}`,
      `The approximate Jensen-Shannon divergence between ${treatment} and ${control} is ${sixDigits(divergence)} (up to six significant digits), above the threshold ${sixDigits(threshold)}.`,
    ),
  lowNumExamples: (actual: number) =>
    reason(
      'DATASET_LOW_NUM_EXAMPLES',
      'Low num examples in dataset.',
      `The dataset has ${sixDigits(actual)} examples, which is fewer than expected.`,
    ),
  highNumExamples: (actual: number) =>
    reason(
      'DATASET_HIGH_NUM_EXAMPLES',
      'High num examples in dataset.',
      `The dataset has ${sixDigits(actual)} examples, which is more than expected.`,
    ),
} as const;

// The anomaly catalogue: one test per reason type ExampleValidator reports that
// validation.test.ts does not already cover, each from hand-built statistics (proto3 JSON read
// through the protocol's schema) and a hand-written expected anomaly: reason type, severity,
// short and long description in TFDV's words (its C++ validator: bool_domain_util.cc,
// int_domain_util.cc, float_domain_util.cc, feature_util.cc, dataset_constraints_util.cc,
// schema_anomalies.cc, schema.cc). Numbers TFDV keeps as doubles print with six significant
// digits (absl::StrCat), so large counts read "1.23457e+06".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  AnomalyInfo,
  DatasetFeatureStatistics,
  Feature,
  FeatureNameStatistics,
  Schema,
  Severity,
} from '@tsfx/protocol';
import { validateStatistics, type ValidateOptions } from '../../../kernel-lib/src/validation';
import {
  common,
  dataset,
  feature,
  floatFeature,
  intFeature,
  stringFeature,
} from '../schema/statsBuilders';

/** The anomalies of one dataset of `numExamples` examples holding `stats`, against `features`. */
function validate(
  stats: FeatureNameStatistics,
  features: Feature,
  options: ValidateOptions = {},
  numExamples = presentPlusMissing(stats),
) {
  return validateStatistics(dataset(numExamples, stats), { feature: [features] }, options);
}

function presentPlusMissing(stats: FeatureNameStatistics): number {
  const c = (stats.numStats ?? stats.stringStats)!.commonStats;
  return Number(c.numNonMissing) + Number(c.numMissing);
}

/** The whole anomaly map, which must hold `name` alone (or nothing). */
function only(stats: FeatureNameStatistics, schemaFeature: Feature, options?: ValidateOptions) {
  const anomalies = validate(stats, schemaFeature, options);
  assert.equal(anomalies.datasetAnomalyInfo, undefined);
  return anomalies.anomalyInfo;
}

/** A feature's anomaly with one reason, written out as TFDV reports it. */
function oneReason(
  name: string,
  type: string,
  shortDescription: string,
  description: string,
  severity: Severity = 'ERROR',
): Record<string, AnomalyInfo> {
  return {
    [name]: {
      path: { step: [name] },
      severity,
      description,
      shortDescription,
      reason: [{ type, shortDescription, description }],
    },
  };
}

/** FLOAT statistics with min, max and one histogram (buckets as [low, high, count]). */
function floatWithHistogram(
  min: number,
  max: number,
  histogram: { type: 'STANDARD' | 'QUANTILES'; numNan?: number; buckets: number[][] },
): FeatureNameStatistics {
  return feature({
    name: 'flag',
    type: 'FLOAT',
    numStats: {
      commonStats: common(10, 0),
      min,
      max,
      histograms: [
        {
          type: histogram.type,
          numNan: String(histogram.numNan ?? 0),
          buckets: histogram.buckets.map(([lowValue, highValue, sampleCount]) => ({
            lowValue,
            highValue,
            sampleCount,
          })),
        },
      ],
    },
  });
}

describe('the anomaly catalogue (TFDV reason types, severities and messages)', () => {
  it('BOOL_TYPE_SMALL_INT: an INT feature with a bool domain and a value below 0', () => {
    const flag: Feature = { name: 'flag', type: 'INT', boolDomain: {} };
    assert.deepEqual(
      only(intFeature('flag', -1, 1), flag),
      oneReason(
        'flag',
        'BOOL_TYPE_SMALL_INT',
        'Non-boolean values',
        'Integers (such as -1) not in {0, 1}: converting to an integer.',
      ),
    );
    // The minimum is named first even when the maximum is out too, in six significant digits.
    assert.deepEqual(
      only(intFeature('flag', -1234567, 7), flag),
      oneReason(
        'flag',
        'BOOL_TYPE_SMALL_INT',
        'Non-boolean values',
        'Integers (such as -1.23457e+06) not in {0, 1}: converting to an integer.',
      ),
    );
    assert.deepEqual(only(intFeature('flag', 0, 1), flag), {});
  });

  it('BOOL_TYPE_UNEXPECTED_FLOAT: a FLOAT feature with a bool domain and values not 0 or 1', () => {
    const flag: Feature = { name: 'flag', type: 'FLOAT', boolDomain: {} };
    const floats = (description: string) =>
      oneReason('flag', 'BOOL_TYPE_UNEXPECTED_FLOAT', 'Non-boolean values', description);
    assert.deepEqual(
      only(floatFeature('flag', 0, 2.5), flag),
      floats('Floats (such as 2.5) not in {0, 1}: converting to float_domain.'),
    );
    assert.deepEqual(
      only(floatFeature('flag', 0.25, 1), flag),
      floats('Floats (such as 0.25) not in {0, 1}: converting to float_domain.'),
    );
    // min and max are 0 and 1, but the histogram holds NaNs, values below 0, or (quantiles)
    // values strictly between 0 and 1.
    assert.deepEqual(
      only(floatWithHistogram(0, 1, { type: 'STANDARD', numNan: 2, buckets: [[0, 1, 8]] }), flag),
      floats('Floats (such as NaN) not in {0, 1}: converting to float_domain.'),
    );
    assert.deepEqual(
      only(
        floatWithHistogram(0, 1, {
          type: 'STANDARD',
          buckets: [
            [-2, -1, 1],
            [0, 1, 9],
          ],
        }),
        flag,
      ),
      floats('Float values < 0 not in {0, 1}: converting to float_domain.'),
    );
    assert.deepEqual(
      only(
        floatWithHistogram(0, 1, {
          type: 'QUANTILES',
          buckets: [
            [0, 0, 4],
            [0.2, 0.8, 2],
            [1, 1, 4],
          ],
        }),
        flag,
      ),
      floats('Float values falling between 0 and 1: converting to float_domain.'),
    );
    // Equal-width buckets are not read for values between 0 and 1 (only quantiles are), and an
    // empty bucket says nothing.
    const standard = floatWithHistogram(0, 1, {
      type: 'STANDARD',
      buckets: [
        [0, 0.2, 5],
        [0.2, 0.8, 2],
        [0.8, 1, 3],
        [2, 3, 0],
      ],
    });
    assert.deepEqual(only(standard, flag), {});
  });

  it('BOOL_TYPE_UNEXPECTED_STRING: a string outside the bool domain’s true and false values', () => {
    const flag: Feature = {
      name: 'flag',
      type: 'BYTES',
      boolDomain: { trueValue: 'true', falseValue: 'false' },
    };
    // Values are read in byte order: "no" comes before "yes". The valid set is listed sorted.
    assert.deepEqual(
      only(stringFeature('flag', { yes: 6, no: 4 }), flag),
      oneReason(
        'flag',
        'BOOL_TYPE_UNEXPECTED_STRING',
        'Non-boolean values',
        'Saw unexpected value "no" instead of {"false", "true"}.',
      ),
    );
    // A bool domain without strings lists the empty set as {}.
    assert.deepEqual(
      only(stringFeature('flag', { true: 3 }), { name: 'flag', type: 'BYTES', boolDomain: {} }),
      oneReason(
        'flag',
        'BOOL_TYPE_UNEXPECTED_STRING',
        'Non-boolean values',
        'Saw unexpected value "true" instead of {}.',
      ),
    );
    assert.deepEqual(only(stringFeature('flag', { true: 3, false: 2 }), flag), {});
  });

  it('INT_TYPE_NOT_INT_STRING: a string feature with an int domain and a value that is no int64', () => {
    const zip = stringFeature('zip', { '60601': 5, '60614 ': 3, 'n/a': 2 });
    // Surrounding whitespace is allowed ("60614 " is an int); "n/a" is not.
    assert.deepEqual(
      only(zip, { name: 'zip', type: 'BYTES', intDomain: {} }),
      oneReason(
        'zip',
        'INT_TYPE_NOT_INT_STRING',
        'Invalid values',
        'String values that were not ints were found, such as "n/a".',
      ),
    );
    // TFDV looks at the statistics' type (strings), not the schema's: an INT feature whose data
    // came as strings gets both the type mismatch and this reason.
    assert.deepEqual(only(zip, { name: 'zip', type: 'INT', intDomain: {} }), {
      zip: {
        path: { step: ['zip'] },
        severity: 'ERROR',
        description:
          'Expected data of type: INT but got STRING String values that were not ints were found, such as "n/a".',
        shortDescription: 'Multiple errors',
        reason: [
          {
            type: 'UNEXPECTED_DATA_TYPE',
            shortDescription: 'Unexpected data type',
            description: 'Expected data of type: INT but got STRING',
          },
          {
            type: 'INT_TYPE_NOT_INT_STRING',
            shortDescription: 'Invalid values',
            description: 'String values that were not ints were found, such as "n/a".',
          },
        ],
      },
    });
    // Beyond int64 is no int64 either.
    assert.deepEqual(
      only(stringFeature('zip', { '9223372036854775808': 1 }), {
        name: 'zip',
        type: 'BYTES',
        intDomain: {},
      }),
      oneReason(
        'zip',
        'INT_TYPE_NOT_INT_STRING',
        'Invalid values',
        'String values that were not ints were found, such as "9223372036854775808".',
      ),
    );
  });

  it('FLOAT_TYPE_HAS_NAN: NaNs in a feature whose float domain disallows them', () => {
    const nanDomain: Feature = { name: 'fare', type: 'FLOAT', floatDomain: { disallowNan: true } };
    const withNan = feature({
      name: 'fare',
      type: 'FLOAT',
      numStats: {
        commonStats: common(10, 0),
        min: 1,
        max: 9,
        histograms: [{ type: 'STANDARD', numNan: '3', buckets: [] }],
      },
    });
    const hasNan = oneReason(
      'fare',
      'FLOAT_TYPE_HAS_NAN',
      'Invalid values',
      'Float feature has NaN values.',
    );
    assert.deepEqual(only(withNan, nanDomain), hasNan);
    assert.deepEqual(only(withNan, { name: 'fare', type: 'FLOAT', floatDomain: {} }), {});
    // A string feature whose values parse as floats, one of them NaN; a NaN is not an Inf.
    const strings = stringFeature('fare', { '1.5': 3, NaN: 1 });
    assert.deepEqual(
      only(strings, {
        name: 'fare',
        type: 'BYTES',
        floatDomain: { disallowNan: true, disallowInf: true },
      }),
      hasNan,
    );
  });

  it('FLOAT_TYPE_HAS_INF: an infinite min or max in a feature whose float domain disallows it', () => {
    const infDomain: Feature = {
      name: 'income',
      type: 'FLOAT',
      floatDomain: { disallowInf: true },
    };
    const hasInf = oneReason(
      'income',
      'FLOAT_TYPE_HAS_INF',
      'Invalid values',
      'Float feature has Inf values.',
    );
    const numbers = (min: number | '-Infinity', max: number | 'Infinity') =>
      feature({
        name: 'income',
        type: 'FLOAT',
        numStats: { commonStats: common(4, 0), min, max, histograms: [] },
      });
    assert.deepEqual(only(numbers(0, 'Infinity'), infDomain), hasInf);
    assert.deepEqual(only(numbers('-Infinity', 10), infDomain), hasInf);
    assert.deepEqual(only(numbers(0, 1e38), infDomain), {});
    assert.deepEqual(
      only(numbers(0, 'Infinity'), { name: 'income', type: 'FLOAT', floatDomain: {} }),
      {},
    );
    // Strings are read as C floats: 1e39 overflows to inf.
    assert.deepEqual(
      only(stringFeature('income', { '2.5': 4, '1e39': 1 }), {
        name: 'income',
        type: 'BYTES',
        floatDomain: { disallowInf: true },
      }),
      hasInf,
    );
  });

  it('FLOAT_TYPE_STRING_NOT_FLOAT: a string feature with a float domain and a value that is no float', () => {
    const domain: Feature = { name: 'tips', type: 'BYTES', floatDomain: {} };
    const notFloat = (value: string) =>
      oneReason(
        'tips',
        'FLOAT_TYPE_STRING_NOT_FLOAT',
        'Invalid values',
        `String values that were not floats were found, such as "${value}".`,
      );
    // In byte order " 2.5 " (whitespace allowed), "1.5", then "3,5", the first that is not a float.
    assert.deepEqual(
      only(stringFeature('tips', { '1.5': 3, ' 2.5 ': 2, '3,5': 1, abc: 1 }), domain),
      notFloat('3,5'),
    );
    // Words that merely contain "nan" or "inf" are not floats; "+-1" is not one either.
    assert.deepEqual(only(stringFeature('tips', { banana: 1 }), domain), notFloat('banana'));
    assert.deepEqual(only(stringFeature('tips', { info: 1 }), domain), notFloat('info'));
    assert.deepEqual(only(stringFeature('tips', { '+-1': 1 }), domain), notFloat('+-1'));
    assert.deepEqual(
      only(stringFeature('tips', { '+1.5': 1, '-2e3': 1, '.5': 1, '7.': 1, Infinity: 1 }), domain),
      {},
    );
  });

  it('FEATURE_TYPE_LOW_UNIQUE: fewer unique values than the unique constraints’ minimum', () => {
    assert.deepEqual(
      only(stringFeature('company', { a: 5, b: 3, c: 2 }), {
        name: 'company',
        type: 'BYTES',
        uniqueConstraints: { min: '5', max: '10' },
      }),
      oneReason(
        'company',
        'FEATURE_TYPE_LOW_UNIQUE',
        'Low number of unique values',
        'Expected at least 5 unique values but found only 3.',
      ),
    );
  });

  it('FEATURE_TYPE_HIGH_UNIQUE: more unique values than the unique constraints’ maximum', () => {
    const company = stringFeature('company', { a: 5, b: 3, c: 2 });
    assert.deepEqual(
      only(company, { name: 'company', type: 'BYTES', uniqueConstraints: { min: '1', max: '2' } }),
      oneReason(
        'company',
        'FEATURE_TYPE_HIGH_UNIQUE',
        'High number of unique values',
        'Expected no more than 2 unique values but found 3.',
      ),
    );
    assert.deepEqual(
      only(company, { name: 'company', type: 'BYTES', uniqueConstraints: { min: '3', max: '3' } }),
      {},
    );
  });

  it('FEATURE_TYPE_NO_UNIQUE: unique constraints on a feature whose unique values are not counted', () => {
    assert.deepEqual(
      only(intFeature('hour', 0, 23), {
        name: 'hour',
        type: 'INT',
        uniqueConstraints: { min: '1', max: '24' },
      }),
      oneReason(
        'hour',
        'FEATURE_TYPE_NO_UNIQUE',
        'No unique values',
        'UniqueConstraints specified for the feature, but unique values were not counted (i.e., feature is not string or categorical).',
      ),
    );
  });

  it('INVALID_FEATURE_SHAPE: a shape on a feature whose value count varies or that is missing', () => {
    const shaped: Feature = { name: 'pixels', type: 'FLOAT', shape: { dim: [{ size: '2' }] } };
    const dropped = oneReason(
      'pixels',
      'INVALID_FEATURE_SHAPE',
      'Feature shape dropped',
      "The feature has a shape, but it's not always present (if the feature is nested, then it should always be present at each nested level) or its value lengths vary.",
    );
    const pixels = (present: number, missing: number, minValues: number, maxValues: number) =>
      feature({
        name: 'pixels',
        type: 'FLOAT',
        numStats: { commonStats: common(present, missing, minValues, maxValues), histograms: [] },
      });
    assert.deepEqual(only(pixels(10, 0, 1, 3), shaped), dropped);
    assert.deepEqual(
      only(pixels(8, 2, 2, 2), shaped),
      dropped,
      'two values each, but missing twice',
    );
    assert.deepEqual(only(pixels(10, 0, 2, 2), shaped), {});
  });

  it('INVALID_FEATURE_SHAPE (mismatch): a fixed value count the shape does not hold', () => {
    const pixels = feature({
      name: 'pixels',
      type: 'FLOAT',
      numStats: { commonStats: common(10, 0, 2, 2), histograms: [] },
    });
    assert.deepEqual(
      only(pixels, { name: 'pixels', type: 'FLOAT', shape: { dim: [{ size: '3' }] } }),
      oneReason(
        'pixels',
        'INVALID_FEATURE_SHAPE',
        'Feature shape dropped',
        "The feature has fixed value length 2 but it's not compatible with the specified shape.",
      ),
    );
    // A shape holds the product of its dimensions.
    assert.deepEqual(
      only(pixels, {
        name: 'pixels',
        type: 'FLOAT',
        shape: { dim: [{ size: '1' }, { size: '2' }] },
      }),
      {},
    );
  });

  it('FEATURE_TYPE_LOW_FRACTION_PRESENT ("expected everywhere"): missing values when the fraction reads 1', () => {
    // Every example counts the feature present, yet some values are missing (TFDV's guard for a
    // fraction that rounds to 1): the minimum fraction 1 is not broken, the "everywhere" is.
    const required: Feature = { name: 'fare', type: 'FLOAT', presence: { minFraction: 1 } };
    const everywhere = (missing: string) =>
      oneReason(
        'fare',
        'FEATURE_TYPE_LOW_FRACTION_PRESENT',
        'Column dropped',
        `The feature was expected everywhere, but was missing in ${missing} examples.`,
      );
    const fare = (present: number, missing: number) => floatFeature('fare', 1, 9, present, missing);
    assert.deepEqual(validate(fare(10, 3), required, {}, 10).anomalyInfo, everywhere('3'));
    assert.deepEqual(
      validate(fare(2_000_000, 1_234_567), required, {}, 2_000_000).anomalyInfo,
      everywhere('1.23457e+06'),
    );
    // A fraction really below 1 is the ordinary message, and only that one.
    assert.deepEqual(
      validate(fare(7, 3), required, {}, 10).anomalyInfo,
      oneReason(
        'fare',
        'FEATURE_TYPE_LOW_FRACTION_PRESENT',
        'Column dropped',
        'The feature was present in fewer examples than expected: minimum fraction = 1.000000, actual = 0.700000',
      ),
    );
  });

  it('DATASET_LOW_NUM_EXAMPLES: fewer examples than the dataset constraints’ minimum', () => {
    const schema: Schema = {
      feature: [{ name: 'x', type: 'INT' }],
      datasetConstraints: { minExamplesCount: '10' },
    };
    const anomalies = validateStatistics(dataset(5, intFeature('x', 0, 1, 5)), schema);
    assert.deepEqual(anomalies.anomalyInfo, {});
    assert.deepEqual(anomalies.datasetAnomalyInfo, {
      severity: 'ERROR',
      description: 'The dataset has 5 examples, which is fewer than expected.',
      shortDescription: 'Low num examples in dataset.',
      reason: [
        {
          type: 'DATASET_LOW_NUM_EXAMPLES',
          shortDescription: 'Low num examples in dataset.',
          description: 'The dataset has 5 examples, which is fewer than expected.',
        },
      ],
    });
    assert.equal(
      validateStatistics(dataset(9, intFeature('x', 0, 1, 9)), schema).datasetAnomalyInfo
        ?.description,
      'The dataset has 9 examples, which is fewer than expected.',
    );
    assert.equal(
      validateStatistics(dataset(10, intFeature('x', 0, 1, 10)), schema).datasetAnomalyInfo,
      undefined,
    );
  });

  it('DATASET_HIGH_NUM_EXAMPLES: more examples than the dataset constraints’ maximum', () => {
    const schema: Schema = {
      feature: [{ name: 'x', type: 'INT' }],
      datasetConstraints: { maxExamplesCount: '100' },
    };
    const high = (n: number): DatasetFeatureStatistics => dataset(n, intFeature('x', 0, 1, n));
    const expected = (count: string) => ({
      severity: 'ERROR',
      description: `The dataset has ${count} examples, which is more than expected.`,
      shortDescription: 'High num examples in dataset.',
      reason: [
        {
          type: 'DATASET_HIGH_NUM_EXAMPLES',
          shortDescription: 'High num examples in dataset.',
          description: `The dataset has ${count} examples, which is more than expected.`,
        },
      ],
    });
    assert.deepEqual(validateStatistics(high(150), schema).datasetAnomalyInfo, expected('150'));
    assert.deepEqual(validateStatistics(high(101), schema).datasetAnomalyInfo, expected('101'));
    assert.deepEqual(
      validateStatistics(high(2_500_000), schema).datasetAnomalyInfo,
      expected('2.5e+06'),
    );
    assert.equal(validateStatistics(high(100), schema).datasetAnomalyInfo, undefined);
  });

  it('severityOverrides: per reason type; a feature takes its worst; UNKNOWN drops it; dataset stays ERROR', () => {
    const hour: Feature = { name: 'hour', type: 'INT', intDomain: { min: '0', max: '23' } };
    const bothOut = intFeature('hour', -1, 30);
    const info = (severity: Severity) => ({
      hour: {
        path: { step: ['hour'] },
        severity,
        description: 'Unexpectedly small value: -1. Unexpectedly large value: 30.',
        shortDescription: 'Multiple errors',
        reason: [
          {
            type: 'INT_TYPE_SMALL_INT',
            shortDescription: 'Out-of-range values',
            description: 'Unexpectedly small value: -1.',
          },
          {
            type: 'INT_TYPE_BIG_INT',
            shortDescription: 'Out-of-range values',
            description: 'Unexpectedly large value: 30.',
          },
        ],
      },
    });
    assert.deepEqual(only(bothOut, hour), info('ERROR'));
    assert.deepEqual(
      only(bothOut, hour, { severityOverrides: { INT_TYPE_SMALL_INT: 'WARNING' } }),
      info('ERROR'),
      'the unchanged reason keeps the anomaly an ERROR',
    );
    assert.deepEqual(
      only(bothOut, hour, {
        severityOverrides: { INT_TYPE_SMALL_INT: 'WARNING', INT_TYPE_BIG_INT: 'WARNING' },
      }),
      info('WARNING'),
    );
    assert.deepEqual(
      only(bothOut, hour, {
        severityOverrides: { INT_TYPE_SMALL_INT: 'UNKNOWN', INT_TYPE_BIG_INT: 'WARNING' },
      }),
      info('WARNING'),
    );
    assert.deepEqual(
      only(bothOut, hour, {
        severityOverrides: { INT_TYPE_SMALL_INT: 'UNKNOWN', INT_TYPE_BIG_INT: 'UNKNOWN' },
      }),
      {},
      'an anomaly of UNKNOWN severity is not reported',
    );
    // A new column made a warning.
    const extra = validateStatistics(
      dataset(10, intFeature('hour', 0, 23), stringFeature('surge', { x: 10 })),
      { feature: [hour] },
      { severityOverrides: { SCHEMA_NEW_COLUMN: 'WARNING' } },
    );
    assert.deepEqual(
      extra.anomalyInfo,
      oneReason(
        'surge',
        'SCHEMA_NEW_COLUMN',
        'New column',
        'New column (column in data but not in schema)',
        'WARNING',
      ),
    );
    // Dataset-level anomalies are always ERRORs in TFDV, overrides or not.
    const small = validateStatistics(
      dataset(5, intFeature('hour', 0, 23, 5)),
      { feature: [hour], datasetConstraints: { minExamplesCount: '10' } },
      { severityOverrides: { DATASET_LOW_NUM_EXAMPLES: 'WARNING' } },
    );
    assert.equal(small.datasetAnomalyInfo?.severity, 'ERROR');
  });
});

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { inferSchema } from '../../../kernel-lib/src/schema';
import type { Schema } from '@tsfx/protocol';
import { generateStatistics } from '../../../kernel-lib/src/statistics';
import {
  jensenShannonOfHistograms,
  type DatasetFeatureStatisticsList,
  type Histogram,
} from '@tsfx/protocol';
import { hasAnomalies, sixDigits, validateStatistics } from '../../../kernel-lib/src/validation';
import { TAXI_CSV, tempDir, writeFile } from '../../helpers';
import { dataset, floatFeature, intFeature, stringFeature } from '../schema/statsBuilders';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const types = (a: ReturnType<typeof validateStatistics>, name: string): string[] =>
  (a.anomalyInfo[name]?.reason ?? []).map((r) => r.type);

describe('validation of the Chicago Taxi sample', () => {
  let stats: DatasetFeatureStatisticsList;
  let schema: Schema;
  before(async () => {
    stats = await generateStatistics(TAXI_CSV);
    schema = inferSchema(stats);
  });

  it('finds no anomaly in the statistics the schema was inferred from', () => {
    const anomalies = validateStatistics(stats, schema);
    assert.deepEqual(anomalies.anomalyInfo, {});
    assert.equal(hasAnomalies(anomalies), false);
    assert.equal(anomalies.anomalyNameFormat, 'SERIALIZED_PATH');
    assert.deepEqual(anomalies.baseline, schema);
  });

  it('reports a missing column and a new column', () => {
    const s = clone(stats);
    s.datasets[0].features = s.datasets[0].features.filter((f) => f.name !== 'fare');
    s.datasets[0].features.push(stringFeature('surprise', { a: 15000 }));
    const a = validateStatistics(s, schema);
    assert.deepEqual(a.anomalyInfo.fare, {
      path: { step: ['fare'] },
      severity: 'ERROR',
      description: 'Column is completely missing',
      shortDescription: 'Column dropped',
      reason: [
        {
          type: 'SCHEMA_MISSING_COLUMN',
          shortDescription: 'Column dropped',
          description: 'Column is completely missing',
        },
      ],
    });
    assert.deepEqual(types(a, 'surprise'), ['SCHEMA_NEW_COLUMN']);
    assert.equal(
      a.anomalyInfo.surprise.description,
      'New column (column in data but not in schema)',
    );
    // Optional features (pickup_census_tract, min count 0) are not required.
    const noTract = clone(stats);
    noTract.datasets[0].features = noTract.datasets[0].features.filter(
      (f) => f.name !== 'pickup_census_tract',
    );
    assert.deepEqual(validateStatistics(noTract, schema).anomalyInfo, {});
  });

  it('reports values missing from a string domain in TFDV words', () => {
    const s = clone(schema);
    s.stringDomain![0].value = s.stringDomain![0].value.filter(
      (v) => v !== 'Credit Card' && v !== 'Prcard',
    );
    const a = validateStatistics(stats, s);
    assert.deepEqual(Object.keys(a.anomalyInfo), ['payment_type']);
    assert.equal(a.anomalyInfo.payment_type.shortDescription, 'Unexpected string values');
    assert.equal(
      a.anomalyInfo.payment_type.description,
      'Examples contain values missing from the schema: Credit Card (~33%), Prcard (<1%). ',
    );
    assert.deepEqual(types(a, 'payment_type'), ['ENUM_TYPE_UNEXPECTED_STRING_VALUES']);
    // Allowed off-domain mass (distribution constraints) silences it.
    find(s, 'payment_type').distributionConstraints = { minDomainMass: 0.6 };
    assert.deepEqual(validateStatistics(stats, s).anomalyInfo, {});
  });

  it('reports an unexpected data type', () => {
    const s = clone(schema);
    find(s, 'trip_start_hour').type = 'FLOAT';
    const a = validateStatistics(stats, s);
    assert.deepEqual(types(a, 'trip_start_hour'), ['UNEXPECTED_DATA_TYPE']);
    assert.equal(
      a.anomalyInfo.trip_start_hour.description,
      'Expected data of type: FLOAT but got INT',
    );
  });

  it('reports a feature present in fewer examples than required', () => {
    const s = clone(schema);
    find(s, 'company').presence = { minFraction: 0.9, minCount: '1' };
    const a = validateStatistics(stats, s);
    assert.deepEqual(types(a, 'company'), ['FEATURE_TYPE_LOW_FRACTION_PRESENT']);
    assert.equal(
      a.anomalyInfo.company.description,
      'The feature was present in fewer examples than expected: minimum fraction = 0.900000, actual = 0.657333',
    );
    find(s, 'company').presence = { minCount: '10000' };
    assert.deepEqual(types(validateStatistics(stats, s), 'company'), [
      'FEATURE_TYPE_LOW_NUMBER_PRESENT',
    ]);
  });

  it('reports too few and too many values per example', () => {
    const s = clone(schema);
    find(s, 'company').valueCount = { min: '2', max: '3' };
    find(s, 'dropoff_latitude').valueCount = { min: '1', max: '0' };
    const a = validateStatistics(stats, s);
    assert.deepEqual(types(a, 'company'), ['FEATURE_TYPE_LOW_NUMBER_VALUES']);
    assert.equal(
      a.anomalyInfo.company.description,
      'Some examples have fewer values than expected.',
    );
    assert.deepEqual(types(a, 'dropoff_latitude'), ['FEATURE_TYPE_HIGH_NUMBER_VALUES']);
  });

  it('reports int and float domain violations, several at once as "Multiple errors"', () => {
    const s = clone(schema);
    find(s, 'trip_start_hour').intDomain = { min: '1', max: '20' };
    find(s, 'fare').floatDomain = { min: 1, max: 500 };
    const a = validateStatistics(stats, s);
    assert.deepEqual(types(a, 'trip_start_hour'), ['INT_TYPE_SMALL_INT', 'INT_TYPE_BIG_INT']);
    assert.equal(a.anomalyInfo.trip_start_hour.shortDescription, 'Multiple errors');
    assert.equal(
      a.anomalyInfo.trip_start_hour.description,
      'Unexpectedly small value: 0. Unexpectedly large value: 23.',
    );
    assert.deepEqual(types(a, 'fare'), ['FLOAT_TYPE_SMALL_FLOAT', 'FLOAT_TYPE_BIG_FLOAT']);
    assert.equal(
      a.anomalyInfo.fare.reason[1].description,
      'Unexpectedly high value: 700.07>500(upto six significant digits)',
    );
    find(s, 'trip_start_hour').intDomain = { min: '0', max: '23' };
    assert.equal(validateStatistics(stats, s).anomalyInfo.trip_start_hour, undefined);
  });

  it('reports a required column absent from every example, and missing data', () => {
    const s = clone(stats);
    const fare = s.datasets[0].features.find((f) => f.name === 'fare')!;
    fare.numStats!.commonStats.numNonMissing = '0';
    fare.numStats!.commonStats.numMissing = '15000';
    assert.deepEqual(types(validateStatistics(s, schema), 'fare'), ['FEATURE_TYPE_NOT_PRESENT']);
    const empty = validateStatistics(dataset(0), schema);
    assert.equal(empty.dataMissing, true);
    assert.equal(hasAnomalies(empty), true);
  });
});

describe('drift and skew comparators', () => {
  const schemaWith = (
    comparator: 'driftComparator' | 'skewComparator',
    threshold: number,
    kind: 'linf' | 'jsd',
  ): Schema => ({
    feature: [
      {
        name: 'pay',
        type: 'BYTES',
        [comparator]:
          kind === 'linf'
            ? { infinityNorm: { threshold } }
            : { jensenShannonDivergence: { threshold } },
      },
      { name: 'x', type: 'FLOAT', [comparator]: { jensenShannonDivergence: { threshold } } },
    ],
  });
  const current = dataset(100, stringFeature('pay', { Cash: 60, Card: 40 }));
  const previous = dataset(100, stringFeature('pay', { Cash: 40, Card: 60 }));

  it('measures the L-infinity distance of categorical frequencies against the previous span', () => {
    const high = validateStatistics(current, schemaWith('driftComparator', 0.1, 'linf'), {
      previous,
    });
    assert.deepEqual(types(high, 'pay'), ['COMPARATOR_L_INFTY_HIGH']);
    assert.equal(
      high.anomalyInfo.pay.shortDescription,
      'High Linfty distance between current and previous',
    );
    assert.equal(
      high.anomalyInfo.pay.description,
      'The Linfty distance between current and previous is 0.2 (up to six significant digits), above the threshold 0.1. The feature value with maximum difference is: Cash',
    );
    assert.equal(high.driftSkewInfo!.length, 1);
    assert.deepEqual(high.driftSkewInfo![0].path, { step: ['pay'] });
    const [m] = high.driftSkewInfo![0].driftMeasurements!;
    assert.equal(m.type, 'L_INFTY');
    assert.equal(m.threshold, 0.1);
    assert.ok(Math.abs(m.value - 0.2) < 1e-12);
    const low = validateStatistics(current, schemaWith('driftComparator', 0.25, 'linf'), {
      previous,
    });
    assert.equal(low.anomalyInfo.pay, undefined);
    assert.ok(Math.abs(low.driftSkewInfo![0].driftMeasurements![0].value - 0.2) < 1e-12);
  });

  it('compares against serving statistics for skew, and reports missing control data', () => {
    const skew = validateStatistics(current, schemaWith('skewComparator', 0.1, 'linf'), {
      serving: previous,
    });
    assert.equal(
      skew.anomalyInfo.pay.shortDescription,
      'High Linfty distance between training and serving',
    );
    assert.equal(skew.driftSkewInfo![0].skewMeasurements![0].type, 'L_INFTY');
    const missing = validateStatistics(current, schemaWith('driftComparator', 0.1, 'linf'), {
      previous: dataset(10),
    });
    assert.deepEqual(types(missing, 'pay'), ['COMPARATOR_CONTROL_DATA_MISSING']);
    assert.equal(missing.anomalyInfo.pay.description, 'previous data is missing.');
    // No previous statistics at all: nothing to compare, no anomaly.
    assert.deepEqual(
      validateStatistics(current, schemaWith('driftComparator', 0.1, 'linf')).anomalyInfo,
      {},
    );
  });

  it('computes the Jensen-Shannon divergence of categorical frequencies', () => {
    // JSD([.6,.4],[.4,.6]) in bits.
    const m = 0.5;
    const expected = 0.6 * Math.log2(0.6 / m) + 0.4 * Math.log2(0.4 / m);
    const a = validateStatistics(current, schemaWith('driftComparator', 0.01, 'jsd'), { previous });
    assert.deepEqual(types(a, 'pay'), ['COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH']);
    const measured = a.driftSkewInfo![0].driftMeasurements![0].value;
    assert.ok(Math.abs(measured - expected) < 1e-12, `${measured} vs ${expected}`);
    assert.equal(
      a.anomalyInfo.pay.description,
      // expected = 0.02904940554..., to six significant digits.
      'The approximate Jensen-Shannon divergence between current and previous is 0.0290494 (up to six significant digits), above the threshold 0.01.',
    );
    assert.equal(
      validateStatistics(current, schemaWith('driftComparator', 0.03, 'jsd'), { previous })
        .anomalyInfo.pay,
      undefined,
    );
  });

  it('computes the Jensen-Shannon divergence of numeric histograms, aligned on common edges', () => {
    const h = (buckets: [number, number, number][]): Histogram => ({
      type: 'STANDARD',
      numNan: '0',
      numUndefined: '0',
      buckets: buckets.map(([lowValue, highValue, sampleCount]) => ({
        lowValue,
        highValue,
        sampleCount,
      })),
    });
    assert.equal(
      jensenShannonOfHistograms(
        h([
          [0, 1, 5],
          [1, 2, 5],
        ]),
        h([[0, 2, 10]]),
      ),
      0,
    );
    assert.equal(jensenShannonOfHistograms(h([[0, 1, 10]]), h([[1, 2, 10]])), 1);
    const half = jensenShannonOfHistograms(h([[0, 2, 10]]), h([[0, 1, 10]]));
    const expected =
      0.5 * (0.5 * Math.log2(0.5 / 0.75) + 0.5 * Math.log2(0.5 / 0.25) + 1 * Math.log2(1 / 0.75));
    assert.ok(Math.abs(half - expected) < 1e-12);
  });

  it('detects drift between two real datasets and none between identical ones', async () => {
    const dir = tempDir();
    const rows = (shift: number): string =>
      [
        'x,pay',
        ...Array.from(
          { length: 2000 },
          (_, i) =>
            `${((i * 7919) % 1000) / 10 + shift},${i % 10 < 7 - shift / 10 ? 'Cash' : 'Card'}`,
        ),
      ].join('\n') + '\n';
    const a = await generateStatistics(writeFile(dir, 'a.csv', rows(0)));
    const b = await generateStatistics(writeFile(dir, 'b.csv', rows(30)));
    // pay: 70% vs 40% Cash, a divergence of about 0.067; x: shifted by 30% of its range.
    const schema = schemaWith('driftComparator', 0.05, 'jsd');
    schema.feature[0].type = 'BYTES';
    const same = validateStatistics(a, schema, { previous: a });
    assert.deepEqual(same.anomalyInfo, {});
    assert.ok(same.driftSkewInfo!.every((d) => d.driftMeasurements!.every((m) => m.value < 1e-12)));
    const drifted = validateStatistics(b, schema, { previous: a });
    assert.deepEqual(types(drifted, 'x'), ['COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH']);
    assert.deepEqual(types(drifted, 'pay'), ['COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH']);
  });
});

describe('message formatting', () => {
  it('formats numbers like absl::SixDigits', () => {
    assert.equal(sixDigits(0.2), '0.2');
    assert.equal(sixDigits(700.07), '700.07');
    assert.equal(sixDigits(0.123456789), '0.123457');
    assert.equal(sixDigits(1234567), '1.23457e+06');
    assert.equal(sixDigits(0.00001), '1e-05');
    assert.equal(sixDigits(100), '100');
  });

  it('uses the built-in helpers consistently for crafted float and int features', () => {
    const s: Schema = {
      feature: [
        { name: 'f', type: 'FLOAT', floatDomain: { min: 0 } },
        { name: 'i', type: 'INT', boolDomain: {} },
      ],
    };
    const a = validateStatistics(dataset(10, floatFeature('f', -1.5, 3), intFeature('i', 0, 3)), s);
    assert.equal(
      a.anomalyInfo.f.description,
      'Unexpectedly low values: -1.5<0(upto six significant digits)',
    );
    assert.equal(
      a.anomalyInfo.i.description,
      'Integers (such as 3) not in {0, 1}: converting to an integer.',
    );
  });
});

function find(schema: Schema, name: string) {
  const f = schema.feature.find((x) => x.name === name);
  assert.ok(f, name);
  return f;
}

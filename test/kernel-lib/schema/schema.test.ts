import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { inferSchema } from '../../../kernel-lib/src/schema';
import type { Feature, Schema } from '@tsfx/protocol';
import { generateStatistics } from '../../../kernel-lib/src/statistics';
import { TAXI_CSV, TAXI_PAYMENT_TYPES } from '../../helpers';
import { common, dataset, intFeature, floatFeature, stringFeature } from './statsBuilders';

const find = (schema: Schema, name: string): Feature => {
  const f = schema.feature.find((x) => x.name === name);
  assert.ok(f, `no feature ${name}`);
  return f;
};

describe('schema inference rules (TFDV)', () => {
  it('maps types INT/FLOAT/STRING to INT/FLOAT/BYTES', () => {
    const s = inferSchema(
      dataset(
        10,
        intFeature('i', 0, 50),
        floatFeature('f', 0.5, 2),
        stringFeature('s', { a: 5, b: 5 }),
      ),
    );
    assert.deepEqual(
      s.feature.map((f) => f.type),
      ['INT', 'FLOAT', 'BYTES'],
    );
  });

  it('requires always-present features (minFraction 1) and makes others optional (minCount 1)', () => {
    const s = inferSchema(
      dataset(
        10,
        intFeature('always', 2, 9, 10, 0),
        intFeature('sometimes', 2, 9, 7, 3),
        stringFeature('never', {}, 10),
      ),
    );
    assert.deepEqual(find(s, 'always').presence, { minFraction: 1, minCount: '1' });
    assert.deepEqual(find(s, 'sometimes').presence, { minCount: '1' });
    assert.deepEqual(find(s, 'never').presence, { minCount: '0' });
    assert.equal(find(s, 'never').valueCount, undefined);
  });

  it('infers a fixed shape for always-present univalent features, else a value count', () => {
    const d = dataset(10, intFeature('always', 2, 9, 10, 0), intFeature('sometimes', 2, 9, 7, 3));
    const shaped = inferSchema(d);
    assert.deepEqual(find(shaped, 'always').shape, { dim: [{ size: '1' }] });
    assert.equal(find(shaped, 'always').valueCount, undefined);
    assert.deepEqual(find(shaped, 'sometimes').valueCount, { min: '1', max: '1' });
    const noShape = inferSchema(d, { inferFeatureShape: false });
    assert.equal(find(noShape, 'always').shape, undefined);
    assert.deepEqual(find(noShape, 'always').valueCount, { min: '1', max: '1' });
    const varying = inferSchema(
      dataset(10, {
        ...intFeature('v', 1, 2),
        numStats: { ...intFeature('v', 1, 2).numStats!, commonStats: common(10, 0, 1, 3) },
      }),
    );
    assert.deepEqual(find(varying, 'v').valueCount, { min: '1' });
    assert.equal(find(varying, 'v').shape, undefined);
  });

  it('gives string features with at most max_string_domain_size values a sorted domain', () => {
    const small = stringFeature('pay', { Cash: 9, 'Credit Card': 5, Dispute: 1 });
    const values: Record<string, number> = {};
    for (let i = 0; i < 101; i++) values[`v${i}`] = 1;
    const big = stringFeature('id', values);
    const s = inferSchema(dataset(15, small, big));
    assert.equal(find(s, 'pay').domain, 'pay');
    assert.deepEqual(s.stringDomain, [{ name: 'pay', value: ['Cash', 'Credit Card', 'Dispute'] }]);
    assert.equal(find(s, 'id').domain, undefined);
    const larger = inferSchema(dataset(15, small, big), { maxStringDomainSize: 101 });
    assert.equal(find(larger, 'id').domain, 'id');
    assert.equal(larger.stringDomain![1].value.length, 101);
  });

  it('names domains uniquely and orders values by bytes', () => {
    const s = inferSchema(dataset(3, stringFeature('a', { b: 1, B: 1, é: 1 })));
    assert.deepEqual(s.stringDomain![0].value, ['B', 'b', 'é']);
  });

  it('infers bool domains for 0/1 ints and true/false strings', () => {
    const s = inferSchema(
      dataset(
        10,
        intFeature('flag', 0, 1),
        intFeature('count', 0, 2),
        stringFeature('yes', { true: 4, false: 6 }),
        stringFeature('set', { SET: 10 }),
      ),
    );
    assert.deepEqual(find(s, 'flag').boolDomain, {});
    assert.equal(find(s, 'count').boolDomain, undefined);
    assert.deepEqual(find(s, 'yes').boolDomain, { trueValue: 'true', falseValue: 'false' });
    assert.equal(find(s, 'yes').domain, undefined);
    assert.deepEqual(find(s, 'set').boolDomain, { trueValue: 'SET' });
  });

  it('infers an int domain for strings that are all int64 literals', () => {
    const s = inferSchema(
      dataset(
        10,
        stringFeature('zip', { '60601': 4, '-7': 6 }),
        stringFeature('mixed', { '1': 4, x: 6 }),
      ),
    );
    assert.deepEqual(find(s, 'zip').intDomain, {});
    assert.equal(find(s, 'zip').domain, undefined);
    assert.equal(find(s, 'mixed').intDomain, undefined);
    assert.equal(find(s, 'mixed').domain, 'mixed');
  });
});

describe('schema of the Chicago Taxi sample', () => {
  let schema: Schema;
  before(async () => {
    schema = inferSchema(await generateStatistics(TAXI_CSV));
  });

  it('has one feature per column with TFDV types and presence', () => {
    assert.equal(schema.feature.length, 18);
    assert.equal(find(schema, 'fare').type, 'FLOAT');
    assert.equal(find(schema, 'trip_start_hour').type, 'INT');
    assert.equal(find(schema, 'payment_type').type, 'BYTES');
    assert.deepEqual(find(schema, 'fare').presence, { minFraction: 1, minCount: '1' });
    assert.deepEqual(find(schema, 'company').presence, { minCount: '1' });
    assert.deepEqual(find(schema, 'pickup_census_tract').presence, { minCount: '0' });
  });

  it('has string domains for payment_type and company only', () => {
    assert.deepEqual(
      (schema.stringDomain ?? []).map((d) => [d.name, d.value.length]),
      [
        ['payment_type', 7],
        ['company', 61],
      ],
    );
    assert.deepEqual(schema.stringDomain![0].value, TAXI_PAYMENT_TYPES);
  });
});

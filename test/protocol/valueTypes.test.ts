import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValueTypeInference, inferValueRank, TypeRank } from '@tsfx/protocol';

describe('inferValueRank follows Python int() / float() as TFX does', () => {
  const cases: [string, TypeRank][] = [
    ['', TypeRank.Unknown],
    ['0', TypeRank.Int],
    ['-12', TypeRank.Int],
    ['+7', TypeRank.Int],
    [' 42 ', TypeRank.Int],
    ['1_000', TypeRank.Int],
    ['007', TypeRank.Int],
    ['9223372036854775807', TypeRank.Int],
    ['-9223372036854775808', TypeRank.Int],
    ['9223372036854775808', TypeRank.String], // beyond int64: TFX infers STRING
    ['1.5', TypeRank.Float],
    ['.5', TypeRank.Float],
    ['5.', TypeRank.Float],
    ['1e10', TypeRank.Float],
    ['-2.5E-3', TypeRank.Float],
    ['nan', TypeRank.Float],
    ['-Infinity', TypeRank.Float],
    ['inf', TypeRank.Float],
    ['1__0', TypeRank.String],
    ['_1', TypeRank.String],
    ['1,5', TypeRank.String],
    ['0x10', TypeRank.String],
    [' ', TypeRank.String],
    ['abc', TypeRank.String],
    ['.', TypeRank.String],
    ['e5', TypeRank.String],
  ];
  for (const [value, rank] of cases) {
    it(`"${value}" is ${TypeRank[rank]}`, () => assert.equal(inferValueRank(value), rank));
  }
});

describe('ValueTypeInference', () => {
  it('widens INT to FLOAT to STRING and keeps all-empty columns STRING', () => {
    const inference = new ValueTypeInference(5);
    inference.observe(['1', '1', '1', '', 'x']);
    inference.observe(['2', '2.5', 'a', '', '']);
    inference.observe(['', '3', '4', '', '1']);
    assert.deepEqual(inference.types(), ['INT', 'FLOAT', 'STRING', 'STRING', 'STRING']);
  });
});

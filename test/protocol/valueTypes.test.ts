import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValueTypeInference, inferValueRank, TypeRank } from '@tsfx/protocol';
import { VALUE_TYPE_CASES } from '../valueTypeCases';

// The rule on the shared table (test/valueTypeCases.ts, confirmed by Python in
// test/kernel-lib/csv/valueTypes.test.ts, which runs the same table through both CSV paths).
describe('the value-type rule follows TFX (Python int() / float() on bytes)', () => {
  for (const c of VALUE_TYPE_CASES) {
    it(`${JSON.stringify(c.values)} is ${c.type}`, () => {
      const inference = new ValueTypeInference(1);
      for (const value of c.values) inference.observe([value]);
      assert.deepEqual(inference.types(), [c.type]);
    });
  }

  it('an empty value says nothing', () => assert.equal(inferValueRank(''), TypeRank.Unknown));
});

describe('ValueTypeInference', () => {
  it('widens INT to FLOAT to STRING and keeps all-empty columns STRING', () => {
    const inference = new ValueTypeInference(5);
    inference.observe(['1', '1', '1', '', 'x']);
    inference.observe(['2', '2.5', 'a', '', '']);
    inference.observe(['', '3', '4', '', '1']);
    assert.deepEqual(inference.types(), ['INT', 'FLOAT', 'STRING', 'STRING', 'STRING']);
  });

  it('marks numeric columns whose values carry whitespace or underscores', () => {
    const inference = new ValueTypeInference(4);
    inference.observe(['1_000', ' 2.5', '3', 'x y']);
    assert.deepEqual(inference.needsNormalizing, [true, true, false, false]);
  });
});

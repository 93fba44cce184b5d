// What a training chart draws: TensorBoard's debiased smoothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { smoothDebiased } from '../../../../extension/src/renderers/training/lines';
import { points, referenceEma, taxi } from './helpers';

test('training: smoothing is TensorBoard’s debiased exponential moving average', () => {
  const values = points(taxi(), 'train', 'loss').map((p) => p.value);
  for (const w of [0, 0.3, 0.6, 0.9, 0.99, 0.999]) {
    const got = smoothDebiased(values, w);
    const want = referenceEma(values, w);
    assert.equal(got.length, want.length);
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-12, `w=${w} i=${i}`));
  }
  // Debiasing: the first smoothed value is the first value, not (1 - w) times it.
  assert.ok(Math.abs(smoothDebiased([5, 7], 0.9)[0]! - 5) < 1e-12);
  assert.deepEqual(smoothDebiased([1, 2, 3], 0), [1, 2, 3]);
  // A constant series stays constant.
  for (const v of smoothDebiased([0.4, 0.4, 0.4, 0.4], 0.8)) assert.ok(Math.abs(v - 0.4) < 1e-12);
});

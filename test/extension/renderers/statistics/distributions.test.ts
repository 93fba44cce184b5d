// Re-bucketing STANDARD histograms onto common edges, and the distances between distributions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  commonEdges,
  jensenShannon,
  lInfinity,
  rebin,
} from '../../../../extension/src/renderers/statistics/distributions';

test('statistics: distances and re-bucketing', () => {
  assert.equal(lInfinity([0.5, 0.5], [0.2, 0.8]), 0.30000000000000004);
  assert.equal(jensenShannon([1, 0], [0, 1]), 1);
  assert.equal(jensenShannon([0.3, 0.7], [0.3, 0.7]), 0);
  const js = jensenShannon([0.5, 0.5], [0.9, 0.1]);
  assert.ok(js > 0.1 && js < 0.2, String(js));
  const hist = {
    type: 'STANDARD' as const,
    buckets: [
      { lowValue: 0, highValue: 10, sampleCount: 10 },
      { lowValue: 10, highValue: 20, sampleCount: 30 },
    ],
  };
  const other = {
    type: 'STANDARD' as const,
    buckets: [{ lowValue: 5, highValue: 25, sampleCount: 4 }],
  };
  const edges = commonEdges([hist, other]);
  assert.deepEqual(edges, [0, 12.5, 25]);
  assert.deepEqual(rebin(hist, edges), [17.5, 22.5]);
  assert.deepEqual(rebin(other, edges), [1.5, 2.5]);
  // A zero-width bucket (a constant feature) lands where its value is.
  assert.deepEqual(
    rebin({ type: 'STANDARD', buckets: [{ lowValue: 20, highValue: 20, sampleCount: 7 }] }, edges),
    [0, 7],
  );
});

// Re-bucketing STANDARD histograms onto common edges (the overlaid charts). The drift distances
// are the protocol's (test/protocol/distances.test.ts, test/extension/drift.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commonEdges, rebin } from '../../../../extension/src/renderers/statistics/distributions';

test('statistics: re-bucketing onto common edges', () => {
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
    rebin({ buckets: [{ lowValue: 20, highValue: 20, sampleCount: 7 }] }, edges),
    [0, 7],
  );
});

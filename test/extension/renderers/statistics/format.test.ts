// How the statistics view writes numbers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatStat } from '../../../../extension/src/renderers/statistics/format';

test('statistics: statistics are written as Facets writes them', () => {
  assert.equal(formatStat(1.3802e9), '1,380,200,000');
  assert.equal(formatStat(29212345.5), '2.92e7');
  assert.equal(formatStat(12345.678), '12,345.68');
  assert.equal(formatStat(0.012345), '0.01235');
  assert.equal(formatStat(NaN), 'NaN');
});

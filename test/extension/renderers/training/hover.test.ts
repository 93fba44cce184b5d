/// <reference lib="dom" />
// Hover on a training chart: the rule at the nearest step, every run's values there, the arrow
// keys.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../dom-globals';
import { formatMetric } from '../../../../extension/src/renderers/training/format';
import { fourDigits, hover, points, referenceEma, render, taxi, tooltipRows } from './helpers';

test('training: hover shows a rule at the nearest step and every run’s value there', () => {
  const payload = taxi();
  const host = render(payload);
  // Plot area: x from 62 to 346 for steps 0..400; x = 204 is step 200.
  hover(host, 'loss', 204.2);
  const rule = host.querySelector('figure[data-tag="loss"] .tsfx-training-rule')!;
  assert.equal(rule.getAttribute('visibility'), 'visible');
  assert.equal(rule.getAttribute('x1'), '204');
  const rows = tooltipRows(host, 'loss');
  assert.deepEqual(
    rows.map((r) => [r[0], r[3]]),
    [
      ['train', '200'],
      ['train_epoch', '200'],
      ['validation', '200'],
    ],
  );
  for (const [k, run] of ['train', 'train_epoch', 'validation'].entries()) {
    const ps = points(payload, run, 'loss');
    const i = ps.findIndex((p) => p.step === 200);
    const smoothed = referenceEma(
      ps.map((p) => p.value),
      0.6,
    )[i]!;
    assert.equal(rows[k]![1], fourDigits(smoothed), `${run} smoothed`);
    assert.equal(rows[k]![2], fourDigits(ps[i]!.value), `${run} value`);
    assert.match(rows[k]![4]!, /^\d+(\.\d+)?s$/);
  }
  assert.equal(host.querySelectorAll('figure[data-tag="loss"] .tsfx-training-hover-dot').length, 3);
  // Large and small values switch to exponent notation.
  assert.deepEqual([0.123456, 0, 123456, 0.0000123456].map(formatMetric), [
    '0.1235',
    '0',
    '1.235e+5',
    '1.235e-5',
  ]);
  // Off an epoch boundary the per-epoch runs show their nearest epoch.
  hover(host, 'loss', 62 + (284 * 207) / 400);
  assert.deepEqual(
    tooltipRows(host, 'loss').map((r) => [r[0], r[3]]),
    [
      ['train', '207'],
      ['train_epoch', '200'],
      ['validation', '200'],
    ],
  );
  // Arrow keys step through the points.
  const svg = host.querySelector('figure[data-tag="loss"] svg')!;
  svg.dispatchEvent(
    new svg.ownerDocument.defaultView!.KeyboardEvent('keydown', { key: 'ArrowRight' }),
  );
  assert.equal(tooltipRows(host, 'loss')[0]![3], '208');
  const overlay = host.querySelector('figure[data-tag="loss"] .tsfx-training-overlay')!;
  overlay.dispatchEvent(new overlay.ownerDocument.defaultView!.MouseEvent('mouseleave'));
  assert.deepEqual(tooltipRows(host, 'loss'), []);
  assert.equal(rule.getAttribute('visibility'), 'hidden');
  // The other charts were not touched.
  assert.deepEqual(tooltipRows(host, 'auc'), []);
});

/// <reference lib="dom" />
// The training charts: the smoothed curve as drawn, and long runs reduced to a few points per
// pixel column.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../dom-globals';
import { rendererFor, renderPayload } from '../../../../extension/src/registry';
import { columnSample } from '../../../../extension/src/renderers/training/lines';
import {
  line,
  newHost,
  pathPoints,
  points,
  referenceEma,
  render,
  setSmoothing,
  smoothedPath,
  syntheticRun,
  taxi,
} from './helpers';

test('training: the drawn smoothed curve is the reference EMA on the raw curve’s scale', () => {
  const payload = taxi();
  const host = render(payload);
  for (const w of [0.6, 0.9]) {
    setSmoothing(host, w);
    // The validation run has one point per epoch: every point is drawn (no downsampling).
    const values = points(payload, 'validation', 'loss').map((p) => p.value);
    const g = line(host, 'loss', 'validation');
    assert.ok(g);
    const raw = pathPoints(g.querySelector('.tsfx-training-raw')!.getAttribute('d'));
    const smooth = pathPoints(g.querySelector('.tsfx-training-smoothed')!.getAttribute('d'));
    assert.equal(raw.length, values.length);
    assert.equal(smooth.length, values.length);
    // The y scale from the raw curve (its lowest and highest values, the farthest apart: the
    // first and last validation losses may be nearly equal), then the smoothed y expected.
    const i = values.indexOf(Math.min(...values));
    const j = values.indexOf(Math.max(...values));
    const slope = (raw[j]![1] - raw[i]![1]) / (values[j]! - values[i]!);
    const y = (v: number) => raw[i]![1] + slope * (v - values[i]!);
    referenceEma(values, w).forEach((v, k) => {
      assert.ok(Math.abs(smooth[k]![1] - y(v)) < 0.15, `w=${w} point ${k}`);
      assert.equal(smooth[k]![0], raw[k]![0]);
    });
  }
});

test('training: long runs are drawn with a few points per pixel column', () => {
  // columnSample keeps each column's first, lowest, highest and last point, in order.
  const xs = [0.1, 0.2, 0.3, 1.1, 1.2, 1.3, 1.4, 1.5, 2.5];
  const ys = [5, 9, 1, 4, 2, 3, 6, 5, 8];
  assert.deepEqual(columnSample(xs, ys), [0, 1, 2, 3, 4, 6, 7, 8]);
  assert.deepEqual(columnSample([0.1, 0.2, 0.3, 0.4, 0.5], [3, 1, 7, 2, 4]), [0, 1, 2, 4]);

  const payload = syntheticRun(6000);
  const count = payload.runs.reduce(
    (n, r) => n + r.series.reduce((m, s) => m + s.points.length, 0),
    0,
  );
  assert.equal(count, 6000 * 3 + 120 * 6);
  // How long this takes is measured by bench/render.ts, not asserted here.
  const host = newHost();
  renderPayload(rendererFor('training'), host, payload);
  const drawn = pathPoints(smoothedPath(host, 'loss', 'train'));
  assert.ok(drawn.length <= 4 * 297, `${drawn.length} points drawn for 6000`);
  assert.ok(drawn.length > 296, 'every pixel column is drawn');
  // The extremes survive the reduction.
  const ys6000 = points(payload, 'train', 'loss').map((p) => p.value);
  const xs6000 = ys6000.map((_, i) => 50 + (i * 296) / 6000);
  const kept = columnSample(xs6000, ys6000);
  assert.ok(kept.length < 1200);
  assert.ok(kept.includes(ys6000.indexOf(Math.min(...ys6000))));
  assert.ok(kept.includes(ys6000.indexOf(Math.max(...ys6000))));
  assert.deepEqual(
    kept,
    [...kept].sort((x, y) => x - y),
  );
});

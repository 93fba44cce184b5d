/// <reference lib="dom" />
// The training view on the taxi run: golden markup, the charts and the status line, the
// smoothing, x axis and run controls, live updates of the same output, empty payloads and
// escaping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import '../../dom-globals';
import { trainingPayload } from '../../../../kernel-lib/src/display/trainingView';
import { rendererFor } from '../../../../extension/src/registry';
import { TsfxRenderer } from '../../../../extension/src/widget';
import { assertGolden, mimeModel } from '../../render-helpers';
import {
  chooseAxis,
  hover,
  line,
  MIME,
  partial,
  pathPoints,
  points,
  render,
  setSmoothing,
  smoothedPath,
  syntheticRun,
  taxi,
  tooltipRows,
  xLabels,
} from './helpers';

test('training: golden markup of the taxi run', () => {
  const host = render(taxi());
  assertGolden('training.html', host.innerHTML);
});

test('training: a chart per metric with the three runs, and the status line', () => {
  const host = render(taxi());
  const root = host.querySelector('.tsfx-training');
  assert.ok(root);
  assert.equal(root.getAttribute('data-status'), 'done');
  assert.deepEqual(
    [...root.querySelectorAll('figure.tsfx-training-chart')].map((f) => f.getAttribute('data-tag')),
    ['loss', 'accuracy', 'auc'],
  );
  for (const tag of ['loss', 'accuracy', 'auc']) {
    assert.deepEqual(
      [...root.querySelectorAll(`figure[data-tag="${tag}"] g.tsfx-training-line`)].map((g) =>
        g.getAttribute('data-run'),
      ),
      ['train', 'train_epoch', 'validation'],
    );
  }
  assert.equal(root.querySelector('.tsfx-training-state')?.textContent, 'done');
  assert.equal(
    root.querySelector('.tsfx-training-progress-text')?.textContent,
    'step 400 / 400 · epoch 10 · 10,240 examples/s · backend wasm',
  );
  const bar = root.querySelector('[role="progressbar"]');
  assert.equal(bar?.getAttribute('aria-valuenow'), '400');
  assert.equal(
    root.querySelector<HTMLElement>('.tsfx-training-progress-fill')?.style.width,
    '100%',
  );
  // 400 batches and 10 epochs (train and validation), 3 metrics each, less the 2 batches
  // without an auc (steps 160 and 240): 3 × 400 − 2 + 2 × 3 × 10.
  assert.equal(
    root.querySelector('.tsfx-subtitle')?.textContent,
    '3 runs · 3 metrics · 1,258 points',
  );
  assert.equal(root.querySelector('.tsfx-artifact-type')?.textContent, 'ModelRun');
  // The loss goes down: the smoothed train curve ends lower (larger y) ... in pixels, higher y.
  const loss = pathPoints(smoothedPath(host, 'loss', 'train'));
  assert.ok(loss[loss.length - 1]![1] > loss[0]![1], 'the loss curve goes down');
});

test('training: moving the smoothing slider redraws the curves; 0 draws the raw values only', () => {
  const host = render(taxi());
  const slider = host.querySelector<HTMLInputElement>('input.tsfx-training-smoothing')!;
  const box = host.querySelector<HTMLInputElement>('input.tsfx-training-smoothing-value')!;
  assert.equal(slider.value, '0.6');
  const at06 = smoothedPath(host, 'loss', 'train');
  const raw06 = line(host, 'loss', 'train')!.querySelector('.tsfx-training-raw')!.getAttribute('d');
  setSmoothing(host, 0.95);
  const at095 = smoothedPath(host, 'loss', 'train');
  assert.notEqual(at095, at06);
  assert.equal(box.value, '0.95');
  // A heavier smoothing is a calmer curve: smaller total vertical movement.
  const wiggle = (d: string) =>
    pathPoints(d).reduce((sum, p, k, all) => (k ? sum + Math.abs(p[1] - all[k - 1]![1]) : 0), 0);
  assert.ok(wiggle(at095) < wiggle(at06));
  setSmoothing(host, 0);
  assert.equal(smoothedPath(host, 'loss', 'train'), raw06);
  assert.equal(host.querySelectorAll('.tsfx-training-raw').length, 0);
  // The number box sets it too.
  box.value = '0.6';
  box.dispatchEvent(new box.ownerDocument.defaultView!.Event('change'));
  assert.equal(slider.value, '0.6');
  assert.equal(smoothedPath(host, 'loss', 'train'), at06);
});

test('training: the x axis by step, relative time or wall time', () => {
  const payload = taxi();
  const host = render(payload);
  assert.deepEqual(xLabels(host, 'loss'), ['0', '100', '200', '300', '400']);
  const byStep = smoothedPath(host, 'loss', 'validation');

  chooseAxis(host, 'relative');
  const relative = xLabels(host, 'loss');
  assert.ok(relative.length >= 3);
  for (const label of relative) assert.match(label, /^\d+(\.\d+)?s$/);
  assert.equal(relative[0], '0s');
  assert.notEqual(smoothedPath(host, 'loss', 'validation'), byStep);
  assert.match(
    host.querySelector('figure[data-tag="loss"] svg')?.getAttribute('aria-label') ?? '',
    /relative time/,
  );

  chooseAxis(host, 'wall');
  const wall = xLabels(host, 'loss');
  assert.ok(wall.length >= 3);
  for (const label of wall) assert.match(label, /^\d\d:\d\d:\d\d$/);
  const times = points(payload, 'train', 'loss').map((p) => p.wallTime);
  // Local clock time, HH:MM:SS, as the Date API prints it.
  const clock = (seconds: number) => new Date(seconds * 1000).toTimeString().slice(0, 8);
  const first = clock(Math.ceil(Math.min(...times)));
  const last = clock(Math.floor(Math.max(...times)));
  assert.ok(wall[0]! >= first && wall[wall.length - 1]! <= last, `${wall.join(' ')}`);
  // Relative and wall time share the shape (same x spacing, shifted origin).
  const shape = (d: string) => pathPoints(d).map(([x]) => x);
  chooseAxis(host, 'relative');
  const rel = shape(smoothedPath(host, 'loss', 'train'));
  chooseAxis(host, 'wall');
  const abs = shape(smoothedPath(host, 'loss', 'train'));
  assert.equal(rel.length, abs.length);
  rel.forEach((x, k) => assert.ok(Math.abs(x - abs[k]!) <= 0.1, `point ${k}: ${x} vs ${abs[k]}`));

  chooseAxis(host, 'step');
  assert.equal(smoothedPath(host, 'loss', 'validation'), byStep);
});

test('training: legend entries hide and show runs in every chart', () => {
  const host = render(taxi());
  const button = host.querySelector<HTMLButtonElement>(
    'button.tsfx-training-run[data-run="validation"]',
  );
  assert.ok(button);
  assert.equal(button.getAttribute('aria-pressed'), 'true');
  button.click();
  assert.equal(button.getAttribute('aria-pressed'), 'false');
  for (const tag of ['loss', 'accuracy', 'auc']) {
    assert.equal(line(host, tag, 'validation'), null);
    assert.ok(line(host, tag, 'train'));
  }
  // The y range follows the visible runs: without the per-batch curve it is narrower.
  const before = pathPoints(smoothedPath(host, 'loss', 'train_epoch'));
  host.querySelector<HTMLButtonElement>('button.tsfx-training-run[data-run="train"]')!.click();
  const after = pathPoints(smoothedPath(host, 'loss', 'train_epoch'));
  const span = (ps: [number, number][]) =>
    Math.max(...ps.map((p) => p[1])) - Math.min(...ps.map((p) => p[1]));
  assert.ok(span(after) > span(before), 'the epoch curve fills the chart alone');
  // Hiding every run leaves an empty chart with a note.
  host
    .querySelector<HTMLButtonElement>('button.tsfx-training-run[data-run="train_epoch"]')!
    .click();
  assert.equal(host.querySelectorAll('g.tsfx-training-line').length, 0);
  assert.equal(
    host.querySelector('figure[data-tag="auc"] .tsfx-training-empty')?.textContent,
    'all runs hidden',
  );
  button.click();
  assert.ok(line(host, 'auc', 'validation'));
  assert.equal(host.querySelectorAll('g.tsfx-training-line').length, 3);
});

test('training: live updates of the same output keep smoothing, x axis, hidden runs and hover', async () => {
  const renderer = new TsfxRenderer(rendererFor('training'));
  const model = (data: unknown): IRenderMime.IMimeModel => mimeModel(MIME, data);
  const host = renderer.node;
  document.body.append(host);
  const payload = taxi();
  // The taxi run's epochs are 20 steps long.
  await renderer.renderModel(model(partial(payload, 15)));
  assert.equal(host.querySelector('.tsfx-training-state')?.textContent, 'running');
  assert.equal(
    host.querySelector('.tsfx-training-progress-text')?.textContent,
    'step 15 / 400 · epoch 1 · backend wasm',
  );
  // Before the first epoch there is no validation run yet.
  assert.deepEqual(
    [...host.querySelectorAll('button.tsfx-training-run')].map((b) => b.getAttribute('data-run')),
    ['train'],
  );
  setSmoothing(host, 0.85);
  chooseAxis(host, 'relative');
  host.querySelector<HTMLButtonElement>('button.tsfx-training-run[data-run="train"]')!.click();
  await renderer.renderModel(model(partial(payload, 130)));
  host.querySelector<HTMLButtonElement>('button.tsfx-training-run[data-run="validation"]')!.click();
  hover(host, 'accuracy', 200);
  const hovered = tooltipRows(host, 'accuracy');
  assert.deepEqual(
    hovered.map((r) => r[0]),
    ['train_epoch'],
  );

  await renderer.renderModel(model(payload));
  assert.equal(host.querySelector('.tsfx-training-state')?.textContent, 'done');
  assert.equal(
    host.querySelector<HTMLInputElement>('input.tsfx-training-smoothing')?.value,
    '0.85',
  );
  assert.equal(
    host.querySelector<HTMLInputElement>('.tsfx-training-xaxis input[value="relative"]')?.checked,
    true,
  );
  assert.deepEqual(
    [...host.querySelectorAll('button.tsfx-training-run')].map((b) => [
      b.getAttribute('data-run'),
      b.getAttribute('aria-pressed'),
    ]),
    [
      ['train', 'false'],
      ['train_epoch', 'true'],
      ['validation', 'false'],
    ],
  );
  assert.deepEqual(
    [...host.querySelectorAll('figure[data-tag="loss"] g.tsfx-training-line')].map((g) =>
      g.getAttribute('data-run'),
    ),
    ['train_epoch'],
  );
  // The hover stays where it was (the same epoch point) on the new data.
  assert.deepEqual(tooltipRows(host, 'accuracy'), hovered);
  // The smoothed curve is drawn with the kept weight on all the new points.
  const values = points(payload, 'train_epoch', 'loss').map((p) => p.value);
  const d = smoothedPath(host, 'loss', 'train_epoch');
  assert.equal(pathPoints(d).length, values.length);
  // A control that had the keyboard focus gets it back after the update...
  host.querySelector<HTMLInputElement>('input.tsfx-training-smoothing')!.focus();
  await renderer.renderModel(model(payload));
  await Promise.resolve();
  assert.equal(document.activeElement?.getAttribute('data-control'), 'smoothing');
  // ...but the focus is not taken back once the user moved it elsewhere.
  const elsewhere = document.createElement('button');
  document.body.append(elsewhere);
  elsewhere.focus();
  await Promise.resolve();
  await renderer.renderModel(model(payload));
  assert.equal(document.activeElement, elsewhere);
  const fresh = render(payload);
  assert.equal(
    fresh.querySelector<HTMLInputElement>('input.tsfx-training-smoothing')?.value,
    '0.6',
  );
  assert.equal(fresh.querySelectorAll('figure[data-tag="loss"] g.tsfx-training-line').length, 3);
  // Another output (another renderer) starts from the defaults too.
  const other = new TsfxRenderer(rendererFor('training'));
  await other.renderModel(model(payload));
  assert.equal(
    other.node.querySelector<HTMLInputElement>('.tsfx-training-xaxis input[value="step"]')?.checked,
    true,
  );
});

test('training: an empty payload (training just started) draws empty charts', () => {
  const empty = trainingPayload([], null, 'running');
  const host = render(empty);
  assertGolden('training-empty.html', host.innerHTML);
  assert.equal(host.querySelectorAll('figure.tsfx-training-chart').length, 3);
  assert.deepEqual(
    [...host.querySelectorAll('.tsfx-training-empty')].map((t) => t.textContent),
    ['no data yet', 'no data yet', 'no data yet'],
  );
  assert.equal(host.querySelector('.tsfx-training-legend')?.textContent, 'no scalars yet');
  assert.equal(
    host.querySelector('.tsfx-training-progress-text')?.textContent,
    'step 0 / 0 · epoch 0',
  );
  assert.equal(host.querySelector('.tsfx-artifact-line'), null);
  hover(host, 'loss', 150);
  assert.deepEqual(tooltipRows(host, 'loss'), []);
  // The first batch only: one point per chart, drawn as a dot.
  const first = syntheticRun(1);
  const one = render(first);
  assert.equal(one.querySelectorAll('circle.tsfx-training-dot').length, 3);
  assert.equal(one.querySelector('.tsfx-training-state')?.textContent, 'running');
});

test('training: run and tag names are text, never markup', () => {
  const payload = taxi();
  payload.runs[0]!.name = '<img src=x onerror="alert(1)">';
  payload.runs[0]!.series[0]!.tag = '<b>loss & co</b>';
  const host = render(payload);
  assert.equal(host.querySelector('img'), null);
  assert.equal(host.querySelector('b'), null);
  const tags = [...host.querySelectorAll('.tsfx-training-tag')].map((t) => t.textContent);
  assert.ok(tags.includes('<b>loss & co</b>'));
  assert.ok(host.innerHTML.includes('&lt;b&gt;loss &amp; co&lt;/b&gt;'));
  const names = [...host.querySelectorAll('.tsfx-training-run-name')].map((t) => t.textContent);
  assert.equal(names[0], '<img src=x onerror="alert(1)">');
  hover(host, '<b>loss & co</b>', 200);
  assert.equal(tooltipRows(host, '<b>loss & co</b>')[0]![0], '<img src=x onerror="alert(1)">');
});

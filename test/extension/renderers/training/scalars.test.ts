// TensorBoard's scalars features in the training view. The pure parts with expected values from
// numpy or written by hand: the outlier-free y range (numpy.percentile's 5th and 95th, widened
// by 20% of their span), the log axis' range and ticks, the CSV and JSON downloads; then in jsdom
// one check per control: log scale, ignore outliers, drag to zoom and fit, full size, card
// width, the run and tag filters. (Chromium checks each interaction again: test/browser/training.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TrainingPayload } from '@tsfx/protocol';
import '../../dom-globals';
import {
  chartCsv,
  chartJson,
  downloadName,
} from '../../../../extension/src/renderers/training/export';
import type { Line } from '../../../../extension/src/renderers/training/lines';
import { filterRegex, TrainingModel } from '../../../../extension/src/renderers/training/model';
import {
  logTicks,
  outlierFreeDomain,
  quantile,
  yDomain,
} from '../../../../extension/src/renderers/training/scales';
import { line, render, taxi } from './helpers';

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} against ${expected}`);

/** A line of `values` at steps 1, 2, … (one run, wall time 100 + step). */
function lineOf(name: string, values: readonly number[]): Line {
  const points = values.map((value, i) => ({ step: i + 1, wallTime: 100 + i + 1, value }));
  return {
    run: { name, colour: 0 },
    points,
    xs: points.map((p) => p.step),
    smoothed: values.slice(),
    start: 101,
  };
}

// A loss that settles near 0.4 after a start at 0.9, with one spike of 12.
const SPIKED = [
  0.9, 0.8, 0.7, 0.65, 0.6, 0.58, 0.55, 0.5, 0.52, 0.49, 0.47, 0.46, 0.45, 0.44, 0.43, 0.42, 0.41,
  0.4, 0.39, 12.0,
];

test('scalars: quantiles interpolate between ranks as numpy.quantile does', () => {
  // numpy.quantile([1, 2, 3, 10], 0.05) = 1.15, (…, 0.95) = 8.95.
  close(quantile([1, 2, 3, 10], 0.05), 1.15, 'q05');
  close(quantile([1, 2, 3, 10], 0.95), 8.95, 'q95');
  close(quantile([7], 0.5), 7, 'one value');
});

test('scalars: ignoring outliers fits the 5th–95th percentiles, widened by 20% each side', () => {
  // numpy.percentile(SPIKED, [5, 95]) = 0.3995, 1.455; span 1.0555, so 0.1884 … 1.6661.
  const [lo, hi] = outlierFreeDomain(SPIKED);
  close(lo, 0.1884, 'low');
  close(hi, 1.6661, 'high');
  const [ylo, yhi] = yDomain([lineOf('train', SPIKED)], { ignoreOutliers: true, log: false });
  close(ylo, 0.1884, 'yDomain low');
  close(yhi, 1.6661, 'yDomain high');
  // Without it, every point is in range: 0.39 … 12 with 5% of the span to spare.
  const [alo, ahi] = yDomain([lineOf('train', SPIKED)], { ignoreOutliers: false, log: false });
  close(alo, 0.39 - 0.5805, 'all low');
  close(ahi, 12 + 0.5805, 'all high');
});

test('scalars: a log axis fits log10 of the values > 0, with round ticks', () => {
  // 0.01 … 100 is -2 … 2 in log10; 5% of that span (0.2) to spare: 10^-2.2 … 10^2.2.
  const [lo, hi] = yDomain([lineOf('train', [0, -1, 0.01, 1, 100])], {
    ignoreOutliers: false,
    log: true,
  });
  close(lo, 10 ** -2.2, 'log low');
  close(hi, 10 ** 2.2, 'log high');
  assert.deepEqual(logTicks(0.006, 160, 6), [0.01, 0.1, 1, 10, 100]);
  assert.deepEqual(logTicks(0.15, 60, 8), [0.2, 0.5, 1, 2, 5, 10, 20, 50]);
  // More than `count` that way: the powers of ten alone.
  assert.deepEqual(logTicks(0.15, 60, 6), [1, 10]);
  // Inside one decade: linear ticks.
  assert.deepEqual(logTicks(0.31, 0.69, 5), [0.4, 0.5, 0.6]);
});

test('scalars: the CSV and JSON downloads hold each run’s raw points by step', () => {
  const lines = [lineOf('train', [0.5, 0.25]), lineOf('my, "run"', [1.5])];
  assert.equal(
    chartCsv(lines),
    'Run,Wall time,Step,Value\ntrain,101,1,0.5\ntrain,102,2,0.25\n"my, ""run""",101,1,1.5\n',
  );
  assert.deepEqual(JSON.parse(chartJson(lines)), {
    train: [
      [101, 1, 0.5],
      [102, 2, 0.25],
    ],
    'my, "run"': [[101, 1, 1.5]],
  });
  assert.equal(downloadName('loss/val x', 'csv'), 'tsfx-training-loss_val_x.csv');
});

test('scalars: run and tag filters are case-insensitive regexes; a bad one filters nothing', () => {
  assert.equal(filterRegex(''), null);
  assert.equal(filterRegex('(('), undefined);
  const model = new TrainingModel();
  model.runFilter = '^TRAIN';
  assert.deepEqual(
    ['train', 'train_epoch', 'validation'].filter((r) => model.showsRun(r)),
    ['train', 'train_epoch'],
  );
  model.runFilter = '((';
  assert.equal(model.showsRun('validation'), true);
  model.tagFilter = 'acc|AUC';
  assert.deepEqual(
    ['loss', 'accuracy', 'auc'].filter((t) => model.showsTag(t)),
    ['accuracy', 'auc'],
  );
});

// ---- the controls in jsdom ----------------------------------------------------------------

const figure = (host: HTMLElement, tag: string) =>
  host.querySelector<HTMLElement>(`figure[data-tag="${tag}"]`)!;
const tool = (host: HTMLElement, tag: string, name: string) =>
  figure(host, tag).querySelector<HTMLButtonElement>(`button[data-tool="${name}"]`)!;
const yLabels = (host: HTMLElement, tag: string) =>
  [...figure(host, tag).querySelectorAll('.tsfx-training-axis text[text-anchor="end"]')].map(
    (t) => t.textContent,
  );

test('scalars: the log button puts the y axis on a log scale', () => {
  const host = render(taxi());
  assert.equal(tool(host, 'loss', 'log').getAttribute('aria-pressed'), 'false');
  tool(host, 'loss', 'log').click();
  assert.equal(tool(host, 'loss', 'log').getAttribute('aria-pressed'), 'true');
  const titles = [...figure(host, 'loss').querySelectorAll('.tsfx-training-axis-title')];
  assert.equal(titles[1]?.textContent, 'loss (log)');
  // The ticks sit at log-spaced heights: pixels per decade the same between any two of them.
  const ticks = [
    ...figure(host, 'loss').querySelectorAll('.tsfx-training-axis text[text-anchor="end"]'),
  ].map((t) => [Number(t.textContent), Number(t.getAttribute('y'))] as const);
  assert.ok(ticks.length >= 3);
  const perDecade = (a: readonly [number, number], b: readonly [number, number]) =>
    (a[1] - b[1]) / Math.log10(b[0] / a[0]);
  const first = perDecade(ticks[0]!, ticks.at(-1)!);
  for (let k = 1; k < ticks.length; k++)
    assert.ok(Math.abs(perDecade(ticks[k - 1]!, ticks[k]!) - first) < 1.5, `tick ${k}`);
  // Other charts keep their linear axis.
  assert.equal(tool(host, 'auc', 'log').getAttribute('aria-pressed'), 'false');
});

test('scalars: ignore outliers narrows the y range of a spiked run', () => {
  const payload: TrainingPayload = {
    kind: 'training',
    artifact: null,
    status: 'done',
    backend: null,
    progress: { step: 20, numSteps: 20, epoch: 1, examplesPerSecond: null },
    runs: [
      {
        name: 'train',
        series: [
          {
            tag: 'loss',
            points: SPIKED.map((value, i) => ({ step: i + 1, wallTime: 100 + i, value })),
          },
        ],
      },
    ],
  } as TrainingPayload;
  const host = render(payload);
  const top = () => Number(yLabels(host, 'loss').at(-1));
  assert.ok(top() >= 10, `the spike is in range (${top()})`);
  const box = host.querySelector<HTMLInputElement>('input.tsfx-training-outliers')!;
  box.checked = true;
  box.dispatchEvent(new box.ownerDocument.defaultView!.Event('change'));
  // The outlier-free range is 0.1884 … 1.6661: the top tick is at most 1.6.
  assert.ok(top() <= 1.6, `the spike is out of range (${top()})`);
  // Its curve is clipped to the plot.
  assert.match(
    figure(host, 'loss').querySelector('.tsfx-training-curves')?.getAttribute('clip-path') ?? '',
    /^url\(#tsfx-training-clip-\d+\)$/,
  );
});

test('scalars: a drag zooms into its box, a double-click and fit go back to the data', () => {
  const host = render(taxi());
  const view = host.ownerDocument.defaultView!;
  const overlay = () => figure(host, 'loss').querySelector('.tsfx-training-overlay')!;
  const before = xLabels(host);
  // jsdom lays nothing out: client coordinates are the svg's own. The plot is x 62 … 346.
  overlay().dispatchEvent(
    new view.MouseEvent('mousedown', { clientX: 62, clientY: 20, button: 0, bubbles: true }),
  );
  view.dispatchEvent(new view.MouseEvent('mousemove', { clientX: 204, clientY: 150 }));
  view.dispatchEvent(new view.MouseEvent('mouseup', { clientX: 204, clientY: 150 }));
  // Steps 0 … 400 over 284 px: the box ends at step 200.
  const zoomed = xLabels(host);
  assert.notDeepEqual(zoomed, before);
  assert.equal(zoomed.at(-1), '200');
  assert.equal(tool(host, 'loss', 'fit').disabled, false);
  overlay().dispatchEvent(new view.MouseEvent('dblclick', { bubbles: true }));
  assert.deepEqual(xLabels(host), before);
  assert.equal(tool(host, 'loss', 'fit').disabled, true);
  // A click is not a drag.
  overlay().dispatchEvent(
    new view.MouseEvent('mousedown', { clientX: 100, clientY: 50, button: 0, bubbles: true }),
  );
  view.dispatchEvent(new view.MouseEvent('mouseup', { clientX: 101, clientY: 51 }));
  assert.deepEqual(xLabels(host), before);

  function xLabels(h: HTMLElement): string[] {
    return [
      ...figure(h, 'loss').querySelectorAll('.tsfx-training-axis text[text-anchor="middle"]'),
    ].map((t) => t.textContent ?? '');
  }
});

test('scalars: full size draws the card a row wide; the card width slider sets the grid', () => {
  const host = render(taxi());
  tool(host, 'accuracy', 'full').click();
  assert.ok(figure(host, 'accuracy').classList.contains('tsfx-training-chart-full'));
  assert.equal(figure(host, 'accuracy').querySelector('svg')?.getAttribute('width'), '760');
  assert.equal(figure(host, 'loss').querySelector('svg')?.getAttribute('width'), '360');
  const slider = host.querySelector<HTMLInputElement>('input.tsfx-training-card-width')!;
  slider.value = '480';
  slider.dispatchEvent(new slider.ownerDocument.defaultView!.Event('input'));
  assert.equal(
    host
      .querySelector<HTMLElement>('.tsfx-training-charts')
      ?.style.getPropertyValue('--tsfx-training-card-width'),
    '480px',
  );
});

test('scalars: the run filter leaves runs out of the legend and the charts; tags filter charts', () => {
  const host = render(taxi());
  const type = (what: 'runs' | 'tags', value: string) => {
    const input = host.querySelector<HTMLInputElement>(`input.tsfx-training-filter-${what}`)!;
    input.value = value;
    input.dispatchEvent(new input.ownerDocument.defaultView!.Event('input'));
    return input;
  };
  type('runs', '^val');
  assert.equal(line(host, 'loss', 'train'), null);
  assert.ok(line(host, 'loss', 'validation'));
  assert.deepEqual(
    [...host.querySelectorAll<HTMLButtonElement>('button.tsfx-training-run')]
      .filter((b) => !b.hidden)
      .map((b) => b.getAttribute('data-run')),
    ['validation'],
  );
  const bad = type('runs', '([');
  assert.equal(bad.getAttribute('aria-invalid'), 'true');
  assert.ok(line(host, 'loss', 'train'), 'an invalid regex filters nothing');
  type('tags', 'LOSS|auc');
  assert.deepEqual(
    [...host.querySelectorAll('figure.tsfx-training-chart')].map((f) => f.getAttribute('data-tag')),
    ['loss', 'auc'],
  );
});

/// <reference lib="dom" />
// The per-feature charts on the taxi statistics: counts or percentages, the numeric charts'
// quantiles and log toggles, the categorical charts' top values and CDF.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../dom-globals';
import { featureChart } from '../../../../extension/src/renderers/statistics/charts';
import { StatisticsModel } from '../../../../extension/src/renderers/statistics/model';
import { newDocument } from '../../render-helpers';
import { bars, body, check, choose, render, taxi, values } from './helpers';

test('statistics: the percentage toggle rescales the bars per dataset', () => {
  const host = render(taxi());
  const counts = values(bars(host, 'trip_start_hour', 'eval'));
  const trainCounts = values(bars(host, 'trip_start_hour', 'train'));
  // Counts: eval (5,000 examples) is half of train (10,000).
  const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum(counts) - 5000) < 1, `eval counts sum to ${sum(counts)}`);
  assert.ok(Math.abs(sum(trainCounts) - 10000) < 1);
  const heightsBefore = values(bars(host, 'trip_start_hour', 'eval'), 'height');
  assert.equal(host.querySelector('.tsfx-stats-ymax')?.textContent?.endsWith('%'), false);

  check(host.querySelector<HTMLInputElement>('input.tsfx-stats-percent')!);
  const percents = values(bars(host, 'trip_start_hour', 'eval'));
  assert.ok(Math.abs(sum(percents) - 100) < 0.5, `eval percentages sum to ${sum(percents)}`);
  assert.ok(Math.abs(sum(values(bars(host, 'trip_start_hour', 'train'))) - 100) < 0.5);
  const heightsAfter = values(bars(host, 'trip_start_hour', 'eval'), 'height');
  assert.notDeepEqual(heightsAfter, heightsBefore);
  // Relative to train, eval's bars grow about twofold once both are percentages.
  assert.ok(sum(heightsAfter) > 1.5 * sum(heightsBefore));
  assert.match(
    body(host, 'trip_start_hour').querySelector('.tsfx-stats-ymax')?.textContent ?? '',
    /^\d+\.\d%$/,
  );
  // Categorical bars too.
  const payment = values(bars(host, 'payment_type', 'train'));
  assert.ok(payment.every((v) => v <= 100) && Math.abs(sum(payment) - 100) < 0.5);
});

test('statistics: numeric charts toggle to quantiles and to a log scale', () => {
  const host = render(taxi());
  const fare = body(host, 'fare');
  const toggle = (name: string) =>
    body(host, 'fare').querySelector<HTMLButtonElement>(
      `button.tsfx-stats-toggle[data-toggle="${name}"]`,
    )!;
  assert.equal(fare.querySelector('svg')?.getAttribute('data-chart'), 'standard');

  // Log: the rare large fares (1 of 10,000 in the last bucket) become visible.
  const linear = values(bars(host, 'fare', 'train'), 'height');
  toggle('log').click();
  assert.equal(toggle('log').getAttribute('aria-pressed'), 'true');
  const log = values(bars(host, 'fare', 'train'), 'height');
  assert.ok(linear[9]! < 0.1, `linear height ${linear[9]}`);
  assert.ok(log[9]! > 5, `log height ${log[9]}`);
  assert.equal(log[0], linear[0], 'the tallest bar keeps its height');
  assert.match(fare.querySelector('.tsfx-stats-ymax')?.textContent ?? '', /\(log\)$/);

  toggle('quantiles').click();
  assert.equal(toggle('quantiles').getAttribute('aria-pressed'), 'true');
  const svg = fare.querySelector('svg')!;
  assert.equal(svg.getAttribute('data-chart'), 'quantiles');
  assert.equal(fare.querySelectorAll('rect').length, 0);
  const rows = [...svg.querySelectorAll('g.tsfx-stats-quantiles')];
  assert.deepEqual(
    rows.map((g) => [
      g.getAttribute('data-dataset'),
      g.querySelectorAll('line.tsfx-stats-qtick').length,
    ]),
    [
      ['train', 11],
      ['eval', 11],
    ],
  );
  assert.match(
    rows[0]!.querySelector('title')?.textContent ?? '',
    /^train quantiles: 0, 4\.84, 5\.45,/,
  );
  assert.equal(toggle('log').disabled, true, 'log does not apply to quantiles');
  // Other features keep their own chart.
  assert.equal(body(host, 'tips').querySelector('svg')?.getAttribute('data-chart'), 'standard');
  // The choice survives a redraw (sorting), and toggles back.
  choose(host.querySelector<HTMLSelectElement>('select.tsfx-stats-sort')!, 'name');
  assert.equal(body(host, 'fare').querySelector('svg')?.getAttribute('data-chart'), 'quantiles');
  toggle('quantiles').click();
  assert.equal(body(host, 'fare').querySelector('svg')?.getAttribute('data-chart'), 'standard');
});

test('statistics: categorical charts: top values, or the CDF when there are many', () => {
  const host = render(taxi());
  const payment = body(host, 'payment_type');
  assert.equal(payment.querySelector('svg')?.getAttribute('data-chart'), 'bars');
  // Train's values by frequency (eval has no Prcard: a zero-length bar).
  assert.deepEqual(
    [...payment.querySelectorAll('g.tsfx-stats-value')].map((g) =>
      g.getAttribute('data-value-label'),
    ),
    ['Cash', 'Credit Card', 'No Charge', 'Unknown', 'Dispute', 'Pcard', 'Prcard'],
  );
  assert.deepEqual(values(bars(host, 'payment_type', 'eval')), [3308, 1653, 28, 9, 1, 1, 0]);
  assert.equal(values(bars(host, 'payment_type', 'train'))[0], 6601);

  const company = body(host, 'company');
  assert.equal(company.querySelector('svg')?.getAttribute('data-chart'), 'cdf');
  const lines = [...company.querySelectorAll('polyline.tsfx-stats-cdf')];
  assert.deepEqual(
    lines.map((l) => l.getAttribute('data-dataset')),
    ['train', 'eval'],
  );
  assert.equal(lines[0]!.getAttribute('points')?.split(' ').length, 50);
  assert.equal(lines[0]!.getAttribute('data-value'), '6580');
  check(host.querySelector<HTMLInputElement>('input.tsfx-stats-percent')!);
  assert.equal(body(host, 'company').querySelector('polyline')?.getAttribute('data-value'), '100');

  // The tables were redrawn: look the feature up again.
  const redrawn = body(host, 'company');
  const cdf = redrawn.querySelector<HTMLButtonElement>('button[data-toggle="cdf"]')!;
  assert.equal(cdf.getAttribute('aria-pressed'), 'true');
  cdf.click();
  assert.equal(cdf.getAttribute('aria-pressed'), 'false');
  assert.equal(redrawn.querySelector('svg')?.getAttribute('data-chart'), 'bars');
  assert.equal(redrawn.querySelectorAll('g.tsfx-stats-value').length, 10);
  assert.equal(
    redrawn.querySelector('g.tsfx-stats-value')?.getAttribute('data-value-label'),
    'Taxi Affiliation Services',
  );

  // All values missing: an empty chart that says so.
  assert.equal(
    body(host, 'pickup_census_tract').querySelector('svg')?.getAttribute('data-chart'),
    'empty',
  );
});

test('statistics: a chart is drawn from the model and its options alone', () => {
  const { document } = newDocument();
  const model = new StatisticsModel(taxi());
  const fare = model.features.find((f) => f.name === 'fare')!;
  const options = {
    visible: [0],
    datasetNames: model.datasetNames,
    percent: true,
    log: false,
    width: 220,
  };
  const standard = featureChart(document, fare, 'standard', options);
  assert.equal(standard.getAttribute('data-chart'), 'standard');
  const rects = [...standard.querySelectorAll<SVGRectElement>('rect.tsfx-stats-bar')];
  assert.deepEqual(new Set(rects.map((r) => r.getAttribute('data-dataset'))), new Set(['train']));
  const sum = values(rects).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 100) < 0.5, `train percentages sum to ${sum}`);
  const quantiles = featureChart(document, fare, 'quantiles', { ...options, visible: [1] });
  assert.deepEqual(
    [...quantiles.querySelectorAll('g.tsfx-stats-quantiles')].map((g) => [
      g.getAttribute('data-dataset'),
      g.querySelectorAll('line.tsfx-stats-qtick').length,
    ]),
    [['eval', 11]],
  );
  const census = model.features.find((f) => f.name === 'pickup_census_tract')!;
  assert.equal(featureChart(document, census, 'bars', options).getAttribute('data-chart'), 'empty');
});

/// <reference lib="dom" />
// The statistics view's readability: one number format per feature (its range decides), dates
// on hover for timestamps, feature names that may wrap, charts drawn at the width they are given.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../dom-globals';
import { featureChart } from '../../../../extension/src/renderers/statistics/charts';
import { StatisticsModel } from '../../../../extension/src/renderers/statistics/model';
import { body, render, taxi } from './helpers';

const stats = (host: HTMLElement, feature: string, row = 0): HTMLTableCellElement[] => [
  ...body(host, feature).rows[row]!.querySelectorAll<HTMLTableCellElement>('td[data-stat]'),
];

test('statistics: one number format per feature, from its range', () => {
  const host = render(taxi());
  // count, missing, mean, std dev, zeros, min, median, max. Expected values: Python's
  // f'{x:,.0f}' / f'{x:.4f}' of the fixture's statistics.
  const text = (f: string) => stats(host, f).map((td) => td.textContent);
  assert.deepEqual(text('trip_start_timestamp').slice(2), [
    '1,408,348,140',
    '29,159,043',
    '0%',
    '1,357,000,200',
    '1,406,905,200',
    '1,483,116,300',
  ]);
  assert.deepEqual(text('pickup_latitude').slice(2), [
    '41.9031',
    '0.0379',
    '0%',
    '41.6949',
    '41.8925',
    '42.0096',
  ]);
});

test('statistics: a timestamp feature shows its values as dates on hover', () => {
  const host = render(taxi());
  const [, , mean, , , min, , max] = stats(host, 'trip_start_timestamp');
  // Python: datetime.fromtimestamp(1357000200, UTC) and so on.
  assert.equal(min!.title, '2013-01-01 00:30:00 UTC');
  assert.equal(max!.title, '2016-12-30 16:45:00 UTC');
  assert.equal(mean!.title, '2014-08-18 07:49:00 UTC');
  assert.equal(stats(host, 'fare')[2]!.title, '', 'no date for a fare');
});

test('statistics: feature names may wrap after their underscores; numeric headers are numbers', () => {
  const host = render(taxi());
  const name = body(host, 'trip_start_timestamp').querySelector('.tsfx-stats-feature-name')!;
  assert.equal(name.textContent, 'trip_start_timestamp');
  assert.equal(name.querySelectorAll('wbr').length, 2);
  const heads = [...host.querySelectorAll('.tsfx-stats-numeric thead th')];
  assert.deepEqual(
    heads.filter((th) => th.classList.contains('tsfx-num')).map((th) => th.textContent),
    ['count', 'missing', 'mean', 'std dev', 'zeros', 'min', 'median', 'max'],
  );
  assert.ok(heads[0]!.classList.contains('tsfx-stats-name'), 'the sticky feature column');
});

test('statistics: charts are drawn at the width the view fits them to', () => {
  const model = new StatisticsModel(taxi());
  const fare = model.features.find((f) => f.name === 'fare')!;
  model.chartWidth = 160;
  const svg = featureChart(document, fare, 'standard', model.chartOptions(fare));
  assert.equal(svg.getAttribute('width'), '160');
  assert.equal(svg.getAttribute('viewBox'), '0 0 160 96');
  const right = svg.querySelector('.tsfx-stats-xmax')!;
  assert.equal(right.getAttribute('x'), '154');
  assert.equal(right.textContent, '700.07');
  const bars = [...svg.querySelectorAll('rect')].map(
    (r) => Number(r.getAttribute('x')) + Number(r.getAttribute('width')),
  );
  assert.ok(Math.max(...bars) <= 154, 'the bars stay within the plot');
});

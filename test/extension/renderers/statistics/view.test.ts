/// <reference lib="dom" />
// The statistics view on the taxi statistics: golden markup, sorting, search, the dataset legend
// and escaping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../dom-globals';
import { assertGolden } from '../../render-helpers';
import { body, bars, check, choose, render, shown, taxi, TAXI_ORDER } from './helpers';

test('statistics: golden markup (a few taxi features of each kind)', () => {
  const payload = taxi();
  const keep = new Set(['fare', 'trip_start_hour', 'tips', 'payment_type', 'company']);
  for (const ds of payload.datasets) ds.features = ds.features.filter((f) => keep.has(f.name));
  assertGolden('statistics.html', render(payload).innerHTML);
});

test('statistics: sorting changes the order, reverse reverses it', () => {
  const host = render(taxi());
  const sort = host.querySelector<HTMLSelectElement>('select.tsfx-stats-sort')!;
  assert.deepEqual(
    [...sort.options].map((o) => o.value),
    ['order', 'name', 'nonuniformity', 'missing', 'linf', 'js'],
  );

  choose(sort, 'name');
  assert.deepEqual(shown(host, 'numeric'), [...TAXI_ORDER].sort());
  assert.deepEqual(shown(host, 'categorical'), ['company', 'payment_type', 'pickup_census_tract']);

  choose(sort, 'missing');
  const numeric = shown(host, 'numeric');
  // tips (68% zeros) then the census tract (28% missing) come first; fare has almost nothing.
  assert.deepEqual(numeric.slice(0, 2), ['tips', 'dropoff_census_tract']);
  assert.deepEqual(shown(host, 'categorical'), ['pickup_census_tract', 'company', 'payment_type']);
  assert.match(
    body(host, 'tips').querySelector('.tsfx-stats-metric')?.textContent ?? '',
    /^missing\/zero 68\.\d%$/,
  );

  // L-infinity is TFDV's categorical distance: numeric features have none and keep their order.
  choose(sort, 'linf');
  const numericLinf = [...host.querySelectorAll('.tsfx-stats-numeric .tsfx-stats-metric')];
  assert.ok(numericLinf.every((m) => m.textContent === 'L∞ n/a'));
  assert.deepEqual(shown(host, 'numeric'), TAXI_ORDER);
  const categoricalLinf = [...host.querySelectorAll('.tsfx-stats-categorical .tsfx-stats-metric')]
    .map((m) => Number((m.textContent ?? '').split(' ').pop()))
    .filter((v) => Number.isFinite(v));
  assert.ok(categoricalLinf.length >= 2);
  assert.deepEqual(
    categoricalLinf,
    [...categoricalLinf].sort((a, b) => b - a),
  );

  for (const key of ['js', 'nonuniformity'] as const) {
    choose(sort, key);
    const metrics = [...host.querySelectorAll('.tsfx-stats-numeric .tsfx-stats-metric')].map((m) =>
      Number((m.textContent ?? '').split(' ').pop()),
    );
    assert.equal(metrics.length, 15);
    assert.ok(
      metrics.every((v) => Number.isFinite(v)),
      `${key}: ${metrics.join(',')}`,
    );
    assert.deepEqual(
      metrics,
      [...metrics].sort((a, b) => b - a),
      `${key} is descending`,
    );
    assert.notDeepEqual(shown(host, 'numeric'), TAXI_ORDER, `${key} changes the order`);
  }

  choose(sort, 'js');
  const byDistance = shown(host, 'numeric');
  check(host.querySelector<HTMLInputElement>('input.tsfx-stats-reverse')!);
  assert.deepEqual(shown(host, 'numeric'), [...byDistance].reverse());
  choose(sort, 'order');
  assert.deepEqual(shown(host, 'numeric'), [...TAXI_ORDER].reverse());
});

test('statistics: the search box filters the features', () => {
  const host = render(taxi());
  const search = host.querySelector<HTMLInputElement>('input.tsfx-stats-search')!;
  const type = (text: string) => {
    search.value = text;
    search.dispatchEvent(new search.ownerDocument.defaultView!.Event('input'));
  };
  type('PICKUP');
  assert.deepEqual(shown(host, 'numeric'), [
    'pickup_community_area',
    'pickup_latitude',
    'pickup_longitude',
  ]);
  assert.deepEqual(shown(host, 'categorical'), ['pickup_census_tract']);
  assert.deepEqual(
    [...host.querySelectorAll('.tsfx-stats-section-title')].map((t) => t.textContent),
    ['Numeric features (3 of 15)', 'Categorical features (1 of 3)'],
  );
  type('company');
  assert.deepEqual(shown(host, 'numeric'), []);
  assert.equal(
    host.querySelector('.tsfx-stats-numeric .tsfx-stats-none')?.textContent,
    'No numeric feature matches "company"',
  );
  assert.deepEqual(shown(host, 'categorical'), ['company']);
  type('');
  assert.equal(host.querySelectorAll('tbody.tsfx-stats-feature').length, 18);
});

test('statistics: the legend shows and hides datasets', () => {
  const host = render(taxi());
  const [train, evalButton] = [
    ...host.querySelectorAll<HTMLButtonElement>('.tsfx-stats-legend button.tsfx-stats-dataset'),
  ];
  assert.ok(train && evalButton);
  assert.equal(evalButton.textContent, 'eval5,000 examples');
  assert.equal(bars(host, 'fare', 'eval').length, 10);
  const narrow = Number(bars(host, 'fare', 'train')[0]!.getAttribute('width'));

  evalButton.click();
  assert.equal(evalButton.getAttribute('aria-pressed'), 'false');
  assert.equal(host.querySelectorAll('rect.tsfx-stats-bar[data-dataset="eval"]').length, 0);
  assert.equal(host.querySelectorAll('tr.tsfx-stats-row[data-dataset="eval"]').length, 0);
  assert.equal(bars(host, 'fare', 'train').length, 10);
  assert.equal(body(host, 'fare').rows.length, 1);
  assert.equal(body(host, 'fare').querySelector('th')?.getAttribute('rowspan'), '1');
  // Train's bars widen to the whole bucket.
  const width = Number(bars(host, 'fare', 'train')[0]!.getAttribute('width'));
  assert.ok(width > 1.8 * narrow, `bar width ${width}, was ${narrow}`);

  // The last visible dataset stays.
  train.click();
  assert.equal(train.getAttribute('aria-pressed'), 'true');
  assert.equal(bars(host, 'fare', 'train').length, 10);

  evalButton.click();
  assert.equal(host.querySelectorAll('tr.tsfx-stats-row[data-dataset="eval"]').length, 18);
  assert.equal(bars(host, 'fare', 'eval').length, 10);
});

test('statistics: a feature name is text, never markup', () => {
  const payload = taxi();
  for (const ds of payload.datasets)
    ds.features.find((f) => f.name === 'fare')!.name = '<img onerror=x>';
  const host = render(payload);
  assert.equal(host.querySelector('img'), null);
  const name = host.querySelector('tbody[data-feature="<img onerror=x>"] .tsfx-stats-feature-name');
  assert.equal(name?.textContent, '<img onerror=x>');
  assert.ok(host.innerHTML.includes('&lt;img onerror=x&gt;'));
  const payment = payload.datasets[0]!.features.find((f) => f.name === 'payment_type')!;
  payment.stringStats!.rankHistogram.buckets[0]!.label = '<script>alert(1)</script>';
  assert.equal(render(payload).querySelector('script'), null);
});

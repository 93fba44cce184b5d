/// <reference lib="dom" />
// The statistics tables on the taxi statistics: a row per feature per dataset with the numbers
// Facets shows, and suspicious values marked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../dom-globals';
import { TAXI_STRING_COLUMNS } from '../../../helpers';
import { body, render, shown, taxi, TAXI_ORDER } from './helpers';

test('statistics: every taxi feature in a numeric or a categorical table, per dataset', () => {
  const host = render(taxi());
  const root = host.querySelector('.tsfx-statistics');
  assert.ok(root);
  assert.equal(
    root.querySelector('.tsfx-subtitle')?.textContent,
    '18 features · 2 datasets (train 10,000, eval 5,000)',
  );
  assert.deepEqual(shown(host, 'numeric'), TAXI_ORDER);
  assert.deepEqual(shown(host, 'categorical'), TAXI_STRING_COLUMNS);
  assert.equal(root.querySelectorAll('tbody.tsfx-stats-feature').length, 18);
  assert.deepEqual(
    [...root.querySelectorAll('.tsfx-stats-section-title')].map((t) => t.textContent),
    ['Numeric features (15)', 'Categorical features (3)'],
  );
  // One row per dataset, the name and the chart spanning them.
  const fare = body(host, 'fare');
  assert.deepEqual(
    [...fare.rows].map((r) => r.getAttribute('data-dataset')),
    ['train', 'eval'],
  );
  assert.equal(fare.querySelector('th.tsfx-stats-name')?.getAttribute('rowspan'), '2');
  const cells = (row: HTMLTableRowElement) =>
    [...row.querySelectorAll('td[data-stat]')].map((td) => td.textContent);
  // count, missing, mean, std dev, zeros, min, median, max
  assert.deepEqual(cells(fare.rows[0]!), [
    '10,000',
    '0%',
    '11.85',
    '12.27',
    '0.16%',
    '0',
    '7.85',
    '700.07',
  ]);
  const company = body(host, 'company');
  // count, missing, unique, top, freq top, avg str len
  assert.deepEqual(cells(company.rows[0]!), [
    '6,580',
    '34.2%',
    '50',
    'Taxi Affiliation Services',
    '3,465',
    '25.51',
  ]);
});

test('statistics: suspicious values are marked', () => {
  const host = render(taxi());
  const bad = (feature: string) =>
    [...body(host, feature).querySelectorAll('td.tsfx-stats-bad')].map(
      (td) => `${td.closest('tr')?.getAttribute('data-dataset')}:${td.getAttribute('title')}`,
    );
  assert.deepEqual(bad('fare'), []);
  assert.deepEqual(bad('company'), ['train:missing values', 'eval:missing values']);
  assert.deepEqual(bad('tips'), ['train:mostly zeros', 'eval:mostly zeros']);
  assert.deepEqual(bad('pickup_census_tract'), [
    'train:no values',
    'train:missing values',
    'eval:no values',
    'eval:missing values',
  ]);

  // A single value: std dev, min and max in red; a single unique string too.
  const payload = taxi();
  const month = payload.datasets[0]!.features.find((f) => f.name === 'trip_start_month')!;
  month.numStats!.min = 5;
  month.numStats!.max = 5;
  const payment = payload.datasets[1]!.features.find((f) => f.name === 'payment_type')!;
  payment.stringStats!.unique = '1';
  // A feature absent from eval.
  payload.datasets[1]!.features = payload.datasets[1]!.features.filter((f) => f.name !== 'fare');
  const changed = render(payload);
  const titles = (feature: string, dataset: string) =>
    [
      ...changed.querySelectorAll(
        `tbody[data-feature="${feature}"] tr[data-dataset="${dataset}"] td.tsfx-stats-bad`,
      ),
    ].map((td) => td.getAttribute('title'));
  assert.deepEqual(titles('trip_start_month', 'train'), [
    'a single value',
    'a single value',
    'a single value',
  ]);
  assert.deepEqual(titles('payment_type', 'eval'), ['a single value']);
  assert.deepEqual(titles('fare', 'eval'), ['absent']);
  assert.equal(
    changed.querySelector('tbody[data-feature="fare"] tr[data-dataset="eval"] td.tsfx-stats-absent')
      ?.textContent,
    'not in this dataset',
  );
});

// The statistics view's model: the features across datasets with their measures, and the view
// state (sort, search, datasets shown, percentages, each chart's toggles) with its transitions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildModel } from '../../../../extension/src/renderers/statistics/features';
import {
  sortFeatures,
  StatisticsModel,
} from '../../../../extension/src/renderers/statistics/model';
import type { FeatureModel } from '../../../../extension/src/renderers/statistics/features';
import { parsePayload } from '@tsfx/protocol';
import { taxi, TAXI_ORDER } from './helpers';

const names = (features: readonly FeatureModel[]): string[] => features.map((f) => f.name);

function feature(model: StatisticsModel, name: string): FeatureModel {
  const f = model.features.find((x) => x.name === name);
  assert.ok(f, `${name} is a feature`);
  return f;
}

test('statistics: features across datasets, their distances and the sorts', () => {
  const model = buildModel(parsePayload('statistics', taxi()));
  const company = model.find((f) => f.name === 'company')!;
  assert.ok(company.lInfinity !== undefined && company.lInfinity > 0 && company.lInfinity < 0.05);
  assert.equal(model.find((f) => f.name === 'pickup_census_tract')!.lInfinity, undefined);
  // L-infinity is TFDV's categorical distance: numeric features have none.
  assert.ok(model.filter((f) => f.kind === 'numeric').every((f) => f.lInfinity === undefined));
  // Features without a distance go last.
  const byLinf = sortFeatures(model, 'linf').map((f) => f.lInfinity);
  const firstUnknown = byLinf.indexOf(undefined);
  assert.ok(firstUnknown > 0 && byLinf.slice(firstUnknown).every((d) => d === undefined));
});

test('statistics model: starts in feature order, every dataset shown, counts', () => {
  const model = new StatisticsModel(taxi());
  assert.equal(model.sort, 'order');
  assert.equal(model.reverse, false);
  assert.equal(model.percent, false);
  assert.deepEqual(model.datasetNames, ['train', 'eval']);
  assert.deepEqual(model.visibleDatasets(), [0, 1]);
  assert.deepEqual(model.sortKeys(), ['order', 'name', 'nonuniformity', 'missing', 'linf', 'js']);
  assert.deepEqual(names(model.matching('numeric')), TAXI_ORDER);
  assert.deepEqual(names(model.matching('categorical')), [
    'pickup_census_tract',
    'payment_type',
    'company',
  ]);
  // One dataset: nothing to measure a distance to.
  const one = taxi();
  one.datasets = one.datasets.slice(0, 1);
  const single = new StatisticsModel(one);
  assert.equal(single.several, false);
  assert.deepEqual(single.sortKeys(), ['order', 'name', 'nonuniformity', 'missing']);
});

test('statistics model: the sort key and its direction order the features', () => {
  const model = new StatisticsModel(taxi());
  model.sort = 'name';
  assert.deepEqual(names(model.matching('categorical')), [
    'company',
    'payment_type',
    'pickup_census_tract',
  ]);
  model.reverse = true;
  assert.deepEqual(names(model.matching('categorical')), [
    'pickup_census_tract',
    'payment_type',
    'company',
  ]);
  model.reverse = false;
  model.sort = 'missing';
  // tips (68% zeros), then the dropoff census tract (28% missing).
  assert.deepEqual(names(model.matching('numeric')).slice(0, 2), ['tips', 'dropoff_census_tract']);
  model.sort = 'order';
  assert.deepEqual(names(model.matching('numeric')), TAXI_ORDER);
});

test('statistics model: the search keeps the features whose name contains it', () => {
  const model = new StatisticsModel(taxi());
  model.query = '  PICKUP ';
  assert.equal(model.searchText(), 'PICKUP');
  assert.deepEqual(names(model.matching('numeric')), [
    'pickup_community_area',
    'pickup_latitude',
    'pickup_longitude',
  ]);
  assert.deepEqual(names(model.matching('categorical')), ['pickup_census_tract']);
  // The sort applies to what matches.
  model.sort = 'name';
  model.reverse = true;
  assert.deepEqual(names(model.matching('numeric')), [
    'pickup_longitude',
    'pickup_latitude',
    'pickup_community_area',
  ]);
  model.query = 'no such feature';
  assert.deepEqual(model.matching('numeric'), []);
  // The features themselves do not change.
  assert.equal(model.featuresOf('numeric').length, 15);
  model.query = '';
  assert.equal(model.matching('numeric').length, 15);
});

test('statistics model: datasets are shown and hidden, the last one stays', () => {
  const model = new StatisticsModel(taxi());
  assert.equal(model.toggleDataset(1), true);
  assert.deepEqual(model.visibleDatasets(), [0]);
  assert.equal(model.isVisible(1), false);
  assert.equal(model.toggleDataset(0), false, 'the last dataset shown stays');
  assert.deepEqual(model.visibleDatasets(), [0]);
  assert.equal(model.toggleDataset(1), true);
  assert.equal(model.toggleDataset(0), true);
  assert.deepEqual(model.visibleDatasets(), [1]);
  assert.deepEqual(model.chartOptions(feature(model, 'fare')).visible, [1]);
});

test('statistics model: each chart has its own mode and log scale', () => {
  const model = new StatisticsModel(taxi());
  const fare = feature(model, 'fare');
  const tips = feature(model, 'tips');
  const company = feature(model, 'company');
  const payment = feature(model, 'payment_type');
  // Defaults: histograms, bars, and the CDF for company's 50 values.
  assert.equal(model.chartMode(fare), 'standard');
  assert.equal(model.chartMode(payment), 'bars');
  assert.equal(model.chartMode(company), 'cdf');
  assert.equal(model.logApplies(company), false);
  assert.deepEqual(model.chartOptions(fare), {
    visible: [0, 1],
    datasetNames: ['train', 'eval'],
    percent: false,
    log: false,
    width: 220,
    expanded: false,
  });
  // Expanded charts (one choice for the whole view) have a width of their own.
  model.expanded = true;
  model.expandedWidth = 600;
  assert.equal(model.chartRow, true, 'expanded charts go on a row of their own');
  assert.deepEqual(
    [model.chartOptions(fare).expanded, model.chartOptions(fare).width],
    [true, 600],
  );
  model.expanded = false;
  assert.equal(model.chartOptions(fare).width, 220);

  model.toggleChart(fare, 'log');
  assert.equal(model.togglesOf(fare).log, true);
  assert.equal(model.chartOptions(fare).log, true);
  assert.equal(model.chartOptions(tips).log, false, 'other charts keep theirs');
  assert.equal(model.logApplies(fare), true);

  model.toggleChart(fare, 'quantiles');
  assert.equal(model.chartMode(fare), 'quantiles');
  assert.equal(model.logApplies(fare), false, 'no log scale for quantiles');
  assert.equal(model.chartMode(tips), 'standard');
  model.toggleChart(fare, 'quantiles');
  assert.equal(model.chartMode(fare), 'standard');
  assert.equal(model.togglesOf(fare).log, true, 'the log scale is kept');

  model.toggleChart(company, 'cdf');
  assert.equal(model.chartMode(company), 'bars');
  assert.equal(model.logApplies(company), true);

  model.percent = true;
  assert.equal(model.chartOptions(payment).percent, true);
});

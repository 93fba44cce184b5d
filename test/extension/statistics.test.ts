/// <reference lib="dom" />
// The statistics renderer on the taxi pipeline's statistics (fixtures/statistics.json: the train
// and eval datasets of StatisticsGen's FeatureStats.json): golden markup, the tables, sorting,
// search, the dataset and percentage toggles, the per-feature chart toggles, escaping and
// malformed payloads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import './dom-globals';
import { rendererFor, renderPayload } from '../../extension/src/registry';
import { TsfxRenderer } from '../../extension/src/widget';
import { PayloadError } from '../../extension/src/validate';
import {
  buildModel,
  commonEdges,
  formatStat,
  jensenShannon,
  lInfinity,
  parseStatistics,
  rebin,
  sortFeatures,
} from '../../extension/src/renderers/statistics';
import type { StatisticsPayload } from '../../extension/src/payloads';
import { TAXI_COLUMNS, TAXI_STRING_COLUMNS } from '../helpers';
import { assertGolden, fixture, newDocument, renderLoggingErrors } from './render-helpers';

type Json = Record<string, unknown>;
const taxi = (): StatisticsPayload => fixture('statistics.json') as StatisticsPayload;

function render(data: unknown): HTMLElement {
  const { document } = newDocument();
  const host = document.createElement('div');
  document.body.append(host);
  renderPayload(rendererFor('statistics'), host, data);
  return host;
}

/** Feature names in the order the table of `kind` shows them. */
function shown(host: HTMLElement, kind: 'numeric' | 'categorical'): string[] {
  return [...host.querySelectorAll(`.tsfx-stats-${kind} tbody.tsfx-stats-feature`)].map(
    (b) => b.getAttribute('data-feature') ?? '',
  );
}

function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new select.ownerDocument.defaultView!.Event('change'));
}

function check(box: HTMLInputElement): void {
  box.click(); // toggles `checked` and fires change
}

function body(host: HTMLElement, feature: string): HTMLTableSectionElement {
  const b = host.querySelector<HTMLTableSectionElement>(
    `tbody.tsfx-stats-feature[data-feature="${feature}"]`,
  );
  assert.ok(b, `feature ${feature} is shown`);
  return b;
}

function bars(host: HTMLElement, feature: string, dataset?: string): SVGRectElement[] {
  const sel = dataset ? `rect.tsfx-stats-bar[data-dataset="${dataset}"]` : 'rect.tsfx-stats-bar';
  return [...body(host, feature).querySelectorAll<SVGRectElement>(sel)];
}

const values = (rects: SVGRectElement[], attr = 'data-value'): number[] =>
  rects.map((r) => Number(r.getAttribute(attr)));

/** The numeric taxi features, in column order. */
const TAXI_ORDER = TAXI_COLUMNS.filter((name) => !TAXI_STRING_COLUMNS.includes(name));

test('statistics: golden markup (a few taxi features of each kind)', () => {
  const payload = taxi();
  const keep = new Set(['fare', 'trip_start_hour', 'tips', 'payment_type', 'company']);
  for (const ds of payload.datasets) ds.features = ds.features.filter((f) => keep.has(f.name));
  assertGolden('statistics.html', render(payload).innerHTML);
});

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

  for (const key of ['linf', 'js', 'nonuniformity'] as const) {
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

  choose(sort, 'linf');
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

test('statistics: distances, re-bucketing and sorting helpers', () => {
  assert.equal(lInfinity([0.5, 0.5], [0.2, 0.8]), 0.30000000000000004);
  assert.equal(jensenShannon([1, 0], [0, 1]), 1);
  assert.equal(jensenShannon([0.3, 0.7], [0.3, 0.7]), 0);
  const js = jensenShannon([0.5, 0.5], [0.9, 0.1]);
  assert.ok(js > 0.1 && js < 0.2, String(js));
  const hist = {
    type: 'STANDARD' as const,
    buckets: [
      { lowValue: 0, highValue: 10, sampleCount: 10 },
      { lowValue: 10, highValue: 20, sampleCount: 30 },
    ],
  };
  const other = {
    type: 'STANDARD' as const,
    buckets: [{ lowValue: 5, highValue: 25, sampleCount: 4 }],
  };
  const edges = commonEdges([hist, other]);
  assert.deepEqual(edges, [0, 12.5, 25]);
  assert.deepEqual(rebin(hist, edges), [17.5, 22.5]);
  assert.deepEqual(rebin(other, edges), [1.5, 2.5]);
  // A zero-width bucket (a constant feature) lands where its value is.
  assert.deepEqual(
    rebin({ type: 'STANDARD', buckets: [{ lowValue: 20, highValue: 20, sampleCount: 7 }] }, edges),
    [0, 7],
  );

  const model = buildModel(parseStatistics(taxi()));
  const company = model.find((f) => f.name === 'company')!;
  assert.ok(company.lInfinity !== undefined && company.lInfinity > 0 && company.lInfinity < 0.05);
  assert.equal(model.find((f) => f.name === 'pickup_census_tract')!.lInfinity, undefined);
  // Features without a distance go last.
  assert.equal(sortFeatures(model, 'linf').at(-1)!.name, 'pickup_census_tract');
  assert.equal(formatStat(1.3802e9), '1,380,200,000');
  assert.equal(formatStat(29212345.5), '2.92e7');
  assert.equal(formatStat(12345.678), '12,345.68');
  assert.equal(formatStat(0.012345), '0.01235');
  assert.equal(formatStat(NaN), 'NaN');
});

test('statistics: proto3 JSON defaults are read, malformed payloads rejected with a path', () => {
  // Absent fields are proto3 defaults (0, empty, first enum value); 64-bit integers may be numbers.
  const minimal = parseStatistics({
    kind: 'statistics',
    artifacts: [],
    datasets: [
      {
        name: 'd',
        numExamples: 3,
        features: [
          { name: 'x', numStats: { commonStats: { numNonMissing: '3' }, mean: 'NaN' } },
          { path: { step: ['a', 'b'] }, type: 'STRING', stringStats: {} },
        ],
      },
    ],
  });
  const [x, ab] = minimal.datasets[0]!.features;
  assert.equal(x!.type, 'INT');
  assert.ok(Number.isNaN(x!.numStats!.mean));
  assert.equal(x!.numStats!.numZeros, '0');
  assert.equal(ab!.name, 'a.b');
  assert.equal(minimal.datasets[0]!.numExamples, '3');
  const host = render(minimal);
  assert.equal(host.querySelectorAll('tbody.tsfx-stats-feature').length, 2);
  assert.equal(host.querySelector('tbody[data-feature="x"] td[data-stat="2"]')?.textContent, 'NaN');
  // One dataset: no dataset column, no distance sorts.
  assert.equal(host.querySelector('td.tsfx-stats-ds'), null);
  assert.deepEqual(
    [...host.querySelectorAll('select.tsfx-stats-sort option')].map((o) => o.getAttribute('value')),
    ['order', 'name', 'nonuniformity', 'missing'],
  );

  const bad = (mutate: (p: Json) => void) => {
    const p = fixture('statistics.json') as Json;
    mutate(p);
    return p;
  };
  const ds0 = (p: Json) => (p['datasets'] as Json[])[0]!;
  const feature0 = (p: Json) => (ds0(p)['features'] as Json[])[0]!;
  const cases: [Json | unknown, RegExp][] = [
    [{ kind: 'schema' }, /payload.kind should be "statistics"/],
    [bad((p) => delete p['datasets']), /payload.datasets should be an array, got undefined/],
    [
      bad((p) => (ds0(p)['numExamples'] = '12.5')),
      /payload.datasets\[0\].numExamples should be a 64-bit integer/,
    ],
    [
      bad((p) => (feature0(p)['type'] = 'DOUBLE')),
      /payload.datasets\[0\].features\[0\].type should be one of/,
    ],
    [
      bad(
        (p) =>
          ((feature0(p)['numStats'] as Json)['histograms'] = [{ buckets: [{ lowValue: 'a' }] }]),
      ),
      /payload.datasets\[0\].features\[0\].numStats.histograms\[0\].buckets\[0\].lowValue should be a number, got "a"/,
    ],
    [bad((p) => (feature0(p)['numStats'] = [])), /numStats should be an object, got an array/],
  ];
  for (const [data, message] of cases) {
    assert.throws(
      () => parseStatistics(data),
      (e: unknown) => e instanceof PayloadError && message.test(e.message),
    );
  }
});

test('statistics: in JupyterLab a malformed payload shows an error message instead of throwing', async () => {
  const renderer = new TsfxRenderer(rendererFor('statistics'));
  await renderLoggingErrors(renderer, 'application/vnd.tsfx.statistics+json', {
    kind: 'statistics',
    artifacts: [],
    datasets: [{ name: 1 }],
  });
  assert.equal(
    renderer.node.querySelector('.tsfx-error')?.textContent,
    'tsfx payload: payload.datasets[0].name should be a string, got number',
  );
  assert.equal(renderer.node.querySelector('.tsfx-statistics'), null);
});
